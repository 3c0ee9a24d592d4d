"""The plan table's rows, one at a time: a level, a standard, or a criterion row (cells by field).

Rows merged across the table are levels ("MỨC 1, 2, 3"), standards ("Tiêu chuẩn 1: …") or
criteria ("Tiêu chí 1.1: …", the rows below joining it); a row whose criterion cell is merged
down belongs to the row above; empty rows are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .blocks import Cell
from .notes import Notes, quote
from .text import fold

# On folded text.
_LEVEL_ROW_RE = re.compile(r"^muc(?:\s*do)?\s*\d")
_STANDARD_ROW_RE = re.compile(r"^tieu\s*chuan\s*(?:so\s*)?\d")
CRITERION_RE = re.compile(r"^tieu\s*chi\s*(?:so\s*)?(\d+)\s*[.,]\s*(\d+)")


def table_items(rows: list[list[Cell]], field_of: Callable[[Cell], str], columns: dict[str, str | None],
                width: int, notes: Notes) -> list[tuple]:
    """The table's rows as ("level", heading, None), ("standard", heading, index) and ("row", cells)."""
    items: list[tuple] = []
    merged_criterion: dict[str, Any] | None = None  # "Tiêu chí 1.1: …" across the row: rows below join it
    last_row: dict[str, Any] | None = None
    for row in rows:
        filled = [c for c in row if c.lines and not c.continued]
        if not filled:
            continue  # an empty row: nothing to keep
        index_cells = [c for c in filled if field_of(c) == "index" and c.span == 1 and len(" ".join(c.lines)) <= 6]
        others = [c for c in filled if c not in index_cells]
        if len(others) == 1 and len(index_cells) <= 1:
            # One text in the row (beside its number): a level, a standard, or a criterion across the row.
            text = "\n".join(others[0].lines)
            folded = fold(text)
            index = "\n".join(index_cells[0].lines) if index_cells else None
            across = others[0].span >= max(2, width // 2)
            if _LEVEL_ROW_RE.match(folded) and index is None:
                items.append(("level", text, None))
            elif _STANDARD_ROW_RE.match(folded):
                items.append(("standard", text, index))
            elif across and CRITERION_RE.match(folded):
                merged_criterion = {"criterion": others[0].lines}
                columns.setdefault("criterion", None)
                if index:
                    merged_criterion["index"] = [index]
                _set_code(merged_criterion, text)
                items.append(("row", merged_criterion))
                last_row = merged_criterion
                continue
            elif across and "area" not in columns:
                notes.warn(f"Dòng gộp {quote(text, 60)} không phải dòng mức hay tiêu chuẩn; đã ghi như một "
                           "tiêu chuẩn, hãy kiểm tra.")
                items.append(("standard", text, index))
            else:
                others = []  # an ordinary row, below
            if others:
                merged_criterion = last_row = None
                continue
        cells: dict[str, list[str]] = {}
        for cell in filled:
            cells.setdefault(field_of(cell), []).extend(cell.lines)
        criterion_text = "\n".join(cells.get("criterion", []))
        # A standard's heading in the criterion column, with the row's cells beside it.
        if criterion_text and _STANDARD_ROW_RE.match(fold(criterion_text)):
            heading = "\n".join(cells.pop("criterion"))
            index_lines = cells.pop("index", None)
            items.append(("standard", heading, "\n".join(index_lines) if index_lines else None))
            merged_criterion = last_row = None
            criterion_text = ""
            if not cells:
                continue
        criterion_cell = next((c for c in row if field_of(c) == "criterion"), None)
        target = None
        if merged_criterion is not None and not criterion_text:
            target = merged_criterion
        elif criterion_cell is not None and criterion_cell.continued and last_row is not None:
            target = last_row  # the criterion cell is merged down: more cells of the row above
        if target is not None:
            for name, lines in cells.items():
                target.setdefault(name, []).extend(lines)
            continue
        merged_criterion = None
        _set_code(cells, criterion_text)
        items.append(("row", cells))
        last_row = cells
    return items


def _set_code(row: dict[str, Any], criterion_text: str) -> None:
    match = CRITERION_RE.match(fold(criterion_text)) if criterion_text else None
    if match:
        row["code"] = f"{int(match.group(1))}.{int(match.group(2))}"
