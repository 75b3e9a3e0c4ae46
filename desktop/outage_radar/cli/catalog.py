"""`outage-radar catalog check`: where the catalog no longer matches the live status pages."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.catalog_check import EntryReport, check_catalog
from ..core.text import clean
from .commands import load_catalog


def check(path: Path | None, *, as_json: bool) -> int:
    """Check the built-in catalog (or FILE); exit 1 when any entry drifted, else 0."""
    cat = load_catalog(path)
    reports = asyncio.run(check_catalog(list(cat)))
    if as_json:
        print(json.dumps([report_json(r) for r in reports], ensure_ascii=False, indent=2))
    else:
        print(report_table(reports))
    drifted = sum(r.drift for r in reports)
    if drifted:
        print(f"outage-radar: {drifted} of {len(reports)} entries drifted", file=sys.stderr)
    return 1 if drifted else 0


def report_json(r: EntryReport) -> dict[str, Any]:
    return {
        "id": r.id,
        "name": r.name,
        "state": r.state,
        "platform": r.platform,
        "platform_seen": r.platform_seen,
        "endpoint": r.endpoint or None,
        "level": r.level.value if r.level is not None else None,
        "missing": list(r.missing),
        "renamed": [{"part": part, "found": found} for part, found in r.renamed],
        "problems": list(r.problems),
    }


def report_table(reports: Sequence[EntryReport]) -> str:
    """One line per entry: id, state, then the problems or what was read."""
    lines = []
    width = max((len(r.id) for r in reports), default=0)
    for r in reports:
        if r.problems:
            detail = "; ".join(r.problems)
        elif r.level is not None:
            detail = f"{r.platform}, {r.level.label}"
        else:
            detail = "not polled: no public status feed"
        lines.append(f"{r.id:<{width}}  {r.state:<9} {clean(detail, 200, single_line=True)}")
    return "\n".join(lines)
