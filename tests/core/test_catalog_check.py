"""Catalog drift on loopback: a renamed group, a page on another platform, 404, HTML, a clean one.

The renamed group is the failure PROVIDERS.md found in the wild (OpenAI's `API`): the service
must show the page's level with a note, never a silent unknown, and `catalog check` must exit 1
naming the entry and the part.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomli_w

from outage_radar.core.catalog import Service
from outage_radar.core.catalog_check import DRIFT, LINK_ONLY, OK, EntryReport, check_catalog
from outage_radar.core.check import check_all
from outage_radar.core.model import Level
from tests import builders, openai_page, payloads
from tests.fakeserver import FakeServer

RENAMED = openai_page.renamed("APIs", "API Platform")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "outage_radar", *args],
        capture_output=True,
        text=True,
        timeout=90,
        env=os.environ.copy(),
    )


def entry(sid: str, url: str, platform: str, *components: str) -> dict[str, object]:
    return {
        "id": sid,
        "name": sid.title(),
        "url": url,
        "platform": platform,
        "components": list(components),
    }


def write(path: Path, *entries: dict[str, object]) -> Path:
    path.write_text(tomli_w.dumps({"service": list(entries)}))
    return path


def serve_openai(server: FakeServer, prefix: str, groups: dict[str, tuple[str, ...]]) -> str:
    """An OpenAI-shaped incident.io page under `prefix`; returns its URL (the catalog's `url`)."""
    host = server.base.split("//", 1)[1]
    server.set(f"/proxy/{host}{prefix}", openai_page.proxy(groups, host=host))
    server.set(f"{prefix}/api/v2/summary.json", openai_page.compat(groups))
    return server.url(prefix)


def service(sid: str, url: str, platform: str, *components: str) -> Service:
    from outage_radar.core import sources

    endpoints = sources.endpoints(platform, url) if platform != "link" else ()
    return builders.service(
        sid,
        sid,
        url=url,
        platform=platform,
        endpoints=endpoints,
        category="api",
        components=components,
        user=True,
        status_link=False,
    )


@pytest.fixture
def gone_log() -> Iterator[list[logging.LogRecord]]:
    """Warnings of core.check, caught on its own logger (the CLI's setup stops propagation)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("outage_radar.core.check")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def test_renamed_group_shows_the_page_level_with_a_note_and_logs_once(
    server: FakeServer, gone_log: list[logging.LogRecord]
) -> None:
    url = serve_openai(server, "/renamed-core", RENAMED)
    api = service("api-renamed-core", url, "incidentio", "APIs")

    async def twice() -> list[Level]:
        first = await check_all([api])
        second = await check_all([api])
        return [snap.level for _, snap in first + second]

    assert asyncio.run(twice()) == [Level.DEGRADED, Level.DEGRADED]  # the page's level
    ((_, snap),) = asyncio.run(check_all([api]))
    assert snap.note == "127.0.0.1 no longer lists 'APIs': showing the whole page"
    assert snap.error is None and {c.group for c in snap.components} == set(RENAMED)
    said = [r.getMessage() for r in gone_log]
    assert said == ["api-renamed-core: 127.0.0.1 no longer lists 'APIs'"]  # once, not per poll


def test_renamed_group_status_json_and_catalog_check(server: FakeServer, tmp_path: Path) -> None:
    url = serve_openai(server, "/renamed", RENAMED)
    catalog = write(
        tmp_path / "c.toml",
        entry("openai-api", url, "incidentio", "APIs"),
        entry("chatgpt", url, "incidentio", "ChatGPT"),
    )
    out = cli("status", "--json", "--catalog", str(catalog))
    api, chatgpt = json.loads(out.stdout)["services"]
    assert api["level"] == "degraded" and api["error"] is None
    assert api["note"] == "127.0.0.1 no longer lists 'APIs': showing the whole page"
    assert chatgpt["level"] == "operational" and chatgpt["note"] is None
    assert "no longer lists 'APIs'" in out.stderr  # the log's warning, on the command line
    text = cli("status", "--catalog", str(catalog)).stdout
    assert "no longer lists 'APIs': showing the whole page" in text

    check = cli("catalog", "check", "--catalog", str(catalog))
    assert check.returncode == 1, check.stderr
    lines = check.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("openai-api") and "drift" in lines[0]
    assert "missing part 'APIs'" in lines[0]
    assert lines[1].startswith("chatgpt") and " ok " in lines[1]
    doc = json.loads(cli("catalog", "check", "--json", "--catalog", str(catalog)).stdout)
    assert [(r["id"], r["state"], r["missing"]) for r in doc] == [
        ("openai-api", "drift", ["APIs"]),
        ("chatgpt", "ok", []),
    ]
    assert doc[0]["platform"] == doc[0]["platform_seen"] == "incidentio"
    assert doc[0]["level"] == "degraded" and doc[0]["problems"] == ["missing part 'APIs'"]


def test_moved_platform_404_and_html_are_drift(server: FakeServer, tmp_path: Path) -> None:
    # Perplexity's case: an Instatus entry whose page now answers incident.io's JSON.
    moved = server.set("/moved/summary.json", openai_page.compat())
    missing = server.url("/gone")
    html = server.fault("/html/api/v2/summary.json", "html")
    catalog = write(
        tmp_path / "c.toml",
        entry("moved", moved, "instatus"),
        entry("gone", missing, "statuspage"),
        entry("html", html, "statuspage"),
    )
    out = cli("catalog", "check", "--json", "--catalog", str(catalog))
    assert out.returncode == 1, out.stderr
    reports = {r["id"]: r for r in json.loads(out.stdout)}
    assert all(r["state"] == "drift" for r in reports.values())
    assert reports["moved"]["platform_seen"] == "incidentio"
    assert (
        "platform changed: expected instatus, page looks like incidentio"
        in (reports["moved"]["problems"])
    )
    assert reports["gone"]["problems"] == ["page does not answer: not found (HTTP 404)"]
    assert reports["gone"]["endpoint"] == missing + "/api/v2/summary.json"
    assert reports["html"]["problems"] == [
        "platform not recognised (expected statuspage)",
        "reader gets nothing: not a status page (HTML)",
    ]
    text = cli("catalog", "check", "--catalog", str(catalog))
    assert text.returncode == 1 and len(text.stdout.splitlines()) == 3
    assert "3 of 3 entries drifted" in text.stderr


def test_clean_catalog_exits_0(server: FakeServer, tmp_path: Path) -> None:
    page = server.set("/ok/api/v2/summary.json", payloads.summary(components=("API", "Web")))
    url = serve_openai(server, "/openai", openai_page.GROUPS)
    catalog = write(
        tmp_path / "c.toml",
        entry("example", page, "statuspage", "API"),
        entry("openai-api", url, "incidentio", "APIs"),
        entry("codex", url, "incidentio", "Codex"),
    )
    out = cli("catalog", "check", "--catalog", str(catalog))
    assert out.returncode == 0, out.stdout + out.stderr
    assert [line.split()[:2] for line in out.stdout.splitlines()] == [
        ["example", "ok"],
        ["openai-api", "ok"],
        ["codex", "ok"],
    ]
    assert "incidentio, degraded" in out.stdout.splitlines()[1]


def test_loose_match_is_renamed_drift_and_link_only_is_skipped(server: FakeServer) -> None:
    url = serve_openai(server, "/loose", openai_page.GROUPS)
    entries = [
        service("api", url, "incidentio", "API"),  # the old built-in name: the group is `APIs`
        service("chat", url, "incidentio", "ChatGPT", "Chat completions"),
        service("aistudio", "https://aistudio.google.com/status", "link"),
    ]
    api, chat, link = asyncio.run(check_catalog(entries))
    assert api.state == DRIFT and api.renamed == (("API", "APIs"),) and api.missing == ()
    assert api.problems == ("renamed? 'API' is now 'APIs'",)
    assert chat.renamed == (("Chat completions", "Chat Completions"),)
    assert link == EntryReport("aistudio", "aistudio", LINK_ONLY, "link")
    assert not link.drift
    # Entries on one page share one fetch of each endpoint.
    host = server.base.split("//", 1)[1]
    assert server.hits[f"/proxy/{host}/loose"] == 1
    assert server.hits["/loose/api/v2/summary.json"] == 1


def test_a_page_failing_on_the_network_is_tried_once_more(
    server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from outage_radar.core import catalog_check

    monkeypatch.setattr(catalog_check, "RETRY_PAUSE", 0.0)
    down = server.fault("/down/api/v2/summary.json", "server_error")
    (report,) = asyncio.run(check_catalog([service("down", down, "statuspage")]))
    assert report.problems == ("page does not answer: server error (HTTP 500)",)
    assert server.hits["/down/api/v2/summary.json"] == 2
    ok = server.set("/fine/api/v2/summary.json", payloads.summary())
    (fine,) = asyncio.run(check_catalog([service("fine", ok, "statuspage")]))
    assert fine.state == OK and fine.level is Level.OPERATIONAL
    assert server.hits["/fine/api/v2/summary.json"] == 1


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "c.toml"
    broken.write_text("[[service]]\nid = 'x'\n")
    assert cli("catalog", "check", "--catalog", str(broken)).returncode == 2
    assert cli("catalog").returncode == 2
    assert cli("catalog", "nope").returncode == 2
