"""Which block is which part of the plan document.

Each block gets a role: "header" (the two-column block on top), "title" (the "KẾ HOẠCH …"
lines; or typed in the header's table: title_in_header), "section" (a Roman-numeral heading, or "1.", "2." in
capitals when there is none), "plan" and "plan-more" (the plan table, and its other parts:
plan_parts), "closing" ("Trên đây là …") and "signature" (from "Nơi nhận:" or the signer's
position). Blocks with no role are the preamble or the current section's body.
"""

from __future__ import annotations

import re

from .blocks import Block, Para, Table, block_lines
from .header import header_kind, header_like
from .notes import Notes, quote
from .plan_parts import plan_parts
from .signature import signature_start
from .table_columns import header_row, plans_work
from .text import RANGE_RE, ROMANS, fold, is_upper, words

# On folded text unless said otherwise.
_TITLE_RE = re.compile(r"^ke\s*hoach\b")
_TITLE_MORE_RE = re.compile(r"^(nam hoc|chu ky|giai doan|lo trinh|tu nam|truong|ve viec|v/v|\()")
_TITLE_NAME_RE = re.compile(r"^cai tien chat luong")  # "KẾ HOẠCH" / "Cải tiến chất lượng giáo dục", not in capitals
_ROMAN_RE = re.compile(r"^\s*([IVX]{1,5})\s*[.):–-]\s*(\S.*)$")  # on the text as written
_ARABIC_SECTION_RE = re.compile(r"^\d{1,2}\s*[.)]\s*\S")  # on the text as written
_CLOSING_RE = re.compile(r"^tren day\b")
_APPENDIX_RE = re.compile(r"^phu luc\b")


def find_roles(blocks: list[Block], notes: Notes) -> dict[int, str]:
    """The role of each block that has one, by its index."""
    roles: dict[int, str] = {}
    headed = {i: b for i, b in enumerate(blocks) if isinstance(b, Table) and header_row(b) is not None
              and not header_like(b.lines())}
    # The plan table names what is done; a table before it may sum up strengths and weaknesses per criterion.
    plan = next((i for i, b in headed.items() if plans_work(b)), next(iter(headed), None))
    if plan is not None:
        roles[plan] = "plan"
        roles.update(plan_parts(blocks, plan))
    romans = _section_headings(blocks, notes)
    for i in romans:
        roles[i] = "section"
    first_body = min([i for i in romans + ([plan] if plan is not None else [])], default=len(blocks))
    title = next((i for i, b in enumerate(blocks[:first_body])
                  if isinstance(b, Para) and _TITLE_RE.match(fold(b.text))), None)
    # Header: everything before the title; without a title, the leading header-like lines and tables.
    if title is not None:
        for i in range(title):
            roles[i] = "header"
    else:
        for i, block in enumerate(blocks[:first_body]):
            if isinstance(block, Table) and header_like(block.lines()):
                roles[i] = "header"
            elif isinstance(block, Para) and header_kind(block.text):
                roles[i] = "header"
            else:
                break
    if title is not None:
        roles[title] = "title"
        count = 1
        for i in range(title + 1, first_body):
            block = blocks[i]
            if not isinstance(block, Para) or count >= 6 or not _title_more(block.text):
                break
            roles[i], count = "title", count + 1
    if title is not None and plan is not None:
        _second_plan(blocks, max(title, plan), headed, notes)
    # Closing and signature: after the last section heading and the plan table.
    last_body = max(romans + [i for i, r in roles.items() if r.startswith("plan")], default=-1)
    start = max([last_body] + [i for i, r in roles.items() if r in ("header", "title")]) + 1
    closing = next((i for i in range(start, len(blocks))
                    if isinstance(blocks[i], Para) and _CLOSING_RE.match(fold(blocks[i].text))), None)
    sign_from = closing + 1 if closing is not None else start
    signature = next((i for i in range(sign_from, len(blocks)) if signature_start(blocks[i])), None)
    if closing is not None:
        for i in range(closing, signature if signature is not None else len(blocks)):
            roles[i] = "closing"
    if signature is not None:
        # An appendix after the signature ("PHỤ LỤC", its tables) is a section of its own, the last.
        appendix = next((i for i, b in enumerate(blocks) if i > signature and isinstance(b, Para)
                         and _APPENDIX_RE.match(fold(b.text))), len(blocks))
        for i in range(signature, appendix):
            roles[i] = "signature"
        if appendix < len(blocks):
            roles[appendix] = "section"
            notes.warn(f"Phần {quote(block_lines(blocks[appendix])[0], 40)} sau chữ ký được nhập thành mục cuối của kế hoạch "
                       "(trang web hiện mục này trước chữ ký); hãy kiểm tra.")
    return roles


