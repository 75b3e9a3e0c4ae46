"""`outage-radar history` as a user runs it: a real process against loopback pages with a past."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from outage_radar.cli.history import incident_lines
from outage_radar.core.catalog import Service
from outage_radar.core.history_view import PAGE, IncidentView, Timeline
from outage_radar.core.model import Level
from tests import history_pages, payloads
from tests.fakeserver import FakeServer


def run(*args: str) -> subprocess.CompletedProcess[str]:
    # UTC: the pages' facts name UTC days, and the history shows local ones.
    env = {**os.environ, "TZ": "UTC"}
    done = subprocess.run(
        [sys.executable, "-m", "outage_radar", "history", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def catalog(tmp_path: Path, services: Sequence[Service]) -> str:
    entries = []
    for s in services:
        parts = ", ".join(json.dumps(c) for c in s.components)
        entries.append(
            f'[[service]]\nid = "{s.id}"\nname = "{s.name}"\nurl = "{s.url}"\n'
            f'platform = "{s.platform}"\ncomponents = [{parts}]\n'
            + (f'product = "{s.product}"\n' if s.product else "")
        )
    path = tmp_path / "catalog.toml"
    path.write_text("\n".join(entries))
    return str(path)


def history_json(path: str, *ids: str) -> dict[str, Any]:
    done = run(*ids, "--catalog", path, "--json")
    assert done.returncode == 0, done.stderr
    doc: dict[str, Any] = json.loads(done.stdout)
    return doc


def one_page(server: FakeServer, tmp_path: Path) -> str:
    """A catalog of one Google page (its record is its polled body: one request in all)."""
    return catalog(
        tmp_path, [history_pages.serve_history(server, datetime.now(UTC)).google.service]
    )


def window(doc: dict[str, Any], days: int = 90) -> tuple[date, date]:
    """The first day shown, and today (whose colour depends on the hour: left out)."""
    today = datetime.fromisoformat(doc["generated"]).astimezone(UTC).date()
    return today - timedelta(days=days - 1), today


@pytest.mark.parametrize("platform", ["statuspage", "incidentio", "google", "betterstack"])
def test_the_first_run_shows_the_scopes_past_incidents_and_colours_its_days(
    server: FakeServer, tmp_path: Path, platform: str
) -> None:
    now = datetime.now(UTC)
    served = getattr(history_pages.serve_history(server, now, open_incident=True), platform)
    doc = history_json(catalog(tmp_path, [served.service]))
    first, today = window(doc)
    shown = doc["services"][0]
    days = {date.fromisoformat(d["day"]): d["level"] for d in shown["days"]}
    assert len(days) == 90 and min(days) == first
    want = history_pages.day_levels(served.facts, UTC, now)
    trouble = ("degraded", "partial_outage", "major_outage")
    coloured = {d: lv for d, lv in days.items() if lv in trouble and d < today}
    assert coloured == {d: lv.value for d, lv in want.items() if first <= d < today}
    start = datetime.combine(first, datetime.min.time(), UTC)
    facts = {f.id: f for f in served.facts if f.in_scope and (f.ended or now) >= start}
    incidents = {i["id"]: i for i in shown["incidents"]}
    assert incidents.keys() == facts.keys()
    for iid, fact in facts.items():
        inc = incidents[iid]
        assert inc["title"] == fact.title and inc["level"] == fact.scoped.value
        assert inc["source"] == PAGE and inc["timeline"]["page_said"] is not None
        assert abs(datetime.fromisoformat(inc["started"]) - fact.started) < timedelta(seconds=1)
        if fact.ended is None:
            assert inc["ended"] is None and inc["duration_s"] is None
    assert 0 < shown["uptime"] < 1 and shown["days_counted"] >= 88
    assert shown["backfilled"] is not None and shown["last_check"] is None


def test_a_part_outside_the_scope_never_colours_a_day(server: FakeServer, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    served = history_pages.serve_history(server, now).statuspage
    doc = history_json(catalog(tmp_path, [served.service]))
    first, today = window(doc)
    days = {date.fromisoformat(d["day"]): d["level"] for d in doc["services"][0]["days"]}
    mine = {d for f in served.facts if f.in_scope for d in f.days()}
    elsewhere = {d for f in served.facts if not f.in_scope for d in f.days()}
    quiet = {d for d in elsewhere - mine if first <= d < today}
    assert quiet, "the page must have days hurt only outside the scope"
    assert {days[d] for d in quiet} == {"operational"}
    outside = {f.id for f in served.facts if not f.in_scope}
    assert not outside & {i["id"] for i in doc["services"][0]["incidents"]}


def test_a_second_run_does_not_read_the_record_again(server: FakeServer, tmp_path: Path) -> None:
    served = history_pages.serve_history(server, datetime.now(UTC)).statuspage
    path = catalog(tmp_path, [served.service])
    first = history_json(path)
    second = history_json(path)
    assert server.hits["/sp/api/v2/incidents.json"] == 1
    assert server.hits["/sp/api/v2/summary.json"] == 1  # nothing due: the poll is skipped too
    assert second["services"][0]["incidents"] == first["services"][0]["incidents"]


def test_csv_has_one_row_per_service_and_day(server: FakeServer, tmp_path: Path) -> None:
    pages = history_pages.serve_history(server, datetime.now(UTC))
    path = catalog(tmp_path, [pages.statuspage.service, pages.google.service])
    done = run("--catalog", path, "--days", "30", "--csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert list(rows[0]) == ["service", "day", "level", "known_s", "up_s", "source"]
    assert [r["service"] for r in rows] == ["copilot"] * 30 + ["gemini-vertex"] * 30
    doc = history_json(path)  # the record is kept: the same days, as JSON
    levels = {(s["id"], d["day"]): d["level"] or "" for s in doc["services"] for d in s["days"]}
    assert all(levels[r["service"], r["day"]] == r["level"] for r in rows[:-1])
    assert {r["source"] for r in rows} == {"page"}
    assert all(0 <= int(r["up_s"]) <= int(r["known_s"]) <= 86400 for r in rows)


def test_text_shows_the_uptime_a_day_strip_and_the_incidents(
    server: FakeServer, tmp_path: Path
) -> None:
    served = history_pages.serve_history(server, datetime.now(UTC)).statuspage
    done = run("--catalog", catalog(tmp_path, [served.service]))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "GitHub Copilot (copilot)"
    assert "% uptime over" in lines[1]
    strip = lines[2].split()[1]
    assert len(strip) == 90 and set(strip) <= set(".mdpM?") and set(strip) & set("dpM")
    assert lines[3].strip().endswith("incidents:")
    scoped = [f for f in served.facts if f.in_scope]
    assert scoped[0].title in done.stdout and "[record]" in done.stdout
    assert lines[-1].startswith("Days, oldest first: . operational")


def test_an_unreadable_record_leaves_what_is_kept(server: FakeServer, tmp_path: Path) -> None:
    server.set("/x/api/v2/summary.json", payloads.summary())
    server.fault("/x/api/v2/incidents.json", "server_error")
    path = tmp_path / "catalog.toml"
    path.write_text(
        payloads.catalog([("lab", "Lab", server.url("/x"))])
        + '\n[[service]]\nid = "mj"\nname = "Midjourney"\nurl = "https://mj.example"\n'
        'platform = "link"\n'
    )
    doc = history_json(str(path))
    assert [s["id"] for s in doc["services"]] == ["lab", "mj"]
    for shown in doc["services"]:
        assert shown["uptime"] is None and shown["incidents"] == []
        assert {d["level"] for d in shown["days"]} == {None}
    assert server.hits["/x/api/v2/incidents.json"] == 1
    done = run("--catalog", str(path))  # failed within the hour: not asked again
    assert done.returncode == 0 and "Not enough data yet for the last 90 days" in done.stdout
    assert server.hits["/x/api/v2/incidents.json"] == 1


def test_without_ids_it_shows_the_watched_services(server: FakeServer, isolated_home: Path) -> None:
    served = history_pages.serve_history(server, datetime.now(UTC)).statuspage
    settings = isolated_home / "config" / "outage-radar" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text(
        "services = []\nfirst_run_done = true\n[[custom]]\n"
        f'id = "gh"\nname = "My GitHub"\nurl = "{served.service.url}"\nplatform = "statuspage"\n'
    )
    done = run("--json")
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)["services"]
    assert [s["id"] for s in shown] == ["gh"] and shown[0]["incidents"]
    assert run("gh", "--days", "7").returncode == 0  # your own page, named


@pytest.mark.parametrize(
    "args",
    [["nope"], ["--days", "0"], ["--days", "366"], ["--days", "x"], ["--json", "--csv"]],
)
def test_usage_errors_exit_2(server: FakeServer, tmp_path: Path, args: list[str]) -> None:
    path = catalog(
        tmp_path, [history_pages.serve_history(server, datetime.now(UTC)).google.service]
    )
    done = run("--catalog", path, *args)
    assert done.returncode == 2 and done.stdout == ""
    assert "nope" in done.stderr if args == ["nope"] else "usage:" in done.stderr
    assert not server.hits  # nothing is read before the arguments are known good


def test_a_full_disk_for_the_output_exits_74(server: FakeServer, tmp_path: Path) -> None:
    path = catalog(
        tmp_path, [history_pages.serve_history(server, datetime.now(UTC)).google.service]
    )
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "outage_radar", "history", "--catalog", path],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert done.returncode == 74 and "cannot write the output" in done.stderr


def test_network_text_is_printed_as_plain_text() -> None:
    started = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    said = started + timedelta(minutes=7)
    inc = IncidentView(
        "i1",
        "Errors\x1b[2J\x1b]0;pwned\x07 on\u202e the API\nsecond line",
        None,
        Level.MAJOR_OUTAGE,
        started,
        started + timedelta(hours=1, minutes=40),
        PAGE,
        Timeline(probe_failed=started, page_said=said, resolved=started + timedelta(hours=2)),
    )
    lines = incident_lines(inc)
    assert all(ch.isprintable() for line in lines for ch in line)
    assert "(1 h 40 min)  major outage  Errors[2J]0;pwned on the API second line" in lines[0]
    assert lines[1].endswith("your probe knew 7 min before the page")
