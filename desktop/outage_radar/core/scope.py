"""Narrow a whole status page's snapshot to one service made of some of its components."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from .failures import bad_payload
from .model import Component, Level, Snapshot, worst

_SEPARATORS = re.compile(r"[\W_]+")
Refs = tuple[str, ...]


class Found(enum.Enum):
    """How a catalog name met a page: as written, only by the loose rule, or not at all."""

    EXACT = "exact"
    LOOSE = "loose"
    MISSING = "missing"


def loose(value: str) -> str:
    """A name with case, punctuation and each word's plural `s` ignored: `APIs` -> `api`.

    Pages rename parts in these small ways most often (OpenAI's `API` became `APIs`), and a
    catalog fix reaches users weeks late, so scoping must not break on them."""
    words = _SEPARATORS.sub(" ", value.casefold()).split()
    return " ".join(w[:-1] if len(w) > 1 and w.endswith("s") else w for w in words)


def _names(component: Component) -> tuple[str, ...]:
    return (component.name, component.group) if component.group else (component.name,)


def find(components: Sequence[Component], name: str) -> tuple[Found, tuple[Component, ...]]:
    """The components a name stands for (by component or group name), and how it matched.

    A match as written wins, so the loose rule never widens a name that still exists (a page
    with both `API` and `APIs` keeps `API` to itself)."""
    exact = tuple(c for c in components if any(n.strip() == name.strip() for n in _names(c)))
    if exact:
        return Found.EXACT, exact
    key = loose(name)
    close = tuple(c for c in components if key and any(loose(n) == key for n in _names(c)))
    return (Found.LOOSE, close) if close else (Found.MISSING, ())


def missing(snapshot: Snapshot, names: Sequence[str]) -> tuple[str, ...]:
    """The names that meet nothing on a page that lists components (none when it lists none)."""
    if not snapshot.components:
        return ()
    wanted = [n.strip() for n in names if n.strip()]
    return tuple(n for n in wanted if find(snapshot.components, n)[0] is Found.MISSING)


def _note(host: str, gone: Sequence[str], whole: bool) -> str:
    page = host or "the status page"
    listed = ", ".join(f"'{n}'" for n in gone)
    return f"{page} no longer lists {listed}" + (": showing the whole page" if whole else "")


def touching(kept: Sequence[Component], names: Sequence[str]) -> Callable[[Refs, str], bool]:
    """Whether an incident (its component refs, its title) touches the `kept` parts of `names`.

    By its refs (ids or names) when it lists any; listing none, by its title naming one of the
    names as whole words. The names count too: feeds and Google list parts that are not
    components."""
    ids = {c.id for c in kept}
    keys = [k for n in names if (k := loose(n))]
    refs = {k for c in kept if (k := loose(c.name))} | set(keys)

    def touches(components: Refs, title: str) -> bool:
        if components:
            return any(r in ids or loose(r) in refs for r in components)
        padded = f" {loose(title)} "  # whole words: `API` must not match "rapid"
        return any(f" {k} " in padded for k in keys)

    return touches


def scope(snapshot: Snapshot, names: Sequence[str], *, host: str = "") -> Snapshot:
    """Keep the components named (by component or group name) and the incidents touching them.

    Incidents and maintenances are kept when their component refs (ids or names) meet a kept
    component, or, listing none, when their title mentions one of the names. When none of the
    names is on a page that lists components, the whole page is shown with a note naming
    `host`: a renamed part must not turn into a silent, permanent unknown."""
    wanted = [n.strip() for n in names if n.strip()]
    if not wanted or snapshot.level is Level.UNKNOWN:
        return snapshot
    ids = {c.id for name in wanted for c in find(snapshot.components, name)[1]}
    kept = tuple(c for c in snapshot.components if c.id in ids)  # in the page's order
    gone = missing(snapshot, wanted)
    if snapshot.components and not kept:
        return replace(snapshot, note=_note(host, gone, whole=True))
    touches = touching(kept, wanted)
    incidents = tuple(i for i in snapshot.incidents if touches(i.components, i.title))
    maintenances = tuple(m for m in snapshot.maintenances if touches(m.components, m.title))
    levels = [c.level for c in kept] + [i.level for i in incidents]
    if any(m.active for m in maintenances):
        levels.append(Level.MAINTENANCE)
    level = worst(levels, default=Level.OPERATIONAL)
    label = ", ".join(wanted)
    return replace(
        snapshot,
        level=level,
        components=kept,
        incidents=incidents,
        maintenances=maintenances,
        failure=None if level is not Level.UNKNOWN else bad_payload(f"no status for: {label}"),
        note=_note(host, gone, whole=False) if gone else snapshot.note,
    )
