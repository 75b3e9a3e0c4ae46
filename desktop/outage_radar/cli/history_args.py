"""The `history` command's arguments: kept apart from cli/history.py, which loads the database
and the network client, so building the parser at every start stays cheap."""

from __future__ import annotations

import argparse
from typing import Any, Protocol


class Commands(Protocol):
    """What add_subparsers() returns, as far as this module uses it."""

    def add_parser(self, name: str, **options: Any) -> argparse.ArgumentParser: ...


def day_count(text: str) -> int:
    """An argument type: a number of days the history keeps, 1 to 365."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 365:
        raise argparse.ArgumentTypeError("the days must be between 1 and 365")
    return value


EPILOG = """\
First each page's own record of past incidents is read, at most once a day per page (a page
that cannot be read leaves what the history has). Days are local, oldest first, one mark each:
"." operational, "m" maintenance, "d" degraded, "p" partial outage, "M" major outage, "?" too
little known. An incident is [seen] by your polls, in the page's [record], or both.
--csv: one row per service and day: service,day,level,known_s,up_s,source (level empty when
too little is known; source own, page, both or none)."""


def add(sub: Commands, common: argparse.ArgumentParser) -> None:
    """history: the past days and incidents, your polls and the provider's own record."""
    history = sub.add_parser(
        "history",
        parents=[common],
        help="uptime, a day strip and past incidents (the provider's record read once a day)",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    history.add_argument(
        "ids", nargs="*", metavar="SERVICE", help="catalog service ids (default: the watched ones)"
    )
    history.add_argument(
        "--days", type=day_count, default=90, metavar="N", help="how many days (1-365, default 90)"
    )
    form = history.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print JSON")
    form.add_argument("--csv", action="store_true", help="print CSV, one row per service and day")
