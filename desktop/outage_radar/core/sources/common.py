"""Helpers every parser shares: safe JSON reading, typed field access, time parsing."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import wraps
from typing import Any, ParamSpec

from ..failures import Failure, Kind
from ..model import Component, Incident, Level, Maintenance, Snapshot, worst
from ..text import clean, strip_html
from ..urls import url_problem

P = ParamSpec("P")


class ParseError(Exception):
    """The body is not the status payload we expected; `failure` says how (a bad payload by
    default, the detail being the short reason)."""

    def __init__(self, detail: str, kind: Kind = Kind.BAD_PAYLOAD) -> None:
        super().__init__(detail)
        self.failure = Failure(kind, detail)


NOT_HTML = "HTML"  # the detail of a page that answers with a web page instead of its feed
NO_STATUS = Failure(Kind.BAD_PAYLOAD, "no status information on page")


def safe(fn: Callable[P, Snapshot]) -> Callable[P, Snapshot]:
    """Turn any failure of a parser into an unknown snapshot with a typed failure."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Snapshot:
        try:
            return fn(*args, **kwargs)
        except ParseError as exc:
            return Snapshot.failed(exc.failure)
        except RecursionError:
            return Snapshot.failed(Failure(Kind.BAD_PAYLOAD, "payload too deeply nested"))
        except Exception:  # a hostile payload must never take the app down
            return Snapshot.failed(Failure(Kind.NOT_A_STATUS_PAGE))

    return wrapper


def page_snapshot(
    level: Level,
    components: Sequence[Component] = (),
    incidents: Sequence[Incident] = (),
    maintenances: Sequence[Maintenance] = (),
    page_name: str = "",
) -> Snapshot:
    """A parsed page; a page whose level could not be told says there was nothing to read."""
    return Snapshot(
        level=level,
        components=tuple(components),
        incidents=tuple(incidents),
        maintenances=tuple(maintenances),
        failure=None if level is not Level.UNKNOWN else NO_STATUS,
        page_name=page_name,
    )


def load_json(body: bytes) -> Any:
    if not body or not body.strip():
        raise ParseError("empty response")
    head = body.lstrip()[:1]
    if head == b"<":
        raise ParseError(NOT_HTML, Kind.NOT_A_STATUS_PAGE)
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParseError("bad JSON") from exc


def obj(value: Any) -> dict[str, Any]:
    """The value as a JSON object, or an empty one."""
    return value if isinstance(value, dict) else {}


def arr(value: Any) -> list[Any]:
    """The value as a JSON array, or an empty one (incident.io sends null for empty lists)."""
    return value if isinstance(value, list) else []


def objs(value: Any) -> list[dict[str, Any]]:
    return [item for item in arr(value) if isinstance(item, dict)]


def text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def parse_time(value: Any) -> datetime | None:
    """ISO 8601 or RFC 822 to an aware UTC datetime; None when absent or garbled."""
    if not isinstance(value, str) or not value or len(value) > 96:
        return None
    raw = value.strip()
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            js = _parse_js_date(raw)
            if js is None:
                return None
            when = js
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return when.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def parse_epoch(value: Any, *, millis: bool = False) -> datetime | None:
    """Unix seconds (or milliseconds) as a number or digit string to aware UTC; None when absurd.

    Flashduty and AWS Health stamp their events this way instead of ISO 8601."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value.strip()[:24] if isinstance(value, str) else value)
        when = datetime.fromtimestamp(number / 1000 if millis else number, UTC)
    except (ValueError, OverflowError, OSError):
        return None
    # 0 and other placeholders mean "not set"; nothing real is stamped before 2000.
    return when if when.year >= 2000 else None


Stamp = Callable[[dict[str, Any]], datetime | None]


def stamped(*keys: str) -> Stamp:
    """An item's time: the first of `keys` that reads as ISO 8601 or RFC 822."""
    return lambda item: next((t for k in keys if (t := parse_time(item.get(k))) is not None), None)


