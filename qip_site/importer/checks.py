"""The two checks of an import: every line read is in the plan exactly once (`account`), and the
files written pass `qip-site check` (`check_written`)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from .notes import Notes, quote


def account(data: dict[str, Any], source_lines: list[str], notes: Notes) -> None:
    """Nothing lost, nothing doubled: every line read is in the plan exactly once (or knowingly skipped).

    The copies of a merged cell, given to every row and column it spans, are not counted twice.
    """
    stored = Counter(line.strip() for text in _strings(data) for line in text.split("\n"))
    stored.update(notes.skipped)
    stored.subtract(notes.copied)
    for text, count in Counter(source_lines).items():
        if stored[text] < count:
            notes.warn(f"Đoạn trong tệp Word chưa có trong tệp kế hoạch: {quote(text)}; hãy chép vào chỗ đúng.")
        elif stored[text] > count:
            notes.warn(f"Đoạn xuất hiện nhiều lần hơn trong tệp kế hoạch so với tệp Word: {quote(text)}.")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def check_written(target: Path, school_file: Path, plans_dir: Path) -> list[tuple[bool, str]]:
    """The check's problems about the files just written: (is a warning, message)."""
    from ..reading import errors as E
    from ..reading.validate import load_site

    try:
        _, problems = load_site(plans_dir)
        warnings = problems
        errors: list = []
    except E.PlanErrors as failure:
        errors, warnings = failure.problems, failure.warnings
    root = plans_dir.parent
    ours = {target.resolve(), school_file.resolve(), school_file.parent.resolve()}

    def mine(problem: Any) -> bool:
        file = Path(str(problem.file))
        return (file if file.is_absolute() else root / file).resolve() in ours

    return [(False, str(p)) for p in errors if mine(p)] + [(True, str(p)) for p in warnings if mine(p)]
