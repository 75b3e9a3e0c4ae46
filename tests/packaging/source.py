"""A clean source tree for packaging tests: a git clone, or the files a clone would hold."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _git(*args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(REPO), *args], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


def clean_source(dest: Path) -> str:
    """Fill `dest` (absent) with a clean tree; returns how: "clone" or "work-tree copy".

    A committed work tree is cloned, so nothing untracked or ignored (.venv, build/, dist/)
    can leak in. With uncommitted changes (while developing) the tracked and untracked,
    not-ignored files are copied instead: what a clone would hold once they are committed.
    """
    if not _git("status", "--porcelain"):
        subprocess.run(
            ["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(dest)],
            check=True,
            timeout=120,
        )
        return "clone"
    names = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for name in filter(None, names):
        src = REPO / name
        if src.is_file():  # a tracked file deleted in the work tree is not copied
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return "work-tree copy"
