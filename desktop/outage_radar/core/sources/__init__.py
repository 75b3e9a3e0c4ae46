"""Status-page platforms: which URLs to fetch for a page, and how to read what comes back."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from ..failures import LINK_ONLY, NO_FEED, bad_payload
from ..model import Snapshot
from ..urls import url_problem

PLATFORMS: tuple[str, ...] = (
    "statuspage",
    "incidentio",
    "instatus",
    "betterstack",
    "google",
    "feed",
    "flashduty",
    "cloudflare",
    "datadog",
    "aws",
    "link",
)
# A page with no feed at all (Gemini on AI Studio, Midjourney, Mistral) is listed with its
# links, never fetched, and read as NO_FEED ("no public status feed").
_FLASHDUTY = re.compile(r"/status-page/\d+(/|$)")

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
    return _guess_new(url, path)


def _guess_new(url: str, path: str) -> str | None:
    """URL shapes of the platforms added for issue 12 (Flashduty, Cloudflare v3, Datadog, AWS)."""
    if _FLASHDUTY.search(path):  # numeric page ids; Uptime Kuma's /api/status-page/<slug> isn't
        return "flashduty"
    if path.endswith(("/api/v3/summary", "/api/v3/components")):
        return "cloudflare"
    if path.endswith(("/public/currentevents", "/public/events")):
        return "aws"
    # `/config.json` alone is too common a name; on Datadog's own host it is unambiguous.
    host = (urlsplit(url.strip()).hostname or "").lower()
    if path.endswith("/config.json") and host.endswith(".statuspage.datadoghq.com"):
        return "datadog"
    return None


def _split(url: str) -> tuple[str, str, str, str]:
    """(origin, host, path, the URL itself minus fragment); a scheme-less one is taken as https."""
    raw = url.strip()
    if "://" not in raw:
        if _OTHER_SCHEME.match(raw):  # javascript:, mailto:, data: ... (host:port is fine)
            raise ValueError(f"not a web address: {url!r}")
        raw = "https://" + raw
    if url_problem(raw, http=True):
        raise ValueError(f"not a web address: {url!r}")
    parts = urlsplit(raw)
    given = parts._replace(fragment="").geturl()
    return f"{parts.scheme.lower()}://{parts.netloc}", parts.netloc, parts.path.rstrip("/"), given


def endpoints(platform: str, url: str) -> tuple[str, ...]:
    """The URLs to fetch for a page: the first must succeed, the rest are optional extras.

    Raises ValueError for an unknown platform or a URL that is not http(s)."""
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform: {platform!r}")
    origin, host, path, given = _split(url)
    full = origin + path
    if platform in _NEW_PLATFORMS:
        return _new_endpoints(platform, origin, path, given)
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


_NEW_PLATFORMS = frozenset({"flashduty", "cloudflare", "datadog", "aws", "link"})


def _new_endpoints(platform: str, origin: str, path: str, given: str) -> tuple[str, ...]:
    full = origin + path
    direct = guess_platform(full) is not None
    if platform == "link":
        return ()
    if platform == "flashduty":
        # The page id is in the API path only: a bare page URL can't be turned into it.
        page = re.fullmatch(r"(.*/status-page/\d+)", path)
        return (origin + page.group(1) + "/summary/active",) if page else (given,)
    if platform == "cloudflare":
        return (given,) if direct else (full + "/api/v3/summary",)
    if platform == "datadog":
        return (
            (given,)
            if direct or path.lower().endswith("/config.json")
            else (full + "/config.json",)
        )
    return (given,) if direct else (origin + "/public/currentevents",)


def parse(
    platform: str, bodies: Sequence[bytes], *, product: str | None = None, page_url: str = ""
) -> Snapshot:
    """Read fetched bodies (primary first, then the optional extras that arrived). Never raises."""
    if platform not in PLATFORMS:
        return Snapshot.failed(bad_payload("unsupported platform"))
    if platform == "link":
        return Snapshot.failed(LINK_ONLY)
    if not bodies or not isinstance(bodies[0], bytes | bytearray):
        return Snapshot.failed(bad_payload("empty response"))
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
    if platform in _NEW_PLATFORMS:
        return _parse_new(platform, first, extras, product=product, page_url=page_url)
    from . import feed

    return feed.parse(first, page_url=page_url)


def _parse_new(
    platform: str, first: bytes, extras: list[bytes], *, product: str | None, page_url: str
) -> Snapshot:
    if platform == "flashduty":
        from . import flashduty

        return flashduty.parse(first, page_url=page_url)
    if platform == "cloudflare":
        from . import cloudflare

        return cloudflare.parse(first, *extras, product=product, page_url=page_url)
    if platform == "datadog":
        from . import datadog

        return datadog.parse(first, page_url=page_url)
    from . import aws

    return aws.parse(first, product=product, page_url=page_url)


def sniff(body: bytes) -> str | None:
    """Which platform a body looks like, to auto-detect a pasted URL; None when unsure."""
    try:
        return _sniff(body)
    except Exception:  # detection is best effort: a strange body just isn't recognised
        return None


def _sniff(body: bytes) -> str | None:
    if body[:2] in (b"\xff\xfe", b"\xfe\xff"):  # AWS Health answers in UTF-16
        body = body.decode("utf-16").encode()
    head = body[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return None
    if head.startswith(b"<"):
        tag = head[:1024]
        return "feed" if b"<rss" in tag or b"<feed" in tag or b"<rdf" in tag else None
    if not head.startswith((b"{", b"[")) or len(body) > 16 * 1024 * 1024:
        return None
    data = json.loads(body)
    if (found := _sniff_new(data)) is not None:
        return found
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


def _sniff_new(data: object) -> str | None:
    """Body shapes of the platforms added for issue 12 (Flashduty, Cloudflare v3, Datadog, AWS)."""
    if isinstance(data, list):
        first = next((x for x in data[:5] if isinstance(x, dict)), None)
        if (
            first is not None
            and len(first.keys() & {"arn", "event_log", "typeCode", "startTime"}) > 1
        ):
            return "aws"
        return None
    if not isinstance(data, dict):
        return None
    result = data.get("result")
    if "success" in data and isinstance(result, dict) and "active_incidents" in result:
        return "cloudflare"
    inner = data.get("data") if isinstance(data.get("data"), dict) else data
    if isinstance(inner, dict) and isinstance(inner.get("active_changes"), list):
        return "flashduty"
    parts = data.get("components")
    types = (
        {str(c.get("type")) for c in parts[:20] if isinstance(c, dict)}
        if isinstance(parts, list)
        else set()
    )
    if types & {"Component", "ComponentGroup"} and isinstance(data.get("incidents"), list):
        return "datadog"
    return None


__all__ = ["NO_FEED", "PLATFORMS", "endpoints", "guess_platform", "parse", "sniff"]
