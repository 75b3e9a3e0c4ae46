"""Property tests on the loaders: settings (dict and file), the catalog file, and Retry-After.

A settings file is hand-editable, so whatever it holds either loads into settings that every
later use accepts (mutes, quiet hours, alerts, menus' component filters, save and reload) or is
moved aside. Quick in CI; the long run takes OUTAGE_RADAR_FUZZ_EXAMPLES=10000 (docs/reliability.md).
"""

from __future__ import annotations

import os
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outage_radar.core import alerts, mutes
from outage_radar.core import settings as store
from outage_radar.core.catalog import CatalogError, Service, load_file
from outage_radar.core.fetch import MAX_RETRY_AFTER, retry_after
from outage_radar.core.model import Change, ChangeKind, Level

settings.register_profile(
    "outage-radar-loaders",
    max_examples=int(os.environ.get("OUTAGE_RADAR_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FUZZ = settings.get_profile("outage-radar-loaders")
NOW = datetime(2026, 10, 25, 2, 30, tzinfo=UTC)

FIELDS = [f.name for f in store.fields(store.Settings)]
toml_scalars = (
    st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["", "22:00", "07:00", "25:99", "2026-10-25T03:00:00+01:00", "chatgpt"])
    | st.datetimes()
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
settings_dicts = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), toml_values)


def use(loaded: store.Settings) -> None:
    """Everything the app does with settings, none of which may raise."""
    for key in ["chatgpt", *loaded.muted, *loaded.components, *loaded.muted_components]:
        mutes.is_muted(loaded, key, NOW)
        mutes.component_watched(loaded, key, "API")
    mutes.in_quiet_hours(loaded, NOW)
    mutes.paused_until(loaded, NOW)
    mutes.prune(loaded, NOW)
    change = Change("chatgpt", "ChatGPT", ChangeKind.LEVEL, Level.OPERATIONAL, Level.DEGRADED, NOW)
    service = Service("chatgpt", "ChatGPT", "https://s.example", "statuspage", ("https://s/x",))
    alerts.decide([change], loaded, NOW, {}, {"chatgpt": service})
    assert store.from_dict(tomllib.loads(tomli_w.dumps(store.asdict(loaded)))) == loaded


@FUZZ
@given(settings_dicts)
def test_settings_from_any_table_load_usably_or_are_refused(data: dict[str, Any]) -> None:
    try:
        loaded = store.from_dict(data)
    except (TypeError, ValueError):
        return
    use(loaded)


@FUZZ
@given(st.binary(max_size=2000) | settings_dicts.map(lambda d: tomli_w.dumps(d).encode()))
def test_settings_file_of_any_bytes_never_stops_the_app(tmp_path: Path, body: bytes) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(body)
    result = store.load(path)  # must not raise
    use(result.settings)
    assert (result.moved_aside is None) == (result.problem == "")
    assert store.load(path).moved_aside is None  # what is left behind loads cleanly
    for aside in tmp_path.glob("settings.toml.broken-*"):
        aside.unlink()


catalog_text = st.text(max_size=1500) | st.lists(
    st.sampled_from(
        [
            "[[service]]\n",
            'id = "a"\n',
            'name = "A"\n',
            'url = "https://status.a.example"\n',
            'url = "file:///etc/passwd"\n',
            'platform = "statuspage"\n',
            'platform = "nope"\n',
            "components = [1, 2]\n",
            'alternatives = ["zz"]\n',
            "[service.links]\n",
            'status = "javascript:x"\n',
            "[service.probe]\n",
            'key = "openai"\n',
            "x = [[[\n",
        ]
    ),
    max_size=30,
).map("".join)


@FUZZ
@given(catalog_text)
def test_catalog_file_only_raises_catalog_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        catalog = load_file(path)
    except CatalogError:
        return
    for service in catalog:
        assert service.url.startswith(("https://", "http://"))


@FUZZ
@given(st.text(max_size=40) | st.from_regex(r"\s*[0-9\u00b2\u0660-\u0669]{0,12}\s*"))
def test_retry_after_of_any_header_is_a_bounded_wait(value: str) -> None:
    wait = retry_after(value)
    assert wait is None or 0 <= wait <= MAX_RETRY_AFTER
