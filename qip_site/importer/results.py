"""Results kept across a new import: `qip-site import --force` over a plan whose rows carry results
(written by the school after the plan was issued, never part of the Word file) gives each result to
the row of the same criterion in the new plan, and names any it could not place."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .notes import Notes, quote


def rows(table: Any) -> Iterator[dict[str, Any]]:
    """Every row of a plan table (plain data), in document order."""
    if not isinstance(table, dict):
        return
    groups = [table] + [level for level in table.get("levels") or [] if isinstance(level, dict)]
    for group in groups:
        for standard in group.get("standards") or []:
            if isinstance(standard, dict):
                yield from (row for row in standard.get("criteria") or [] if isinstance(row, dict))
    yield from (row for row in table.get("areas") or [] if isinstance(row, dict))


def _keyed(table: Any) -> Iterator[tuple[tuple[str, int], dict[str, Any]]]:
    """Rows by (criterion code or first text, rank among rows with that key)."""
    seen: Counter[str] = Counter()
    for row in rows(table):
        text = row.get("criterion") or row.get("area") or row.get("measures") or ""
        key = str(row.get("code") or (text[0] if isinstance(text, list) and text else text))
        seen[key] += 1
        yield (key, seen[key]), row


def keep_results(old_file: Path, data: dict[str, Any], notes: Notes) -> None:
    """Copy the results of the plan in `old_file` (about to be overwritten) into `data`, said once."""
    from ..reading.errors import PlanErrors
    from ..reading.load import read_yaml

    try:
        old = read_yaml(old_file).data
    except (PlanErrors, OSError, ValueError):
        notes.warn(f"Không đọc được tệp cũ {old_file.name} để giữ các kết quả thực hiện đã ghi (nếu có); "
                   "hãy xem lại lịch sử của tệp.")
        return
    results = {key: row["result"] for key, row in _keyed(_table(old)) if row.get("result")}
    if not results:
        return
    new_rows = dict(_keyed(data.get("table")))
    lost = []
    for key, result in results.items():
        if key in new_rows:
            new_rows[key]["result"] = result
        else:
            lost.append(key[0])
    kept = len(results) - len(lost)
    notes.warn(f"Tệp cũ có {len(results)} kết quả thực hiện (nhà trường ghi sau khi ban hành); đã giữ {kept} kết quả "
               "cho các dòng cùng tiêu chí của kế hoạch mới nhập"
               + (f"; không còn dòng cho: {', '.join(quote(k) for k in lost)}, hãy ghi lại (xem lịch sử của tệp)."
                  if lost else "."))


def _table(data: Any) -> Any:
    return data.get("table") if isinstance(data, dict) else None
