"""Settings against odd values and storage: huge intervals, hand edits mid-run, read-only dirs."""

from __future__ import annotations

import errno
import logging
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest

from outage_radar.core import settings as store
from outage_radar.core.settings import Settings

DAY = 86400.0


@pytest.mark.parametrize(
    ("written", "interval", "probe"),
    [
        ("3e6", DAY, DAY),  # overflowed qasync's timer after the first poll: polling stopped
        ("inf", DAY, DAY),
        ("1e308", DAY, DAY),
        ("-60", 5.0, 5.0),
        ("0", 5.0, 5.0),
        ("-inf", 5.0, 5.0),
        ("nan", 60.0, 300.0),  # no number at all: the default
    ],
)
def test_intervals_out_of_range_are_brought_into_it_on_load(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, written: str, interval: float, probe: float
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(f"interval = {written}\nprobe_interval = {written}\n")
    with caplog.at_level(logging.WARNING, "outage_radar.core.settings"):
        loaded = store.load(path)
    assert loaded.moved_aside is None
    assert (loaded.settings.interval, loaded.settings.probe_interval) == (interval, probe)
    assert "interval" in caplog.text and "out of range" in caplog.text


def test_intervals_in_range_are_kept_as_written(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("interval = 5\nprobe_interval = 86400\n")
    loaded = store.load(path).settings
    assert (loaded.interval, loaded.probe_interval) == (5.0, DAY)
    assert not math.isnan(loaded.interval)


def edit(path: Path, old: str, new: str) -> None:
    """The user's editor, while the app runs."""
    text = path.read_text()
    assert old in text, text
    path.write_text(text.replace(old, new))


def test_a_hand_edit_made_while_the_app_runs_survives_the_next_mute(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    store.save(Settings(), path)
    running = store.load(path).settings  # the app starts
    edit(path, "notify_maintenance = false", "notify_maintenance = true")
    edit(path, 'min_level = "degraded"', 'min_level = "major_outage"')
    running.muted = {"chatgpt": ""}  # then the user mutes ChatGPT from the menu
    store.save(running, path)
    after = store.load(path).settings
    assert after.muted == {"chatgpt": ""}  # the app's change
    assert after.notify_maintenance is True and after.min_level == "major_outage"  # the edit
    running.paused_until = "2030-01-01T00:00:00+00:00"  # a second write keeps it too
    store.save(running, path)
    assert store.load(path).settings.notify_maintenance is True


def test_a_conflicting_write_is_merged_field_by_field(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    store.save(Settings(), path)
    running = store.load(path).settings
    edit(path, "interval = 60.0", "interval = 600.0")
    edit(path, "probe_interval = 300.0", "probe_interval = 900.0")
    running.interval = 120.0  # the app changes the interval too: its change wins for it
    store.save(running, path)
    after = store.load(path).settings
    assert (after.interval, after.probe_interval) == (120.0, 900.0)


def test_keys_this_version_does_not_know_and_the_leading_comments_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    store.save(Settings(), path)
    running = store.load(path).settings
    path.write_text("# my settings\n# keep this\nfuture_option = 3\n" + path.read_text())
    running.recover_once = ["claude"]
    store.save(running, path)
    text = path.read_text()
    assert text.startswith("# my settings\n# keep this\n")
    assert "future_option = 3" in text and store.load(path).settings.recover_once == ["claude"]


def test_a_file_broken_by_hand_during_the_run_is_kept_aside_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    store.save(Settings(), path)
    running = store.load(path).settings
    path.write_text("services = [[[ broken")
    running.muted = {"chatgpt": ""}
    store.save(running, path)
    assert store.load(path).settings.muted == {"chatgpt": ""}
    (aside,) = tmp_path.glob("settings.toml.broken-*")
    assert aside.read_text() == "services = [[[ broken"


def read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only file system under the config dir (root writes through a chmod)."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.setattr(Path, "mkdir", refuse)


def test_a_read_only_config_dir_starts_with_defaults_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_only(monkeypatch)
    loaded = store.load(tmp_path / "outage-radar" / "settings.toml")  # must not raise
    assert loaded.settings == Settings() and loaded.unsaved == "Read-only file system"
    assert loaded.moved_aside is None and loaded.problem == ""


def test_a_read_only_config_dir_keeps_what_it_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('services = ["claude"]\ninterval = 3e6\n')
    read_only(monkeypatch)
    loaded = store.load(path)
    assert loaded.settings.services == ["claude"] and loaded.settings.interval == DAY
    with pytest.raises(OSError, match="Read-only"):  # a later write says so to its caller
        store.save(loaded.settings, path)


def test_a_config_dir_that_is_a_file_starts_with_defaults(tmp_path: Path) -> None:
    (tmp_path / "config").write_text("not a directory")
    loaded = store.load(tmp_path / "config" / "outage-radar" / "settings.toml")
    assert loaded.settings == Settings() and loaded.unsaved


async def test_a_huge_interval_from_anywhere_is_brought_into_range() -> None:
    # The command line's --interval reaches the monitor without the settings file.
    from outage_radar.core.monitor import Monitor
    from outage_radar.core.probe_runner import ProbeRunner

    monitor = Monitor([], interval=3e6)
    probes = ProbeRunner([], lambda key: None, interval=math.inf)
    try:
        assert (monitor.interval, probes.interval) == (DAY, DAY)
        monitor.set_interval(math.nan)
        probes.set_interval(-1.0)
        assert (monitor.interval, probes.interval) == (DAY, 5.0)
    finally:
        await monitor.stop()
