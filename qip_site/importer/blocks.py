"""The reader's output, what every later step reads: the document as a flat list of paragraph lines and tables."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Para:
    text: str  # one line, tabs as spaces, stripped
    raw: str  # the same line with its tabs, for two-column lines laid out with tabs
    bold: bool = False


@dataclass
class Cell:
    lines: list[str]
    col: int  # first grid column
    span: int
    continued: bool = False  # the lower part of a vertically merged cell: counted once, above


@dataclass
class Table:
    rows: list[list[Cell]]
    width: int

    def lines(self) -> list[str]:
        return [line for row in self.rows for cell in row for line in cell.lines]


Block = Para | Table


def block_lines(block: Block) -> list[str]:
    """A paragraph's line, or a table's cell lines in order."""
    return [block.text] if isinstance(block, Para) else block.lines()
