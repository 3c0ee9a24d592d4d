"""The plan table's rows, one at a time: a level, a standard, or a criterion row (cells by field).

Rows merged across the table are levels ("MỨC 1, 2, 3"), standards ("Tiêu chuẩn 1: …") or
criteria ("Tiêu chí 1.1: …", the rows below joining it); a row whose criterion cell is merged
down belongs to the row above; empty rows are dropped. A cell merged across columns or down rows
gives its value to each of them (to a row of its own only).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .blocks import Cell
from .notes import Notes, quote
from .text import fold

# On folded text.
LEVEL_ROW_RE = re.compile(r"^muc(?:\s*do)?\s*\d")
STANDARD_ROW_RE = re.compile(r"^tieu\s*chuan\s*(?:so\s*)?\d")
CRITERION_RE = re.compile(r"^(?:tieu\s*chi|tc)\s*(?:so\s*)?(\d+)\s*[.,]\s*(\d+)")  # "Tiêu chí 1.1", "TC 1.1"


def table_items(rows: list[list[Cell]], fields_of: Callable[[Cell], list[str]],
                origin_of: Callable[[Cell], Cell | None], columns: dict[str, str | None],
                width: int, notes: Notes) -> list[tuple]:
    """The table's rows as ("level", heading, None), ("standard", heading, index) and ("row", cells).

    `fields_of` gives the fields of the columns a cell spans, `origin_of` the cell a vertically
    merged one continues. A merged cell's value goes to every column it spans, and to every row it
    spans that is a row of its own (not a row joining the one above); said once, and its copies
    kept in `notes.copied` for the count of what is written.
    """

    def field_of(cell: Cell) -> str:
        return fields_of(cell)[0]

    items: list[tuple] = []
    copied_cells: set[int] = set()  # ids of the merged cells whose value was copied
    copied_rows = 0
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
            if LEVEL_ROW_RE.match(folded) and index is None:
                items.append(("level", text, None))
            elif STANDARD_ROW_RE.match(folded):
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
        headed = False  # the criterion cell is a standard's heading: not copied to other columns
        # A standard's heading in the criterion column, with the row's cells beside it.
        if criterion_text and STANDARD_ROW_RE.match(fold(criterion_text)):
            headed = True
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
        copies = _copies(row, fields_of, origin_of, own_row=target is None,
                         skip={"criterion", "index"} if headed else set())
        for source, name, lines in copies:
            cells.setdefault(name, []).extend(lines)
            notes.copied.extend(lines)
            copied_cells.add(id(source))
        copied_rows += bool(copies)
        if target is not None:
            for name, lines in cells.items():
                target.setdefault(name, []).extend(lines)
            continue
        merged_criterion = None
        _set_code(cells, criterion_text)
        items.append(("row", cells))
        last_row = cells
    if copied_cells:
        notes.warn(f"{len(copied_cells)} ô gộp (merged) được chép cho mọi dòng, mọi cột chúng trải qua "
                   f"({copied_rows} dòng của bảng); hãy soát lại các dòng này và xoá chỗ chép thừa.")
    return items


def _copies(row: list[Cell], fields_of: Callable[[Cell], list[str]], origin_of: Callable[[Cell], Cell | None],
            own_row: bool, skip: set[str]) -> list[tuple[Cell, str, list[str]]]:
    """What the merged cells give this row: (merged cell, field, its lines).

    A cell merged across columns gives its value to the other columns' fields; a cell merged down,
    to the rows below it that are rows of their own. Never to the index column (a row's number).
    """
    out: list[tuple[Cell, str, list[str]]] = []
    for cell in row:
        if cell.continued:
            origin = origin_of(cell)
            if not own_row or origin is None:
                continue
            source, names = origin, fields_of(cell)
        elif cell.lines and fields_of(cell)[0] not in skip:
            source, names = cell, fields_of(cell)[1:]
        else:
            continue
        out.extend((source, name, source.lines) for name in names if name != "index" and source.lines)
    return out


def _set_code(row: dict[str, Any], criterion_text: str) -> None:
    match = CRITERION_RE.match(fold(criterion_text)) if criterion_text else None
    if match:
        row["code"] = f"{int(match.group(1))}.{int(match.group(2))}"
