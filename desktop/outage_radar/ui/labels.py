"""Text for menus and tooltips: untrusted text made safe for each Qt sink, and the summaries.

Pure functions (no Qt import) so they are tested without a display. A menu label is escaped for
the menu that shows it (`menu_label`), a tray tooltip for the host that draws it (`tray_tooltip`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..core.alerts import format_duration
from ..core.failures import Failure, Kind, label
from ..core.model import Level
from ..core.state import NO_FEED, ServiceState, counted, summary_level
from ..core.text import clean, escape
from .icon_spec import IconKey, Mark

if TYPE_CHECKING:
    from ..core.early_warning import Lead

MENU_LIMIT = 80
OFFLINE = "You are offline"  # said once, in the header and the tooltip, not on every row


def plain(text: object, limit: int = MENU_LIMIT) -> str:
    """One line of untrusted text: control and bidi characters stripped, elided."""
    return clean(text, limit, single_line=True)


def menu_label(text: str, *, dbusmenu: bool = False) -> str:
    """The one way shown text becomes a QAction's text, so every host shows it as written.

    A menu Qt draws (XEmbed, Windows, macOS) reads `&` as a mnemonic and `&&` as a literal `&`.
    A menu exported over D-Bus (StatusNotifierItem hosts) goes through Qt's dbusmenu export,
    which turns only the first `&` into `_`, and the host (GTK, libdbusmenu) reads `_` as a
    mnemonic and `__` as a literal `_`. So there `_` is doubled and only the first `&` is
    doubled: Qt makes it `_&`, a mnemonic on the ampersand itself, shown as `&`. Measured with
    GetLayout against Qt 6.11 (`R&&D` goes out as `R_&D`, `chat_completions` unchanged).
    """
    if not dbusmenu:
        return text.replace("&", "&&")
    # WORKAROUND for https://github.com/hluk/CopyQ/issues/764 (Qt's QDBusMenuItem::
    # convertMnemonic escapes neither `&&` nor `_`); look again when Qt's GetLayout sends
    # `R&D` for an action text `R&&D`: then only `_` needs doubling.
    return text.replace("_", "__").replace("&", "&&", 1)


def dbusmenu_shown(label: str) -> str:
    """What a dbusmenu host shows for an exported label: `__` is `_`, a lone `_` marks a key."""
    out: list[str] = []
    i = 0
    while i < len(label):
        if label[i] == "_" and i + 1 < len(label):
            if label[i + 1] == "_":
                out.append("_")
            else:
                out.append(label[i + 1])  # the mnemonic's letter: shown, underlined with Alt
            i += 2
            continue
        out.append(label[i])
        i += 1
    return "".join(out)


def tray_tooltip(text: str, *, markup: bool) -> str:
    """The tray tooltip for the host that shows it: one rule for every platform.

    Only a tooltip Qt draws itself (an XEmbed icon on X11, a QToolTip) reads markup, always:
    there it is escaped, with `<br>` for line breaks. StatusNotifierItem hosts (Wayland, KDE,
    XFCE, waybar), the Windows shell (NOTIFYICONDATA.szTip) and the macOS status item show the
    text as it is, so they get plain text: no `<br>`, no `&amp;`.
    """
    return escape(text).replace("\n", "<br>") if markup else text


def ago(when: datetime | None, now: datetime) -> str:
    if when is None:
        return ""
    if when.tzinfo is None and now.tzinfo is not None:
        when = when.replace(tzinfo=now.tzinfo)
    span = now - when
    if span.total_seconds() < 60:
        return "just now"
    return f"{format_duration(span)} ago"


def clock(when: datetime, now: datetime) -> str:
    """'10:05' in the viewer's zone (the zone of `now`), with the date when not today."""
    local = when.astimezone(now.tzinfo) if when.tzinfo and now.tzinfo else when
    if local.date() == now.date():
        return local.strftime("%H:%M")
    return local.strftime("%b %d %H:%M").replace(" 0", " ")


def page_problem(failure: Failure | None) -> str:
    """Why a pasted URL gave no status page, as the Check button says it.

    An address that cannot be reached is never called "not a status page": a refused
    connection, a failed DNS lookup, a timeout or a TLS error each say what they are."""
    if failure is None or failure.kind is Kind.NOT_A_STATUS_PAGE:
        detail = plain(failure.detail, 120) if failure is not None else ""
        return "Not recognised as a status page" + (f": {detail}." if detail else ".")
    words = plain(label(failure), 120)
    if failure.network or failure.kind is Kind.TLS:
        return f"Could not reach this address: {words}."
    return f"Could not read a status page here: {words}."


def check_line(last_read: datetime | None, state: ServiceState | None, now: datetime) -> str:
    """When the service was last checked, as the History window says it.

    `last_read` is the last check the history recorded (a good read); `state` is the live one,
    whose last check may have failed since: then the line says when and why, never "not checked".
    """
    failure = state.snapshot.failure if state is not None else None
    checked = state.checked_at if state is not None else None
    if failure is not None and checked is not None:
        line = f"Last check {clock(checked, now)} failed: {plain(label(failure), 120)}"
        return line + (f" (last good read {clock(last_read, now)})" if last_read else "")
    when = last_read or checked
    return f"Last check: {clock(when, now)}" if when else "Not checked yet"


def service_name(state: ServiceState) -> str:
    return plain(state.service.name, 60) or state.service.id


def probe_line(state: ServiceState) -> str:
    """The user's own key check: 'Your API key: ok · 142 ms · ▂▃▁▅' (the latest, then the trend);
    empty for someone without a key."""
    if not state.probes:
        return ""
    if state.keyring_failed:
        return "Your API key: the OS keyring cannot be read (see Settings)"
    from ..core.probes import sparkline  # probes loads httpx: only once there are probes

    return f"Your API key: {state.probes[-1].describe()} · {sparkline(list(state.probes))}"


