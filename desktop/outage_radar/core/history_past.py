"""The history's provider record and timelines: the rows stored from a backfill, and the summary.

Statements are returned for `History` to queue; reading goes through a query function, so this
module never touches the connection (nor its lock) itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from .history_view import (
    BOTH,
    OWN,
    PAGE,
    IncidentView,
    Span,
    Summary,
    Timeline,
    build_days,
    own_spans,
)
from .model import Level

if TYPE_CHECKING:
    from .past import Record

Statement = tuple[str, tuple[Any, ...]]
Query = Callable[[str, tuple[Any, ...]], list[Any]]
MATCH_BEFORE = 3600.0  # a lead or a notice this long before an incident's start belongs to it
DAY = 86400.0


def store(service: str, record: Record, fetched: datetime) -> list[Statement]:
    """Replace the service's provider record with `record` (already narrowed to its parts)."""
    at = fetched.timestamp()
    out: list[Statement] = [
        (f"DELETE FROM {table} WHERE service=?", (service,))
        for table in ("past_incidents", "past_spans", "past_cover")
    ]
    for past in record.incidents:
        inc = past.incident
        if inc.started is None:
            continue
        start = inc.started.timestamp()
        ended = past.ended.timestamp() if past.ended is not None else None
        said = past.said.timestamp() if past.said is not None else start
        out.append(
            (
                "INSERT OR REPLACE INTO past_incidents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (service, inc.id, inc.title, inc.url, inc.level.value, start, said, ended),
            )
        )
    out.append(("INSERT OR REPLACE INTO past_read VALUES (?, ?)", (service, at)))
    since = record.complete_since.timestamp() if record.complete_since is not None else 0.0
    if record.days:
        # Better Stack: each day of the status history is known; its downtime is a span.
        for _name, day, level, seconds in record.days:
            start = day.timestamp()
            out.append(("INSERT INTO past_cover VALUES (?, ?, ?)", (service, start, start + DAY)))
            if seconds > 0:
                # Where in the day is not said: downtime is put at its start, planned work at
                # its end, so a day with both does not hide one behind the other.
                at = start + DAY - seconds if level is Level.MAINTENANCE else start
                span = (service, at, at + seconds, level.value)
                out.append(("INSERT INTO past_spans VALUES (?, ?, ?, ?)", span))
    else:
        out.append(("INSERT INTO past_cover VALUES (?, ?, ?)", (service, since, at)))
    return out


def summarize(query: Query, service: str, days: int, now: datetime, hold: float) -> Summary:
    """Days, incidents and timelines of one service from what the database holds."""
    now = now.astimezone()
    end = now.timestamp()
    first = now.date() - timedelta(days=days - 1)
    start = datetime.combine(first, datetime.min.time()).astimezone().timestamp()
    samples = [
        (at, until, Level.parse(lv))
        for at, until, lv in query(
            "SELECT at, COALESCE(until, at), level FROM samples WHERE service=? "
            "AND component='' AND at >= ? AND at <= ? ORDER BY at",
            (service, start - hold, end),
        )
    ]
    cover = [
        (a, b) for a, b in query("SELECT start, end FROM past_cover WHERE service=?", (service,))
    ]
    page: list[Span] = [
        (a, b if b is not None else end, Level.parse(lv))
        for a, b, lv in query(
            "SELECT started, ended, level FROM past_incidents WHERE service=? "
            "AND COALESCE(ended, ?) >= ?",
            (service, end, start),
        )
    ]
    page += [
        (a, b, Level.parse(lv))
        for a, b, lv in query(
            "SELECT start, end, level FROM past_spans WHERE service=? AND end >= ?",
            (service, start),
        )
    ]
    own = own_spans(samples, hold, end)
    incidents = _incidents(query, service, start, end)
    checked = query("SELECT at FROM checks WHERE service=?", (service,))
    fetched = query("SELECT at FROM past_read WHERE service=?", (service,))
    return Summary(
        service,
        build_days(first, days, own, cover, page, end),
        incidents,
        _local(checked[0][0]) if checked else None,
        _local(fetched[0][0]) if fetched and fetched[0][0] else None,
    )


def _incidents(query: Query, service: str, start: float, end: float) -> tuple[IncidentView, ...]:
    """Your incidents and the provider's, one row each (yours win), newest first."""
    mine = {
        iid: (title, url, lv, s, e)
        for iid, title, url, lv, s, e in query(
            "SELECT id, title, url, level, started, ended FROM incidents WHERE service=? "
            "AND COALESCE(ended, ?) >= ?",
            (service, end, start),
        )
    }
    theirs = {
        iid: (title, url, lv, s, said, e)
        for iid, title, url, lv, s, said, e in query(
            "SELECT id, title, url, level, started, said, ended FROM past_incidents "
            "WHERE service=? AND COALESCE(ended, ?) >= ?",
            (service, end, start),
        )
    }
    seen = dict(query("SELECT incident, at FROM seen WHERE service=?", (service,)))
    leads = query(
        "SELECT at, minutes FROM leads WHERE service=? AND at >= ? ORDER BY at",
        (service, start - DAY),
    )
    notices = [
        n
        for (n,) in query(
            "SELECT at FROM notices WHERE service=? AND at >= ? ORDER BY at", (service, start - DAY)
        )
    ]
    out = []
    for iid in {*mine, *theirs}:
        if iid in mine:
            title, url, lv, started, ended = mine[iid]
            said = seen.get(iid, started)
            if iid in theirs:
                ended = ended if ended is not None else theirs[iid][5]
        else:
            title, url, lv, started, said, ended = theirs[iid]
        source = BOTH if iid in mine and iid in theirs else (OWN if iid in mine else PAGE)
        ended = max(ended, started) if ended is not None else None
        timeline = _timeline(started, said, ended, leads, notices, end)
        out.append(
            IncidentView(
                iid,
                title,
                url,
                Level.parse(lv),
                _local(started),
                _local(ended) if ended is not None else None,
                source,
                timeline,
            )
        )
    return tuple(sorted(out, key=lambda i: i.started, reverse=True))


def _timeline(
    started: float,
    said: float,
    ended: float | None,
    leads: Sequence[tuple[float, float]],
    notices: Sequence[float],
    now: float,
) -> Timeline:
    """The incident as you lived it: the lead recorded when the page confirmed, your first
    notification, the end."""
    close = ended if ended is not None else now
    lead = next(
        ((at, minutes) for at, minutes in leads if started - MATCH_BEFORE <= at <= close),
        None,
    )
    probe = page = None
    if lead is not None:
        probe, page = lead[0] - lead[1] * 60, lead[0]
    first = min(said, page) if page is not None else said
    notified = next((n for n in notices if started - MATCH_BEFORE <= n <= close), None)
    return Timeline(
        _local(probe) if probe is not None else None,
        _local(first),
        _local(notified) if notified is not None else None,
        _local(ended) if ended is not None else None,
    )


def _local(ts: float) -> datetime:
    return datetime.fromtimestamp(ts).astimezone()
