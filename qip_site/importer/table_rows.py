"""The plan table's rows, one at a time: a level, a standard, or a criterion row (cells by field).

Rows merged across the table are levels ("MỨC 1, 2, 3"), standards ("Tiêu chuẩn 1: …") or
criteria ("Tiêu chí 1.1: …", or "Tiêu chí 1: …" under a standard; the rows below joining it); a row
whose criterion cell is merged down belongs to the row above; empty rows are dropped. A cell merged across columns
or down rows gives its value to each of them (to a row of its own only). A value of a joining row whose column was empty on a
row above is labelled with its row's first text, so that it stays tied to its row. Standards may be numbered in
Roman ("TIÊU CHUẨN II"); a criterion's code is read from "Tiêu chí 1.1", "TC 1.1", "1.1", "Tiêu chuẩn 1 - Tiêu chí
1.1" (a criterion row, not a standard), or "Tiêu chí 1" under the standard above (said). A standard's heading may
take two cells: "Tiêu chuẩn 1" in the criterion column, its name merged across the others.
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
STANDARD_ROW_RE = re.compile(r"^tieu\s*chuan\s*(?:so\s*)?(?:\d|[ivx]+\b)")  # "Tiêu chuẩn 1", "TIÊU CHUẨN II"
_STANDARD_NUMBER_RE = re.compile(r"^tieu\s*chuan\s*(?:so\s*)?(?:(\d+)|([ivx]+)\b)")
CRITERION_RE = re.compile(r"^(?:tieu\s*chi|tc)\s*(?:so\s*)?(\d+)\s*[.,]\s*(\d+)")  # "Tiêu chí 1.1", "TC 1.1"
# "1.1" alone in the criterion column; "Tiêu chí 1" without its standard's number (that of the standard above).
# "Tiêu chuẩn 1 - Tiêu chí 1.1": a criterion named after its standard, in one cell.
_CRITERION_AFTER_STANDARD_RE = re.compile(r"^tieu\s*chuan\s*(?:so\s*)?(?:\d+|[ivx]+)\b\W{0,3}\s*(?:tieu\s*chi|tc)\s*"
                                          r"(?:so\s*)?(\d+)\s*[.,]\s*(\d+)")
_BARE_CODE_RE = re.compile(r"^(\d{1,2})\s*[.,]\s*(\d{1,2})(?![\d.,])")
_BARE_CRITERION_RE = re.compile(r"^(?:tieu\s*chi|tc)\s*(?:so\s*)?(\d{1,2})(?!\s*[.,]?\s*\d)")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


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
    joined: dict[int, dict[str, int]] = {}  # id of a row that rows below join -> rows joined, by field
    labelled = 0
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
            elif across and (CRITERION_RE.match(folded) or _BARE_CRITERION_RE.match(folded)):
                merged_criterion = {"criterion": others[0].lines}
                columns.setdefault("criterion", None)
                if index:
                    merged_criterion["index"] = [index]
                _set_code(merged_criterion, text, items, notes)
                items.append(("row", merged_criterion))
                last_row = merged_criterion
                joined[id(merged_criterion)] = {"": 0}
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
        # A standard's heading in the criterion column, with the row's cells beside it (not a criterion named
        # after its standard, "Tiêu chuẩn 1 - Tiêu chí 1.1": that is a criterion row).
        folded_criterion = fold(criterion_text)
        if STANDARD_ROW_RE.match(folded_criterion) and not _CRITERION_AFTER_STANDARD_RE.match(folded_criterion):
            headed = True
            heading_lines = cells.pop("criterion")
            index_lines = cells.pop("index", None)
            rest = [c for c in filled if field_of(c) not in ("criterion", "index")]
            if len(rest) == 1 and rest[0].span > 1:
                # "Tiêu chuẩn 1 | Tổ chức và quản lý nhà trường" (the name merged across the other columns):
                # the heading in two cells, not a row.
                heading_lines = heading_lines + rest[0].lines
                cells = {}
            items.append(("standard", "\n".join(heading_lines), "\n".join(index_lines) if index_lines else None))
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
            labelled += _join(target, cells, joined.setdefault(id(target), {}), notes)
            continue
        merged_criterion = None
        _set_code(cells, criterion_text, items, notes)
        items.append(("row", cells))
        last_row = cells
        joined[id(cells)] = {"": 1, **{name: 1 for name in cells}}
    if copied_cells:
        notes.warn(f"{len(copied_cells)} ô gộp (merged) được chép cho mọi dòng, mọi cột chúng trải qua "
                   f"({copied_rows} dòng của bảng); hãy soát lại các dòng này và xoá chỗ chép thừa.")
    if labelled:
        notes.warn(f"{labelled} ô ở các dòng gộp chung một ô tiêu chí không thẳng hàng với các ô cùng dòng (dòng "
                   "trên để trống cột đó): đã ghi kèm chữ đầu của dòng mình phía trước («biện pháp: ghi chú») để "
                   "biết ô thuộc dòng nào; hãy kiểm tra.")
    return items


def _join(target: dict[str, Any], cells: dict[str, list[str]], counts: dict[str, int], notes: Notes) -> int:
    """The cells of a row joined to the row above (its criterion cell merged down): each field's lines after
    the target's. A value whose field was empty on a row above would sit beside another row's values: it is
    put after its own row's first text ("Họp hội đồng: Mời phụ huynh", the label kept in `notes.copied`).
    `counts` holds how many rows were joined ("") and how many gave each field. Returns the values labelled."""
    rows = counts.get("", 0)
    aligned = [name for name in cells if name not in ("criterion", "index") and counts.get(name, 0) == rows]
    labelled = 0
    for name, lines in cells.items():
        behind = name not in ("criterion", "index") and counts.get(name, 0) < rows
        key = next((other for other in aligned if other != name), None)
        if behind and key is not None and lines:
            label = cells[key][0]
            lines = [f"{label}: {lines[0]}", *lines[1:]]
            notes.copied.append(f"{label}:")
            labelled += 1
        target.setdefault(name, []).extend(lines)
        counts[name] = counts.get(name, 0) + 1
    counts[""] = rows + 1
    return labelled


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


def standard_number(heading: str) -> int | None:
    """The number of a standard, in digits or Roman: "Tiêu chuẩn 2: …", "TIÊU CHUẨN II" -> 2."""
    match = _STANDARD_NUMBER_RE.match(fold(heading))
    if not match:
        return None
    return int(match.group(1)) if match.group(1) else _ROMAN.get(match.group(2))


def roman_standard_number(heading: str) -> int | None:
    """The number of a standard written in Roman numerals, "TIÊU CHUẨN II: …" -> 2 (the site reads digits)."""
    match = _STANDARD_NUMBER_RE.match(fold(heading))
    return _ROMAN.get(match.group(2)) if match and match.group(2) else None


def _set_code(row: dict[str, Any], criterion_text: str, items: list[tuple] | None = None,
              notes: Notes | None = None) -> None:
    """The criterion's code, "1.1": from "Tiêu chí 1.1", "TC 1.1", "1.1"; from "Tiêu chí 1" under the standard
    numbered 2 (in digits or Roman), "2.1", said."""
    folded = fold(criterion_text)
    match = CRITERION_RE.match(folded) or _BARE_CODE_RE.match(folded) or _CRITERION_AFTER_STANDARD_RE.match(folded)
    if match:
        row["code"] = f"{int(match.group(1))}.{int(match.group(2))}"
        return
    match = _BARE_CRITERION_RE.match(folded)
    standard: str = next((item[1] for item in reversed(items or []) if item[0] == "standard"), "")
    number = standard_number(standard) if match and standard else None
    if match and number and notes is not None:
        row["code"] = f"{number}.{int(match.group(1))}"
        notes.warn(f"Tiêu chí {quote(criterion_text, 40)} không ghi số tiêu chuẩn: được ghi mã {row['code']} theo "
                   f"dòng {quote(standard, 40)} ở trên; hãy kiểm tra.")
