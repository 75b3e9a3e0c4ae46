"""status.openai.com's real structure on loopback, read through the built-in catalog entries.

The entries (ChatGPT, the OpenAI API, Codex) are copied from resources/catalog.toml with only
their URL pointed at the fake server, so a catalog that names a part the real page does not
have (the old `API` for the `APIs` group) fails here, in `status --json` and in the tray menu.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from outage_radar.core import catalog as catalog_mod
from outage_radar.core import sources
from outage_radar.core.catalog import Service
from outage_radar.core.check import check_all
from outage_radar.core.scope import Found, find
from outage_radar.core.state import ServiceState
from tests import openai_page
from tests.fakeserver import FakeServer

BUILTIN = ("chatgpt", "openai-api", "codex")


def builtin(sid: str) -> Service:
    found = catalog_mod.load_builtin().get(sid)
    assert found is not None, f"{sid} left the built-in catalog"
    return found


def serve(server: FakeServer, groups: dict[str, tuple[str, ...]] = openai_page.GROUPS) -> None:
    """The page at the server's root, where the incident.io endpoints of its URL point."""
    host = server.base.split("//", 1)[1]
    server.set(f"/proxy/{host}", openai_page.proxy(groups, host=host))
    server.set("/api/v2/summary.json", openai_page.compat(groups))


def write_catalog(path: Path, server: FakeServer, ids: tuple[str, ...] = BUILTIN) -> Path:
    """The built-in entries with their URL on loopback and everything the reading uses kept."""
    entries = []
    for sid in ids:
        s = builtin(sid)
        entries.append(
            {
                "id": s.id,
                "name": s.name,
                "category": s.category,
                "platform": s.platform,
                "url": server.base,
                "components": list(s.components),
            }
        )
    path.write_text(tomli_w.dumps({"service": entries}))
    return path


def status_json(catalog: Path) -> tuple[int, dict[str, Any]]:
    proc = subprocess.run(
        [sys.executable, "-m", "outage_radar", "status", "--json", "--catalog", str(catalog)],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
    )
    assert proc.stdout, proc.stderr
    return proc.returncode, {s["id"]: s for s in json.loads(proc.stdout)["services"]}


def test_builtin_entries_name_parts_the_real_page_has() -> None:
    page = sources.parse("incidentio", [openai_page.proxy()])
    assert {c.group for c in page.components} == set(openai_page.GROUPS)
    for sid in BUILTIN:
        service = builtin(sid)
        assert service.platform == "incidentio" and service.url == "https://status.openai.com"
        for name in service.components:
            # As written, not through the loose rule: `catalog check` calls that drift.
            assert find(page.components, name)[0] is Found.EXACT, (sid, name)


def test_status_json_reads_chatgpt_api_and_codex(server: FakeServer, tmp_path: Path) -> None:
    serve(server)
    code, services = status_json(write_catalog(tmp_path / "openai.toml", server))
    assert code == 1  # the API is degraded
    chatgpt, api, codex = (services[sid] for sid in BUILTIN)
    assert (chatgpt["level"], api["level"], codex["level"]) == (
        "operational",
        "degraded",
        "operational",
    )
    for sid in BUILTIN:
        assert services[sid]["note"] is None and services[sid]["error"] is None, sid
    for sid, group in (("chatgpt", "ChatGPT"), ("openai-api", "APIs"), ("codex", "Codex")):
        comps = services[sid]["components"]
        assert [c["name"] for c in comps] == list(openai_page.GROUPS[group]), sid
        # The catalog's names are the page's group names, spelled as the page spells them.
        assert {c["group"] for c in comps} == set(builtin(sid).components) == {group}, sid
    assert chatgpt["incidents"] == [] and codex["incidents"] == []
    (incident,) = api["incidents"]
    assert incident["title"] == openai_page.INCIDENT
    assert incident["latest_update"] == openai_page.UPDATE
    assert incident["stage"] == "investigating"
    degraded = [c["name"] for c in api["components"] if c["level"] != "operational"]
    assert degraded == ["Responses"]


def read(server: FakeServer, catalog: Path) -> dict[str, ServiceState]:
    services = list(catalog_mod.load_file(catalog))
    now = datetime.now().astimezone()
    return {s.id: ServiceState(s, snap, None, now) for s, snap in asyncio.run(check_all(services))}


@pytest.mark.usefixtures("qtbot")
def test_tray_menu_shows_the_same(server: FakeServer, tmp_path: Path) -> None:
    from outage_radar.core.settings import Settings
    from outage_radar.ui.tray import Tray
    from tests.ui.helpers import submenu, texts

    serve(server)
    states = read(server, write_catalog(tmp_path / "openai.toml", server))
    tray = Tray({k: s.service for k, s in states.items()})
    tray.render(states, Settings(), datetime.now().astimezone())
    rows = texts(tray.menu)
    for row in ("ChatGPT — operational", "OpenAI API — degraded", "Codex — operational"):
        assert row in rows, rows
    api = texts(submenu(tray.menu, "OpenAI API"))
    assert "Responses — degraded" in api and "Chat Completions — operational" in api
    assert any(t.startswith(openai_page.INCIDENT) for t in api), api
    assert not any(t.startswith(openai_page.INCIDENT) for t in texts(submenu(tray.menu, "ChatGPT")))
    tray.close()


@pytest.mark.usefixtures("qtbot")
def test_tray_menu_shows_the_note_when_a_group_is_renamed(
    server: FakeServer, tmp_path: Path
) -> None:
    from outage_radar.core.settings import Settings
    from outage_radar.ui.tray import Tray
    from tests.ui.helpers import submenu, texts

    serve(server, openai_page.renamed("Codex", "Codex Platform"))
    states = read(server, write_catalog(tmp_path / "codex.toml", server, ("codex",)))
    tray = Tray({k: s.service for k, s in states.items()})
    tray.render(states, Settings(), datetime.now().astimezone())
    assert "Codex — degraded" in texts(tray.menu)  # the whole page's level, not unknown
    first = texts(submenu(tray.menu, "Codex"))[0]
    assert first == "127.0.0.1 no longer lists 'Codex': showing the whole page"
    tray.close()
