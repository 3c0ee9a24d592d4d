"""The Word document read into blocks, in document order.

Paragraphs become one `Para` a line (Word's automatic numbering put in front, legacy
encodings converted to Unicode, text boxes read once where they are anchored, a footnote's or
endnote's text put at the end of the paragraph that refers to it as "[1] text", content pulled in
from another file read where it stands: alt_chunk); tables become a `Table` whose merged cells are
counted once, except a table of one cell, which frames its content (a title, a whole page): read as
blocks. Deleted and moved-away text is not read, nor hidden text (Font → Hidden: said by checks.account),
nor Word's table of contents (the headings listed again with their pages, in a content control, in toc styles
or as the result of a TOC field, with the "MỤC LỤC" line just above it: `contents`, said). Page headers
and footers are not part of the plan: their text is only collected, to be reported.

`blocks()` returns a `ReadBlocks`: the blocks, with every line of the Word file read from its
package (source_text) and the text the reader added (numbering labels, note marks), for the
count of what is written (checks.account).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from .alt_chunk import chunk_lines
from .blocks import Block, Cell, Para, Table, block_lines
from .hidden import HiddenText
from .numbering import Numbering, format_number
from .ooxml import children, number, style_elements, val, w, xpath
from .source_text import HIDDEN, SourceLine, part_elements, source_lines
from .symbols import run_text, symbol
from .text import clean, fold

# Word's default number formats of footnotes and endnotes (settings.xml may choose others).
_NOTE_FORMATS = {"footnote": "decimal", "endnote": "lowerRoman"}
_TOC_GALLERY = "./w:sdtPr/w:docPartObj/w:docPartGallery[@w:val = 'Table of Contents']"
_TOC_STYLE_RE = re.compile(r"toc (\d|heading)")
# A run of spaces holding a tab is one space ("Số:\t12" -> "Số: 12"); each run read once (r"\s*\t\s*" read a
# long run of spaces without a tab again from each of its spaces).
_TAB_RUN_RE = re.compile(r"\s+")


class ReadBlocks(list[Block]):
    """The blocks read, with what the count of "nothing lost" needs: every line of the file (`source`,
    None when the blocks come from elsewhere) and the texts the reader added (`added`)."""

    source: list[SourceLine] | None = None
    added: list[str]


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
        self.conversions: dict[str, str] = {}  # a paragraph's text as read -> in Unicode
        self.added: list[str] = []  # texts put in that the file does not hold: numbering labels, note marks
        self.note_parts = {kind: _notes(document, kind) for kind in _NOTE_FORMATS}
        self.note_counts: Counter[str] = Counter()
        self.note_formats = {kind: _note_format(document, kind) for kind in _NOTE_FORMATS}
        self.chunks = 0  # contents pulled in from another file (alt_chunk) read
        self.unknown_symbols = 0  # signs typed with Insert → Symbol that symbols.symbol does not know
        self.lone_numbers: list[str] = []  # labels of empty numbered paragraphs of the body (not read: said)
        self.toc_styles = _toc_styles(document)
        self.contents: list[str] = []  # the lines of Word's table of contents (headings listed again): not read
        self.hidden = HiddenText(document)
        self.toc_runs = _toc_field_runs(document.element.body)  # the runs showing a TOC field's result

    def blocks(self) -> ReadBlocks:
        out = ReadBlocks()
        out.added = []
        self._body(self.document.element.body, out)
        out.source = source_lines(self.document, self._converted)
        out.added = self.added
        return out

    def _converted(self, text: str) -> str:
        """A paragraph's text in Unicode, converted as `_paragraph` converts it (not counted)."""
        if text not in self.conversions:
            self.conversions[text] = (self.to_unicode(text, self.encoding) if self.encoding
                                      else self.to_unicode(text))[0]
        return self.conversions[text]

    def _body(self, parent: Any, out: list[Block]) -> None:
        for child in parent.iterchildren():
            if child.tag == w("p"):
                listed = len(self.contents)
                paragraph = self._paragraph(child)
                above = out[-1] if out else None
                if not listed and self.contents and isinstance(above, Para) and (
                        fold(above.text).rstrip(" :") == "muc luc"):
                    self.contents.insert(0, above.text)  # the heading "MỤC LỤC" just above the first line
                    out.pop()
                out.extend(paragraph)
            elif child.tag == w("tbl"):
                cells = [tc for tr in children(child, "tr") for tc in children(tr, "tc")]
                if len(cells) == 1:  # a one-cell table frames its content (a title, a whole page): read it
                    self._body(cells[0], out)
                else:
                    out.append(self._table(child))
            elif child.tag == w("altChunk"):
                lines = [line.text for line in chunk_lines(self.document, child)]
                out.extend(Para(line, line) for line in lines)
                self.chunks += bool(lines)
            elif child.tag in (w("sdt"), w("customXml")):
                content = child.find(w("sdtContent"))
                if xpath(child, _TOC_GALLERY):  # Word's table of contents: the headings listed again
                    inner: list[Block] = []
                    self._body(content if content is not None else child, inner)
                    self.contents.extend(line for block in inner for line in block_lines(block))
                    continue
                self._body(content if content is not None else child, out)

    def _paragraph(self, p: Any) -> list[Block]:
        properties = p.find(w("pPr"))
        if properties is not None and val(properties, "pStyle") in self.toc_styles:  # a line of the table of contents
            self.contents.extend(line for block in self._paragraph_blocks(p) for line in block_lines(block))
            return []
        if self.toc_runs and any(run in self.toc_runs for run in p.iter(w("r"))):
            # Word's table of contents typed as a field (TOC): its result is the headings listed again.
            self.contents.extend(line for block in self._paragraph_blocks(p, toc=True) for line in block_lines(block))
        return self._paragraph_blocks(p)

    def _paragraph_blocks(self, p: Any, toc: bool = False) -> list[Block]:
        """The paragraph's lines; with `toc`, only those of a TOC field's result (else those outside it)."""
        parts: list[str] = []
        notes: list[str] = []  # the footnotes and endnotes this paragraph refers to: "[1] text"
        for run in xpath(p, f".//w:r[not({HIDDEN})]"):
            if xpath(run, "ancestor::w:p[1]")[0] is not p or self.hidden(run) or (run in self.toc_runs) != toc:
                continue  # a run of a text box inside this paragraph (read below), hidden, or of the other kind
            for node in run.iterchildren():
                if node.tag in (w("footnoteReference"), w("endnoteReference")):
                    notes.append(self._note(node))
                elif node.tag == w("t"):
                    text, unknown = run_text(node)
                    parts.append(text)
                    self.unknown_symbols += unknown
                elif node.tag in (w("tab"), w("ptab")):
                    parts.append("\t")
                elif node.tag in (w("br"), w("cr")):
                    parts.append("\n")
                elif node.tag == w("noBreakHyphen"):
                    parts.append("-")
                elif node.tag == w("sym"):
                    parts.append(symbol(node))
                    self.unknown_symbols += not parts[-1]
        text = "".join(parts)
        if text.strip():
            raw = text
            text, encoding = self.to_unicode(text, self.encoding) if self.encoding else self.to_unicode(text)
            self.conversions[raw] = text
            if encoding:
                self.encodings[encoding] += 1
        if notes:
            text = " ".join([text.rstrip(), *notes])
        label = None if toc else self.numbering.label(p)
        # An empty numbered paragraph shows its number alone: in a table cell that is the cell's text
        # (a "TT" column numbered by Word); in the body, a list's leftover, not read but said.
        if label and (text.strip() or xpath(p, "ancestor::w:tc")):
            text = f"{label} {text.lstrip()}" if text.strip() else label
            self.added.append(label)
        elif label:
            self.lone_numbers.append(label)
        bold = self._bold(p)
        out: list[Block] = []
        for line in clean(text).split("\n"):
            flat = _TAB_RUN_RE.sub(lambda run: " " if "\t" in run.group() else run.group(), line).strip()
            if flat:
                out.append(Para(flat, line.strip(), bold))
        # Text boxes anchored in this paragraph (the Fallback copy of a text box is skipped).
        for box in [] if toc else xpath(p, f".//w:txbxContent[not({HIDDEN})]"):
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
        for tr in children(tbl, "tr"):
            col = max(0, number(tr.find(f"{w('trPr')}/{w('gridBefore')}"), "val", 0))
            row: list[Cell] = []
            for tc in children(tr, "tc"):
                span = max(1, number(tc.find(f"{w('tcPr')}/{w('gridSpan')}"), "val", 1))
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

    def _note(self, reference: Any) -> str:
        """A footnote's or endnote's text, "[1] text", for the end of the paragraph that refers to it."""
        kind = "footnote" if reference.tag == w("footnoteReference") else "endnote"
        if reference.get(w("customMarkFollows")) in ("1", "true", "on"):
            mark = "".join(t.text or "" for t in reference.itersiblings(w("t"))).strip() or "*"
        else:
            self.note_counts[kind] += 1
            mark = format_number(self.note_counts[kind], self.note_formats[kind])
        self.added.append(f"[{mark}]")
        blocks: list[Block] = []
        note = self.note_parts[kind].get(reference.get(w("id")) or "")
        if note is not None:
            self._body(note, blocks)
        return " ".join([f"[{mark}]", *(line for block in blocks for line in block_lines(block))])

    def _cell_lines(self, tc: Any) -> list[str]:
        blocks: list[Block] = []
        self._body(tc, blocks)
        return [line for block in blocks for line in block_lines(block)]


