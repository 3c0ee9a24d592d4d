"""The plan table: from the table (or its parts) to the plan's `table`.

Column headings give the columns (table_columns); the headings typed again anywhere in the table
and the rows that number the columns "(1) (2) (3)" are skipped; the rows are read one by one (table_rows) and
nested levels → standards → criteria when the table does, else kept as a flat list (areas).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .blocks import Cell, Para, Table
from .notes import Notes, quote
from .table_columns import (
    CELL_ORDER,
    add_sub_headings,
    column_field,
    header_row,
    heading_fields,
    labelled,
    order_columns,
    sub_heading_row,
)
from .table_rows import (
    CRITERION_RE,
    LEVEL_ROW_RE,
    STANDARD_ROW_RE,
    roman_standard_number,
    standard_number,
    table_items,
)
from .text import fold


def read_plan_table(parts: list[Table | Para], notes: Notes,
                    unplaced: Callable[[str], None]) -> tuple[dict[str, Any], int]:
    """The plan's table from its parts (tables, and standards' headings typed as paragraphs between
    them: rows across the table); and how many of its rows name a criterion."""
    tables = [part for part in parts if isinstance(part, Table)]
    first = tables[0]
    width = max(t.width for t in tables)
    head_at = header_row(first) or 0
    heading_cells = [c for c in first.rows[head_at] if not c.continued]
    # Rows above the column headings (a caption row, say) are kept as unplaced text.
    for row in first.rows[:head_at]:
        for cell in row:
            for line in cell.lines:
                unplaced(line)
    columns, fields_by_col, labels = heading_fields(heading_cells, notes)
    rows = first.rows[head_at + 1:]
    sub_headings: list[str] = []
    if rows and sub_heading_row(rows[0], heading_cells, _content):
        labels = {**labels, **add_sub_headings(rows[0], columns, fields_by_col, notes)}
        sub_headings = [" ".join(c.lines) for c in rows[0] if c.lines and not c.continued]
        rows = rows[1:]
    # A row that numbers the columns, "(1) (2) (3) …", under the headings: layout, not content.
    if rows and sum(bool(c.lines) for c in rows[0]) >= 3 and all(
            re.fullmatch(r"\(?\d{1,2}\)?", line) for c in rows[0] for line in c.lines):
        for line in (line for c in rows[0] for line in c.lines):
            notes.skip(line, "Bỏ qua dòng đánh số cột «(1), (2), …» dưới dòng tiêu đề của bảng.")
        rows = rows[1:]
    before = parts.index(first)
    rows = [_row_across(part, width) for part in parts[:before] if isinstance(part, Para)] + rows
    for more in parts[before + 1:]:
        rows = rows + (more.rows if isinstance(more, Table) else [_row_across(more, width)])
    rows = labelled(_without_repeated_headings(rows, heading_cells, sub_headings, notes), labels, notes)
    # A "TT" column that holds "Tiêu chí 1.1: …" is the criterion column.
    if "criterion" not in columns and "index" in columns:
        index_cells = [c for row in rows for c in row
                       if fields_by_col.get(c.col) == "index" and c.lines and c.span == 1]
        if any(CRITERION_RE.match(fold(c.lines[0])) for c in index_cells):
            heading = columns["index"]
            columns = {("criterion" if k == "index" else k): v for k, v in columns.items()}
            fields_by_col = {k: ("criterion" if v == "index" else v) for k, v in fields_by_col.items()}
            notes.warn(f"Cột {quote(heading, 20)} ghi tên tiêu chí nên được ghi là cột tiêu "
                       "chí (criterion), hãy kiểm tra.")

    def field_at(col: int) -> str:
        if col in fields_by_col:
            return fields_by_col[col]
        left = [c for c in fields_by_col if c <= col]
        return fields_by_col[max(left)] if left else next(iter(columns), "note")

    def fields_of(cell: Cell) -> list[str]:
        return list(dict.fromkeys(field_at(col) for col in range(cell.col, cell.col + cell.span)))

    origins = {id(cell): origin for table in tables for cell, origin in _merge_origins(table)}
    items = table_items(rows, fields_of, lambda cell: origins.get(id(cell)), columns, width, notes)
    order_columns(columns)
    criteria_rows = sum(1 for item in items if item[0] == "row" and item[1].get("code"))
    return {"columns": columns, **_grouped(items, columns, notes)}, criteria_rows


def _row_across(para: Para, width: int) -> list[Cell]:
    """A heading typed as a paragraph between the parts of the table: a row merged across the table."""
    return [Cell([para.text], 0, width)]


def _without_repeated_headings(rows: list[list[Cell]], heading_cells: list[Cell], sub_headings: list[str],
                               notes: Notes) -> list[list[Cell]]:
    """The rows without the column headings typed again (at a page break, or a part of the table; their
    second line too), and without the row numbering the columns "1 2 3 …" anywhere; their text is the
    headings', kept as skipped."""
    kept: list[list[Cell]] = []
    for row in rows:
        texts = [" ".join(c.lines) for c in row if c.lines and not c.continued]
        if (_repeats_headings(row, heading_cells) or _numbers_columns(row)
                or (sub_headings and [fold(t) for t in texts] == [fold(t) for t in sub_headings])):
            for line in (line for c in row for line in c.lines):
                notes.skip(line)
        else:
            kept.append(row)
    if len(kept) < len(rows):
        notes.warn(f"Bỏ qua dòng tiêu đề cột lặp lại ở phần sau của bảng: {len(rows) - len(kept)} dòng (tiêu "
                   "đề cột hoặc dòng đánh số cột gõ lại, thường ở chỗ sang trang); chữ của chúng không được nhập.")
    return kept


