"""`outage-radar history`: read each page's own record when due, then print the services' past
as text (a day strip and the incidents), JSON, or CSV (one row per service and day)."""

from __future__ import annotations

import asyncio
import csv
import json
import logging
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ..core import check
from ..core.alerts import format_duration
from ..core.backfill import Backfill
from ..core.catalog import Service
from ..core.fetch import Fetcher, FetchResult
from ..core.history import History
from ..core.history_view import BOTH, OWN, PAGE, DayView, IncidentView, Summary, uptime_line
from ..core.model import Level
from ..core.text import clean
from . import commands
from .commands import UsageError

log = logging.getLogger(__name__)

# Every page's record together: a slow page must not hold the history back for long. What is
# not read by then is read on a later run (or by the app); the history shows what it has.
DEADLINE = 25.0
STRIP_WIDTH = 90
# A day's mark, in Level's order from operational to major outage (unknown is never a colour).
MARKS = dict(zip(Level, ".mdpM", strict=False))
NO_DATA = "?"
LEGEND = (
    "Days, oldest first: . operational  m maintenance  d degraded  p partial outage  "
    "M major outage  ? too little data"
)
_SOURCES = {OWN: "seen", PAGE: "record", BOTH: "seen, record"}
CSV_FIELDS = ("service", "day", "level", "known_s", "up_s", "source")


def history(ids: Sequence[str], path: Path | None, *, days: int, form: str) -> int:
    """Backfill the chosen services (the watched ones by default), then print their past."""
    if not 1 <= days <= 365:
        raise UsageError("--days must be between 1 and 365")
    services = choose(path, ids)
    store = History()
    try:
        asyncio.run(backfill(store, services))
        now = datetime.now().astimezone()
        summaries = [(s, store.summary(s.id, days, now)) for s in services]
    finally:
        store.close()
    if form == "json":
        doc = {"services": [service_json(s, sm) for s, sm in summaries], "generated": now}
        print(json.dumps(doc, ensure_ascii=False, indent=2, default=_iso))
    elif form == "csv":
        write_csv(summaries)
    else:
        print(text(summaries))
    return 0


def choose(path: Path | None, ids: Sequence[str]) -> list[Service]:
    """The named services (catalog first, then your own pages), else the watched ones."""
    if not ids:
        chosen = commands.watched(path)
        if not chosen:
            raise UsageError("no services: name one (see `outage-radar services`)")
        return chosen
    known = {s.id: s for s in commands.load_catalog(path)}
    if path is None and not known.keys() >= set(ids):  # your own pages live in the settings
        known = {s.id: s for s in commands.watched(None)} | known
    found = []
    for key in dict.fromkeys(ids):
        if key not in known:
            raise UsageError(f"unknown service id: {key!r} (see `outage-radar services`)")
        found.append(known[key])
    return found


async def backfill(store: History, services: Sequence[Service], deadline: float = DEADLINE) -> int:
    """Read the record of each page that is due, all at once within `deadline`; how many were."""
    pages: dict[check.PageKey, list[Service]] = {}
    for service in services:
        if not service.link_only:  # no feed, so no record either
            pages.setdefault(check.page_key(service), []).append(service)
    fetcher = Fetcher()
    reader = Backfill(store, fetcher)
    try:
        async with asyncio.timeout(deadline):
            done = await asyncio.gather(
                *(_page(reader, fetcher, group) for group in pages.values()),
                return_exceptions=True,
            )
        for group, outcome in zip(pages.values(), done, strict=True):
            if isinstance(outcome, Exception):  # one page's trouble: the others still show
                log.error("reading the record of %s failed", group[0].url, exc_info=outcome)
    except TimeoutError:
        log.warning("not every page's record was read within %.0f s: showing the rest", deadline)
    finally:
        await fetcher.aclose()
    return reader.reads


async def _page(reader: Backfill, fetcher: Fetcher, services: list[Service]) -> None:
    if services[0].platform == "auto":
        found = await check.find_platform(fetcher, services[0].url)
        if isinstance(found, FetchResult):
            log.info("%s: no platform found: %s", services[0].url, found.error)
            return
        services = [check.with_platform(s, found) for s in services]
    if reader.due(services) is None:
        return  # read within the day (or no record we read): not even the poll is fetched
    first = services[0]
    polled = await check.fetch_page(fetcher, first.platform, first.endpoints)
    await reader.page(services, polled)


