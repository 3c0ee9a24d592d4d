"""The one date a build may stamp where the data has none (the sitemap, the district page's day
counts, the current school year of `check`): SOURCE_DATE_EPOCH when set, else the commit date of
HEAD, else the plans' latest date of issue; never the clock, so two builds of one commit agree."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

# The fallback when neither git nor the plans know a date (the Atom feed uses the same).
NO_DATE = dt.date(2000, 1, 1)
# The dates every output can stamp (gzip's from 1970 to 2106-02-07, zip's from 1980): a plan dated "năm 2203"
# by a typo does not date the build.
FIRST, LAST = dt.date(1980, 1, 1), dt.date(2106, 2, 6)

def build_date(root: Path, plan_dates: Iterable[dt.date | None] = ()) -> dt.date:
    """The build's date (UTC): SOURCE_DATE_EPOCH, else HEAD's commit date, else the latest plan date; each only
    between FIRST and LAST."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        try:
            epoch = subprocess.run(
                ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, timeout=60, check=True,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            epoch = ""
    if re.fullmatch(r"[0-9]{1,12}", epoch):
        try:
            date: dt.date | None = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except (ValueError, OverflowError, OSError):  # past year 9999
            date = None
        if date is not None and FIRST <= date <= LAST:
            return date
    return max((d for d in plan_dates if d is not None and FIRST <= d <= LAST), default=NO_DATE)
