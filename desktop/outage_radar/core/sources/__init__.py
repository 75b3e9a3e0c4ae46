"""Status-page platforms: which URLs to fetch for a page, and how to read what comes back."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from ..model import Snapshot

PLATFORMS: tuple[str, ...] = (
    "statuspage",
    "incidentio",
    "instatus",
    "betterstack",
    "google",
    "feed",
)

_FEED_ENDS = (".rss", ".atom", ".xml", "/feed", "/rss", "/atom")
# incident.io's compat layer copies Statuspage's summary shape but uses ULID ids.
_OTHER_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)")
_ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")


def guess_platform(url: str) -> str | None:
    """The platform a URL's shape alone implies; a bare base URL gives None."""
    try:
        path = urlsplit(url.strip()).path.lower().rstrip("/")
    except ValueError:
        return None
    if "/api/v2/" in path and path.endswith(".json"):
        return "statuspage"
    if "/proxy/" in path or path.endswith("/api/v1/summary"):
        return "incidentio"
    if path.endswith("/index.json"):
        return "betterstack"
    if path.endswith("incidents.json"):
        return "google"
    if path.endswith("/summary.json"):
        return "instatus"
    if path.endswith(("/v2/components.json", "/v3/components.json")):
        return "instatus"  # Statuspage's own is under /api/v2/, caught above
    if path.endswith(_FEED_ENDS) or path.endswith(("/history.rss", "/history.atom")):
        return "feed"
    return None


def _split(url: str) -> tuple[str, str, str, str]:
    """(origin, host, path, the URL itself minus fragment); a scheme-less one is taken as https."""
    raw = url.strip()
    if "://" not in raw:
        if _OTHER_SCHEME.match(raw):  # javascript:, mailto:, data: ... (host:port is fine)
            raise ValueError(f"not a web address: {url!r}")
        raw = "https://" + raw
    parts = urlsplit(raw)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not a web address: {url!r}")
    given = parts._replace(fragment="").geturl()
    return f"{parts.scheme.lower()}://{parts.netloc}", parts.netloc, parts.path.rstrip("/"), given


def endpoints(platform: str, url: str) -> tuple[str, ...]:
    """The URLs to fetch for a page: the first must succeed, the rest are optional extras.

    Raises ValueError for an unknown platform or a URL that is not http(s)."""
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform: {platform!r}")
    origin, host, path, given = _split(url)
    full = origin + path
    if platform == "google" or guess_platform(full) is not None:
        if platform == "incidentio" and "/proxy/" in path.lower():
            return (given, origin + "/api/v2/summary.json")
        return (given,)
    if platform == "statuspage":
        return (full + "/api/v2/summary.json",)
    if platform == "incidentio":
        # The proxy is keyed by the page's host and path, so a sub-path page keeps its path.
        return (f"{origin}/proxy/{host}{path}", full + "/api/v2/summary.json")
    if platform == "instatus":
        return (full + "/summary.json",)
    if platform == "betterstack":
        return (full + "/index.json",)
    return (full + "/history.atom",)


def parse(
    platform: str, bodies: Sequence[bytes], *, product: str | None = None, page_url: str = ""
) -> Snapshot:
    """Read fetched bodies (primary first, then the optional extras that arrived). Never raises."""
    if platform not in PLATFORMS:
        return Snapshot.failed("unsupported platform")
    if not bodies or not isinstance(bodies[0], bytes | bytearray):
        return Snapshot.failed("empty response")
    first = bytes(bodies[0])
    extras = [bytes(b) for b in bodies[1:] if isinstance(b, bytes | bytearray)]
    # Each parser is imported on first use: a user watching Statuspage pages loads no other.
    if platform == "statuspage":
        from . import statuspage

        return statuspage.parse(first, page_url=page_url)
    if platform == "incidentio":
        from . import incidentio

        return incidentio.parse(first, extras[0] if extras else None, page_url=page_url)
    if platform == "instatus":
        from . import instatus

        return instatus.parse(first, *extras)
    if platform == "betterstack":
        from . import betterstack

        return betterstack.parse(first)
    if platform == "google":
        from . import google

        return google.parse(first, product=product, page_url=page_url)
    from . import feed

    return feed.parse(first, page_url=page_url)


def sniff(body: bytes) -> str | None:
    """Which platform a body looks like, to auto-detect a pasted URL; None when unsure."""
    try:
        return _sniff(body)
    except Exception:  # detection is best effort: a strange body just isn't recognised
        return None


def _sniff(body: bytes) -> str | None:
    head = body[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return None
    if head.startswith(b"<"):
        tag = head[:1024]
        return "feed" if b"<rss" in tag or b"<feed" in tag or b"<rdf" in tag else None
    if not head.startswith((b"{", b"[")) or len(body) > 16 * 1024 * 1024:
        return None
    data = json.loads(body)
    if isinstance(data, list):
        first = next((x for x in data[:5] if isinstance(x, dict)), None)
        if first is not None and first.keys() & {"affected_products", "status_impact"}:
            return "google"
        return None
    if not isinstance(data, dict):
        return None
    summary = data.get("summary")
    if isinstance(summary, dict) and summary.keys() & {"structure", "affected_components"}:
        return "incidentio"
    if isinstance(data.get("ongoing_incidents"), list):
        return "incidentio"
    attrs = (data.get("data") or {}).get("attributes") if isinstance(data.get("data"), dict) else {}
    if isinstance(attrs, dict) and "aggregate_state" in attrs:
        return "betterstack"
    page = data.get("page")
    if not isinstance(page, dict):
        return _sniff_components(data)
    statuspage = "incidentio" if _ULID.match(str(page.get("id", ""))) else "statuspage"
    if isinstance(data.get("status"), dict) or isinstance(data.get("components"), list):
        return statuspage
    if str(page.get("status", "")).upper() in ("UP", "HASISSUES", "UNDERMAINTENANCE"):
        return "instatus"
    # incidents.json, incidents/unresolved.json and scheduled-maintenances/*.json
    if any(isinstance(data.get(k), list) for k in ("incidents", "scheduled_maintenances")):
        return statuspage
    return None


# Instatus spells component statuses in capitals; nobody else does.
_INSTATUS_WORDS = frozenset(
    {"OPERATIONAL", "DEGRADEDPERFORMANCE", "PARTIALOUTAGE", "MINOROUTAGE", "MAJOROUTAGE"}
    | {"UNDERMAINTENANCE"}
)


def _sniff_components(data: dict[str, object]) -> str | None:
    """Instatus's `/v2/components.json` (or `/v3/`): components and no page at all."""
    parts = data.get("components")
    if not isinstance(parts, list):
        return None
    words = {w for c in parts[:20] if isinstance(c, dict) and isinstance(w := c.get("status"), str)}
    return "instatus" if words and words <= _INSTATUS_WORDS else None


__all__ = ["PLATFORMS", "endpoints", "guess_platform", "parse", "sniff"]
