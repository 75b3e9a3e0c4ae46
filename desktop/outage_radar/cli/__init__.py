"""The `outage-radar` command line: tray by default, plus status, watch, history... (no Qt)."""

from __future__ import annotations

import argparse
import codecs
import errno
import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from .. import __version__
from . import history_args


class _Commands(Protocol):
    """What the helpers below use of the object add_subparsers() returns (its class is private)."""

    def add_parser(self, name: str, **options: Any) -> argparse.ArgumentParser: ...


def _seconds(least: float, rule: str) -> Callable[[str], float]:
    """An argument type: a number of seconds, at least `least` (`rule` says so when not)."""

    def seconds(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not value >= least:
            raise argparse.ArgumentTypeError(rule)
        return value

    return seconds


# Exit codes when the output cannot be written: the reader closed the pipe (`status | head -1`),
# what a shell reports for a program ended by SIGPIPE; any other write error (`> /dev/full`),
# sysexits.h's EX_IOERR. Neither can be read as a level (0, 1, 3) or a usage error (2).
CLOSED_PIPE = 141
OUTPUT_ERROR = 74
# Errors of a write to a stream; an OSError from a file operation names its file instead.
_WRITE_ERRNOS = {errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT}

_interval = _seconds(5, "the interval must be at least 5 seconds")
_timeout = _seconds(0, "the timeout must be 0 or more seconds")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="outage-radar",
        description="Watch the status pages of AI services. With no command, start the tray app.",
    )
    parser.add_argument("--version", action="version", version=f"outage-radar {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--catalog",
        type=Path,
        metavar="FILE",
        help="watch exactly the services in this TOML catalog file",
    )
    common.add_argument("--debug", action="store_true", help="verbose logging")
    parser.add_argument(
        "--catalog",
        type=Path,
        metavar="FILE",
        dest="top_catalog",
        help="watch exactly the services in this TOML catalog file",
    )
    parser.add_argument(
        "--interval",
        type=_interval,
        metavar="S",
        dest="top_interval",
        help="poll interval in seconds (at least 5)",
    )
    parser.add_argument("--debug", action="store_true", dest="top_debug", help="verbose logging")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    status = sub.add_parser("status", parents=[common], help="check once and print the state")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.add_argument(
        "--url",
        action="append",
        default=[],
        metavar="URL",
        help="a status page URL to check (repeatable)",
    )
    status.add_argument(
        "--service",
        action="append",
        default=[],
        metavar="ID",
        help="a catalog service id to check (repeatable)",
    )

    watch = sub.add_parser("watch", parents=[common], help="run the monitor and print changes")
    watch.add_argument("--json", action="store_true", help="one JSON object per line")
    watch.add_argument("--interval", type=_interval, metavar="S", help="poll interval (>= 5 s)")

    services = sub.add_parser("services", parents=[common], help="list the service catalog")
    services.add_argument("--json", action="store_true", help="print JSON")
    _add_probe_commands(sub, common)
    _add_catalog_command(sub, common)
    _add_wait_command(sub, common)
    history_args.add(sub, common)
    return parser


def _add_wait_command(sub: _Commands, common: argparse.ArgumentParser) -> None:
    """wait: for scripts, CI jobs and coding agents that should pause during an outage."""
    wait = sub.add_parser(
        "wait",
        parents=[common],
        help="block until the services read operational (exit 0; 1 timeout, 3 unreadable)",
    )
    wait.add_argument("ids", nargs="+", metavar="SERVICE", help="catalog service ids")
    wait.add_argument("--timeout", type=_timeout, metavar="S", help="give up after S seconds")
    wait.add_argument(
        "--interval", type=_interval, metavar="S", help="seconds between checks (>= 5, default 15)"
    )
    wait.add_argument("--json", action="store_true", help="print the final state as JSON")


def _add_catalog_command(sub: _Commands, common: argparse.ArgumentParser) -> None:
    """catalog check: for maintainers, whether each entry still matches its live page."""
    catalog = sub.add_parser("catalog", help="maintainer tools for the service catalog")
    actions = catalog.add_subparsers(dest="catalog_action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        parents=[common],
        help="fetch every entry once and report drift (exit 1): pages, platforms, parts",
    )
    check.add_argument("--json", action="store_true", help="print a JSON list, one per entry")


