"""The service catalog: which AI services exist, where their status lives, and their links."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

from .. import paths
from . import sources
from .urls import search_urls, slug, url_problem


class CatalogError(ValueError):
    """A catalog file is unreadable or breaks a rule; the message names the service and field."""


@dataclass(frozen=True, slots=True)
class Links:
    status: str | None = None
    support: str | None = None
    x: str | None = None
    reddit: str | None = None
    downdetector: str | None = None
    tool: str | None = None


@dataclass(frozen=True, slots=True)
class Probe:
    """A direct API check with a key from the OS keyring: https only, but loopback in user files."""

    url: str
    key: str
    auth: str = "bearer"
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Service:
    id: str
    name: str
    url: str
    platform: str
    endpoints: tuple[str, ...]
    category: str = "api"
    components: tuple[str, ...] = ()
    product: str | None = None
    alternatives: tuple[str, ...] = ()
    links: Links = field(default_factory=Links)
    probe: Probe | None = None
    user: bool = False

    @property
    def link_only(self) -> bool:
        """No public status feed: listed with its links, never polled, never counted."""
        return self.platform == "link"


# Display order: what most people open first, then what developers call, then media and voice.
CATEGORIES: dict[str, str] = {
    "chat": "Chat assistants",
    "search": "Search",
    "coding": "Coding assistants",
    "apps": "App builders and workspaces",
    "api": "Model APIs",
    "hosting": "Inference hosts, gateways and AI infrastructure",
    "media": "Image and video",
    "voice": "Voice and audio",
}
MAX_FILE_BYTES = 1 << 20  # the built-in one is about 45 KiB; anything near this is not a catalog
_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_TOKEN = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")  # an HTTP header name
_KEYS = {"id", "name", "category", "platform", "url", "endpoint", "components", "product"}
_KEYS |= {"alternatives", "links", "probe"}
_Table = Mapping[str, Any]


@dataclass(frozen=True)
class Catalog:
    services: tuple[Service, ...] = ()

    def get(self, id: str) -> Service | None:
        return next((s for s in self.services if s.id == id), None)

    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.services)

    def by_category(self) -> dict[str, list[Service]]:
        """Services grouped in CATEGORIES order; categories without services are left out."""
        return {c: g for c in CATEGORIES if (g := [s for s in self.services if s.category == c])}

    def __iter__(self) -> Iterator[Service]:
        return iter(self.services)

    def __len__(self) -> int:
        return len(self.services)


class _Reader:
    """Typed reads from one service's tables; every error names the file, service and field."""

    def __init__(self, origin: str, sid: str, user: bool, prefix: str = "") -> None:
        self.origin, self.sid, self.user, self.prefix = origin, sid, user, prefix

    def fail(self, fld: str, msg: str) -> NoReturn:
        where = f"{self.prefix}{fld}".strip(".")
        raise CatalogError(f"{self.origin}: service {self.sid}: {where} {msg}".replace(":  ", ": "))

    def text(self, table: _Table, fld: str, *, required: bool = False) -> str | None:
        if (value := table.get(fld)) is None and not required:
            return None
        if not isinstance(value, str) or not 0 < len(value := value.strip()) <= 500:
            self.fail(fld, "must be a non-empty string of at most 500 characters")
        if not value.isprintable():
            self.fail(fld, "must be one line of printable characters")
        return value

    def url(self, table: _Table, fld: str, *, carries_key: bool = False) -> str | None:
        """A URL field: https, or http in a user's catalog (a key goes to loopback only)."""
        value = self.text(table, fld)
        mine = self.user
        if value and (
            problem := url_problem(
                value, http=mine and not carries_key, loopback_http=mine and carries_key
            )
        ):
            self.fail(fld, problem)
        return value

    def table(self, table: _Table, fld: str, keys: set[str] | None) -> tuple[_Table, _Reader]:
        """A sub-table, and a reader for it whose errors say e.g. ``probe.url``."""
        value = table.get(fld, {})
        if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
            self.fail(fld, "must be a table")
        if unknown := sorted(k for k in value if keys is not None and k not in keys):
            self.fail(fld, f"has unknown keys: {', '.join(unknown)}")
        return dict(value), _Reader(self.origin, self.sid, self.user, f"{self.prefix}{fld}.")

    def strings(self, table: _Table, fld: str) -> tuple[str, ...]:
        value = table.get(fld, [])
        if not isinstance(value, list):
            self.fail(fld, "must be a list of strings")
        return tuple(dict.fromkeys(self.text({fld: v}, fld, required=True) or "" for v in value))


def _probe(r: _Reader, table: _Table) -> Probe:
    raw, r = r.table(table, "probe", {"url", "key", "auth", "headers"})
    url = r.url(raw, "url", carries_key=True) or r.fail("url", "is required")
    auth = r.text(raw, "auth") or "bearer"
    if auth != "bearer" and not (auth.startswith("header:") and _TOKEN.fullmatch(auth[7:])):
        r.fail("auth", 'must be "bearer" or "header:NAME"')
    headers, h = r.table(raw, "headers", None)
    if not all(_TOKEN.fullmatch(name) for name in headers):
        r.fail("headers", "has a name that is not an HTTP header name")
    pairs = tuple((name, h.text(headers, name, required=True) or "") for name in headers)
    return Probe(url, r.text(raw, "key", required=True) or "", auth, pairs)


