"""The parts of the plan table: the table, the same table broken in two by Word, and the tables a
school types one per standard, each under its standard's heading typed as a paragraph.

A table after the plan table is a part of it when it has the same columns and either only empty
paragraphs stand between them, or it repeats the column headings, or a standard's (or level's)
heading stands between them ("Tiêu chuẩn 2: …"). Those headings become rows of the table; the
other short lines between the parts ("(tiếp theo)") stay where they are. A standard's heading just
before the plan table is a row of it too, when the table itself starts with no standard.
"""

from __future__ import annotations

import re

from .blocks import Block, Cell, Para, Table
from .table_columns import header_row
from .table_rows import LEVEL_ROW_RE, STANDARD_ROW_RE
from .text import fold, words

_GAP = 4  # at most so many paragraphs between two parts
_SECTION_RE = re.compile(r"^\s*([IVX]{1,5}|\d{1,2})\s*[.):–-]\s*\S")  # a section's heading: not a gap
_CLOSING_RE = re.compile(r"^tren day\b")


def plan_parts(blocks: list[Block], plan: int) -> dict[int, str]:
    """The roles of the plan table's other parts: "plan-more" for each table and each heading row."""
    roles: dict[int, str] = {}
    first = blocks[plan]
    assert isinstance(first, Table)
    if _standard_line(blocks[plan - 1] if plan else None) and not _starts_with_standard(first):
        roles[plan - 1] = "plan-more"
    last = plan
    while True:
        gap: list[int] = []
        j = last + 1
        while j < len(blocks) and len(gap) < _GAP and _gap_line(blocks[j]):
            gap.append(j)
            j += 1
        part = blocks[j] if j < len(blocks) else None
        if not isinstance(part, Table) or part.width != first.width:
            return roles
        headings = [i for i in gap if _standard_line(blocks[i])]
        if gap and not headings and not _repeats_headings(part, first):
            return roles
        for i in headings:
            roles[i] = "plan-more"
        roles[j] = "plan-more"
        last = j


def _standard_line(block: Block | None) -> bool:
    return isinstance(block, Para) and bool(
        STANDARD_ROW_RE.match(fold(block.text)) or LEVEL_ROW_RE.match(fold(block.text)))


def _gap_line(block: Block) -> bool:
    """A short line between two parts of the table: not a section's heading, not the closing sentence."""
    return isinstance(block, Para) and words(block.text) <= 30 and not _SECTION_RE.match(
        block.text) and not _CLOSING_RE.match(fold(block.text))


def _starts_with_standard(table: Table) -> bool:
    head = header_row(table)
    for row in table.rows[(head if head is not None else -1) + 1:]:
        texts = [" ".join(c.lines) for c in row if c.lines and not c.continued]
        if texts:
            return any(STANDARD_ROW_RE.match(fold(t)) or LEVEL_ROW_RE.match(fold(t)) for t in texts)
    return False


def _repeats_headings(table: Table, first: Table) -> bool:
    """The table's first row holds the plan table's column headings, the same words."""
    head, again = header_row(first), header_row(table)
    if head is None or again != 0:
        return False

    def texts(row: list[Cell]) -> list[str]:
        return [re.sub(r"[\W_]+", "", fold(" ".join(c.lines))) for c in row if c.lines and not c.continued]

    return texts(table.rows[0]) == texts(first.rows[head])
