"""The command line as a real process against every fault, hostile text, and a recovery.

tests/cli/test_cli.py covers the slow drip (12 s deadline) and the first faults; here every other
fault, including refused, DNS, TLS and a flapping page, is checked in one run.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import payloads
from tests.fakeserver import FakeServer, refused_url, unresolvable_url
from tests.reliability.hostile import assert_safe, payload
from tests.reliability.test_faults_monitor import REASONS
from tests.reliability.tlsserver import TLSFakeServer

pytestmark = pytest.mark.timeout(120)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "outage_radar", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, COLUMNS="200"),
    )


def test_status_names_every_fault_and_still_reads_the_good_page(
    server: FakeServer, tls_server: TLSFakeServer
) -> None:
    urls = {}
    for fault in REASONS:
        if fault == "drip":
            continue
        path = f"/{fault}/api/v2/summary.json"
        urls[fault] = {
            "refused": refused_url,
            "dns": unresolvable_url,
            # The system trust store, as a user has it: a self-signed certificate fails.
            "tls": lambda: tls_server.set("/api/v2/summary.json", payloads.summary()),
        }.get(fault, lambda path=path, fault=fault: server.fault(path, fault))()
    flap = server.flap(
        "/flap/api/v2/summary.json", payloads.summary("major_outage"), payloads.summary()
    )
    good = server.set("/good/api/v2/summary.json", payloads.summary())
    started = time.monotonic()
    out = cli("status", "--json", *[a for u in [*urls.values(), good] for a in ("--url", u)])
    assert time.monotonic() - started < 20
    assert out.returncode == 3, out.stderr  # unknown, nothing worse: no fault reads as outage
    services = json.loads(out.stdout)["services"]
    for fault, found in zip(urls, services, strict=False):
        assert found["level"] == "unknown", fault
        assert found["error"].startswith(REASONS[fault]), (fault, found["error"])
    assert services[-1]["level"] == "operational"
    # One look at a flapping page shows what it says then; only the monitor confirms.
    first = json.loads(cli("status", "--json", "--url", flap).stdout)["services"][0]
    second = json.loads(cli("status", "--json", "--url", flap).stdout)["services"][0]
    assert {first["level"], second["level"]} == {"major_outage", "operational"}
    assert "Traceback" not in out.stderr


def test_status_table_of_a_hostile_page_is_clean(server: FakeServer) -> None:
    url = server.set("/h/api/v2/summary.json", payload())
    out = cli("status", "--url", url)
    assert out.returncode == 1, out.stderr
    for line in out.stdout.splitlines():
        assert_safe(line, 24 + 1 + 15 + 1 + 60)
    assert "<b>bold</b>" in out.stdout  # shown literally
    doc = json.loads(cli("status", "--json", "--url", url).stdout)
    assert doc["services"][0]["incidents"][0]["title"].startswith("markup <b>bold</b>")


@pytest.mark.timeout(90)
def test_watch_stays_quiet_through_faults_and_notices_the_recovery(
    server: FakeServer, tmp_path: Path
) -> None:
    faults = ["html", "server_error", "reset"]
    good_body = payloads.summary(name="A")
    good = server.set("/a/api/v2/summary.json", good_body)
    entries = [("a", "A", good)]
    for n in range(len(faults)):
        entries.append((f"f{n}", f"F{n}", server.set(f"/f{n}/api/v2/summary.json", good_body)))
    catalog = tmp_path / "c.toml"
    catalog.write_text(payloads.catalog(entries))
    proc = subprocess.Popen(
        [sys.executable, "-m", "outage_radar", "watch", "--json", "--catalog", str(catalog)]
        + ["--interval", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)  # the first poll: every page healthy (a first poll is never news)
        for n, fault in enumerate(faults):
            server.fault(f"/f{n}/api/v2/summary.json", fault)
        time.sleep(8)  # the faults are seen twice: each service is unknown by now
        assert proc.poll() is None
        assert proc.stdout is not None
        assert not select.select([proc.stdout], [], [], 0)[0]  # nothing said about faults
        for n in range(len(faults)):
            outage = payloads.summary("major_outage", name=f"F{n}", incident=f"F{n} down")
            server.set(f"/f{n}/api/v2/summary.json", outage)
        events: list[dict[str, str]] = []
        while len(events) < len(faults):  # one level change (and component lines) per page
            event = json.loads(proc.stdout.readline())
            if event["kind"] == "level":
                events.append(event)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    # Each page's real outage, once, after the faults.
    assert sorted(e["service"] for e in events) == ["f0", "f1", "f2"]
    assert all(e["to"] == "major_outage" and e["from"] == "operational" for e in events)
    assert proc.returncode == 0 and "Traceback" not in err
    assert not [line for line in out.splitlines() if '"a"' in line]