def _notes(document: Any, kind: str) -> dict[str, Any]:
    """The footnotes (or endnotes) by their id."""
    return {note.get(w("id")): note for root in part_elements(document, kind + "s")
            for note in root.iterchildren(w(kind))}


def _note_format(document: Any, kind: str) -> str:
    """The number format of footnotes or endnotes: the document's setting, else Word's default."""
    try:
        found = document.settings.element.find(f"{w(kind + 'Pr')}/{w('numFmt')}")
    except Exception:
        found = None
    fmt = found.get(w("val")) if found is not None else None
    return fmt if fmt in ("decimal", "lowerRoman", "upperRoman", "lowerLetter", "upperLetter") else (
        _NOTE_FORMATS[kind])


def _toc_styles(document: Any) -> set[str]:
    """The ids of the paragraph styles of Word's table of contents ("toc 1" … "toc 9", "TOC Heading": the
    names Word stores in English whatever its language)."""
    return {sid for sid, style in style_elements(document).items()
            if _TOC_STYLE_RE.fullmatch((val(style, "name") or "").lower())}


def _toc_field_runs(body: Any) -> set[Any]:
    """The runs that show the result of a TOC field (Word's table of contents typed as a field, simple or
    complex: fldChar begin, instrText "TOC …", separate, the result, end; fields nested in it included)."""
    out: set[Any] = {run for field in xpath(body, ".//w:fldSimple") if _is_toc(field.get(w("instr")) or "")
                     for run in field.iter(w("r"))}
    fields: list[list[Any]] = []  # open complex fields: [instruction, showing its result]
    for node in xpath(body, ".//w:r | .//w:r/w:fldChar | .//w:r/w:instrText"):
        if node.tag == w("r"):
            if any(shown and _is_toc(instruction) for instruction, shown in fields):
                out.add(node)
        elif node.tag == w("instrText"):
            if fields and not fields[-1][1]:
                fields[-1][0] += node.text or ""
        elif node.get(w("fldCharType")) == "begin":
            fields.append(["", False])
        elif node.get(w("fldCharType")) == "separate" and fields:
            fields[-1][1] = True
        elif node.get(w("fldCharType")) == "end" and fields:
            fields.pop()
    return out


def _is_toc(instruction: str) -> bool:
    return instruction.upper().split()[:1] == ["TOC"]


def _document_encoding(document: Any) -> str | None:
    try:
        from ..reading.legacy import detect
    except ImportError:  # pragma: no cover
        return None
    return detect("\n".join(t.text or "" for t in xpath(document.element.body, ".//w:t")))
