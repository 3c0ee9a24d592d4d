"""The plan table: from the table (or its parts) to the plan's `table`.

Column headings give the columns (table_columns); a repeated heading row and the row that
numbers the columns "(1) (2) (3)" are skipped; the rows are read one by one (table_rows) and
nested levels → standards → criteria when the table does, else kept as a flat list (areas).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .blocks import Cell, Table
from .notes import Notes, quote
from .table_columns import CELL_ORDER, header_row, heading_fields, order_columns
from .table_rows import CRITERION_RE, table_items
from .text import fold


def read_plan_table(tables: list[Table], notes: Notes,
                    unplaced: Callable[[str], None]) -> tuple[dict[str, Any], int]:
    """The plan's table from its parts; and how many of its rows name a criterion."""
    first = tables[0]
    head_at = header_row(first) or 0
    heading_cells = [c for c in first.rows[head_at] if not c.continued]
    # Rows above the column headings (a caption row, say) are kept as unplaced text.
    for row in first.rows[:head_at]:
        for cell in row:
            for line in cell.lines:
                unplaced(line)
    columns, fields_by_col = heading_fields(heading_cells, notes, unplaced)
    rows = first.rows[head_at + 1:]
    # A row that numbers the columns, "(1) (2) (3) …", under the headings: layout, not content.
    if rows and sum(bool(c.lines) for c in rows[0]) >= 3 and all(
            re.fullmatch(r"\(?\d{1,2}\)?", line) for c in rows[0] for line in c.lines):
        for line in (line for c in rows[0] for line in c.lines):
            notes.skip(line, "Bỏ qua dòng đánh số cột «(1), (2), …» dưới dòng tiêu đề của bảng.")
        rows = rows[1:]
    for more in tables[1:]:
        more_rows = more.rows
        if more_rows and [" ".join(c.lines) for c in more_rows[0] if not c.continued] == \
                [" ".join(c.lines) for c in heading_cells]:
            for line in (line for c in more_rows[0] for line in c.lines):
                notes.skip(line, "Bỏ qua dòng tiêu đề cột lặp lại ở phần sau của bảng.")
            more_rows = more_rows[1:]
        rows = rows + more_rows
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

    def field_of(cell: Cell) -> str:
        if cell.col in fields_by_col:
            return fields_by_col[cell.col]
        left = [c for c in fields_by_col if c <= cell.col]
        return fields_by_col[max(left)] if left else next(iter(columns), "note")

    items = table_items(rows, field_of, columns, max(t.width for t in tables), notes)
    order_columns(columns)
    criteria_rows = sum(1 for item in items if item[0] == "row" and item[1].get("code"))
    return {"columns": columns, **_grouped(items, columns, notes)}, criteria_rows


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
    for item in items:
        if item[0] == "level":
            levels.append({"heading": item[1], "standards": []})
            standards = levels[-1]["standards"]
        elif item[0] == "standard":
            standard: dict[str, Any] = {}
            if item[2]:
                standard["index"] = item[2]
            standard["heading"] = item[1]
            standard["criteria"] = []
            standards.append(standard)
        else:
            standards[-1]["criteria"].append(_row_out(item[1], columns))
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