def _add_probe_commands(sub: _Commands, common: argparse.ArgumentParser) -> None:
    """keys, probe and doctor: API keys live in the OS keyring, never in an argument."""
    keys = sub.add_parser("keys", help="store, list or delete API keys (OS keyring only)")
    actions = keys.add_subparsers(dest="keys_action", metavar="ACTION", required=True)
    setter = actions.add_parser(
        "set", parents=[common], help="store a key read from standard input or a hidden prompt"
    )
    setter.add_argument("name", metavar="NAME", help="the key's name, e.g. openai")
    # Caught so a key typed as an argument is refused without being echoed back.
    setter.add_argument("extra", nargs="*", help=argparse.SUPPRESS)
    actions.add_parser("list", parents=[common], help="show the names of the stored keys")
    deleter = actions.add_parser("delete", parents=[common], help="remove a stored key")
    deleter.add_argument("name", metavar="NAME")
    probe = sub.add_parser("probe", parents=[common], help="probe the APIs you have keys for")
    probe.add_argument("--json", action="store_true", help="print JSON")
    doctor = sub.add_parser(
        "doctor", parents=[common], help='"Is it just me?": status page, your key, your network'
    )
    doctor.add_argument("--json", action="store_true", help="print JSON")
    doctor.add_argument(
        "--service", action="append", default=[], metavar="ID", help="a service id (repeatable)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the tray or one command; the process exit code."""
    tolerant_output()
    try:
        try:
            code = _run(argv)
        except SystemExit:  # argparse's --help and --version: their output is flushed here too
            sys.stdout.flush()
            raise
        sys.stdout.flush()  # now, so a full disk is seen here and not at interpreter exit
    except OSError as exc:
        if exc.errno not in _WRITE_ERRNOS or exc.filename is not None:
            raise
        return output_lost(exc)
    return code


def tolerant_output() -> None:
    """Never fail on a character the console's encoding lacks ("…" or "Café" under LC_ALL=C
    without UTF-8 mode, or an ISO-8859-1 locale): it is written as "?" instead of raising
    UnicodeEncodeError. A UTF-8 console (and Windows' console, which Python writes as UTF-16)
    is left as it is; stderr already writes such characters as backslash escapes."""
    stream = sys.stdout
    if isinstance(stream, io.TextIOWrapper) and codecs.lookup(stream.encoding).name != "utf-8":
        stream.reconfigure(errors="replace")


def output_lost(exc: OSError) -> int:
    """End quietly when stdout cannot take more: a closed pipe says nothing (the reader has what
    it wanted), another write error one line on stderr. stdout then points at os.devnull, as
    the Python docs advise (signal module, "Note on SIGPIPE"), so the interpreter's last flush
    of what is still buffered cannot fail again with a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no stdout file descriptor to point away
        pass
    if exc.errno == errno.EPIPE:
        return CLOSED_PIPE
    try:
        print(f"outage-radar: cannot write the output: {exc.strerror}", file=sys.stderr)
    except (OSError, ValueError, AttributeError):  # stderr is gone too: the exit code says it
        pass
    return OUTPUT_ERROR


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = bool(getattr(args, "debug", False) or args.top_debug)
    catalog = getattr(args, "catalog", None) or args.top_catalog
    if args.command is None:
        from ..quit_signals import QuitSignals

        signals = QuitSignals()
        signals.install()  # before the app's imports: a signal there is noted, not raised
        from ..app import run_tray

        # The tray sets up logging itself, after its first icon is on screen.
        return run_tray(catalog, args.top_interval, debug=debug, signals=signals)
    from .. import logs

    logs.setup(debug=debug, console=True)
    from . import commands

    try:
        if args.command == "status":
            return commands.status(args.url, args.service, catalog, as_json=args.json)
        if args.command == "watch":
            interval = args.interval or args.top_interval
            return commands.watch(catalog, interval, as_json=args.json)
        if args.command == "keys":
            from . import keys

            name, extra = getattr(args, "name", None), getattr(args, "extra", [])
            return keys.run(args.keys_action, name, catalog, extra=extra)
        if args.command == "probe":
            from .probe import probe

            return probe(catalog, as_json=args.json)
        if args.command == "wait":
            from .wait import wait

            return wait(
                args.ids,
                catalog,
                timeout=args.timeout,
                interval=args.interval or args.top_interval,
                as_json=args.json,
            )
        if args.command == "history":
            from .history import history

            form = "json" if args.json else "csv" if args.csv else "text"
            return history(args.ids, catalog, days=args.days, form=form)
        if args.command == "catalog":
            from .catalog import check

            return check(catalog, as_json=args.json)
        if args.command == "doctor":
            from .doctor import doctor

            return doctor(catalog, args.service, as_json=args.json)
        return commands.services(catalog, as_json=args.json)
    except commands.UsageError as exc:
        print(f"outage-radar: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
