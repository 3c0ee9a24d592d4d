"""The plan table's columns: which heading row, which field each heading is, where an unknown column goes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from .blocks import Cell, Table
from .notes import Notes, quote
from .text import fold

# Column headings in their many wordings (folded), checked in this order; the first match wins.
COLUMN_RULES: list[tuple[str, re.Pattern]] = [
    ("index", re.compile(r"^(s?tt|so tt|so thu tu)\.?$")),
    ("area", re.compile(r"linh vuc")),
    ("timeline", re.compile(r"thoi gian|thoi han|tien do|thoi diem")),
    ("budget", re.compile(r"kinh phi|du toan|nguon von|chi phi")),
    ("note", re.compile(r"ghi chu")),
    ("responsible", re.compile(r"phu trach|chu tri|phoi hop|nguoi thuc hien|don vi thuc hien|bo phan thuc hien"
                               r"|trach nhiem|luc luong thuc hien")),
    ("support", re.compile(r"dieu kien|nguon luc|ho tro")),
    ("target", re.compile(r"ket qua|muc tieu|noi dung cai tien|chi tieu|yeu cau can dat")),
    ("weakness", re.compile(r"diem yeu|hien trang|thuc trang|han che|ton tai|van de")),
    ("measures", re.compile(r"bien phap|cong viec|giai phap|ke hoach cai tien|hoat dong|noi dung")),
    ("criterion", re.compile(r"tieu chi|tieu chuan")),
]
# Where an unknown column goes when its own field is taken, in order of preference.
SPARE_FIELDS = ["note", "support", "weakness", "target", "measures", "responsible"]
FIELD_NAMES = {
    "index": "số thứ tự", "criterion": "tiêu chí", "area": "lĩnh vực", "weakness": "điểm yếu",
    "target": "kết quả cần đạt", "measures": "biện pháp", "responsible": "người phụ trách",
    "timeline": "thời gian", "budget": "kinh phí", "support": "điều kiện hỗ trợ", "note": "ghi chú",
}
CELL_ORDER = list(FIELD_NAMES)
# A school year as a column's heading (folded): "2024-2025", "Năm học 2024 - 2025", "NH 2024-2025".
_YEAR_HEADING_RE = re.compile(r"(nam hoc|nh)?\s*\d{4}\s*[-–—/]\s*\d{4}")


def column_field(heading: str) -> str | None:
    folded = fold(heading)
    for name, pattern in COLUMN_RULES:
        if pattern.search(folded):
            return name
    return None


def header_row(table: Table) -> int | None:
    """The row of column headings: the first of the first three rows with two known headings."""
    for i, row in enumerate(table.rows[:3]):
        known = [c for c in row if c.lines and column_field(" ".join(c.lines))]
        if len(known) >= 2:
            return i
    return None


# The fields only a plan says: what is done, by whom, when, with what (a table of strengths and weaknesses
# per criterion, "Tiêu chí | Điểm mạnh | Điểm yếu | Nguyên nhân", has none).
PLAN_FIELDS = {"target", "measures", "responsible", "timeline", "budget", "support"}


def plans_work(table: Table) -> bool:
    """Whether the table's column headings name what a plan does: measures, who, when, money."""
    head = header_row(table)
    return head is not None and any(
        column_field(" ".join(c.lines)) in PLAN_FIELDS for c in table.rows[head] if c.lines)


def heading_fields(heading_cells: list[Cell], notes: Notes
                   ) -> tuple[dict[str, str | None], dict[int, str], dict[int, str]]:
    """The columns (field -> heading as written), the field of each grid column, and the label of each grid
    column whose values are written after one: the school year of a column headed by one (year_columns), the
    heading of a column in excess.

    A heading that matches no field, or a field already taken, goes to a spare field (said so); with none left,
    to the note, its values labelled with its heading (said so).
    """
    fields_by_col: dict[int, str] = {}
    columns: dict[str, str | None] = {}
    years = year_columns(heading_cells)
    labels = dict(years)  # the grid columns whose values are written after a label: years, and columns in excess
    excess: list[str] = []
    for cell in heading_cells:
        heading = "\n".join(cell.lines)
        if not heading:
            continue
        name = column_field(heading)
        if cell.col in years or (name == "timeline" and years):
            # The school years and the time column share the timeline, each value after its year.
            columns["timeline"] = "\n".join(filter(None, [columns.get("timeline"), heading]))
            for col in range(cell.col, cell.col + cell.span):
                fields_by_col[col] = "timeline"
            continue
        if name is None or name in columns:
            spare = next((f for f in SPARE_FIELDS if f not in columns and not any(
                column_field("\n".join(c.lines)) == f for c in heading_cells)), None)
            why = "không khớp trường nào" if name is None else f"trùng trường {name} của cột trước"
            if spare is None:
                # Its values go to the note, each after the column's heading ("Sản phẩm: Kế hoạch"), so that they
                # are not taken for the note column's own.
                notes.warn(f"Cột {quote(heading, 40)} {why} và không còn trường trống; nội dung cột được đưa vào "
                           f"cột ghi chú (note), mỗi giá trị ghi sau tên cột («{heading}: …»), hãy kiểm tra.")
                excess.append(heading)
                for col in range(cell.col, cell.col + cell.span):
                    fields_by_col[col] = "note"
                    labels[col] = heading
                continue
            else:
                notes.warn(f"Cột '{heading}' {why}, đã giữ nguyên tên cột và đưa vào cột "
                           f"{FIELD_NAMES[spare]} ({spare}), hãy kiểm tra.")
                name = spare
        if name not in columns:
            columns[name] = heading
        for col in range(cell.col, cell.col + cell.span):
            fields_by_col[col] = name
    if excess and "note" not in columns:
        columns["note"] = "\n".join(excess)
    elif excess:
        for heading in excess:
            notes.skip(heading)  # written before each of its values instead (said above)
    if years:
        notes.warn("Bảng có các cột năm học (" + ", ".join(quote(y, 20) for y in dict.fromkeys(years.values()))
                   + ") được ghép vào cột thời gian (timeline); giá trị mỗi cột ghi sau năm học của nó "
                   "(«2024-2025: x»); hãy kiểm tra.")
    return columns, fields_by_col, labels


