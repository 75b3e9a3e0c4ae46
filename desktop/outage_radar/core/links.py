"""Link policy: which URLs may be opened, and the per-service links the menus offer."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote, quote_plus, urlsplit

from .catalog import Service

MAX_URL = 2048


def safe_url(url: object, *, user_typed: bool = False) -> str | None:
    """The URL if it is https (or http the user typed) with a host; None for anything else.

    The OS hands `file:`, `smb:`, `javascript:` and custom schemes to other programs, so a link
    from a status page must never reach it unless it is plainly a web page.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or len(url) > MAX_URL:
        return None
    # Whitespace, control characters and backslashes inside a URL are how parsers get confused;
    # bidi overrides and zero-width characters (format, "Cf") are how a link hides its target.
    if any(
        ord(ch) < 0x21 or ord(ch) == 0x7F or ch == "\\" or unicodedata.category(ch) == "Cf"
        for ch in url
    ):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError:
        return None
    allowed = ("https", "http") if user_typed else ("https",)
    if parts.scheme.lower() not in allowed or not parts.hostname:
        return None
    # "https://openai.com@evil.example" reads as one host and opens another.
    if "@" in parts.netloc:
        return None
    return parts.geturl()


def status_url(service: Service) -> str | None:
    return safe_url(service.links.status) or safe_url(service.url, user_typed=service.user)


def tool_url(service: Service) -> str | None:
    """Where a user goes to use the service instead (the alternative's own app or console)."""
    return safe_url(service.links.tool) or status_url(service)


def support_url(service: Service) -> str | None:
    return safe_url(service.links.support)


def search_links(service: Service) -> list[tuple[str, str]]:
    """'Search X', 'Search Reddit' and 'Downdetector' links: the catalog's, else a search."""
    term = f"{service.name} down"
    x = safe_url(service.links.x) or f"https://x.com/search?q={quote(term)}&f=live"
    reddit = safe_url(service.links.reddit) or (
        f"https://www.reddit.com/search/?q={quote_plus(term)}&sort=new&t=day"
    )
    dd = safe_url(service.links.downdetector) or (
        f"https://downdetector.com/search/?q={quote_plus(service.name)}"
    )
    return [("Search X", x), ("Search Reddit", reddit), ("Downdetector", dd)]
