"""What git knows about the plan files: when each was last changed.

CI and publishing workflows clone with full history, so the dates are those of the commits that
changed each file; outside a git checkout (or for files never committed) there is no date.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path


def last_changed(root: Path, folder: str = "plans") -> dict[str, dt.datetime]:
    """{path relative to root: commit date of its last change}, from one `git log` pass."""
    try:
        log = subprocess.run(
            ["git", "log", "--format=%x00%cI", "--name-only", "--", folder],
            cwd=root, capture_output=True, text=True, timeout=120, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, dt.datetime] = {}
    for commit in log.split("\x00")[1:]:
        lines = [line for line in commit.splitlines() if line.strip()]
        if not lines:
            continue
        when = dt.datetime.fromisoformat(lines[0].strip())
        for name in lines[1:]:
            dates.setdefault(name.strip(), when)  # newest first: the first seen is the last change
    return dates
