"""A page added in Settings is detected once: the next start reads it without detecting again."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from outage_radar.app import make_preview
from outage_radar.core import settings as settings_store
from outage_radar.core.catalog import load_builtin
from outage_radar.core.fetch import Fetcher
from outage_radar.core.model import Level
from outage_radar.core.monitor import Monitor
from outage_radar.core.settings import Settings
from outage_radar.ui.settings_window import SettingsWindow
from tests.fakeserver import FakeServer

from .helpers import CATALOG


async def test_a_page_added_in_settings_is_not_detected_again_at_the_next_start(
    qtbot: QtBot, tmp_path: Path, server: FakeServer
) -> None:
    server.set("/feed.rss", _rss(), content_type="application/rss+xml")
    fetcher = Fetcher(deadline=3.0)
    path = tmp_path / "settings.toml"
    window = SettingsWindow(
        Settings(services=[]),
        list(CATALOG.values()),
        preview=make_preview(fetcher),
        path=path,
        set_autostart=print,
    )
    qtbot.addWidget(window)
    window.pages.url.setText(server.base + "/")
    await window.pages.on_check()
    assert window.pages.add.isEnabled(), window.pages.result.text()
    window.pages.add.click()
    settings_store.save(window.result_settings(), path)
    await fetcher.aclose()
    detection = sum(server.hits.values())
    assert detection >= 2  # the bare URL was tried against several platforms' paths

    # The next start: the saved page goes straight to the feed it was found at.
    saved = settings_store.load(path).settings
    services = settings_store.watched_services(saved, load_builtin())
    assert [(s.platform, s.endpoints) for s in services] == [("feed", (server.url("/feed.rss"),))]
    server.hits.clear()
    monitor = Monitor(services, fetcher=Fetcher(deadline=3.0))
    try:
        await monitor.poll_due()
    finally:
        await monitor.stop()
    assert server.hits == {"/feed.rss": 1}
    assert monitor.states[services[0].id].level is Level.OPERATIONAL


def _rss() -> bytes:
    return (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Acme status</title>'
        b"<link>https://status.acme.example</link><description>x</description>"
        b"</channel></rss>"
    )
