"""The two columns of the header and signature blocks: a table's left and right cells, or a line's parts."""

from __future__ import annotations

import re

from .blocks import Block, Table
from .text import words


def split_columns(raw: str) -> list[str]:
    """A two-column line laid out with tabs, or with runs of spaces between phrases: its parts."""
    parts = [p.strip() for p in re.split(r"\t+", raw) if p.strip()] or [raw.strip()]
    out: list[str] = []
    for part in parts:
        pieces = [p.strip() for p in re.split(r" {4,}", part) if p.strip()]
        out.extend(pieces if len(pieces) > 1 and all(words(p) >= 2 for p in pieces) else [part])
    return out


def column_items(block: Block, signature: bool = False) -> list[tuple[str, str | None]]:
    """Lines of a header or signature block with their side: "L", "R", or None when unknown. In a signature
    table of three columns or more (an office's approval, "Nơi nhận:", the school's signer), only the last
    column is the right side, the signer's."""
    if isinstance(block, Table):
        split = max((c.col for row in block.rows for c in row if c.lines), default=0) if signature else 1
        split = max(split, 1)
        left = [line for row in block.rows for c in row if c.col < split for line in c.lines]
        right = [line for row in block.rows for c in row if c.col >= split for line in c.lines]
        return [(line, "L") for line in left] + [(line, "R") for line in right]
    parts = split_columns(block.raw)
    if len(parts) > 1:
        return [(parts[0], "L")] + [(p, "R") for p in parts[1:]]
    return [(block.text, None)]
