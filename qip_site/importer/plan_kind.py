"""Whether the document is a quality improvement plan at all, before anything is written.

A plan is titled "Kế hoạch …" at the top of the document (after the header block, before any
body text), or holds a plan table: a table whose column headings name what is to be done
(biện pháp, điểm yếu, kết quả cần đạt …) and who, when or at what cost (người phụ trách, thời
gian, kinh phí). A document with neither (a self-assessment report, whose evidence table has
"Mã minh chứng", "Nơi ban hành" columns, say) is refused, and the message names the title it has
instead. A "Kế hoạch …" title that does not say "cải tiến" (or "khắc phục") and comes without a
plan table is imported with a warning: schools do write a bare "KẾ HOẠCH" over a plan.
"""

from __future__ import annotations

import re

from .blocks import Block, Para, Table
from .header import header_kind
from .notes import ImportFailed, Notes, quote
from .table_columns import column_field, header_row
from .text import decoration, fold, is_upper, words

_WHAT = {"measures", "weakness", "target"}
_WHO_WHEN = {"responsible", "timeline", "budget"}
# The first words of the titles of Vietnamese administrative documents (on folded text).
_DOCUMENT_RE = re.compile(r"^(bao cao|to trinh|quyet dinh|bien ban|thong bao|ke hoach|huong dan|chuong trinh|"
                          r"de an|cong van|danh sach|phu luc|quy che|quy dinh|nghi quyet|giay|phieu|bang)\b")
_IMPROVEMENT_RE = re.compile(r"\b(cai tien|khac phuc)\b")


def check_plan_kind(blocks: list[Block], roles: dict[int, str], notes: Notes) -> None:
    """Raises ImportFailed when the document is not a plan; warns on a plan title that names no improvement."""
    plan = next((blocks[i] for i, role in roles.items() if role == "plan"), None)
    has_table = isinstance(plan, Table) and plan_table(plan)
    title_at = sorted(i for i, role in roles.items() if role == "title")
    title = " ".join(block.text for i in title_at if isinstance(block := blocks[i], Para))
    titled = bool(title_at) and _document_title(blocks, title_at[0])
    if has_table:
        return
    if titled:
        if not _IMPROVEMENT_RE.search(fold(title)):
            notes.warn(f"Tên văn bản {quote(title)} không nói đây là kế hoạch cải tiến chất lượng, và văn bản không "
                       "có bảng kế hoạch; hãy kiểm tra đúng là tệp kế hoạch cải tiến chất lượng.")
        return
    found = _found_title(blocks)
    raise ImportFailed(
        "tệp này không giống một kế hoạch cải tiến chất lượng: không có tên văn bản «Kế hoạch … cải tiến chất "
        "lượng» ở đầu văn bản, và không có bảng kế hoạch (cột biện pháp, người phụ trách, thời gian …). "
        f"{found} Chưa ghi tệp nào; hãy chọn đúng tệp kế hoạch cải tiến chất lượng rồi nhập lại.")


def plan_table(table: Table) -> bool:
    """Column headings naming what is to be done, and who, when or at what cost."""
    at = header_row(table)
    if at is None:
        return False
    fields = {column_field(" ".join(cell.lines)) for cell in table.rows[at] if cell.lines}
    return bool(fields & _WHAT) and bool(fields & _WHO_WHEN)


def _document_title(blocks: list[Block], at: int) -> bool:
    """Whether the "Kế hoạch …" line at `at` is the document's title: short, and only header lines before it."""
    block = blocks[at]
    if not isinstance(block, Para) or words(block.text) > 20:
        return False
    for before in blocks[:at]:
        if not isinstance(before, Para) or decoration(before.text) or header_kind(before.text):
            continue
        if _DOCUMENT_RE.match(fold(before.text)) or (not is_upper(before.text) and words(before.text) >= 8):
            return False  # another document's title, or body text, comes first
    return True


def _found_title(blocks: list[Block]) -> str:
    """What the document is titled instead, for the message."""
    paras = [b.text for b in blocks if isinstance(b, Para) and not decoration(b.text)]
    title = next((text for text in paras if _DOCUMENT_RE.match(fold(text)) and words(text) <= 20), None)
    if title is not None:
        return f"Tên văn bản tìm thấy: {quote(title)}."
    if paras:
        return f"Dòng đầu của văn bản: {quote(paras[0])}."
    return "Văn bản chỉ có bảng."