# -- JSON and CSV -------------------------------------------------------------------------------
def _iso(value: datetime) -> str:
    return value.isoformat()  # json.dumps hands over only what it cannot write: our datetimes


def day_json(day: DayView) -> dict[str, Any]:
    return {
        "day": day.day.isoformat(),
        "level": day.level.value if day.level is not None else None,
        "known_s": round(day.known),
        "up_s": round(day.up),
        "source": day.source,
        "down_s": {level.value: round(s) for level, s in day.down.items()},
    }


def incident_json(inc: IncidentView) -> dict[str, Any]:
    line = inc.timeline
    lead = line.lead
    return {
        "id": inc.id,
        "title": inc.title,
        "url": inc.url,
        "level": inc.level.value,
        "started": inc.started,
        "ended": inc.ended,
        "duration_s": round(inc.duration.total_seconds()) if inc.duration is not None else None,
        "source": inc.source,
        "timeline": {
            "probe_failed": line.probe_failed,
            "page_said": line.page_said,
            "notified": line.notified,
            "resolved": line.resolved,
            "lead_s": round(lead.total_seconds()) if lead is not None else None,
        },
    }


def service_json(service: Service, summary: Summary) -> dict[str, Any]:
    return {
        "id": service.id,
        "name": service.name,
        "uptime": summary.uptime,
        "days_counted": len(summary.counted),
        "days": [day_json(d) for d in summary.days],
        "incidents": [incident_json(i) for i in summary.incidents],
        "last_check": summary.last_check,
        "backfilled": summary.backfilled,
    }


def write_csv(summaries: Sequence[tuple[Service, Summary]]) -> None:
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(CSV_FIELDS)
    for service, summary in summaries:
        for day in summary.days:
            row = day_json(day)
            out.writerow([service.id, *(row[f] for f in CSV_FIELDS[1:])])


# -- plain text ---------------------------------------------------------------------------------
def strip(days: Sequence[DayView]) -> list[str]:
    """The days as marks, STRIP_WIDTH a line, each line after the date of its first day."""
    marks = "".join(MARKS.get(d.level, NO_DATA) if d.level is not None else NO_DATA for d in days)
    return [
        f"{days[i].day.isoformat()} {marks[i : i + STRIP_WIDTH]}"
        for i in range(0, len(days), STRIP_WIDTH)
    ]


def text(summaries: Sequence[tuple[Service, Summary]]) -> str:
    blocks = []
    for service, summary in summaries:
        lines = [f"{clean(service.name, 80, single_line=True)} ({service.id})"]
        lines.append("  " + uptime_line(summary))
        lines += ["  " + line for line in strip(summary.days)]
        count = len(summary.incidents)
        lines.append(f"  {count} incident{'' if count == 1 else 's'}" + (":" if count else ""))
        for inc in summary.incidents:
            lines += incident_lines(inc)
        blocks.append("\n".join(lines))
    return "\n\n".join([*blocks, LEGEND])


def incident_lines(inc: IncidentView) -> list[str]:
    """One line for the incident, and one for its timeline when that adds anything."""
    end = _when(inc.ended, inc.started) if inc.ended is not None else "ongoing"
    took = f" ({format_duration(inc.duration)})" if inc.duration is not None else ""
    title = clean(inc.title, 160, single_line=True)
    lines = [
        f"    {_when(inc.started)} → {end}{took}  {inc.level.label}  {title}"
        f"  [{_SOURCES.get(inc.source, inc.source)}]"
    ]
    line = inc.timeline
    said = line.page_said
    late = said is not None and abs(said - inc.started) >= timedelta(minutes=1)
    if line.probe_failed or line.notified or late:
        steps = (
            ("probe failed", line.probe_failed),
            ("page said", said),
            ("notified", line.notified),
            ("resolved", line.resolved),
        )
        shown = [f"{name} {_when(at, inc.started)}" for name, at in steps if at is not None]
        if line.lead is not None:
            shown.append(f"your probe knew {format_duration(line.lead)} before the page")
        lines.append("      " + " · ".join(shown))
    return lines


def _when(at: datetime, same_day_as: datetime | None = None) -> str:
    """Local time; only the hour when on the same day as `same_day_as`."""
    at = at.astimezone()
    if same_day_as is not None and at.date() == same_day_as.astimezone().date():
        return at.strftime("%H:%M")
    return at.strftime("%Y-%m-%d %H:%M")
