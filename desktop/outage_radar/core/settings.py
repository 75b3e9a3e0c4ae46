"""The user's settings: a TOML file written atomically; a broken one is moved aside, never fatal.

Values out of range are brought into it on load (and logged). A write re-reads the file first
and merges field by field: the fields this process changed since it last read or wrote the file
take its values, every other field keeps what the file says now, so a hand edit made while the
app runs survives the next mute or pause (keys this version does not know are kept too). The
comment lines at the top of the file are kept; tomli_w cannot keep the others. A file that cannot
be written (a read-only config dir) never stops the app: it runs with what it has.
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import paths
from .model import Level

if TYPE_CHECKING:
    from .catalog import Catalog, Service

DEFAULT_SERVICES = ("chatgpt", "openai-api")
NEUTRAL_HOSTS = ("www.wikipedia.org", "www.cloudflare.com", "www.google.com")
MIN_INTERVAL = 5.0
MAX_INTERVAL = 86400.0  # a day: an event-loop timer overflows far beyond (3e6 s stopped polling)
MAX_BYTES = 1 << 20

log = logging.getLogger(__name__)


@dataclass
class CustomPage:
    """A status page the user added by URL."""

    id: str
    name: str
    url: str
    # What detection found when the page was added, so it is not detected again at each start.
    platform: str = ""
    endpoint: str = ""


@dataclass
class Settings:
    services: list[str] = field(default_factory=lambda: list(DEFAULT_SERVICES))
    interval: float = 60.0
    min_level: str = Level.DEGRADED.value
    notify_recoveries: bool = True
    notify_maintenance: bool = False
    quiet_start: str = ""
    quiet_end: str = ""
    # service id -> ISO time the mute ends ("" = until unmuted)
    muted: dict[str, str] = field(default_factory=dict)
    # service id -> component names the user watches (absent = all)
    components: dict[str, list[str]] = field(default_factory=dict)
    # service id -> component names muted
    muted_components: dict[str, list[str]] = field(default_factory=dict)
    paused_until: str = ""
    recover_once: list[str] = field(default_factory=list)
    start_at_login: bool = False
    first_run_done: bool = False
    probe_interval: float = 300.0
    # "Is it just me?" checks DNS and an https reach to these (host names or URLs).
    neutral_hosts: list[str] = field(default_factory=lambda: list(NEUTRAL_HOSTS))
    custom: list[CustomPage] = field(default_factory=list)

    @property
    def min_level_value(self) -> Level:
        level = Level.parse(self.min_level)
        return level if level is not Level.UNKNOWN else Level.DEGRADED


def settings_path() -> Path:
    return paths.user_config_dir() / "settings.toml"


@dataclass
class LoadResult:
    settings: Settings
    created: bool = False
    moved_aside: Path | None = None
    problem: str = ""
    unsaved: str = ""  # why the settings could not be written (the app runs on without)


def load(path: Path | None = None) -> LoadResult:
    """Read settings; create defaults when missing; move a broken file aside and use defaults."""
    path = path or settings_path()
    if not path.exists():
        result = LoadResult(Settings(), created=True)
        result.unsaved = _first_save(result.settings, path)
        return result
    try:
        settings = from_dict(_read(path))
        # Read again later (a check, the doctor): the base stays what the running app has.
        _known.setdefault(path, asdict(settings))
        return LoadResult(settings)
    except (OSError, ValueError, TypeError, UnicodeDecodeError) as exc:
        aside = _move_aside(path)
        settings = Settings()
        unsaved = _first_save(settings, path)
        reason = exc.__class__.__name__ if isinstance(exc, OSError) else str(exc)[:200]
        return LoadResult(settings, moved_aside=aside, problem=reason, unsaved=unsaved)


def _first_save(settings: Settings, path: Path) -> str:
    """Write the defaults a start begins with; why not, when the file cannot be written."""
    try:
        save(settings, path)
    except OSError as exc:
        _known[path] = asdict(settings)
        log.warning("the settings cannot be saved to %s (%s); running with them unsaved", path, exc)
        return save_problem(exc)
    return ""


def save_problem(exc: OSError) -> str:
    """Why a write failed, in a few words (e.g. "Read-only file system")."""
    return exc.strerror or exc.__class__.__name__


def _read(path: Path) -> dict[str, Any]:
    if path.stat().st_size > MAX_BYTES:
        raise ValueError("file too large")
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _move_aside(path: Path) -> Path | None:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.broken-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.broken-{stamp}-{n}")
        n += 1
    try:
        path.replace(target)
    except OSError:
        return None
    return target


def from_dict(data: dict[str, Any]) -> Settings:
    """Build settings from parsed TOML, rejecting wrong types so a bad file is reported."""
    settings = Settings()
    known = {f.name for f in fields(Settings)}
    for key, value in data.items():
        if key not in known:
            continue
        if key == "custom":
            if not isinstance(value, list):
                raise TypeError("custom must be an array of tables")
            settings.custom = [_custom(item) for item in value]
            continue
        default = getattr(settings, key)
        if isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, float):
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            value = float(value) if ok else value
        else:
            ok = isinstance(value, type(default))
        if not ok:
            raise TypeError(f"{key} has the wrong type")
        setattr(settings, key, value)
    for key in ("interval", "probe_interval"):
        setattr(settings, key, _in_range(key, getattr(settings, key)))
    if not all(isinstance(s, str) for s in settings.services):
        raise TypeError("services must be a list of ids")
    _check_items(settings)
    return settings


def interval_in_range(seconds: float, default: float) -> float:
    """Seconds between MIN_INTERVAL and MAX_INTERVAL, wherever they come from; NaN is `default`."""
    return default if math.isnan(seconds) else min(max(seconds, MIN_INTERVAL), MAX_INTERVAL)


def _in_range(key: str, seconds: float) -> float:
    fixed = interval_in_range(seconds, _DEFAULTS[key])
    if fixed != seconds:
        log.warning("settings: %s = %r is out of range; using %g s", key, seconds, fixed)
    return fixed


def _check_items(settings: Settings) -> None:
    """The items inside tables and arrays: `components = {x = false}` must not load."""
    for key in ("recover_once", "neutral_hosts"):
        if not all(isinstance(item, str) for item in getattr(settings, key, [])):
            raise TypeError(f"{key} must be a list of strings")
    if not all(isinstance(end, str) for end in settings.muted.values()):
        raise TypeError("muted must map service ids to times")
    for key in ("components", "muted_components"):
        for names in getattr(settings, key).values():
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise TypeError(f"{key} must map service ids to lists of names")


def _custom(item: object) -> CustomPage:
    if not isinstance(item, dict):
        raise TypeError("custom entries must be tables")
    values = {k: item.get(k, "") for k in ("id", "name", "url", "platform", "endpoint")}
    if not all(isinstance(v, str) for v in values.values()) or not values["url"]:
        raise TypeError("custom entries need string id, name and url")
    return CustomPage(**values)


# What this process last wrote to each settings file, or first read from it: the base a write
# compares the settings with, to tell its own changes from hand edits made in the file meanwhile.
_known: dict[Path, dict[str, Any]] = {}
_DEFAULTS = {"interval": Settings.interval, "probe_interval": Settings.probe_interval}


def save(settings: Settings, path: Path | None = None) -> None:
    """Merge into the file as it is now (see the module's rule), then write it atomically.

    Raises OSError when the file cannot be written; the settings given are never changed."""
    path = path or settings_path()
    ours = asdict(settings)
    header, theirs = _current(path)
    merged = dict(theirs)  # the file's values, and keys this version does not know
    known = _known.get(path)
    for key, value in ours.items():
        if known is None or key not in known or value != known[key] or key not in theirs:
            merged[key] = value
    _write(path, header, merged)
    _known[path] = ours


def _current(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's leading comment lines and its table as it is now; nothing when unusable."""
    try:
        text = path.read_text(encoding="utf-8") if path.stat().st_size <= MAX_BYTES else ""
        data = tomllib.loads(text)
        from_dict(data)  # a table that would not load is not merged into
    except FileNotFoundError:
        return "", {}
    except (OSError, ValueError, TypeError, UnicodeDecodeError) as exc:
        # Broken by hand since it was read: kept aside, as a broken file at start would be.
        aside = _move_aside(path)
        log.warning("the settings file no longer reads (%s); kept as %s", exc, aside)
        return "", {}
    lines = []
    for line in text.splitlines(keepends=True):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        lines.append(line)
    return "".join(lines), data


def _write(path: Path, header: str, data: dict[str, Any]) -> None:
    """Write atomically: a crash mid-write leaves the old file or the new one, never half."""
    import tomli_w  # only on a save, which most runs never do

    path.parent.mkdir(parents=True, exist_ok=True)
    body = (header + tomli_w.dumps(data)).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def watched_services(settings: Settings, builtin: Catalog) -> list[Service]:
    """The services these settings watch: chosen catalog ids, then the user's own pages."""
    from . import catalog as catalog_mod

    chosen = [s for key in settings.services if (s := builtin.get(key)) is not None]
    for page in settings.custom:
        try:
            found = catalog_mod.service_from_url(
                page.url, name=page.name or None, platform=page.platform, endpoint=page.endpoint
            )
        except catalog_mod.CatalogError:
            continue  # a page that no longer validates is skipped, not fatal
        chosen.append(replace(found, id=page.id) if page.id else found)
    return chosen