def year_columns(heading_cells: list[Cell]) -> dict[int, str]:
    """The grid columns headed by a school year ("2024-2025", "Năm học 2025-2026"), two at least, as a
    multi-year plan ticks the years a measure runs: grid column -> its heading."""
    years = {col: " ".join(cell.lines) for cell in heading_cells if cell.lines
             and _YEAR_HEADING_RE.fullmatch(fold(" ".join(cell.lines)))
             for col in range(cell.col, cell.col + cell.span)}
    return years if len(set(years.values())) >= 2 else {}


def order_columns(columns: dict[str, str | None]) -> None:
    """A column added for merged rows (criterion, written across the row) goes after the index column."""
    added = [k for k in ("criterion", "area") if k in columns and columns[k] is None]
    index = ["index"] if "index" in columns and columns["index"] is None else []
    rest = [k for k in columns if k not in added + index]
    at = 1 if rest[:1] == ["index"] else 0
    order = index + rest[:at] + added + rest[at:]
    items = [(k, columns[k]) for k in order]
    columns.clear()
    columns.update(items)


def sub_heading_row(row: list[Cell], heading_cells: list[Cell], is_content: Callable[[str], bool]) -> bool:
    """Whether `row`, just under the headings, is their second line: "Chủ trì | Phối hợp" under a heading
    "Người thực hiện" that spans both columns, the other headings merged down into it.

    Each of its texts stands under a heading, is short and is not content (`is_content`: a level, a
    standard, a criterion, a number); and the headings reach into the row (merged down) or span
    several columns above one of its texts.
    """
    filled = [c for c in row if c.lines and not c.continued]
    if not filled:
        return False
    above = {}
    for cell in filled:
        heading = next((h for h in heading_cells if h.lines and h.col <= cell.col < h.col + h.span), None)
        text = " ".join(cell.lines)
        if heading is None or len(text.split()) > 8 or is_content(text):
            return False
        above[id(cell)] = heading
    return any(c.continued for c in row) or any(above[id(c)].span > c.span for c in filled)


def add_sub_headings(row: list[Cell], columns: dict[str, str | None], fields_by_col: dict[int, str],
                     notes: Notes) -> dict[int, str]:
    """The texts of a second heading row joined to the heading of their column, each once, and said;
    the sub-heading of each grid column whose field several sub-headings share ("Chủ trì", "Phối hợp"),
    to stand before the values of that column (`labelled`)."""
    subs = [cell for cell in row if cell.lines and not cell.continued]
    for cell in subs:
        name = fields_by_col[cell.col]
        columns[name] = "\n".join([columns[name] or "", *cell.lines]).strip("\n")
    shared = Counter(fields_by_col[cell.col] for cell in subs)
    labels = {col: " ".join(cell.lines) for cell in subs if shared[fields_by_col[cell.col]] >= 2
              for col in range(cell.col, cell.col + cell.span)}
    notes.warn("Bảng có hai dòng tiêu đề cột; dòng thứ hai (" + ", ".join(quote(line, 30) for c in subs for line in c.lines)
               + ") được ghép vào tên cột phía trên" + (", giá trị các cột con ghi chung vào cột đó, sau tên cột con "
               "(«Chủ trì: …»)" if labels else "") + "; hãy kiểm tra.")
    return labels


def labelled(rows: list[list[Cell]], labels: dict[int, str], notes: Notes) -> list[list[Cell]]:
    """The rows, each value of a sub-column that shares its field with others after its sub-heading:
    "Chủ trì: Hiệu trưởng", "2024-2025: x" (the labels kept in `notes.copied`: not text of the cell)."""
    out = []
    for row in rows:
        cells = []
        for cell in row:
            label = labels.get(cell.col)
            if label and cell.lines and not cell.continued and all(
                    labels.get(col) == label for col in range(cell.col, cell.col + cell.span)):
                cell = Cell([f"{label}: {cell.lines[0]}", *cell.lines[1:]], cell.col, cell.span)
                notes.copied.append(f"{label}:")
            cells.append(cell)
        out.append(cells)
    return out