def epoch(key: str) -> Stamp:
    """An item's time in Unix seconds under `key` (Flashduty, AWS Health)."""
    return lambda item: parse_epoch(item.get(key))


def newest(
    items: Sequence[dict[str, Any]], when: Stamp, *, later_wins: bool = False
) -> dict[str, Any]:
    """The item with the newest time (`when` reads it), whatever order the page lists them in.

    Without any time it is the first item, or the last with `later_wins` (pages that list the
    oldest first); of equal times, likewise."""
    best: dict[str, Any] = (items[-1] if later_wins else items[0]) if items else {}
    best_at: datetime | None = None
    for item in items[:200]:
        at = when(item)
        if at is not None and (best_at is None or at > best_at or (later_wins and at == best_at)):
            best, best_at = item, at
    return best


# Caps keep one hostile or huge page from flooding the UI and the change detector. The component
# cap is well above real pages (Cloudflare's lists some 450 parts), so every component of a page
# counts for its level and for a service's scope; the menu shows fewer. A bigger page has its
# first MAX_COMPONENTS read: a 10^5-part page still parses in about 0.1 s, where reading every
# part would hold the event loop for over a second.
MAX_COMPONENTS = 2000
MAX_INCIDENTS = 50
MAX_MAINTENANCES = 50
MAX_REFS = 50

# Instatus sends JavaScript Date.toString(): "Sat Jun 11 2022 18:55:50 GMT+0000 (...)".
_JS_DATE = re.compile(
    r"^[A-Za-z]{3} ([A-Za-z]{3}) (\d{1,2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT([+-]\d{4})"
)


def _parse_js_date(raw: str) -> datetime | None:
    m = _JS_DATE.match(raw)
    if not m:
        return None
    mon, day, year, hh, mm, ss, off = m.groups()
    try:
        return datetime.strptime(f"{day} {mon} {year} {hh}:{mm}:{ss} {off}", "%d %b %Y %H:%M:%S %z")
    except ValueError:
        return None


def title(value: Any, limit: int = 300) -> str:
    """A payload string fit for a one-line label."""
    raw = text(value)
    return clean(raw[: limit * 4], limit, single_line=True)


def body(value: Any, limit: int = 1000, *, html: bool = False) -> str:
    """A payload string fit for a multi-line update text; slices first so clean() stays cheap."""
    raw = text(value)[: limit * 8]
    return clean(strip_html(raw) if html else raw, limit)


def ident(value: Any) -> str:
    return title(value, 120)


def word(value: Any) -> str:
    """A vocabulary value (status, impact) normalised for lookup."""
    return text(value).strip().lower()[:64]


def web_url(value: Any) -> str | None:
    """Only http(s) links survive (urls.url_problem): a javascript: or file: link must never
    reach a click."""
    raw = text(value).strip()
    return raw if url_problem(raw, http=True) is None else None


def join_url(base: str, path: str) -> str | None:
    """`path` under page `base`, or None when the base is not a web URL."""
    root = web_url(base)
    if root is None or not path:
        return None
    return web_url(root.rstrip("/") + "/" + path.lstrip("/"))


def refs(*groups: Any) -> tuple[str, ...]:
    """Distinct non-empty component references (ids and names), capped, in first-seen order."""
    seen: dict[str, None] = {}
    for group in groups:
        for item in group:
            ref = ident(item)
            if ref and ref not in seen:
                seen[ref] = None
                if len(seen) >= MAX_REFS:
                    return tuple(seen)
    return tuple(seen)


def page_level(
    page: Sequence[Level],
    components: Sequence[Component],
    incidents: Sequence[Incident],
    maintenances: Sequence[Maintenance],
    default: Level,
) -> Level:
    """The worst of what the page says, its components, open incidents and active maintenance.

    Never the page's own indicator alone: it can say "none" while an incident is open.
    """
    levels = [*page, *(c.level for c in components), *(i.level for i in incidents)]
    if any(m.active for m in maintenances):
        levels.append(Level.MAINTENANCE)
    return worst(levels, default=default)
