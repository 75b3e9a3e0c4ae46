"""Google Cloud / Workspace incidents.json: open incidents only, product filtering."""

from __future__ import annotations

from pathlib import Path

from outage_radar.core.model import Level
from outage_radar.core.sources import google

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"
VERTEX = "Z0FZJAMvEB4j3NbCJs6B"
PAGE = "https://status.cloud.google.com/incidents.json"


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_all_products() -> None:
    snap = google.parse(load("google_incidents.json"), page_url=PAGE)
    assert snap.error is None
    assert snap.level is Level.MAJOR_OUTAGE
    assert [i.id for i in snap.incidents] == ["gOpen1", "gOpen2", "gInfo"]  # closed one dropped
    first = snap.incidents[0]
    assert first.url == "https://status.cloud.google.com/incidents/gOpen1"
    assert first.latest_update == "Mitigation in progress."
    assert first.components == ("Vertex Gemini API", VERTEX)
    assert snap.incidents[2].url is None  # javascript: uri


def test_product_filter_by_id_and_title() -> None:
    by_id = google.parse(load("google_incidents.json"), product=VERTEX, page_url=PAGE)
    assert [i.id for i in by_id.incidents] == ["gOpen1", "gInfo"]
    assert by_id.level is Level.PARTIAL_OUTAGE
    # an open incident whose latest update says AVAILABLE keeps its overall impact
    assert by_id.incidents[1].level is Level.DEGRADED
    by_title = google.parse(load("google_incidents.json"), product="cloud storage")
    assert [i.id for i in by_title.incidents] == ["gOpen2"]
    assert by_title.incidents[0].url is None  # relative uri and no page URL


def test_no_open_incident_is_operational() -> None:
    snap = google.parse(load("google_incidents.json"), product="Nothing Here")
    assert snap.level is Level.OPERATIONAL and snap.incidents == ()
    assert google.parse(b"[]").level is Level.OPERATIONAL


def test_shape_errors() -> None:
    assert google.parse(b'{"incidents": []}').error == "unexpected JSON shape"
    assert google.parse(b"").error == "empty response"
    odd = google.parse(b'[1, "x", null, {"end": "2020-01-01"}, {}]')
    assert odd.level is Level.DEGRADED and len(odd.incidents) == 1
