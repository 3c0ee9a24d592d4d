"""What git knows about the plan files: when each was added and changed, and by which commits.

The publishing workflows clone with full history, so a plan's "published" date defaults to the
commit that first added its file, and "last updated" is the last commit that changed it. Renames
(`git mv`) are followed, so moving a file keeps its history. Outside a git checkout, or for a
file never committed, there is no history and the page says so rather than invent a date.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..reading import textrules


@dataclass(frozen=True)
class Revision:
    """One commit that changed a file: its date and the first line of its message."""

    commit: str
    date: dt.datetime
    message: str


@dataclass
class FileHistory:
    """A file's revisions, newest first, under the name the file has now."""

    path: str
    revisions: list[Revision] = field(default_factory=list)
    added: dt.datetime | None = None  # the commit that first added the file (None if history is cut)
    deleted_in: str | None = None  # the commit that deleted it, when that is its newest change

    @property
    def last_changed(self) -> dt.datetime | None:
        return self.revisions[0].date if self.revisions else None


@dataclass
class History:
    files: dict[str, FileHistory] = field(default_factory=dict)  # by path relative to the project root
    shallow: bool = False  # a shallow clone: the oldest dates are not the real ones

    def of(self, path: str) -> FileHistory | None:
        return self.files.get(path)


def _git(root: Path, *args: str) -> str | None:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, encoding="utf-8",
                              errors="replace", timeout=120, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def read_history(root: Path, folder: str = "plans") -> History:
    """Every file's history under `folder`, from one `git log` pass (newest commit first)."""
    # --relative: paths relative to the project root even when it is a sub-folder of the repository.
    log = _git(root, "-c", "core.quotepath=off", "log", "--relative", "-M", "--name-status",
               "--format=%x00%H%x00%cI%x00%s", "--", folder)
    if not log:
        return History()
    history = History(shallow=(_git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true")
    later_name: dict[str, str] = {}  # an old name -> the file's name now, learnt from renames
    records = log.split("\x00")[1:]
    for commit, date, rest in zip(records[0::3], records[1::3], records[2::3]):
        message, _, changes = rest.partition("\n")
        when = dt.datetime.fromisoformat(date.strip())
        # A commit message is published on the plan's page: it obeys the rule of plan text.
        revision = Revision(commit, when, textrules.clean(message).strip())
        for line in changes.splitlines():
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            status, path = parts[0], parts[-1]
            current = later_name.get(path, path)
            if status.startswith("R") and len(parts) == 3:
                later_name[parts[1]] = current  # before this commit, the file had the old name
            entry = history.files.get(current)
            if entry is None:
                entry = history.files[current] = FileHistory(current, deleted_in=commit if status == "D" else None)
            if not entry.revisions or entry.revisions[-1].commit != commit:
                entry.revisions.append(revision)
            if status.startswith("A"):
                entry.added = when  # walking back in time: the oldest add wins
    return history
