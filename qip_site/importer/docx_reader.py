"""The Word document read into blocks, in document order.

Paragraphs become one `Para` a line (Word's automatic numbering put in front, legacy
encodings converted to Unicode, text boxes read once where they are anchored); tables become
a `Table` whose merged cells are counted once. Page headers and footers are not part of the
plan: their text is only collected, to be reported.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from .blocks import Block, Cell, Para, Table, block_lines
from .numbering import Numbering
from .ooxml import w, xpath
from .text import clean


class Reader:
    """Turns the Word document into blocks; counts what it converts from legacy encodings."""

    def __init__(self, document: Any):
        # Looked up on the package when a document is read, so that it can be replaced there.
        from . import legacy_to_unicode

        self.to_unicode = legacy_to_unicode
        self.document = document
        # The legacy encoding of the whole text, if any, decides for paragraphs too short to tell.
        self.encoding = _document_encoding(document)
        self.numbering = Numbering(document)
        self.encodings: Counter[str] = Counter()

    def blocks(self) -> list[Block]:
        out: list[Block] = []
        self._body(self.document.element.body, out)
        return out

    def _body(self, parent: Any, out: list[Block]) -> None:
        for child in parent.iterchildren():
            if child.tag == w("p"):
                out.extend(self._paragraph(child))
            elif child.tag == w("tbl"):
                out.append(self._table(child))
            elif child.tag in (w("sdt"), w("customXml")):
                content = child.find(w("sdtContent"))
                self._body(content if content is not None else child, out)

    def _paragraph(self, p: Any) -> list[Block]:
        parts: list[str] = []
        for run in xpath(p, ".//w:r[not(ancestor::w:moveFrom)]"):
            if xpath(run, "ancestor::w:p[1]")[0] is not p:
                continue  # a run of a text box inside this paragraph: read below
            for node in run.iterchildren():
                if node.tag == w("t"):
                    parts.append(node.text or "")
                elif node.tag in (w("tab"), w("ptab")):
                    parts.append("\t")
                elif node.tag in (w("br"), w("cr")):
                    parts.append("\n")
                elif node.tag == w("noBreakHyphen"):
                    parts.append("-")
        text = "".join(parts)
        if text.strip():
            text, encoding = self.to_unicode(text, self.encoding) if self.encoding else self.to_unicode(text)
            if encoding:
                self.encodings[encoding] += 1
        label = self.numbering.label(p)
        if label and text.strip():
            text = f"{label} {text.lstrip()}"
        bold = self._bold(p)
        out: list[Block] = []
        for line in clean(text).split("\n"):
            flat = re.sub(r"\s*\t\s*", " ", line).strip()
            if flat:
                out.append(Para(flat, line.strip(), bold))
        # Text boxes anchored in this paragraph (the Fallback copy of a text box is skipped).
        for box in xpath(p, ".//w:txbxContent[not(ancestor::mc:Fallback)]"):
            if xpath(box, "ancestor::w:p[1]")[0] is p:
                self._body(box, out)
        return out

    @staticmethod
    def _bold(p: Any) -> bool:
        runs = [r for r in p.findall(f".//{w('r')}") if "".join(t.text or "" for t in r.findall(w("t"))).strip()]
        if not runs:
            return False
        for run in runs:
            b = run.find(f"{w('rPr')}/{w('b')}")
            if b is None or b.get(w("val")) in ("0", "false", "off"):
                return False
        return True

    def _table(self, tbl: Any) -> Table:
        rows: list[list[Cell]] = []
        above: dict[int, Cell] = {}  # grid column -> the cell a vertical merge continues
        width = 0
        for tr in xpath(tbl, "./w:tr | ./w:sdt/w:sdtContent/w:tr | ./w:customXml/w:tr"):
            before = tr.find(f"{w('trPr')}/{w('gridBefore')}")
            col = int(before.get(w("val"), "0")) if before is not None else 0
            row: list[Cell] = []
            for tc in xpath(tr, "./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc"):
                span_node = tc.find(f"{w('tcPr')}/{w('gridSpan')}")
                span = int(span_node.get(w("val"), "1")) if span_node is not None else 1
                merge = tc.find(f"{w('tcPr')}/{w('vMerge')}")
                merge_val = None if merge is None else (merge.get(w("val")) or "continue")
                lines = self._cell_lines(tc)
                if merge_val == "continue" and col in above and not lines:
                    row.append(Cell([], col, span, continued=True))
                else:
                    cell = Cell(lines, col, span)
                    if merge_val == "restart":
                        above[col] = cell
                    else:
                        above.pop(col, None)
                    row.append(cell)
                col += span
            width = max(width, col)
            rows.append(row)
        return Table(rows, width)

    def _cell_lines(self, tc: Any) -> list[str]:
        blocks: list[Block] = []
        self._body(tc, blocks)
        return [line for block in blocks for line in block_lines(block)]

    def page_header_texts(self) -> list[str]:
        """Text in the page headers and footers of Word (not part of the plan; reported)."""
        texts: list[str] = []
        try:
            for section in self.document.sections:
                for part in (section.header, section.footer):
                    if part.is_linked_to_previous:
                        continue
                    for p in part.paragraphs:
                        if p.text.strip() and not p.text.strip().isdigit():
                            texts.append(clean(p.text).strip())
        except Exception:
            pass
        return list(dict.fromkeys(texts))


def _document_encoding(document: Any) -> str | None:
    try:
        from ..reading.legacy import detect
    except ImportError:  # pragma: no cover
        return None
    return detect("\n".join(t.text or "" for t in xpath(document.element.body, ".//w:t")))