def lead_text(lead: Lead) -> str:
    """'you knew 9 min earlier'"""
    return f"you knew {format_duration(timedelta(minutes=lead.minutes))} earlier"


def lead_line(state: ServiceState) -> str:
    """How much earlier the user's probes knew, while that incident lasts."""
    if state.lead is None:
        return ""
    return f"{lead_text(state.lead).capitalize()} than the status page"


def extra_lines(state: ServiceState) -> list[str]:
    """The lines the user's own API key adds under a service (probe result, detection lead)."""
    return [plain(line) for line in (probe_line(state), lead_line(state)) if line]


def offline(state: ServiceState) -> bool:
    """The state is unknown because we are offline (the monitor's verdict), not the page."""
    failure = state.snapshot.failure
    return failure is not None and failure.kind is Kind.OFFLINE


def row_status(state: ServiceState) -> str:
    """A service's state on its line: offline, the last level read, marked as such."""
    if offline(state):
        known = state.last_known
        if known is None or known is Level.UNKNOWN:
            return f"{Level.UNKNOWN.label} (offline)"
        return f"{known.label} (last known, offline)"
    text = status_label(state)
    if state.level is Level.UNKNOWN and state.snapshot.error and not state.service.link_only:
        text += f" ({plain(state.snapshot.error, 40)})"
    return text


def last_checked(states: Mapping[str, ServiceState], now: datetime) -> str:
    """'Last checked 2 min ago': the latest check of any page, read or failed."""
    times = [s.checked_at for s in counted(states.values()) if s.checked_at is not None]
    return f"Last checked {ago(max(times), now)}" if times else ""


def held_line(paused: datetime | None, quiet: datetime | None, now: datetime) -> str:
    """Why notifications are held right now: a pause, or quiet hours; empty when they are not."""
    if paused is not None:
        return f"Notifications paused until {clock(paused, now)}"
    if quiet is not None:
        return f"Quiet hours until {clock(quiet, now)}: notifications held"
    return ""


def status_label(state: ServiceState) -> str:
    """The words for a service's state: its level, or that it has no feed (never an error)."""
    return NO_FEED if state.service.link_only else state.level.label


def state_icon(state: ServiceState) -> IconKey:
    """A link-only service shows the neutral mark: it has no level, and nothing is wrong."""
    return Mark.NO_FEED if state.service.link_only else state.level


def overall_level(states: Mapping[str, ServiceState]) -> Level:
    """The tray's level: link-only services never count (core.state.counted)."""
    return summary_level(states.values())


def overall_icon(states: Mapping[str, ServiceState]) -> IconKey:
    """The tray's icon: the overall level, or the neutral mark when no service has a feed."""
    if states and not counted(states.values()):
        return Mark.NO_FEED
    return overall_level(states)


def summary(states: Mapping[str, ServiceState], now: datetime) -> str:
    """One line, e.g. 'ChatGPT: major outage since 10:05 · 6 others operational'."""
    if not states:
        return "No services watched"
    polled = counted(states.values())
    no_feed = len(states) - len(polled)
    parts = [_summary(polled, now)] if polled else []
    if polled and all(offline(s) for s in polled):
        parts = [OFFLINE]
    if no_feed:
        parts.append(f"{no_feed} with {NO_FEED}")
    return " · ".join(parts)


def _summary(states: list[ServiceState], now: datetime) -> str:
    """The summary of services that have a feed (at least one)."""
    problems = sorted((s for s in states if s.level.is_problem), key=lambda s: -s.level.rank)
    parts = []
    for state in problems[:2]:
        since = f" since {clock(state.since, now)}" if state.since else ""
        parts.append(f"{service_name(state)}: {state.level.label}{since}")
    if len(problems) > 2:
        parts.append(f"{len(problems) - 2} more with problems")
    rest = [s for s in states if not s.level.is_problem]
    counts: dict[Level, int] = {}
    for state in rest:
        counts[state.level] = counts.get(state.level, 0) + 1
    if not problems and counts.get(Level.OPERATIONAL) == len(states):
        if len(states) == 1:
            return f"{service_name(rest[0])}: operational"
        return "All services operational"
    words = {Level.UNKNOWN: "not checked yet" if _unchecked(rest) else "unknown"}
    for level in (Level.OPERATIONAL, Level.MAINTENANCE, Level.UNKNOWN):
        if counts.get(level):
            label = words.get(level, level.label)
            noun = ""
            if level is Level.OPERATIONAL and problems:
                noun = "other" if counts[level] == 1 else "others"
            parts.append(" ".join(p for p in (str(counts[level]), noun, label) if p))
    return " · ".join(parts)


def _unchecked(states: list[ServiceState]) -> bool:
    unknown = [s for s in states if s.level is Level.UNKNOWN]
    return bool(unknown) and all(s.checked_at is None for s in unknown)


def header(states: Mapping[str, ServiceState]) -> str:
    """The menu's first line: the overall state in a few words (link-only services aside)."""
    if not states:
        return "No services watched"
    polled = counted(states.values())
    if not polled:
        return "No status feeds to check"
    if all(offline(s) for s in polled):
        return OFFLINE
    level = summary_level(polled)
    problems = sum(1 for s in polled if s.level.is_problem)
    if problems:
        return f"{problems} service{'s' if problems > 1 else ''} with problems"
    if level is Level.UNKNOWN:
        return "Checking…" if _unchecked(polled) else "Status unknown"
    if level is Level.MAINTENANCE:
        return "Maintenance in progress"
    return "All services operational"
