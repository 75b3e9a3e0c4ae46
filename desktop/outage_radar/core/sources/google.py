"""Google Cloud and Google Workspace dashboards: the `incidents.json` array of incidents."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from ..model import Incident, Level, Snapshot, worst
from .common import (
    MAX_INCIDENTS,
    ParseError,
    body,
    ident,
    load_json,
    obj,
    objs,
    parse_time,
    refs,
    safe,
    text,
    title,
    web_url,
    word,
)

IMPACT_LEVELS = {
    "service_information": Level.DEGRADED,
    "service_disruption": Level.PARTIAL_OUTAGE,
    "service_outage": Level.MAJOR_OUTAGE,
}
# The dashboard's whole history can be several MiB; only open incidents matter and they
# are listed first, but a cap on the scan keeps a hostile array cheap anyway.
MAX_SCAN = 20000


@safe
def parse(primary: bytes, *, product: str | None = None, page_url: str = "") -> Snapshot:
    data = load_json(primary)
    if not isinstance(data, list):
        raise ParseError("unexpected JSON shape")
    want = wanted(product)
    incidents: list[Incident] = []
    for raw in data[:MAX_SCAN]:
        if not isinstance(raw, dict) or raw.get("end") not in (None, ""):
            continue  # only incidents without an end are still open
        products = objs(raw.get("affected_products"))
        if not affects(products, want):
            continue
        incidents.append(incident(raw, products, page_url))
        if len(incidents) >= MAX_INCIDENTS:
            break
    # No open incident means operational: the dashboard lists every incident it has.
    level = worst([i.level for i in incidents], default=Level.OPERATIONAL)
    return Snapshot(level=level, incidents=tuple(incidents))


def wanted(product: str | None) -> str:
    """A catalog's product (an id or a title) as `affects` compares it."""
    return (product or "").strip().casefold()


def affects(products: list[dict[str, Any]], want: str) -> bool:
    """Whether an incident's affected products include `want` (by id or title); any, without."""
    return not want or any(
        want in (text(p.get("id")).strip().casefold(), text(p.get("title")).strip().casefold())
        for p in products[:500]
    )


def incident(raw: dict[str, Any], products: list[dict[str, Any]], page_url: str) -> Incident:
    update = obj(raw.get("most_recent_update"))
    current = word(update.get("status"))
    overall = word(raw.get("status_impact"))
    # The latest update's status is the incident's state now; status_impact is its overall
    # weight. Prefer the current one when it is a severity word (it may say AVAILABLE).
    impact = current if current in IMPACT_LEVELS else overall
    # Still open, so at least degraded even with a word we don't know.
    level = IMPACT_LEVELS.get(impact, Level.DEGRADED)
    iid = ident(raw.get("id"))
    uri = text(raw.get("uri")).strip()
    url = web_url(uri)
    if url is None and uri and web_url(page_url):
        try:
            url = web_url(urljoin(page_url, uri[:500]))
        except ValueError:
            url = None
    affected = ", ".join(t for p in products[:5] if (t := title(p.get("title"), 60)))
    name = (
        title(raw.get("external_desc"))
        or title(raw.get("service_name"))
        or (f"{affected} incident" if affected else "Google incident")
    )
    return Incident(
        id=iid or name,
        title=name,
        level=level,
        impact=text(raw.get("status_impact") or update.get("status"))[:64],
        url=url,
        started=parse_time(raw.get("begin")),
        updated=parse_time(update.get("when") or raw.get("modified")),
        latest_update=body(update.get("text")),
        components=refs((p.get("title") for p in products), (p.get("id") for p in products)),
    )