def _content(text: str) -> bool:
    """A text that is a row of the plan, not a column heading: a level, a standard, a criterion, a number."""
    folded = fold(text)
    return bool(LEVEL_ROW_RE.match(folded) or STANDARD_ROW_RE.match(folded) or CRITERION_RE.match(folded)
                or re.fullmatch(r"[(\[]?\d{1,2}[)\].]?", text.strip()))


def _repeats_headings(row: list[Cell], heading_cells: list[Cell]) -> bool:
    """Every filled cell of the row repeats the heading in its place: the same words (case, spacing
    and punctuation aside), or a wording of the same column (not a criterion's name)."""
    texts = [" ".join(c.lines) for c in row if c.lines and not c.continued]
    headings = [" ".join(c.lines) for c in heading_cells if c.lines]
    if len(texts) != len(headings) or len(texts) < 2:
        return False

    def same(text: str, heading: str) -> bool:
        if re.sub(r"[\W_]+", "", fold(text)) == re.sub(r"[\W_]+", "", fold(heading)):
            return True
        name = column_field(text)
        return name is not None and name == column_field(heading) and not CRITERION_RE.match(fold(text))

    return all(same(text, heading) for text, heading in zip(texts, headings, strict=True))


def _numbers_columns(row: list[Cell]) -> bool:
    """ "1 2 3 …" or "(1) (2) (3) …": the numbers 1, 2, 3 … in order, one a cell, three at least."""
    lines = [line for c in row for line in c.lines]
    numbers = [re.fullmatch(r"[(\[]?(\d{1,2})[)\].]?", line.strip()) for line in lines]
    return len(lines) >= 3 and all(numbers) and [int(m.group(1)) for m in numbers if m] == list(
        range(1, len(lines) + 1))


def _merge_origins(table: Table) -> list[tuple[Cell, Cell]]:
    """Each lower part of a vertically merged cell with the cell it continues: the nearest cell above
    that starts in the same grid column (as the reader found it)."""
    pairs: list[tuple[Cell, Cell]] = []
    last: dict[int, Cell] = {}  # grid column -> the last cell starting there that is not a continuation
    for row in table.rows:
        for cell in row:
            if not cell.continued:
                last[cell.col] = cell
            elif cell.col in last:
                pairs.append((cell, last[cell.col]))
    return pairs


