"""A PDF with a text layer read into the same blocks as a Word file (docx_reader), with pdfplumber.

A PDF holds no paragraphs and no cells, only words at their places on each page; they are put
back together here:
- tables: the ruled tables pdfplumber finds on each page, on a grid of their cells' edges (a cell
  spanning columns or rows as Word merges them); a table going on at the top of the next page, on
  the same columns, is joined to it, and a row broken by the page is joined again;
- two columns side by side (the header's managing body | national name, the signature's
  recipients | signer) become a two-cell table, as Word files lay them out (a line wraps at the
  text's right edge: a page of short lines has that of the other pages of its size);
- the lines of a paragraph, wrapped by the page or the cell, are joined into one line (a word
  broken at a cell's edge, or after a hyphen, without a space); a paragraph is bold when all its
  words are set in a bold font;
- ligatures of the text layer ("ﬁ", "ﬂ") read as their letters (pdfplumber's expand_ligatures), Vietnamese
  written decomposed (NFD) composed (text.clean);
- page numbers and lines repeated at the top or bottom of the pages (running headers and footers)
  are left out, and named in a warning.

A PDF with no text (a scan) is refused with its own message; pages without text in a PDF that has
some are named. Every word pdfplumber reads is counted (`account_words`): each must be in the plan
(or knowingly left out) as many times as on the pages.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..reading.limits import WORD_MAX_BYTES
from ..reading.load import size_text
from .blocks import Block, Cell, Para, Table
from .header import header_kind
from .notes import ImportFailed, Notes, quote
from .text import clean, fold

PDF_MAGIC = b"%PDF-"
PDF_MAX_PAGES = 300  # a plan is 5 to 60 pages; more is not a plan, and would take long to read
_GAP = 18.0  # points between two words of one line that make two columns (about 4 spaces)
_LIST_RE = re.compile(r"^([-–—•*+]|\d{1,2}[.)]|[IVX]{1,5}[.)]|[a-zđ][.)])\s+\S")  # a list item's first line
_MARK_RE = re.compile(r"^([-–—•*+]|\d{1,2}[.)]|[IVX]{1,5}[.)]|[a-zđ][.)])$")  # a list mark alone
_PAGE_NUMBER_RE = re.compile(r"^(trang\s*)?[-–(]?\s*\d{1,3}\s*[-–)]?(\s*/\s*\d{1,3})?$")  # on folded text
_NUMBER_RE = re.compile(r"\d[\d.,]*")  # a number written with thousands' dots ("5.000.000"), or a piece of one
_CLOSE = ",.;:!?)]…"  # punctuation that follows a word without a space
_WHEN_RE = re.compile(r"^(Năm học|Năm|Tháng|Học kỳ|Quý|Từ năm|Từ tháng)\s")  # capitals: not within a sentence
_TITLE_RE = re.compile(r"^ke\s*hoach\b")  # on folded text: the title, under the header's two columns
_BOLD_RE = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
SCAN_MESSAGE = ("Tệp {name} là bản quét (ảnh), không có lớp chữ nên không nhập được. Hãy nhập tệp Word (.docx) "
                "của kế hoạch, hoặc gõ kế hoạch bằng lệnh «qip-site new»; tệp PDF này vẫn dùng được làm bản gốc "
                "đã ký, đặt cạnh tệp kế hoạch.")


def is_pdf(path: Path) -> bool:
    """Whether a file is a PDF by its first bytes, whatever its extension."""
    try:
        with path.open("rb") as handle:
            return handle.read(1024).lstrip(b"\0\t\n\r ").startswith(PDF_MAGIC)
    except OSError:
        return False


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    bold: bool


@dataclass
class _Line:
    words: list[_Word]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class _Cell:
    col: int
    span: int
    continued: bool
    lines: list[_Line] = field(default_factory=list)
    left: float = 0.0  # where its text may go: the cell's edges less its padding
    right: float = 0.0


@dataclass
class _Table:
    rows: list[list[_Cell]]
    xs: list[float]  # the grid's column edges
    top: float
    bottom: float
    side_by_side: bool = False  # two columns of text, not a ruled table
    pitch: float = 0.0  # the usual distance between two lines of a paragraph in its cells


@dataclass
class _Page:
    number: int
    items: list[tuple[float, _Line | _Table]]  # by their top
    left: float  # the body text's edges
    right: float
    width: float = 0.0  # the page's


def read_pdf(path: Path, notes: Notes) -> tuple[list[Block], list[str]]:
    """The PDF's blocks, and every word of its text layer (for `account_words`)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdftypes import PDFException
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    name = path.name
    if path.stat().st_size > WORD_MAX_BYTES:
        raise ImportFailed(f"Không đọc được tệp {name}: tệp quá lớn ({size_text(path.stat().st_size)}); một tệp PDF "
                           f"kế hoạch không quá {size_text(WORD_MAX_BYTES)}. Có lẽ đây không phải tệp kế hoạch.")
    try:
        with pdfplumber.open(str(path)) as pdf:
            if len(pdf.pages) > PDF_MAX_PAGES:
                raise ImportFailed(f"Không đọc được tệp {name}: tệp có {len(pdf.pages)} trang, một kế hoạch không "
                                   f"quá {PDF_MAX_PAGES} trang. Có lẽ đây không phải tệp kế hoạch.")
            pages = []
            for page in pdf.pages:
                pages.append(_read_page(page))
                page.close()  # its parsed objects, not kept for the next pages
    except (PdfminerException, PDFException, PSException) as failure:
        if isinstance(failure, PDFPasswordIncorrect) or any(isinstance(a, PDFPasswordIncorrect) for a in failure.args):
            raise ImportFailed(f"Không đọc được tệp {name}: tệp PDF được bảo vệ bằng mật khẩu. Hãy nhập tệp Word của "
                               "kế hoạch, hoặc mở tệp PDF bằng mật khẩu và lưu lại một bản không đặt mật khẩu, rồi "
                               "nhập lại.") from None
        raise ImportFailed(f"Không đọc được tệp {name}: tệp PDF bị hỏng hoặc không đọc được. Hãy xuất lại tệp PDF "
                           "từ Word (Tệp → Lưu thành → PDF), hoặc nhập tệp Word, rồi nhập lại.") from None
    words = [w.text for page, _ in pages for w in page]
    if not words:
        raise ImportFailed(SCAN_MESSAGE.format(name=name))
    blank = [str(i) for i, (page_words, _) in enumerate(pages, 1) if not page_words]
    if blank:
        notes.warn(f"Trang {', '.join(blank)} của tệp PDF không có lớp chữ (ảnh quét): chữ trên trang đó không được "
                   "nhập; hãy gõ lại vào tệp kế hoạch, hoặc nhập tệp Word.")
    # A page of short lines (the header's columns, the title) has the right edge of the other pages of its width.
    widest: dict[float, float] = {}
    for _, page in pages:
        widest[page.width] = max(widest.get(page.width, 0.0), page.right)
    for _, page in pages:
        page.right = widest[page.width]
    kept = _without_furniture([page for _, page in pages], notes)
    return _Builder().blocks(kept), words