def _second_plan(blocks: list[Block], after: int, headed: dict[int, Table], notes: Notes) -> None:
    """Say a second plan in the same file (the 5-year plan, then the annual plan): another title in capitals,
    "KẾ HOẠCH" and "CẢI TIẾN CHẤT LƯỢNG", after the plan table, with a plan table of its own below it."""
    for i in range(after + 1, len(blocks)):
        block = blocks[i]
        if not (isinstance(block, Para) and _TITLE_RE.match(fold(block.text)) and is_upper(block.text)):
            continue
        lines = [b.text for b in blocks[i:i + 4] if isinstance(b, Para)]
        if "cai tien chat luong" in fold(" ".join(lines[:2])) and any(
                j > i and plans_work(table) for j, table in headed.items()):
            notes.warn(f"Tệp Word có hai kế hoạch: sau bảng kế hoạch đầu có thêm tên văn bản "
                       f"{quote(' '.join(lines[:3]), 100)} và bảng của nó. Lệnh chỉ nhập kế hoạch đầu; chữ của kế "
                       "hoạch sau được đưa vào các mục của kế hoạch này. Hãy tách tệp Word thành hai tệp, mỗi tệp "
                       "một kế hoạch, rồi nhập từng tệp.")
            return


def _section_headings(blocks: list[Block], notes: Notes) -> list[int]:
    """"I. …", "II. …"; without them, "1. MỤC ĐÍCH", "2. …" in capitals (two at least, said so)."""
    romans = [i for i, b in enumerate(blocks) if isinstance(b, Para) and _roman(b.text)]
    if romans:
        return romans
    arabic = [i for i, b in enumerate(blocks) if isinstance(b, Para) and _ARABIC_SECTION_RE.match(b.text)
              and is_upper(b.text) and words(b.text) <= 15]
    if len(arabic) < 2:
        return []
    notes.warn("Không thấy mục đánh số La Mã (I., II., …); đã dùng các dòng viết hoa đánh số "
               "1., 2., … làm tiêu đề mục, hãy kiểm tra.")
    return arabic


def _roman(text: str) -> bool:
    match = _ROMAN_RE.match(text)
    return bool(match) and match.group(1) in ROMANS


def _title_more(text: str) -> bool:
    """A line that goes on the title: the year, the cycle, the school ("Năm học 2023 - 2024"); not a sentence that
    names years ("Thực hiện Kế hoạch số 45/KH-UBND … giai đoạn 2021-2025;": the preamble's)."""
    folded = fold(text)
    if _roman(text) or _CLOSING_RE.match(folded) or folded.startswith("can cu") or words(text) > 25:
        return False
    sentence = words(text) > 12 or text.rstrip().endswith((";", ".", ":"))
    return is_upper(text) or bool(_TITLE_MORE_RE.match(folded)) or (
        bool(RANGE_RE.search(text) or _TITLE_NAME_RE.match(folded)) and not sentence)


def title_in_header(items: list[tuple[str, str | None]]) -> tuple[list[str], list[tuple[str, str | None]]]:
    """The title typed in the header's table (a row across it, below the two columns): its lines, and
    the header's other lines. Used when no paragraph is the title."""
    start = next((i for i, (text, _) in enumerate(items) if _TITLE_RE.match(fold(text))), None)
    if start is None:
        return [], items
    end = start + 1
    while end < len(items) and end - start < 6 and items[end][1] == items[start][1] and _title_more(items[end][0]):
        end += 1
    return [text for text, _ in items[start:end]], items[:start] + items[end:]
