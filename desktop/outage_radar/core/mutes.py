"""Silencing rules kept in the settings: mutes, pause, quiet hours and the recovery one-shot.

"Until tomorrow" means until the next morning at 07:00 local time. Clicked after midnight but
before 04:00, the user has not slept yet, so it ends at 07:00 the same day; later it ends at
07:00 the next day. Every function takes `now` (the current local time, preferably aware) so the
rules are tested without a clock; they edit the settings in place and the caller saves them.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone

from .model import Level, Snapshot, worst
from .settings import Settings

TOMORROW_AT = time(7, 0)
NIGHT_ENDS = time(4, 0)
UNTIL_TOMORROW = -1.0  # the hours value of "until tomorrow" in the pause and mute intents


def until_tomorrow(now: datetime) -> datetime:
    """The next morning at TOMORROW_AT (see the module docstring for the small hours)."""
    day = now.date() if now.time() < NIGHT_ENDS else now.date() + timedelta(days=1)
    end = datetime.combine(day, TOMORROW_AT, tzinfo=now.tzinfo)
    if isinstance(now.tzinfo, timezone) and now.utcoffset() == now.astimezone().utcoffset():
        # The app's `now` is local time with today's fixed offset; across a DST change that
        # offset is wrong for tomorrow morning, so ask the system zone for 07:00 on that day.
        local = datetime.combine(day, TOMORROW_AT).astimezone()
        if local.utcoffset() != end.utcoffset():
            return local
    return end


def _later(now: datetime, hours: float) -> datetime:
    """`hours` of real time after `now` (aware arithmetic in a zone is wall-clock arithmetic)."""
    if now.tzinfo is None:
        return now + timedelta(hours=hours)
    return (now.astimezone(UTC) + timedelta(hours=hours)).astimezone(now.tzinfo)


def _read(raw: str, now: datetime) -> datetime | None:
    try:
        when = datetime.fromisoformat(raw)
    except ValueError:
        return None
    # Settings may be edited by hand: compare naive and aware times in `now`'s zone.
    if when.tzinfo is None and now.tzinfo is not None:
        when = when.replace(tzinfo=now.tzinfo)
    elif when.tzinfo is not None and now.tzinfo is None:
        when = when.astimezone().replace(tzinfo=None)
    return when


# -- per-service mute --------------------------------------------------------------------------
def mute_for(settings: Settings, service: str, hours: float, now: datetime) -> datetime:
    end = _later(now, hours)
    settings.muted[service] = end.isoformat(timespec="seconds")
    return end


def mute_until_tomorrow(settings: Settings, service: str, now: datetime) -> datetime:
    end = until_tomorrow(now)
    settings.muted[service] = end.isoformat(timespec="seconds")
    return end


def unmute(settings: Settings, service: str) -> None:
    settings.muted.pop(service, None)


def muted_until(settings: Settings, service: str, now: datetime) -> datetime | None | bool:
    """False when not muted (or the mute has ended), None when muted for good, else its end."""
    if service not in settings.muted:
        return False
    raw = settings.muted[service]
    if not raw:
        return None
    end = _read(raw, now)
    return end if end is not None and end > now else False


def is_muted(settings: Settings, service: str, now: datetime) -> bool:
    return muted_until(settings, service, now) is not False


# -- components --------------------------------------------------------------------------------
def component_muted(settings: Settings, service: str, component: str) -> bool:
    return component in settings.muted_components.get(service, [])


def set_component_muted(settings: Settings, service: str, component: str, on: bool) -> None:
    names = [n for n in settings.muted_components.get(service, []) if n != component]
    if on:
        names.append(component)
    if names:
        settings.muted_components[service] = names
    else:
        settings.muted_components.pop(service, None)


def component_watched(settings: Settings, service: str, component: str) -> bool:
    """Watched unless the user picked other components, or muted this one."""
    picked = settings.components.get(service)
    if picked is not None and component not in picked:
        return False
    return not component_muted(settings, service, component)


def watched_level(
    settings: Settings, service: str, snapshot: Snapshot, level: Level | None = None
) -> Level:
    """`level` (the snapshot's by default) as the user watches the service.

    When the trouble is only in components they unticked or muted, it is the worst level of the
    components they watch: the one rule by which alerts stay quiet and the tray stays green."""
    level = snapshot.level if level is None else level
    narrowed = service in settings.components or service in settings.muted_components
    if not level.is_problem or not narrowed or not snapshot.components:
        return level
    kept = [c.level for c in snapshot.components if component_watched(settings, service, c.name)]
    watched = worst(kept)
    return level if watched.is_problem else watched


# -- global pause ------------------------------------------------------------------------------
def pause_for(settings: Settings, hours: float, now: datetime) -> datetime:
    end = _later(now, hours)
    settings.paused_until = end.isoformat(timespec="seconds")
    return end


def pause_until_tomorrow(settings: Settings, now: datetime) -> datetime:
    end = until_tomorrow(now)
    settings.paused_until = end.isoformat(timespec="seconds")
    return end


def resume(settings: Settings) -> None:
    settings.paused_until = ""


def paused_until(settings: Settings, now: datetime) -> datetime | None:
    """When the pause ends, or None when notifications are not paused."""
    if not settings.paused_until:
        return None
    end = _read(settings.paused_until, now)
    return end if end is not None and end > now else None


# -- quiet hours -------------------------------------------------------------------------------
def _clock(raw: str) -> time | None:
    try:
        return time.fromisoformat(raw.strip())
    except ValueError:
        return None


def in_quiet_hours(settings: Settings, now: datetime) -> bool:
    """Whether `now` falls in the daily quiet window; a window may cross midnight (22:00-07:00)."""
    start, end = _clock(settings.quiet_start), _clock(settings.quiet_end)
    if start is None or end is None or start == end:
        return False
    t = now.time().replace(tzinfo=None)
    if start < end:
        return start <= t < end
    return t >= start or t < end


def quiet_until(settings: Settings, now: datetime) -> datetime | None:
    """When the quiet window `now` falls in ends, or None outside quiet hours."""
    if not in_quiet_hours(settings, now):
        return None
    end = _clock(settings.quiet_end)
    if end is None:
        return None
    until = datetime.combine(now.date(), end, tzinfo=now.tzinfo)
    return until if until > now else until + timedelta(days=1)


# -- the one silence rule ----------------------------------------------------------------------
def silenced(settings: Settings, service: str, now: datetime) -> bool:
    """Whether news about `service` must stay quiet now: it is muted, notifications are paused,
    or it is quiet hours. Alerts and early warnings both ask this, and only this."""
    return (
        is_muted(settings, service, now)
        or paused_until(settings, now) is not None
        or in_quiet_hours(settings, now)
    )


# -- "notify me when it recovers" --------------------------------------------------------------
def set_recover_once(settings: Settings, service: str, on: bool) -> None:
    ids = [s for s in settings.recover_once if s != service]
    settings.recover_once = [*ids, service] if on else ids


def prune(settings: Settings, now: datetime) -> bool:
    """Forget ended mutes and pauses; True when something changed (and should be saved)."""
    changed = False
    for service in list(settings.muted):
        if muted_until(settings, service, now) is False:
            del settings.muted[service]
            changed = True
    if settings.paused_until and paused_until(settings, now) is None:
        settings.paused_until = ""
        changed = True
    return changed