def _read_page(page: Any) -> tuple[list[_Word], _Page]:
    """The page's words, and its lines and tables."""
    words = []
    for w in page.extract_words(keep_blank_chars=False, use_text_flow=False, return_chars=True):
        for piece in clean(w["text"]).split():
            bold = all(_BOLD_RE.search(c.get("fontname", "")) for c in w["chars"] if c["text"].strip())
            words.append(_Word(piece, w["x0"], w["x1"], w["top"], w["bottom"], bold))
    tables = []
    for found in page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"}):
        tables.append(_grid(found.cells))
    free: list[_Word] = []
    for word in words:
        cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        place = next(((t, c) for t in tables for row in t[1] for c in row
                      if c[0] <= cx <= c[2] and c[1] <= cy <= c[3]), None)
        if place is None:
            free.append(word)
        else:
            place[1][4].append(word)
    items: list[tuple[float, _Line | _Table]] = [(line.top, line) for line in _lines(free)]
    items += [(t.top, t) for t in (_table(xs, cells) for xs, cells in tables)]
    items.sort(key=lambda item: item[0])
    lines = [line for _, line in items if isinstance(line, _Line)]
    left = min((line.x0 for line in lines), default=0.0)
    # The text's right edge: its longest line, or a ruled table's edge (as wide as the text).
    ends = [line.x1 for line in lines if len(_segments(line)) == 1] + [t.xs[-1] for _, t in items
                                                                      if isinstance(t, _Table)]
    return words, _Page(page.page_number, items, left, max(ends, default=float(page.width)), float(page.width))


