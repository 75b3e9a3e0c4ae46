"""The headless commands: status (one check), watch (the monitor) and services (the catalog)."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from ..core import catalog as catalog_mod
from ..core import settings as settings_mod
from ..core.catalog import Catalog, CatalogError, Service
from ..core.model import Change, Level, Snapshot
from ..core.state import ServiceState, summary_level
from . import output


class UsageError(Exception):
    """Bad arguments or an unusable catalog file; exit code 2."""


def load_catalog(path: Path | None) -> Catalog:
    try:
        return catalog_mod.load_file(path) if path is not None else catalog_mod.load_builtin()
    except CatalogError as exc:
        raise UsageError(str(exc)) from None


def pick(path: Path | None, ids: Sequence[str]) -> list[Service]:
    """The catalog's services with these ids, in this order; a usage error names one unknown."""
    cat = load_catalog(path)
    found = []
    for key in ids:
        service = cat.get(key)
        if service is None:
            raise UsageError(f"unknown service id: {key!r} (see `outage-radar services`)")
        found.append(service)
    return found


def watched(path: Path | None) -> list[Service]:
    """The services to watch: exactly the catalog file's, else the user's settings."""
    if path is not None:
        return list(load_catalog(path))
    result = settings_mod.load()
    if result.moved_aside is not None:
        print(
            f"outage-radar: warning: settings file could not be read ({result.problem}); "
            f"moved aside to {result.moved_aside}; using defaults",
            file=sys.stderr,
        )
    return settings_mod.watched_services(result.settings, catalog_mod.load_builtin())


def status(urls: Sequence[str], ids: Sequence[str], path: Path | None, *, as_json: bool) -> int:
    from ..core.check import check_all

    chosen: list[Service] = []
    for url in urls:
        try:
            chosen.append(catalog_mod.service_from_url(url))
        except CatalogError as exc:
            raise UsageError(str(exc)) from None
    if ids:
        chosen += pick(path, ids)
    if not urls and not ids:
        chosen = watched(path)
    if not chosen:
        raise UsageError("no services to check")
    results = asyncio.run(check_all(chosen))
    checked_at = datetime.now().astimezone()
    if as_json:
        print(json.dumps(output.status_json(results, checked_at), ensure_ascii=False, indent=2))
    else:
        print(output.status_table(results, color=sys.stdout.isatty()))
    return exit_code(results)


def exit_code(results: Sequence[tuple[Service, Snapshot]]) -> int:
    """0 all operational (maintenance counts), 1 anything degraded or worse, 3 unknown.

    Link-only services (no public feed) never count: with only those, nothing failed: 0.
    """
    states = [ServiceState(service, snap) for service, snap in results]
    level = summary_level(states, default=Level.OPERATIONAL)
    if level.is_problem:
        return 1
    if level is Level.UNKNOWN:
        return 3
    return 0


def watch(path: Path | None, interval: float | None, *, as_json: bool) -> int:
    services = watched(path)
    if not services:
        raise UsageError("no services to watch")
    if interval is None:
        interval = settings_mod.load().settings.interval if path is None else 60.0
    return asyncio.run(_watch(services, interval, as_json))


async def _watch(services: list[Service], interval: float, as_json: bool) -> int:
    from ..core.history import History
    from ..core.monitor import Monitor

    history = History()
    monitor = Monitor(services, history=history, interval=interval)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    lost: list[OSError] = []

    def show(changes: list[Change]) -> None:
        for change in changes:
            line = output.change_json(change) if as_json else output.change_line(change)
            try:
                print(line, flush=True)
            except OSError as exc:  # nobody reads any more (`watch | head -1`): stop watching
                lost.append(exc)
                stop.set()

    monitor.add_listener(changes=show)
    await monitor.start()
    try:
        await stop.wait()
    finally:
        await monitor.stop()
        history.close()
    if lost:
        raise lost[0]  # ends as any output that cannot be written does (cli.main)
    return 0


def services(path: Path | None, *, as_json: bool) -> int:
    cat = load_catalog(path)
    if as_json:
        print(json.dumps({"services": [output.service_json(s) for s in cat]}, indent=2))
    else:
        print(output.services_table(list(cat)))
    return 0