def _grouped(items: list[tuple], columns: dict[str, str | None], notes: Notes) -> dict[str, Any]:
    """levels → standards → criteria, or standards → criteria, or a flat list (areas)."""
    kinds = [item[0] for item in items]
    has_levels, has_standards = "level" in kinds, "standard" in kinds
    first_standard = kinds.index("standard") if has_standards else len(kinds)
    first_level = kinds.index("level") if has_levels else len(kinds)
    nested = has_standards and "row" not in kinds[:first_standard] and (
        not has_levels or "standard" not in kinds[:first_level])
    if not nested:
        if has_levels or has_standards:
            notes.warn("Bảng có dòng nằm ngoài tiêu chuẩn (hoặc tiêu chuẩn nằm ngoài mức); đã ghi bảng "
                       "thành danh sách dòng (areas), các dòng tiêu chuẩn/mức thành dòng thường.")
        return {"areas": _areas(items, columns)}
    levels: list[dict[str, Any]] = []
    standards: list[dict[str, Any]] = []
    misplaced: list[str] = []  # criteria under a standard of another number
    number: int | None = None  # the number of the standard the criteria rows are under
    for item in items:
        if item[0] == "level":
            levels.append({"heading": item[1], "standards": []})
            standards = levels[-1]["standards"]
        elif item[0] == "standard":
            standard: dict[str, Any] = {}
            if item[2]:
                standard["index"] = item[2]
            standard["heading"] = item[1]
            number = standard_number(item[1])
            if roman_standard_number(item[1]):
                standard["number"] = number  # the site reads digits
            standard["criteria"] = []
            standards.append(standard)
        else:
            standards[-1]["criteria"].append(_row_out(item[1], columns))
            code = item[1].get("code")
            if number and code and not code.startswith(f"{number}."):
                misplaced.append(f"{code} dưới {quote(standards[-1]['heading'], 30)}")
    if misplaced:
        notes.warn(f"Tiêu chí nằm dưới tiêu chuẩn khác số (dòng bảng không theo thứ tự?): {'; '.join(misplaced[:5])}"
                   f"{f' và {len(misplaced) - 5} tiêu chí khác' if len(misplaced) > 5 else ''}; "
                   "đã ghi theo thứ tự trong văn bản, hãy kiểm tra.")
    all_standards = [s for group in levels for s in group["standards"]] if levels else standards
    for standard in all_standards:
        if not standard["criteria"]:
            del standard["criteria"]
    for group in levels:
        if not group["standards"]:
            del group["standards"]
    return {"levels": levels} if levels else {"standards": standards}


def _areas(items: list[tuple], columns: dict[str, str | None]) -> list[dict[str, Any]]:
    """A flat list of rows; level and standard headings become rows of their own."""
    target = "area" if "area" in columns else "criterion"
    if any(item[0] != "row" for item in items):
        columns.setdefault(target, None)
    if any(item[0] != "row" and item[2] for item in items):
        columns.setdefault("index", None)
    order_columns(columns)
    out = []
    for item in items:
        if item[0] == "row":
            out.append(_row_out(item[1], columns))
        else:
            row = {target: item[1].split("\n")}
            if item[2]:
                row["index"] = [item[2]]
            out.append(_row_out(row, columns))
    return out


def _row_out(row: dict[str, Any], columns: dict[str, str | None]) -> dict[str, Any]:
    """Code first, then the cells in the table's column order."""
    out: dict[str, Any] = {}
    if row.get("code"):
        out["code"] = row["code"]
    for name in list(columns) + [n for n in CELL_ORDER if n not in columns]:
        lines = row.get(name)
        if lines:
            out[name] = lines
    return out
