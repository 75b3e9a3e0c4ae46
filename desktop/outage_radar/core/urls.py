"""The one URL rule, and what is built from URLs in more than one place.

`url_problem` decides which web addresses the app accepts: in a catalog, from a status page,
to open in the browser, to fetch, or to send an API key to. A page's slug and the "is it down"
search links are made here too, so the catalog, the menus and the settings agree on them.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import quote, quote_plus, urlsplit

MAX_URL = 2048
LOOPBACK = ("127.0.0.1", "localhost", "::1")
INVALID = "is not a valid URL"
_SLUG = re.compile(r"[^a-z0-9._-]+")
_IPV4_STYLE = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")


def url_problem(url: object, *, http: bool = False, loopback_http: bool = False) -> str | None:
    """Why `url` is not an acceptable web address, or None when it is.

    https with a host, always; plain http too with `http` (the user typed it), or only to this
    machine with `loopback_http` (a user's own fake API). The OS hands `file:`, `smb:`,
    `javascript:` and custom schemes to other programs, so nothing else ever passes. Nor does
    whitespace, a control or format character (bidi overrides and zero-width marks are how a
    link hides its target), a backslash (how parsers get confused), a bad port, or credentials
    ("https://openai.com@evil.example" reads as one host and opens another), nor a host the
    fetcher could not connect to (`host_problem`)."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL:
        return INVALID
    if any(ord(ch) < 0x21 or ch == "\\" or not ch.isprintable() for ch in url):
        return INVALID
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading the port is what rejects "host:99999"
    except ValueError:
        return INVALID
    scheme = parts.scheme.lower()
    local = loopback_http and scheme == "http" and parts.hostname in LOOPBACK
    if scheme != "https" and not (http and scheme == "http") and not local:
        return "must be an http(s) URL" if http else "must be an https URL"
    if "@" in parts.netloc:
        return "must not contain credentials (user:pass@)"
    if not parts.hostname:
        return "has no host"
    return host_problem(parts.hostname)


def host_problem(host: str) -> str | None:
    """Why httpx would refuse this host name (it raises InvalidURL, outside its HTTPError), or None.

    httpx's own host rule (httpx/_urlparse.py `encode_host`), kept here so a page is turned
    away where it is read instead of failing on every fetch: a dotted quad is an IPv4 address,
    and a non-ASCII name must encode to IDNA ("💥.invalid" does not)."""
    if _IPV4_STYLE.fullmatch(host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return "has an invalid IPv4 address"
    elif not host.isascii():
        import idna  # imported when first needed: the built-in catalog's hosts are all ASCII

        try:
            idna.encode(host.lower())
        except idna.IDNAError:
            return "has a host name that is not valid IDNA"
    return None


def slug(url: str, limit: int = 64) -> str:
    """A name for a page made of its host and path: `status.acme.example-api` (may be empty)."""
    parts = urlsplit(url)
    name = _SLUG.sub("-", f"{parts.hostname or ''}{parts.path}".lower())
    return name.strip("-._")[:limit].rstrip("-._")


def search_urls(name: str) -> dict[str, str]:
    """Where people say a service is down right now: the newest posts about "<name> down"."""
    term = f"{name} down"
    return {
        "x": f"https://x.com/search?q={quote(term)}&f=live",
        "reddit": f"https://www.reddit.com/search/?q={quote_plus(term)}&sort=new&t=day",
        "downdetector": f"https://downdetector.com/search/?q={quote_plus(name)}",
    }