def _service(table: Any, *, user: bool, origin: str, position: int) -> Service:
    r = _Reader(origin, f"#{position}", user)
    table, _ = r.table({"": table}, "", _KEYS)
    sid = r.text(table, "id", required=True) or ""
    if not _ID.fullmatch(sid):
        r.fail("id", "must be 1-64 characters of a-z 0-9 . _ - starting with a letter or digit")
    r.sid = repr(sid)
    name = r.text(table, "name", required=True) or ""
    url = r.url(table, "url") or r.fail("url", "is required")
    endpoint = r.url(table, "endpoint")
    category = r.text(table, "category") or ("api" if user else r.fail("category", "is required"))
    if category not in CATEGORIES:
        r.fail("category", f"must be one of {', '.join(CATEGORIES)}")
    platform = r.text(table, "platform") or ("auto" if user else "")
    if platform not in sources.PLATFORMS and not (user and platform == "auto"):
        r.fail("platform", f"must be one of {', '.join(sources.PLATFORMS)}")
    target = endpoint or url
    if platform == "auto":
        # Still "auto" after guessing: the monitor tries each platform's endpoints at run time.
        platform = sources.guess_platform(target) or sources.guess_platform(url) or "auto"
    # endpoints() only raises for an unknown platform or a non-http URL, both excluded above.
    endpoints = (target,) if platform == "auto" else tuple(sources.endpoints(platform, target))
    search = search_urls(name)  # user pages get the same search links as built-in ones
    links = {"status": url, "x": search["x"], "reddit": search["reddit"]}
    raw_links, lr = r.table(table, "links", {f.name for f in fields(Links)})
    links.update({k: v for k in raw_links if (v := lr.url(raw_links, k))})
    return Service(
        id=sid,
        name=name,
        url=url,
        platform=platform,
        endpoints=endpoints,
        category=category,
        components=r.strings(table, "components"),
        product=r.text(table, "product"),
        alternatives=r.strings(table, "alternatives"),
        links=Links(**links),
        probe=_probe(r, table) if "probe" in table else None,
        user=user,
    )


def parse_catalog(data: Any, *, user: bool, origin: str) -> Catalog:
    """Validate parsed TOML; a user catalog may use http and name built-in ids as alternatives."""
    raw = data.get("service", [] if user else None) if isinstance(data, Mapping) else None
    if not isinstance(raw, list) or (not raw and not user):
        raise CatalogError(f"{origin}: 'service' must be a non-empty array of tables [[service]]")
    services: dict[str, Service] = {}
    for position, table in enumerate(raw, 1):
        service = _service(table, user=user, origin=origin, position=position)
        if service.id in services:
            raise CatalogError(f"{origin}: service {service.id!r}: id is a duplicate")
        services[service.id] = service
    known = set(services) | (set(load_builtin().ids()) if user else set())
    for service in services.values():
        if bad := [a for a in service.alternatives if a not in known or a == service.id]:
            reader = _Reader(origin, repr(service.id), user)
            reader.fail("alternatives", f"has unknown ids or itself: {', '.join(bad)}")
    return Catalog(tuple(services.values()))


def load_file(path: Path | str, *, user: bool = True) -> Catalog:
    """A user's catalog (only id, name, url required); user=False applies the built-in rules."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)  # bounded: never slurp a huge or endless file
        if len(raw) > MAX_FILE_BYTES:
            raise CatalogError(f"{path}: larger than {MAX_FILE_BYTES // 1024} KiB")
        data = tomllib.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as exc:
        raise CatalogError(f"{path}: cannot be read as UTF-8 TOML: {exc}") from exc
    return parse_catalog(data, user=user, origin=str(path))


@functools.cache
def load_builtin() -> Catalog:
    """The catalog shipped in resources/catalog.toml (read once per process)."""
    return load_file(paths.resource("catalog.toml"), user=False)


def service_from_url(
    url: str, *, name: str | None = None, platform: str = "", endpoint: str = ""
) -> Service:
    """An ad-hoc user service for one status page URL (``status --url URL``, a custom page).

    `platform` and `endpoint` are what an earlier detection found; a stale or unknown value is
    ignored, and the page is detected again."""
    if problem := url_problem(url := url.strip(), http=True):
        raise CatalogError(f"--url {url!r}: {problem}")
    table = {"id": slug(url) or "custom", "name": name or urlsplit(url).hostname, "url": url}
    if platform in sources.PLATFORMS and platform != "link":
        table["platform"] = platform
        if endpoint and url_problem(endpoint, http=True) is None:
            table["endpoint"] = endpoint
    return _service(table, user=True, origin="--url", position=1)
