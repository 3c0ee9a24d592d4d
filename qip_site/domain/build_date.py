"""The one date a build may stamp where the data has none (the sitemap, the district page's day
counts, the current school year of `check`): SOURCE_DATE_EPOCH when set, else the commit date of
HEAD, else the plans' latest date of issue; never the clock, so two builds of one commit agree."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

# The fallback when neither git nor the plans know a date (the Atom feed uses the same).
NO_DATE = dt.date(2000, 1, 1)

def build_date(root: Path, plan_dates: Iterable[dt.date | None] = ()) -> dt.date:
    """The build's date (UTC): SOURCE_DATE_EPOCH, else HEAD's commit date, else the latest plan date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        try:
            epoch = subprocess.run(
                ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, timeout=60, check=True,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            epoch = ""
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return max((d for d in plan_dates if d is not None), default=NO_DATE)