def _lines(words: list[_Word]) -> list[_Line]:
    """Words on one baseline make a line, left to right."""
    lines: list[list[_Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        height = word.bottom - word.top
        if lines and abs(lines[-1][0].top - word.top) <= max(2.0, height * 0.4):
            lines[-1].append(word)
        else:
            lines.append([word])
    return [_Line(sorted(line, key=lambda w: w.x0)) for line in lines]


def _segments(line: _Line) -> list[_Line]:
    """A line's parts separated by a wide gap (two columns, or text laid out with tabs)."""
    parts = [[line.words[0]]]
    for word in line.words[1:]:
        if word.x0 - parts[-1][-1].x1 >= _GAP:
            parts.append([word])
        else:
            parts[-1].append(word)
    return [_Line(p) for p in parts]


def _edges(values: list[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > 2.0:
            out.append(value)
    return out


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


# A table as found: (column edges, rows of [x0, top, x1, bottom, words, row index, row span]).
def _grid(bboxes: list[tuple[float, float, float, float]]) -> tuple[list[float], list[list[list[Any]]]]:
    xs = _edges([b[0] for b in bboxes] + [b[2] for b in bboxes])
    ys = _edges([b[1] for b in bboxes] + [b[3] for b in bboxes])
    rows: list[list[list[Any]]] = [[] for _ in range(max(len(ys) - 1, 1))]
    for x0, top, x1, bottom in bboxes:
        r = min(_index(ys, top), len(rows) - 1)
        rows[r].append([x0, top, x1, bottom, [], r, max(_index(ys, bottom) - r, 1)])
    return xs, rows


def _table(xs: list[float], rows: list[list[list[Any]]]) -> _Table:
    out: list[list[_Cell]] = []
    below: dict[int, tuple[int, int]] = {}  # column -> (span, last row) of a cell merged down
    pads = [min(w.x0 for w in c[4]) - c[0] for row in rows for c in row if c[4]]
    pad = max(1.0, min(pads, default=3.0))
    for r, row in enumerate(rows):
        cells: list[_Cell] = []
        starting = {_index(xs, c[0]) for c in row}
        for col, (span, last) in below.items():
            if r <= last and col not in starting:
                cells.append(_Cell(col, span, True))
        for x0, _, x1, _, words, _, rowspan in row:
            col = _index(xs, x0)
            span = max(_index(xs, x1) - col, 1)
            if rowspan > 1:
                below[col] = (span, r + rowspan - 1)
            cells.append(_Cell(col, span, False, _lines(words), x0 + pad, x1 - pad))
        out.append(sorted(cells, key=lambda c: c.col))
    tops = [c[1] for row in rows for c in row]
    bottoms = [c[3] for row in rows for c in row]
    pitch = _pitch([cell.lines for row in out for cell in row])
    return _Table(out, xs, min(tops, default=0.0), max(bottoms, default=0.0), pitch=pitch)


def _pitch(groups: list[list[_Line]]) -> float:
    """The usual distance from a line to the next within groups of lines (most lines go on a paragraph)."""
    gaps = [b.top - a.top for lines in groups for a, b in zip(lines, lines[1:])
            if 0 < b.top - a.top < 3 * (a.words[0].bottom - a.words[0].top)]
    return statistics.median(gaps) if gaps else 0.0


def _without_furniture(pages: list[_Page], notes: Notes) -> list[_Page]:
    """The pages without their page numbers and running headers and footers (named in a warning)."""

    def shape(line: _Line) -> str:
        return re.sub(r"\d+", "#", fold(line.text))

    ends: Counter[str] = Counter()
    for page in pages:
        lines = [item for _, item in page.items if isinstance(item, _Line)]
        ends.update({shape(line) for line in (lines[:2] + lines[-2:])})
    numbers: list[str] = []
    running: list[str] = []

    def furniture(item: _Line | _Table) -> bool:
        if not isinstance(item, _Line) or len(_segments(item)) > 1:
            return False
        if _PAGE_NUMBER_RE.match(fold(item.text)):
            numbers.append(item.text)
        elif len(pages) >= 3 and ends[shape(item)] >= max(2, len(pages) // 2):
            running.append(item.text)
        else:
            return False
        notes.skip(item.text)
        return True

    for page in pages:
        for _ in range(2):  # a running header or footer and a page number, at each end
            if len(page.items) > 1 and furniture(page.items[0][1]):
                page.items.pop(0)
            if len(page.items) > 1 and furniture(page.items[-1][1]):
                page.items.pop()
    if numbers:
        notes.warn(f"Bỏ qua số trang của tệp PDF ({len(numbers)} trang, như {quote(numbers[0], 20)}): không thuộc "
                   "nội dung kế hoạch.")
    for text in dict.fromkeys(running):
        notes.warn(f"Bỏ qua dòng lặp lại ở đầu hoặc chân các trang của tệp PDF (đầu trang/chân trang, "
                   f"{running.count(text)} trang): {quote(text)}; không thuộc nội dung kế hoạch.")
    return pages


class _Builder:
    """The pages' lines and tables, in order, into blocks: paragraphs joined, tables joined across pages."""

    def __init__(self) -> None:
        self.out: list[Block | _Table | _Para] = []

    def blocks(self, pages: list[_Page]) -> list[Block]:
        self.pitch = _pitch([[line for _, line in page.items if isinstance(line, _Line)] for page in pages])
        for page in pages:
            region: list[_Line] = []
            for _, item in page.items:
                if isinstance(item, _Line) and region and self._in_columns(region, item):
                    region.append(item)
                    continue
                if region:
                    self._columns(region, page)
                    region = []
                if isinstance(item, _Table):
                    self._table(item)
                elif self._two_columns(item, page):
                    region = [item]
                else:
                    self._line(item, page)
            if region:
                self._columns(region, page)
        out: list[Block] = []
        for block in self.out:
            if isinstance(block, _Table):
                out.append(_table_block(block))
            elif isinstance(block, _Para):
                out.append(block.block())
            else:
                out.append(block)
        return out

    # Paragraphs --------------------------------------------------------------------------------
    def _line(self, line: _Line, page: _Page) -> None:
        last = self.out[-1] if self.out else None
        segments = _segments(line)
        if (isinstance(last, _Para) and len(segments) == 1 and len(last.segments) == 1
                and _wraps(last.lines[-1], line, last.left, last.right, self.pitch, False,
                           sum(len(ln.words) for ln in last.lines))):
            last.lines.append(line)
        else:
            self.out.append(_Para([line], page.left, page.right, segments))

    # Two columns -------------------------------------------------------------------------------
    @staticmethod
    def _two_columns(line: _Line, page: _Page) -> bool:
        segments = _segments(line)
        middle = (page.left + page.right) / 2
        return len(segments) == 2 and segments[0].x1 < middle and segments[1].x0 > page.left + 40

    @staticmethod
    def _in_columns(region: list[_Line], line: _Line) -> bool:
        split = min(_segments(r)[1].x0 for r in region if len(_segments(r)) == 2)
        segments = _segments(line)
        if _TITLE_RE.match(fold(line.text)):
            return False  # the title under the header block
        if line.top - max(r.top for r in region) > 3 * (line.words[0].bottom - line.words[0].top):
            return False
        if len(segments) == 2:
            return segments[0].x1 < split - 4 and segments[1].x0 >= split - 40
        # One part: within the left column, or nearer the right column's middle than the page's (a
        # centred title is not).
        right = max(s.x1 for r in region for s in _segments(r))
        return line.x1 < split - 4 or line.x0 >= split - 4 or (
            line.x0 >= split - 40 and (line.x0 + line.x1) / 2 > split + (right - split) / 4)

    def _columns(self, region: list[_Line], page: _Page) -> None:
        split = min(_segments(r)[1].x0 for r in region if len(_segments(r)) == 2)
        left: list[_Line] = []
        right: list[_Line] = []
        for line in region:
            for segment in _segments(line):
                (left if segment.x0 < split - 40 else right).append(segment)
        right_edge = max([page.right] + [s.x1 for s in right])
        cells = [_Cell(0, 1, False, left, page.left, split - _GAP / 2),
                 _Cell(1, 1, False, right, split, right_edge)]
        self.out.append(_Table([cells], [page.left, split, right_edge], region[0].top, region[-1].top, True,
                               self.pitch))

    # Tables ------------------------------------------------------------------------------------
    def _table(self, table: _Table) -> None:
        last = self.out[-1] if self.out else None
        if not (isinstance(last, _Table) and not last.side_by_side and len(last.xs) == len(table.xs)
                and all(abs(a - b) <= 2 for a, b in zip(last.xs, table.xs))):
            self.out.append(table)
            return
        rows = table.rows
        # The heading row typed again on the new page is kept (the table step skips it and says so);
        # the row the page broke is joined to its first part.
        at = 1 if len(rows) > 1 and _texts(rows[0]) == _texts(last.rows[0]) else 0
        if at < len(rows) and _broken_row(last.rows[-1], rows[at]):
            for cell in rows[at]:
                above = next((c for c in last.rows[-1] if c.col == cell.col and not c.continued), None)
                if above is not None:
                    above.lines.extend(cell.lines)
            rows = rows[:at] + rows[at + 1:]
        last.rows.extend(rows)
        last.bottom = table.bottom


@dataclass
class _Para:
    lines: list[_Line]
    left: float
    right: float
    segments: list[_Line]  # of its first line, when laid out in parts

    def block(self) -> Para:
        text = _joined(self.lines, self.left, self.right)
        raw = "\t".join(s.text for s in self.segments) if len(self.segments) > 1 and len(self.lines) == 1 else text
        return Para(text, raw, all(w.bold for line in self.lines for w in line.words))


def _texts(row: list[_Cell]) -> list[str]:
    return [fold(" ".join(line.text for line in c.lines)) for c in row if c.lines]


def _broken_row(above: list[_Cell], row: list[_Cell]) -> bool:
    """The first row on a new page is the end of the row above, broken by the page: it has text only
    in columns where the row above has text, and is either missing some of them or goes on with a
    small letter."""
    filled = {c.col for c in row if c.lines and not c.continued}
    before = {c.col for c in above if c.lines and not c.continued}
    if not filled or not filled <= before:
        return False
    small = any(c.lines and c.lines[0].words[0].text[:1].islower() for c in row if c.col in filled)
    return filled < before or small


def _wraps(previous: _Line, line: _Line, left: float, right: float, pitch: float, header: bool = False,
           so_far: int = 0) -> bool:
    """Whether `line` goes on the paragraph of `previous`: its first word did not fit after it, and it is
    not farther below than lines of a paragraph are (nor, in a header's column, a new header field)."""
    gap = line.top - previous.top
    if pitch and gap > 1.4 * pitch:
        return False
    if header and header_kind(line.text):
        return False
    if _MARK_RE.match(previous.text):
        return True  # a list mark alone on its line: its text follows
    start = line.text[:1]
    if start.islower() or start in _CLOSE:
        return True  # a paragraph does not start with a small letter or a comma
    if previous.text[-1:] in ".;!?" and (start.isupper() or start.isdigit() or _LIST_RE.match(line.text)):
        return False  # a sentence ended, and a line begins as a paragraph does
    if previous.text.endswith(":") and so_far >= 6 and (start.isupper() or start.isdigit()):
        return False  # "* Kế hoạch … trong báo cáo tự đánh giá:" announces paragraphs ("Tiêu chí 1.1: Tên" goes on)
    if _WHEN_RE.match(line.text):
        return False  # "Năm học 2023-2024", "Tháng 9/2023": a timeline's entries, one a paragraph
    first = line.words[0]
    space = (first.bottom - first.top) * 0.25
    needed = space + (first.x1 - first.x0)
    if line.x0 > left + 12 and previous.x0 <= left + 12:
        return False  # an indented first line: a new paragraph
    return previous.x1 + needed > right - 0.5 or (previous.x1 - previous.x0) + needed > (right - left) - 0.5


def _joined(lines: list[_Line], left: float, right: float) -> str:
    """A paragraph's lines as one text: a word or a number broken at the edge, or after a hyphen, joined without a
    space."""
    text = lines[0].text if lines else ""
    for previous, line in zip(lines, lines[1:]):
        last, first = previous.words[-1], line.words[0]
        char = (first.x1 - first.x0) / max(len(first.text), 1)
        broken = (len(previous.words) == 1 and previous.x1 + char > right and last.text[-1:].isalpha()
                  and first.text[:1].isalpha() and first.text[:1].islower() and _one_syllable(last.text, first.text))
        # A number wider than its cell, broken by Word where the cell ends ("5.000.00" + "0").
        number = (len(previous.words) == 1 and previous.x1 + char > right and bool(_NUMBER_RE.fullmatch(last.text))
                  and bool(_NUMBER_RE.match(first.text)))
        hyphen = len(last.text) > 1 and last.text[-1] in "-/" and first.text[:1].isalnum()
        text += ("" if broken or number or hyphen or first.text[:1] in _CLOSE else " ") + line.text
    return text


def _one_syllable(end: str, start: str) -> bool:
    """Whether the letters around a line break make one Vietnamese syllable ("chuyê" + "n"): one run of
    vowels; "những" + "hạn" make two, so two words."""
    head = re.findall(r"[^\W\d_]+$", end)
    tail = re.findall(r"^[^\W\d_]+", start)
    joined = fold((head[0] if head else "") + (tail[0] if tail else ""))
    return len(re.findall(r"[aeiouy]+", joined.replace("gi", "g", 1) if joined.startswith("gi") else joined)) == 1


def _cell_lines(cell: _Cell, pitch: float, header: bool) -> list[str]:
    """A cell's paragraphs: its lines joined where they wrap."""
    paras: list[list[_Line]] = []
    for line in cell.lines:
        if paras and _wraps(paras[-1][-1], line, cell.left, cell.right, pitch, header,
                            sum(len(ln.words) for ln in paras[-1])):
            paras[-1].append(line)
        else:
            paras.append([line])
    return [_joined(p, cell.left, cell.right) for p in paras]


def _table_block(table: _Table) -> Table:
    rows = [[Cell([] if c.continued else _cell_lines(c, table.pitch, table.side_by_side), c.col, c.span, c.continued)
             for c in row]
            for row in table.rows]
    return Table(rows, len(table.xs) - 1)
