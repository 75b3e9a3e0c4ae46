"""`status --json` reads every platform right, the platform guessed from the URL's shape."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from tests.fakeserver import FakeServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"

# (path served, fixture, expected level, an incident title that must be shown)
PAGES = [
    (
        "/sp/api/v2/summary.json",
        "statuspage_summary_outage.json",
        "major_outage",
        "API is down for everyone",
    ),
    (
        "/proxy/status.example.com",
        "incidentio_proxy.json",
        "partial_outage",
        "Elevated errors in ChatGPT",
    ),
    ("/is/summary.json", "instatus_summary.json", "partial_outage", "Embeddings API errors"),
    ("/bs/index.json", "betterstack_index.json", "degraded", "Slow LFS uploads"),
    (
        "/g/incidents.json",
        "google_incidents.json",
        "major_outage",
        "Vertex Gemini API elevated err",
    ),
]


def recent_feed() -> bytes:
    """An RSS feed whose open incident is an hour old (feeds only count recent entries)."""
    now = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Acme status</title>
<item><title>Major outage of the chat API</title><link>https://status.acme.example/i/1</link>
<pubDate>{now}</pubDate><description>Investigating - errors for all users.</description></item>
</channel></rss>""".encode()


def test_status_json_reads_every_platform(server: FakeServer, tmp_path: Path) -> None:
    urls = [server.set(path, (FIXTURES / name).read_bytes()) for path, name, *_ in PAGES]
    urls.append(server.set("/f/feed.rss", recent_feed(), content_type="application/rss+xml"))
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(
        "".join(
            f'[[service]]\nid = "s{i}"\nname = "Service {i}"\nurl = "{url}"\n\n'
            for i, url in enumerate(urls)
        )
    )  # no platform given: each is guessed from its URL
    out = subprocess.run(
        [sys.executable, "-m", "outage_radar", "status", "--json", "--catalog", str(catalog)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1, out.stderr
    services = json.loads(out.stdout)["services"]
    for (_, name, level, title), got in zip(PAGES, services, strict=False):
        assert got["error"] is None, (name, got["error"])
        assert got["level"] == level, name
        assert any(i["title"].startswith(title) for i in got["incidents"]), name
    feed = services[-1]
    assert feed["level"] != "operational" and feed["error"] is None
    assert feed["incidents"][0]["title"] == "Major outage of the chat API"


def test_status_url_reads_pasted_list_and_component_endpoints(server: FakeServer) -> None:
    """`status --url` on a Statuspage incident or maintenance list, or Instatus components."""
    maint = json.loads((FIXTURES / "statuspage_scheduled_maintenances.json").read_bytes())
    active = {"page": maint["page"], "scheduled_maintenances": maint["scheduled_maintenances"][:1]}
    empty = {"page": maint["page"], "incidents": []}
    pages = [
        ("/a/api/v2/incidents.json", (FIXTURES / "statuspage_incidents.json").read_bytes()),
        ("/a/api/v2/incidents/unresolved.json", json.dumps(empty).encode()),
        ("/a/api/v2/scheduled-maintenances/active.json", json.dumps(active).encode()),
        ("/i/v2/components.json", (FIXTURES / "instatus_v3_components.json").read_bytes()),
    ]
    urls = [server.set(path, body) for path, body in pages]
    args = [a for url in urls for a in ("--url", url)]
    out = subprocess.run(
        [sys.executable, "-m", "outage_radar", "status", "--json", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1, out.stderr
    services = json.loads(out.stdout)["services"]
    assert [(s["error"], s["level"]) for s in services] == [
        (None, "partial_outage"),
        (None, "operational"),
        (None, "maintenance"),
        (None, "partial_outage"),
    ]
    assert [i["title"] for i in services[0]["incidents"]] == [
        "Chat API requests failing",
        "Console pages slow to load",
    ]
    assert [c["name"] for c in services[3]["components"]] == ["Embeddings", "Chat", "Dashboard"]
