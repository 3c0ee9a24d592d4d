"""What the importer tells the editor: warnings, lines knowingly not stored, failures; texts and paths as shown."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


class ImportFailed(Exception):
    """A file that cannot be imported; the message says why, in Vietnamese. `reason` names the
    cases a caller acts on (EXISTS, WRITTEN_TWICE), `target` the plan file concerned."""

    EXISTS = "exists"  # the plan file is already there (not overwritten without --force)
    WRITTEN_TWICE = "written-twice"  # another file of the same import wrote this plan file

    def __init__(self, message: str, reason: str = "", target: Path | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.target = target


@dataclass
class Notes:
    """What the importer doubts or could not place, told to the editor in Vietnamese."""

    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # lines knowingly not stored ("Nơi nhận:", "-----")
    copied: list[str] = field(default_factory=list)  # lines knowingly stored again: a merged cell's copies
    school_from_file_name: bool = False  # the document names no school: its folder comes from the file name
    original_advice: str = ""  # the warning that a PDF read may be published as the signed original

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def skip(self, text: str, message: str | None = None) -> None:
        """A line knowingly not stored; said to the editor when it is not the expected label."""
        self.skipped.append(text)
        if message:
            self.warn(message)

    def skip_decoration(self, text: str) -> None:
        self.skip(text, f"Bỏ qua đường kẻ trang trí {quote(text, 20)} (không có chữ).")


def quote(text: str, limit: int = 80) -> str:
    text = re.sub(r"\s+", " ", text)
    return "«" + (text if len(text) <= limit else text[: limit - 1] + "…") + "»"


def shown(path: Path) -> str:
    """A path as the editor typed it: relative to the current folder when it is below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
