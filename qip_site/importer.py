"""Import a plan from a Word file: `qip-site import KẾ_HOẠCH.docx`.

The Word file is read into blocks in document order: paragraph lines and tables, each merged
cell counted once. The blocks are then split into the parts of a plan document by what schools
write: the two-column header block, the title, the preamble, the Roman-numeral sections, the
plan table, the closing sentence and the signature block. Every text is kept as written and
placed exactly once; a line that fits no field goes to the preamble or to the current section
and is reported. The plan is written with ruamel.yaml (the school file too when the school is
new), then checked with `load_site` like any plan an editor typed.

Public entry point: `import_paths` (used by `qip-site import`).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .years import Period, SchoolYear

try:  # written separately; without it, text is taken as it is
    from .legacy import legacy_to_unicode
except ImportError:  # pragma: no cover - depends on the other module being present
    def legacy_to_unicode(text: str) -> tuple[str, str | None]:
        return text, None


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NS = {"w": W_NS, "mc": MC_NS}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (and encrypted Word files)


_XPATHS: dict[str, Any] = {}


def _xpath(node: Any, path: str) -> list[Any]:
    """lxml XPath with the w: and mc: prefixes (python-docx's own xpath knows no mc:)."""
    from lxml import etree

    if path not in _XPATHS:
        _XPATHS[path] = etree.XPath(path, namespaces=NS)
    return _XPATHS[path](node)


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


# ---------------------------------------------------------------------------------------------
# Text helpers

def fold(text: str) -> str:
    """Lower case, no diacritics, "đ" as "d", spaces collapsed: for recognising wordings."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"\s+", " ", text).strip()


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _has_word(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _words(text: str) -> int:
    return len(text.split())


# Invisible characters Word files carry: zero-width spaces and marks, byte-order marks.
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Control characters the plan loader refuses (tab and line feed are handled apart).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _clean(text: str) -> str:
    """NFC, invisible characters removed, stray control characters turned into spaces."""
    text = unicodedata.normalize("NFC", text)
    return _CONTROL_RE.sub(" ", _INVISIBLE_RE.sub("", text))


# Patterns, on folded text unless said otherwise.
_NATIONAL_RE = re.compile(r"cong hoa xa hoi chu nghia")
_MOTTO_RE = re.compile(r"doc lap.*hanh phuc")
_NUMBER_RE = re.compile(r"^so\s*(?::|\.\s*\d|\d|/)")
_PLACE_DATE_RE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")
_SCHOOL_RE = re.compile(r"^truong\b")
_TITLE_RE = re.compile(r"^ke\s*hoach\b")
_TITLE_MORE_RE = re.compile(r"^(nam hoc|chu ky|giai doan|lo trinh|tu nam|truong|ve viec|v/v|\()")
_ROMAN_RE = re.compile(r"^\s*([IVX]{1,5})\s*[.):–-]\s*(\S.*)$")  # on the text as written
_ARABIC_SECTION_RE = re.compile(r"^\d{1,2}\s*[.)]\s*\S")
_ROMANS = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
           "XVI", "XVII", "XVIII", "XIX", "XX"}
_CLOSING_RE = re.compile(r"^tren day\b")
_RECIPIENTS_RE = re.compile(r"^noi nhan\b")
_POSITION_RE = re.compile(
    r"^(?:(?:kt|tm|q|p|pho|quyen)\s*\.?\s*)?(?:pho\s+)?"
    r"(?:hieu truong|hieu pho|giam doc|chu tich|truong phong|truong ban|ban giam hieu|hoi dong|nguoi lap"
    r"|to truong|bi thu)\b"
)
_PAREN_RE = re.compile(r"^\(.*\)$")
_LEVEL_ROW_RE = re.compile(r"^muc(?:\s*do)?\s*\d")
_STANDARD_ROW_RE = re.compile(r"^tieu\s*chuan\s*(?:so\s*)?\d")
_CRITERION_RE = re.compile(r"^tieu\s*chi\s*(?:so\s*)?(\d+)\s*[.,]\s*(\d+)")
_YEAR_LINE_RE = re.compile(r"^nam hoc\s*(\d{4})\s*[-–—/]\s*(\d{4})")
_RANGE_RE = re.compile(r"(\d{4})\s*[-–—/]\s*(\d{4})")
_NUMBERED_RE = re.compile(r"^(\d+(?:\.\d+)*|[a-zđ])\s*[.)]\s*\S")
_FINAL_PUNCT = ".;:,!?…)"


def _decoration(text: str) -> bool:
    """Lines drawn under the header: "-----", "___", "***", "---oOo---"."""
    return not _has_word(re.sub(r"o\s*O\s*o", "", text)) and len(text) >= 2


# ---------------------------------------------------------------------------------------------
# Reading the Word file

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


class Numbering:
    """Labels of Word's automatic numbering ("I.", "1.", "a)", "-"), which are not in the text."""

    def __init__(self, document: Any):
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) -> fmt, text, start
        self.counters: dict[str, list[int]] = {}
        self.styles: dict[str, tuple[str, int] | None] = {}
        self.document = document
        try:
            numbering = document.part.numbering_part.element
        except Exception:  # no numbering part
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in numbering.findall(_w("abstractNum")):
            levels = {}
            for lvl in node.findall(_w("lvl")):
                fmt, text, start = _val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "", _val(lvl, "start")
                levels[int(lvl.get(_w("ilvl"), "0"))] = (fmt, text, int(start or 1))
            abstract[node.get(_w("abstractNumId"))] = levels
        for num in numbering.findall(_w("num")):
            levels = abstract.get(_val(num, "abstractNumId") or "", {})
            for ilvl, spec in levels.items():
                self.levels[(num.get(_w("numId")), ilvl)] = spec

    def label(self, p: Any) -> str | None:
        num = self._num_pr(p)
        if num is None or (num[0], num[1]) not in self.levels:
            return None
        num_id, ilvl = num
        counts = self.counters.setdefault(num_id, [0] * 9)
        fmt, text, start = self.levels[(num_id, ilvl)]
        counts[ilvl] = start if counts[ilvl] == 0 else counts[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        if fmt == "bullet":
            return "•" if not text or any("\ue000" <= c <= "\uf8ff" for c in text) else text
        if fmt == "none":
            return None

        def level_text(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            spec = self.levels.get((num_id, k), ("decimal", "", 1))
            return _format_number(max(counts[k], spec[2]), spec[0])

        return re.sub(r"%(\d)", level_text, text) or None

    def _num_pr(self, p: Any) -> tuple[str, int] | None:
        found = p.find(f"{_w('pPr')}/{_w('numPr')}")
        if found is not None:
            num_id, ilvl = _val(found, "numId"), _val(found, "ilvl")
            return (num_id, int(ilvl or 0)) if num_id and num_id != "0" else None
        style = p.find(f"{_w('pPr')}/{_w('pStyle')}")
        return self._style_num(style.get(_w("val")) if style is not None else None)

    def _style_num(self, style_id: str | None, depth: int = 0) -> tuple[str, int] | None:
        if not style_id or depth > 10:
            return None
        if style_id not in self.styles:
            self.styles[style_id] = None
            try:
                styles = self.document.part.styles.element
            except Exception:
                return None
            for style in styles.findall(_w("style")):
                if style.get(_w("styleId")) == style_id:
                    found = style.find(f"{_w('pPr')}/{_w('numPr')}")
                    if found is not None and _val(found, "numId") not in (None, "0"):
                        self.styles[style_id] = (_val(found, "numId"), int(_val(found, "ilvl") or 0))
                    elif style.find(_w("basedOn")) is not None:
                        self.styles[style_id] = self._style_num(_val(style, "basedOn"), depth + 1)
                    break
        return self.styles[style_id]


def _val(node: Any, tag: str) -> str | None:
    child = node.find(_w(tag))
    return None if child is None else child.get(_w("val"))


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        out, values = "", [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        rest = n
        for value, letters in [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                               (50, "L"), (40, "XL")] + values:
            while rest >= value:
                out, rest = out + letters, rest - value
        return out if fmt == "upperRoman" else out.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class Reader:
    """Turns the Word document into blocks; counts what it converts from legacy encodings."""

    def __init__(self, document: Any):
        self.document = document
        self.numbering = Numbering(document)
        self.encodings: Counter[str] = Counter()

    def blocks(self) -> list[Block]:
        out: list[Block] = []
        self._body(self.document.element.body, out)
        return out

    def _body(self, parent: Any, out: list[Block]) -> None:
        for child in parent.iterchildren():
            if child.tag == _w("p"):
                out.extend(self._paragraph(child))
            elif child.tag == _w("tbl"):
                out.append(self._table(child))
            elif child.tag in (_w("sdt"), _w("customXml")):
                content = child.find(_w("sdtContent"))
                self._body(content if content is not None else child, out)

    def _paragraph(self, p: Any) -> list[Block]:
        parts: list[str] = []
        for run in _xpath(p, ".//w:r[not(ancestor::w:moveFrom)]"):
            if _xpath(run, "ancestor::w:p[1]")[0] is not p:
                continue  # a run of a text box inside this paragraph: read below
            for node in run.iterchildren():
                if node.tag == _w("t"):
                    parts.append(node.text or "")
                elif node.tag in (_w("tab"), _w("ptab")):
                    parts.append("\t")
                elif node.tag in (_w("br"), _w("cr")):
                    parts.append("\n")
                elif node.tag == _w("noBreakHyphen"):
                    parts.append("-")
        text = "".join(parts)
        if text.strip():
            text, encoding = legacy_to_unicode(text)
            if encoding:
                self.encodings[encoding] += 1
        label = self.numbering.label(p)
        if label and text.strip():
            text = f"{label} {text.lstrip()}"
        bold = self._bold(p)
        out: list[Block] = []
        for line in _clean(text).split("\n"):
            flat = re.sub(r"\s*\t\s*", " ", line).strip()
            if flat:
                out.append(Para(flat, line.strip(), bold))
        # Text boxes anchored in this paragraph (the Fallback copy of a text box is skipped).
        for box in _xpath(p, ".//w:txbxContent[not(ancestor::mc:Fallback)]"):
            if _xpath(box, "ancestor::w:p[1]")[0] is p:
                self._body(box, out)
        return out

    @staticmethod
    def _bold(p: Any) -> bool:
        runs = [r for r in p.findall(f".//{_w('r')}") if "".join(t.text or "" for t in r.findall(_w("t"))).strip()]
        if not runs:
            return False
        for run in runs:
            b = run.find(f"{_w('rPr')}/{_w('b')}")
            if b is None or b.get(_w("val")) in ("0", "false", "off"):
                return False
        return True

    def _table(self, tbl: Any) -> Table:
        rows: list[list[Cell]] = []
        above: dict[int, Cell] = {}  # grid column -> the cell a vertical merge continues
        width = 0
        for tr in _xpath(tbl, "./w:tr | ./w:sdt/w:sdtContent/w:tr | ./w:customXml/w:tr"):
            before = tr.find(f"{_w('trPr')}/{_w('gridBefore')}")
            col = int(before.get(_w("val"), "0")) if before is not None else 0
            row: list[Cell] = []
            for tc in _xpath(tr, "./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc"):
                span_node = tc.find(f"{_w('tcPr')}/{_w('gridSpan')}")
                span = int(span_node.get(_w("val"), "1")) if span_node is not None else 1
                merge = tc.find(f"{_w('tcPr')}/{_w('vMerge')}")
                merge_val = None if merge is None else (merge.get(_w("val")) or "continue")
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
        lines: list[str] = []
        for block in blocks:
            lines.extend([block.text] if isinstance(block, Para) else block.lines())
        return lines

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
                            texts.append(_clean(p.text).strip())
        except Exception:
            pass
        return list(dict.fromkeys(texts))


# ---------------------------------------------------------------------------------------------
# Recognising the plan table

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


def column_field(heading: str) -> str | None:
    folded = fold(heading)
    for name, pattern in COLUMN_RULES:
        if pattern.search(folded):
            return name
    return None


def _header_row(table: Table) -> int | None:
    """The row of column headings: the first of the first three rows with two known headings."""
    for i, row in enumerate(table.rows[:3]):
        known = [c for c in row if c.lines and column_field(" ".join(c.lines))]
        if len(known) >= 2:
            return i
    return None


# ---------------------------------------------------------------------------------------------
# The parse: from blocks to the plan's data

@dataclass
class Notes:
    """What the importer doubts or could not place, told to the editor in Vietnamese."""

    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # lines knowingly not stored ("Nơi nhận:", "-----")

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def _quote(text: str, limit: int = 80) -> str:
    text = re.sub(r"\s+", " ", text)
    return "«" + (text if len(text) <= limit else text[: limit - 1] + "…") + "»"


@dataclass
class Parsed:
    data: dict[str, Any]
    criteria_rows: int = 0
    columns: int = 0
    source_lines: list[str] = field(default_factory=list)


class Parser:
    def __init__(self, blocks: list[Block], notes: Notes):
        self.blocks = blocks
        self.notes = notes
        self.preamble: list[str] = []
        self.sections: list[dict[str, Any]] = []
        self.table: dict[str, Any] | None = None
        self.criteria_rows = 0

    # -- where things are --------------------------------------------------------------------

    def _roles(self) -> dict[int, str]:
        blocks = self.blocks
        roles: dict[int, str] = {}
        tables = [i for i, b in enumerate(blocks) if isinstance(b, Table)]
        plan = next((i for i in tables if _header_row(blocks[i]) is not None
                     and not _header_like(blocks[i].lines())), None)
        if plan is not None:
            roles[plan] = "plan"
            width, last = blocks[plan].width, plan
            # The same table broken in two (only empty paragraphs between): one plan table.
            while last + 1 < len(blocks) and isinstance(blocks[last + 1], Table) and blocks[last + 1].width == width:
                last += 1
                roles[last] = "plan-more"
        romans = [i for i, b in enumerate(blocks) if isinstance(b, Para) and _roman(b.text)]
        if not romans:
            # Some plans number their sections 1., 2., … in capitals: those lines are the sections.
            romans = [i for i, b in enumerate(blocks) if isinstance(b, Para) and _ARABIC_SECTION_RE.match(b.text)
                      and _is_upper(b.text) and _words(b.text) <= 15]
            if len(romans) < 2:
                romans = []
            else:
                self.notes.warn("Không thấy mục đánh số La Mã (I., II., …); đã dùng các dòng viết hoa đánh số "
                                "1., 2., … làm tiêu đề mục, hãy kiểm tra.")
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
                if isinstance(block, Table) and _header_like(block.lines()):
                    roles[i] = "header"
                elif isinstance(block, Para) and _header_kind(block.text):
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
        # Closing and signature: after the last section heading and the plan table.
        last_body = max(romans + [i for i, r in roles.items() if r.startswith("plan")], default=-1)
        start = max([last_body] + [i for i, r in roles.items() if r in ("header", "title")]) + 1
        closing = next((i for i in range(start, len(blocks))
                        if isinstance(blocks[i], Para) and _CLOSING_RE.match(fold(blocks[i].text))), None)
        sign_from = closing + 1 if closing is not None else start
        signature = next((i for i in range(sign_from, len(blocks)) if _signature_start(blocks[i])), None)
        if closing is not None:
            for i in range(closing, signature if signature is not None else len(blocks)):
                roles[i] = "closing"
        if signature is not None:
            for i in range(signature, len(blocks)):
                roles[i] = "signature"
        return roles

    # -- the whole document --------------------------------------------------------------------

    def parse(self) -> Parsed:
        roles = self._roles()
        blocks = self.blocks
        data: dict[str, Any] = {}
        header_items: list[tuple[str, str | None]] = []
        title: list[str] = []
        closing: list[str] = []
        signature_items: list[tuple[str, str | None]] = []
        section_items: list[Block | str] = []  # of the current section: paragraphs, and "table" marks
        current: dict[str, Any] | None = None
        plan_tables: list[Table] = []

        def flush() -> None:
            if current is not None:
                current["content"], current["_after_table"] = self._content(section_items)

        sources: list[str] = []  # every line read, for the count of what is written
        for i, block in enumerate(blocks):
            role = roles.get(i)
            if role in ("header", "signature"):
                items = _column_items(block)
                sources.extend(text for text, _ in items)
                (header_items if role == "header" else signature_items).extend(items)
                continue
            sources.extend([block.text] if isinstance(block, Para) else block.lines())
            if role == "title":
                title.append(block.text)
            elif role == "closing":
                closing.extend([block.text] if isinstance(block, Para) else block.lines())
            elif role in ("plan", "plan-more"):
                if current is None:
                    self.notes.warn("Không tìm thấy mục đánh số La Mã chứa bảng kế hoạch; đã tạo một mục không "
                                    "tiêu đề để đặt bảng (sections[…].heading trống), hãy kiểm tra.")
                    current = {"heading": "", "content": []}
                    self.sections.append(current)
                    section_items = []
                if role == "plan":
                    current["table"] = True
                    section_items.append("table")
                plan_tables.append(block)
            elif role == "section":
                flush()
                current = {"heading": block.text}
                self.sections.append(current)
                section_items = []
            elif isinstance(block, Table):
                where = "preamble" if current is None else f"mục {_quote(current['heading'], 40)}"
                self.notes.warn(f"Bảng {len(block.rows)} dòng ngoài bảng kế hoạch: đã đưa chữ của các ô vào {where} "
                                "theo thứ tự, hãy kiểm tra.")
                paras = [Para(line, line) for line in block.lines()]
                if current is None:
                    self.preamble.extend(p.text for p in paras)
                else:
                    section_items.extend(paras)
            elif current is None:
                self.preamble.append(block.text)
            else:
                section_items.append(block)
        flush()
        after_table = self._after_table_warning()

        header, unplaced_header = self._header(header_items)
        if header:
            data["header"] = header
        if not title:
            self.notes.warn("Không tìm thấy tên văn bản (dòng «KẾ HOẠCH …»); title để trống, hãy điền.")
        data["title"] = title
        if unplaced_header:
            for text in unplaced_header:
                self.notes.warn(f"Đoạn không xếp được vào đâu, đã đưa vào preamble: {_quote(text)}")
            self.preamble = unplaced_header + self.preamble
        if plan_tables:
            self.table = self._plan_table(plan_tables)
        else:
            self.notes.warn("Không tìm thấy bảng kế hoạch (bảng có dòng tiêu đề cột như «Tiêu chí», «Biện pháp», "
                            "«Thời gian»); nếu văn bản có bảng, hãy kiểm tra phần table.")
        recipients, signer, unplaced_sign = self._signature(signature_items)
        for text in unplaced_sign:
            self._unplaced(text)
        if after_table:
            self.notes.warn(after_table)
        if self.preamble:
            data["preamble"] = self.preamble
        if self.sections:
            data["sections"] = [_section_out(s) for s in self.sections]
        if self.table:
            data["table"] = self.table
        if closing:
            data["closing"] = closing
        if recipients:
            data["recipients"] = recipients
        if signer:
            data["signer"] = signer
        return Parsed(data, self.criteria_rows, len(self.table["columns"]) if self.table else 0, sources)

    def _skip(self, text: str, message: str | None = None) -> None:
        """A line knowingly not stored; said to the editor when it is not the expected label."""
        self.notes.skipped.append(text)
        if message:
            self.notes.warn(message)

    def _unplaced(self, text: str) -> None:
        if self.sections:
            section = self.sections[-1]
            section.setdefault("content", []).append(text)
            where = f"mục {_quote(section['heading'], 40)}" if section["heading"] else "mục cuối"
        else:
            self.preamble.append(text)
            where = "preamble"
        self.notes.warn(f"Đoạn không xếp được vào đâu, đã đưa vào {where}: {_quote(text)}")

    def _after_table_warning(self) -> str | None:
        for section in self.sections:
            if section.get("table") and section.get("_after_table"):
                return (f"Mục {_quote(section['heading'], 40)} có {section['_after_table']} đoạn sau bảng kế hoạch; "
                        "trang web hiện chúng trước bảng.")
        return None

    # -- sections ------------------------------------------------------------------------------

    def _content(self, items: list[Block | str]) -> tuple[list[Any], int]:
        """A section's paragraphs and sub-headings; and how many come after the plan table."""
        content: list[Any] = []
        after_table = 0
        seen_table = False
        for i, item in enumerate(items):
            if item == "table":
                seen_table = True
                continue
            following = items[i + 1] if i + 1 < len(items) else None
            following = following if isinstance(following, Para) else None
            content.append({"heading": item.text} if _subheading(item, following) else item.text)
            after_table += seen_table
        return content, after_table

    # -- header block --------------------------------------------------------------------------

    def _header(self, items: list[tuple[str, str | None]]) -> tuple[dict[str, str], list[str]]:
        fields: dict[str, list[str]] = {}
        unplaced: list[str] = []
        last = None
        for text, col in items:
            if _decoration(text):
                self._skip(text, f"Bỏ qua đường kẻ trang trí {_quote(text, 20)} (không có chữ).")
                continue
            kind = _header_kind(text)
            if kind is None and col != "R" and _is_upper(text):
                if last == "school" and "number" not in fields:
                    kind = "school"  # the school's name on two lines
                elif "school" not in fields and "number" not in fields:
                    kind = "managing_body"
            if kind is None or (kind in fields and kind != last):
                unplaced.append(text)
                last = None
                continue
            fields.setdefault(kind, []).append(text)
            last = kind
        order = ["managing_body", "school", "number", "national_name", "motto", "place_date"]
        header = {k: "\n".join(fields[k]) for k in order if k in fields}
        for kind, lines in fields.items():
            if len(lines) > 1:
                self.notes.warn(f"Dòng {FIELD_LABELS[kind]} ghi trên {len(lines)} dòng, đã giữ các dòng trong "
                                f"header.{kind}: {_quote(' / '.join(lines))}")
        return header, unplaced

    # -- signature block -----------------------------------------------------------------------

    def _signature(self, items: list[tuple[str, str | None]]) -> tuple[list[str], dict[str, str], list[str]]:
        recipients: list[str] = []
        position: list[str] = []
        note: list[str] = []
        name: list[str] = []
        unplaced: list[str] = []
        in_recipients = False
        for text, col in items:
            folded = fold(text)
            if _decoration(text):
                self._skip(text, f"Bỏ qua đường kẻ trang trí {_quote(text, 20)} (không có chữ).")
                continue
            if _RECIPIENTS_RE.match(folded):
                in_recipients = True
                self._skip(text)  # the site prints "Nơi nhận:" itself
                rest = text.split(":", 1)[1].strip() if ":" in text else ""
                if rest:
                    recipients.append(rest)
                continue
            if in_recipients and col != "R" and (
                    col == "L" or text.startswith(("-", "–", "+", "•", "*")) or not (position or _position(text))):
                recipients.append(text)
                continue
            if _position(text) and not note and not name:
                position.append(text)
            elif _PAREN_RE.match(text) and not name:
                note.append(text)
            elif (position or note) and not name and _looks_like_name(text):
                name.append(text)
            else:
                unplaced.append(text)
        signer = {}
        if position:
            signer["position"] = "\n".join(position)
        if note:
            signer["note"] = "\n".join(note)
        if name:
            signer["name"] = name[0]
        return recipients, signer, unplaced

    # -- the plan table ------------------------------------------------------------------------

    def _plan_table(self, tables: list[Table]) -> dict[str, Any]:
        first = tables[0]
        head_at = _header_row(first) or 0
        heading_cells = [c for c in first.rows[head_at] if not c.continued]
        # Rows above the column headings (a caption row, say) are kept as unplaced text.
        for row in first.rows[:head_at]:
            for cell in row:
                for line in cell.lines:
                    self._unplaced(line)
        fields_by_col: dict[int, str] = {}
        columns: dict[str, str | None] = {}
        headings = {}
        for cell in heading_cells:
            heading = "\n".join(cell.lines)
            if not heading:
                continue
            name = column_field(heading)
            if name is None or name in columns:
                spare = next((f for f in SPARE_FIELDS if f not in columns and not any(
                    column_field("\n".join(c.lines)) == f for c in heading_cells)), None)
                if spare is None:
                    self._unplaced(heading)
                    self.notes.warn(f"Cột {_quote(heading, 40)} không khớp trường nào và không còn trường trống; "
                                    "nội dung cột được đưa vào cột ghi chú, hãy kiểm tra.")
                    name = "note"
                else:
                    why = "không khớp trường nào" if name is None else f"trùng trường {name} của cột trước"
                    self.notes.warn(f"Cột '{heading}' {why}, đã giữ nguyên tên cột và đưa vào cột "
                                    f"{FIELD_NAMES[spare]} ({spare}), hãy kiểm tra.")
                    name = spare
            if name not in columns:
                columns[name] = heading
                headings[name] = heading
            for col in range(cell.col, cell.col + cell.span):
                fields_by_col[col] = name
        rows = first.rows[head_at + 1:]
        # A row that numbers the columns, "(1) (2) (3) …", under the headings: layout, not content.
        if rows and sum(bool(c.lines) for c in rows[0]) >= 3 and all(
                re.fullmatch(r"\(?\d{1,2}\)?", line) for c in rows[0] for line in c.lines):
            for line in (line for c in rows[0] for line in c.lines):
                self._skip(line, "Bỏ qua dòng đánh số cột «(1), (2), …» dưới dòng tiêu đề của bảng.")
            rows = rows[1:]
        for more in tables[1:]:
            more_rows = more.rows
            if more_rows and [" ".join(c.lines) for c in more_rows[0] if not c.continued] == \
                    [" ".join(c.lines) for c in heading_cells]:
                for line in (line for c in more_rows[0] for line in c.lines):
                    self._skip(line, "Bỏ qua dòng tiêu đề cột lặp lại ở phần sau của bảng.")
                more_rows = more_rows[1:]
            rows = rows + more_rows
        # A "TT" column that holds "Tiêu chí 1.1: …" is the criterion column.
        if "criterion" not in columns and "index" in columns:
            index_cells = [c for row in rows for c in row
                           if fields_by_col.get(c.col) == "index" and c.lines and c.span == 1]
            if any(_CRITERION_RE.match(fold(c.lines[0])) for c in index_cells):
                columns = {("criterion" if k == "index" else k): v for k, v in columns.items()}
                fields_by_col = {k: ("criterion" if v == "index" else v) for k, v in fields_by_col.items()}
                self.notes.warn(f"Cột {_quote(headings['index'], 20)} ghi tên tiêu chí nên được ghi là cột tiêu "
                                "chí (criterion), hãy kiểm tra.")

        def field_of(cell: Cell) -> str:
            if cell.col in fields_by_col:
                return fields_by_col[cell.col]
            left = [c for c in fields_by_col if c <= cell.col]
            return fields_by_col[max(left)] if left else next(iter(columns), "note")

        items = _table_items(rows, field_of, columns, max(t.width for t in tables), self.notes)
        _order_columns(columns)
        grouped = self._grouped(items, columns)
        return {"columns": columns, **grouped}

    def _grouped(self, items: list[tuple], columns: dict[str, str | None]) -> dict[str, Any]:
        """levels → standards → criteria, or standards → criteria, or a flat list (areas)."""
        kinds = [item[0] for item in items]
        rows = [item for item in items if item[0] == "row"]
        self.criteria_rows = sum(1 for item in rows if item[1].get("code"))
        has_levels, has_standards = "level" in kinds, "standard" in kinds
        first_standard = kinds.index("standard") if has_standards else len(kinds)
        first_level = kinds.index("level") if has_levels else len(kinds)
        nested = has_standards and "row" not in kinds[:first_standard] and (
            not has_levels or "standard" not in kinds[:first_level])
        if not nested:
            if has_levels or has_standards:
                self.notes.warn("Bảng có dòng nằm ngoài tiêu chuẩn (hoặc tiêu chuẩn nằm ngoài mức); đã ghi bảng "
                                "thành danh sách dòng (areas), các dòng tiêu chuẩn/mức thành dòng thường.")
            target = "area" if "area" in columns else "criterion"
            if any(item[0] != "row" for item in items):
                columns.setdefault(target, None)
            if any(item[0] != "row" and item[2] for item in items):
                columns.setdefault("index", None)
            _order_columns(columns)
            out = []
            for item in items:
                if item[0] == "row":
                    out.append(_row_out(item[1], columns))
                else:
                    row = {target: item[1].split("\n")}
                    if item[2]:
                        row["index"] = [item[2]]
                    out.append(_row_out(row, columns))
            return {"areas": out}
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


def _table_items(rows: list[list[Cell]], field_of: Callable[[Cell], str], columns: dict[str, str | None],
                 width: int, notes: Notes) -> list[tuple]:
    """The table's rows as ("level", heading, None), ("standard", heading, index) and ("row", cells)."""
    items: list[tuple] = []
    merged_criterion: dict[str, Any] | None = None  # "Tiêu chí 1.1: …" across the row: rows below join it
    last_row: dict[str, Any] | None = None
    for row in rows:
        filled = [c for c in row if c.lines and not c.continued]
        if not filled:
            continue  # an empty row: nothing to keep
        index_cells = [c for c in filled if field_of(c) == "index" and c.span == 1 and len(" ".join(c.lines)) <= 6]
        others = [c for c in filled if c not in index_cells]
        if len(others) == 1 and len(index_cells) <= 1:
            # One text in the row (beside its number): a level, a standard, or a criterion across the row.
            text = "\n".join(others[0].lines)
            folded = fold(text)
            index = "\n".join(index_cells[0].lines) if index_cells else None
            across = others[0].span >= max(2, width // 2)
            if _LEVEL_ROW_RE.match(folded) and index is None:
                items.append(("level", text, None))
            elif _STANDARD_ROW_RE.match(folded):
                items.append(("standard", text, index))
            elif across and _CRITERION_RE.match(folded):
                merged_criterion = {"criterion": others[0].lines}
                columns.setdefault("criterion", None)
                if index:
                    merged_criterion["index"] = [index]
                _set_code(merged_criterion, text)
                items.append(("row", merged_criterion))
                last_row = merged_criterion
                continue
            elif across and "area" not in columns:
                notes.warn(f"Dòng gộp {_quote(text, 60)} không phải dòng mức hay tiêu chuẩn; đã ghi như một "
                           "tiêu chuẩn, hãy kiểm tra.")
                items.append(("standard", text, index))
            else:
                others = []  # an ordinary row, below
            if others:
                merged_criterion = last_row = None
                continue
        cells: dict[str, list[str]] = {}
        for cell in filled:
            cells.setdefault(field_of(cell), []).extend(cell.lines)
        criterion_text = "\n".join(cells.get("criterion", []))
        # A standard's heading in the criterion column, with the row's cells beside it.
        if criterion_text and _STANDARD_ROW_RE.match(fold(criterion_text)):
            heading = "\n".join(cells.pop("criterion"))
            index_lines = cells.pop("index", None)
            items.append(("standard", heading, "\n".join(index_lines) if index_lines else None))
            merged_criterion = last_row = None
            criterion_text = ""
            if not cells:
                continue
        criterion_cell = next((c for c in row if field_of(c) == "criterion"), None)
        target = None
        if merged_criterion is not None and not criterion_text:
            target = merged_criterion
        elif criterion_cell is not None and criterion_cell.continued and last_row is not None:
            target = last_row  # the criterion cell is merged down: more cells of the row above
        if target is not None:
            for name, lines in cells.items():
                target.setdefault(name, []).extend(lines)
            continue
        merged_criterion = None
        _set_code(cells, criterion_text)
        items.append(("row", cells))
        last_row = cells
    return items


def _set_code(row: dict[str, Any], criterion_text: str) -> None:
    match = _CRITERION_RE.match(fold(criterion_text)) if criterion_text else None
    if match:
        row["code"] = f"{int(match.group(1))}.{int(match.group(2))}"


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


def _order_columns(columns: dict[str, str | None]) -> None:
    """A column added for merged rows (criterion, written across the row) goes after the index column."""
    added = [k for k in ("criterion", "area") if k in columns and columns[k] is None]
    index = ["index"] if "index" in columns and columns["index"] is None else []
    rest = [k for k in columns if k not in added + index]
    at = 1 if rest[:1] == ["index"] else 0
    order = index + rest[:at] + added + rest[at:]
    items = [(k, columns[k]) for k in order]
    columns.clear()
    columns.update(items)


def _section_out(section: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"heading": section["heading"]}
    if section.get("content"):
        out["content"] = section["content"]
    if section.get("table"):
        out["table"] = True
    return out


FIELD_LABELS = {
    "managing_body": "cơ quan chủ quản", "school": "tên trường", "number": "số văn bản",
    "national_name": "quốc hiệu", "motto": "tiêu ngữ", "place_date": "địa danh, ngày tháng",
}


def _roman(text: str) -> bool:
    match = _ROMAN_RE.match(text)
    return bool(match) and match.group(1) in _ROMANS


def _header_kind(text: str) -> str | None:
    folded = fold(text)
    if _NATIONAL_RE.search(folded):
        return "national_name"
    if _MOTTO_RE.search(folded):
        return "motto"
    if _NUMBER_RE.match(folded) and _words(text) <= 8:
        return "number"
    if _PLACE_DATE_RE.search(folded) and _words(text) <= 16:
        return "place_date"
    if _SCHOOL_RE.match(folded) and _words(text) <= 12:
        return "school"
    return None


def _header_like(lines: list[str]) -> bool:
    return any(_header_kind(line) in ("national_name", "motto", "number", "place_date") for line in lines)


def _title_more(text: str) -> bool:
    folded = fold(text)
    if _roman(text) or _CLOSING_RE.match(folded) or folded.startswith("can cu") or _words(text) > 25:
        return False
    return _is_upper(text) or bool(_RANGE_RE.search(text)) or bool(_TITLE_MORE_RE.match(folded))


def _position(text: str) -> bool:
    return bool(_POSITION_RE.match(fold(text))) and _words(text) <= 6 and ":" not in text


def _looks_like_name(text: str) -> bool:
    return _words(text) <= 6 and not any(c.isdigit() for c in text) and ":" not in text


def _signature_start(block: Block) -> bool:
    if isinstance(block, Table):
        return any(_RECIPIENTS_RE.match(fold(line)) or (_position(line) and _is_upper(line))
                   for line in block.lines())
    folded = fold(block.text)
    first = _split_columns(block.raw)[0]
    return bool(_RECIPIENTS_RE.match(folded)) or (_position(first) and _is_upper(first))


def _split_columns(raw: str) -> list[str]:
    """A two-column line laid out with tabs, or with runs of spaces between phrases: its parts."""
    parts = [p.strip() for p in re.split(r"\t+", raw) if p.strip()] or [raw.strip()]
    out: list[str] = []
    for part in parts:
        pieces = [p.strip() for p in re.split(r" {4,}", part) if p.strip()]
        out.extend(pieces if len(pieces) > 1 and all(_words(p) >= 2 for p in pieces) else [part])
    return out


def _column_items(block: Block) -> list[tuple[str, str | None]]:
    """Lines of a header or signature block with their side: "L", "R", or None when unknown."""
    if isinstance(block, Table):
        left = [line for row in block.rows for c in row if c.col == 0 for line in c.lines]
        right = [line for row in block.rows for c in row if c.col > 0 for line in c.lines]
        return [(line, "L") for line in left] + [(line, "R") for line in right]
    parts = _split_columns(block.raw)
    if len(parts) > 1:
        return [(parts[0], "L")] + [(p, "R") for p in parts[1:]]
    return [(block.text, None)]


def _subheading(para: Para, following: Para | None) -> bool:
    """"1. Mục đích:", "1. Lãnh đạo nhà trường" followed by body text: a sub-heading."""
    if following is None:
        return False
    text = para.text
    numbered = _NUMBERED_RE.match(text)
    words = _words(text)
    if numbered and text.endswith(":") and words <= 15:
        return True
    ends_open = text[-1] not in _FINAL_PUNCT
    if numbered and ends_open and words <= 12:
        # A list of short numbered items ("1. Hiệu trưởng", "2. Phó hiệu trưởng") is not headings.
        next_numbered = _NUMBERED_RE.match(following.text)
        return not (next_numbered and following.text[-1] not in _FINAL_PUNCT and _words(following.text) <= 12)
    if para.bold and ends_open and words <= 15 and not following.bold:
        return True
    return (not numbered and ends_open and words <= 8 and ":" not in text and text[0].isupper()
            and not text.startswith(("-", "+", "*", "•")) and _words(following.text) > words + 4)


# ---------------------------------------------------------------------------------------------
# Period, school, level

def find_period(title: list[str]) -> Period | None:
    """From "Năm học 2023 - 2024", "TỪ NĂM HỌC 2022-2023 ĐẾN HẾT NĂM HỌC 2026-2027", "(2024 – 2029)"."""
    ranges = [(int(a), int(b)) for a, b in _RANGE_RE.findall(" ".join(title))]
    return _period_of(ranges)


def _period_of(ranges: list[tuple[int, int]]) -> Period | None:
    ranges = [(a, b) for a, b in ranges if 1945 <= a < b <= 2200]
    if not ranges:
        return None
    if len(ranges) >= 2 and all(b == a + 1 for a, b in ranges[:2]) and ranges[1][0] > ranges[0][0]:
        return Period(SchoolYear(ranges[0][0]), SchoolYear(ranges[1][0]))
    a, b = ranges[0]
    return Period(SchoolYear(a), SchoolYear(a if b == a + 1 else b - 1))


def period_from_text(texts: list[str]) -> Period | None:
    """The school year the text names most often ("năm học 2023-2024")."""
    counts: Counter[int] = Counter()
    for text in texts:
        for a, b in re.findall(r"năm\s+học\s+(\d{4})\s*[-–—/]\s*(\d{4})", text, re.IGNORECASE):
            if int(b) == int(a) + 1:
                counts[int(a)] += 1
    if not counts:
        return None
    year = counts.most_common(1)[0][0]
    return Period(SchoolYear(year), SchoolYear(year))


def period_from_date(place_date: str | None) -> Period | None:
    from .model import document_date

    date = document_date(place_date) if place_date else None
    if date is None:
        return None
    start = date.year if date.month >= 7 else date.year - 1  # a school year starts in August/September
    return Period(SchoolYear(start), SchoolYear(start))


LEVEL_RULES = [
    ("preschool", re.compile(r"\bmam non\b|\bmn\b")),
    ("primary", re.compile(r"\btieu hoc\b|\bth\b")),
    ("lower_secondary", re.compile(r"\bthcs\b|\btrung hoc co so\b")),
    ("upper_secondary", re.compile(r"\bthpt\b|\btrung hoc pho thong\b")),
]
LEVEL_LABELS = {"preschool": "Mầm non", "primary": "Tiểu học", "lower_secondary": "Trung học cơ sở",
                "upper_secondary": "Trung học phổ thông", "secondary": "Trung học (THCS, THPT)"}
SLUG_PREFIX = {"preschool": "mn", "primary": "th", "lower_secondary": "thcs", "upper_secondary": "thpt"}


def level_from_name(name: str) -> str | None:
    folded = fold(name)
    found = [level for level, pattern in LEVEL_RULES if pattern.search(folded)]
    if len(found) > 1:
        return "secondary"  # a school of several levels: Circular 18/2018 applies
    if found:
        return found[0]
    return "secondary" if re.search(r"\btrung hoc\b", folded) else None


def level_from_text(texts: list[str]) -> str | None:
    """From the accreditation circular the plan cites."""
    for text in texts:
        match = re.search(r"thong tu\s*(?:so\s*)?(1[789])/2018", fold(text))
        if match:
            return {"17": "primary", "18": "secondary", "19": "preschool"}[match.group(1)]
    return None


def school_slug(name: str) -> str:
    """"TRƯỜNG MN THỦY TIÊN" -> "mn-thuy-tien", "Trường Tiểu học Lê Đình Chinh" -> "th-le-dinh-chinh"."""
    from .urls import slugify

    folded = re.sub(r"^truong\s+", "", fold(name))
    for words, short in [("mam non", "mn"), ("tieu hoc", "th"), ("trung hoc co so", "thcs"),
                         ("trung hoc pho thong", "thpt")]:
        folded = re.sub(rf"\b{words}\b", short, folded)
    return slugify(folded)


_LEVEL_WORDS = [("MẦM NON", "Mầm non"), ("MN", "Mầm non"), ("TIỂU HỌC", "Tiểu học"), ("TH", "Tiểu học"),
                ("TRUNG HỌC CƠ SỞ", "Trung học cơ sở"), ("TRUNG HỌC PHỔ THÔNG", "Trung học phổ thông")]


def normal_case_name(line: str) -> str:
    """"TRƯỜNG TIỂU HỌC LÊ ĐÌNH CHINH" -> "Trường Tiểu học Lê Đình Chinh"; other writings unchanged."""
    line = " ".join(line.split())
    if not _is_upper(line):
        return line
    head, rest = "", line
    if line.startswith("TRƯỜNG "):
        head, rest = "Trường ", line[len("TRƯỜNG "):]
        for written, normal in _LEVEL_WORDS:
            if rest == written or rest.startswith(written + " "):
                head, rest = head + normal + " ", rest[len(written):].strip()
                break
    words = [w if _abbreviation(w) else w.capitalize() for w in rest.split()]
    return (head + " ".join(words)).strip()


def _abbreviation(word: str) -> bool:
    """"THCS", "TH&THCS", "GDĐT", "II", "10": kept as written (Vietnamese words all have a vowel)."""
    return (not re.search(r"[aeiouy]", fold(word)) or bool(re.search(r"[\d&./]", word))
            or word in _ROMANS)


# ---------------------------------------------------------------------------------------------
# Per-year items (plans over several school years)

def split_years(row: dict[str, Any], period: Period) -> bool:
    """Pair each content paragraph with one "Năm học YYYY-YYYY" timeline paragraph, if the cell says so.

    Only when, after a leading "* Kế hoạch…" paragraph, the counts are equal and every timeline
    paragraph names a school year of the plan, in order; otherwise the cells are kept whole.
    """
    content_field = "measures" if "measures" in row else "target" if "target" in row else None
    timeline = row.get("timeline") or []
    if content_field is None or len(timeline) < 2:
        return False
    content = list(row[content_field])
    lead = content[:1] if content and content[0].lstrip().startswith("*") else []
    rest = content[len(lead):]
    groups: list[list[str]] = []
    years: list[SchoolYear] = []
    for text in timeline:
        match = _YEAR_LINE_RE.match(fold(text))
        if match and int(match.group(2)) == int(match.group(1)) + 1:
            groups.append([text])
            years.append(SchoolYear(int(match.group(1))))
        elif groups and not _has_word(text):
            groups[-1].append(text)  # a stray mark ("`") stays with the year above it
        else:
            return False
    if len(groups) != len(rest) or any(y not in period for y in years) or years != sorted(set(years)):
        return False
    items = [{"school_year": year.label, "timeline": lines, content_field: [text]}
             for year, lines, text in zip(years, groups, rest, strict=True)]
    rebuilt: dict[str, Any] = {}
    for key, value in row.items():
        if key == content_field:
            if lead:
                rebuilt[key] = lead
            rebuilt["years"] = items
        elif key != "timeline":
            rebuilt[key] = value
    row.clear()
    row.update(rebuilt)
    return True


def _all_rows(table: dict[str, Any]) -> list[dict[str, Any]]:
    rows = list(table.get("areas", []))
    for standard in table.get("standards", []) + [s for g in table.get("levels", []) for s in g.get("standards", [])]:
        rows.extend(standard.get("criteria", []))
    return rows


# ---------------------------------------------------------------------------------------------
# Writing YAML

PLAN_SCHEMA_LINE = "yaml-language-server: $schema=../../qip_site/schema/plan.schema.json"
SCHOOL_SCHEMA_LINE = "yaml-language-server: $schema=../../qip_site/schema/school.schema.json"
SECTION_COMMENTS = {
    "period": "Năm học của kế hoạch",
    "header": "Phần đầu văn bản (cột trái: cơ quan, trường, số; cột phải: quốc hiệu, tiêu ngữ, địa danh và ngày)",
    "title": "Tên văn bản",
    "preamble": "Các đoạn trước mục I",
    "sections": "Các mục của kế hoạch; bảng kế hoạch nằm cuối mục có \"table: true\"",
    "table": "Bảng kế hoạch",
    "closing": "Câu kết",
    "recipients": "Nơi nhận",
    "signer": "Người ký",
}


class _Yaml:
    def __init__(self) -> None:
        from ruamel.yaml import YAML
        from ruamel.yaml.emitter import Emitter

        self.yaml = YAML()
        self.yaml.indent(mapping=2, sequence=4, offset=2)
        self.yaml.width = 4096
        self.yaml.allow_unicode = True
        self.emitter = Emitter(io.StringIO(), allow_unicode=True)

    def _text(self, text: str) -> Any:
        from ruamel.yaml.nodes import ScalarNode
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        tag = self.yaml.resolver.resolve(ScalarNode, text, (True, False))
        if (str(tag) != "tag:yaml.org,2002:str" or not self.emitter.analyze_scalar(text).allow_block_plain
                or re.fullmatch(r"[\d\s.,/–—-]+", text)):  # numbers, codes, school years: quoted, as editors do
            return DoubleQuotedScalarString(text)
        return text

    def node(self, value: Any) -> Any:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        if isinstance(value, str):
            return self._text(value)
        if isinstance(value, dict):
            out = CommentedMap()
            for key, item in value.items():
                out[key] = self.node(item)
            return out
        if isinstance(value, list):
            if value and all(isinstance(v, str) for v in value) and len(value) == 1:
                return self._text(value[0])
            out_seq = CommentedSeq()
            out_seq.extend(self.node(v) for v in value)
            return out_seq
        return value

    def dump(self, data: Any, head: list[str], comments: dict[str, str] | None = None) -> str:
        root = self.node(data)
        for key, text in (comments or {}).items():
            if key in root:  # a blank line, then what the part is, before each part but the first
                root.yaml_set_comment_before_after_key(key, before=text if key == next(iter(root)) else "\n" + text)
        stream = io.StringIO()
        self.yaml.dump(root, stream)
        return "".join(f"# {line}\n" for line in head) + stream.getvalue()


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


# ---------------------------------------------------------------------------------------------
# Importing files

class ImportFailed(Exception):
    """A file that cannot be imported; the message says why, in Vietnamese."""


@dataclass
class Result:
    source: Path
    status: str = "failed"  # "ok", "warnings" or "failed"
    target: Path | None = None
    reason: str = ""
    warnings: list[str] = field(default_factory=list)


def import_paths(paths: list[Path], plans_dir: Path, *, school: str | None = None, out: Path | None = None,
                 force: bool = False, echo: Callable[[str], Any] = print) -> int:
    """Import each Word file (a folder means its .docx and .doc files) into plans_dir; 0 if all imported."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in (".docx", ".doc")
                           and not p.name.startswith("~$") and p.is_file())
            if not found:
                echo(f"Thư mục {_shown(path)} không có tệp Word (.docx, .doc).")
            files.extend(found)
        else:
            files.append(path)
    if not files:
        echo("Không có tệp nào để nhập.")
        return 1
    if out is not None and len(files) > 1:
        echo("Chỉ dùng --out khi nhập một tệp; hãy bỏ --out để nhập nhiều tệp (mỗi kế hoạch vào thư mục trường).")
        return 1
    results: list[Result] = []
    written: set[Path] = set()
    for number, path in enumerate(files, 1):
        prefix = f"[{number}/{len(files)}] " if len(files) > 1 else ""
        echo(f"{prefix}Nhập {_shown(path)}")
        result = Result(path)
        try:
            _import_one(path, plans_dir, school, out, force, written, result, echo)
        except ImportFailed as failure:
            result.status, result.reason = "failed", str(failure)
            echo(f"  Lỗi: {failure}")
        except Exception as exc:  # a bug or a file shape not foreseen: tell it, go on with the others
            result.status, result.reason = "failed", f"lỗi không lường trước khi đọc tệp ({type(exc).__name__}: {exc})"
            echo(f"  Lỗi: {result.reason}. Hãy báo lại kèm tệp Word này.")
        results.append(result)
    if len(files) > 1:
        _summary(results, echo)
    return 0 if all(r.status != "failed" for r in results) else 1


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _summary(results: list[Result], echo: Callable[[str], Any]) -> None:
    labels = {"ok": "đã nhập", "warnings": "đã nhập, có cảnh báo", "failed": "thất bại"}
    rows = []
    for r in results:
        detail = (_shown(r.target) if r.target else "") if r.status != "failed" else r.reason
        if r.status == "warnings":
            detail += f" ({len(r.warnings)} cảnh báo)"
        rows.append((r.source.name, labels[r.status], detail))
    head = ("Tệp", "Kết quả", "Tệp kế hoạch / lý do")
    widths = [max(len(x[i]) for x in rows + [head]) for i in range(2)]
    echo("")
    echo("Tóm tắt:")
    for row in [head, ("-" * widths[0], "-" * widths[1], "-" * len(head[2]))] + rows:
        echo(f"  {row[0].ljust(widths[0])}  {row[1].ljust(widths[1])}  {row[2]}")
    counts = Counter(r.status for r in results)
    echo(f"Đã nhập {counts['ok'] + counts['warnings']}/{len(results)} tệp ({counts['warnings']} tệp có cảnh báo), "
         f"{counts['failed']} tệp thất bại.")


DOC_MESSAGE = ("Tệp .doc (Word 97-2003) chưa đọc được: hãy mở bằng Word hoặc LibreOffice và lưu lại dạng .docx "
               "(Tệp → Lưu thành → Word Document (.docx)), rồi nhập lại.")


def _open_document(path: Path, tmp: Path) -> Any:
    import docx

    if not path.exists():
        raise ImportFailed(f"không tìm thấy tệp {_shown(path)}.")
    if not path.is_file():
        raise ImportFailed(f"{_shown(path)} không phải một tệp.")
    with path.open("rb") as handle:
        magic = handle.read(8)
    if path.suffix.lower() == ".doc" or magic == OLE_MAGIC:
        converter = shutil.which("soffice") or shutil.which("libreoffice")
        if converter is None:
            raise ImportFailed(DOC_MESSAGE)
        try:
            subprocess.run([converter, "--headless", "--convert-to", "docx", "--outdir", str(tmp), str(path)],
                           capture_output=True, timeout=180, check=False)
        except (OSError, subprocess.SubprocessError):
            raise ImportFailed(DOC_MESSAGE) from None
        converted = tmp / (path.stem + ".docx")
        if not converted.exists():
            raise ImportFailed("LibreOffice không chuyển được tệp sang .docx. " + DOC_MESSAGE)
        path = converted
    elif path.suffix.lower() != ".docx" or not zipfile.is_zipfile(path):
        raise ImportFailed(f"Không đọc được tệp {path.name} : không phải tệp Word (.docx) hoặc tệp bị hỏng.")
    try:
        return docx.Document(str(path))
    except Exception:
        raise ImportFailed(f"Không đọc được tệp {path.name} : không phải tệp Word (.docx) hoặc tệp bị hỏng.") from None


def _import_one(path: Path, plans_dir: Path, school_arg: str | None, out: Path | None, force: bool,
                written: set[Path], result: Result, echo: Callable[[str], Any]) -> None:
    notes = Notes()
    parsed = _read_word(path, notes)
    data = parsed.data
    header = data.get("header", {})
    for key, message in [("number", "Không tìm thấy số văn bản"), ("school", "Không tìm thấy tên trường"),
                         ("place_date", "Không tìm thấy ngày ban hành (dòng địa danh, ngày tháng)")]:
        if key not in header:
            notes.warn(message + "; trang web sẽ ghi \"Không ghi trong văn bản\".")
    period = _period(parsed, (out or path).stem, notes)
    folder = out.parent if out is not None else plans_dir / _school_slug(path, header, school_arg, notes)
    target = out if out is not None else folder / f"{period.slug}.yml"
    if target.resolve() in written:
        raise ImportFailed(f"tệp {_shown(target)} vừa được ghi từ một tệp Word khác trong lần nhập này; "
                           "hãy nhập riêng tệp này với --out.")
    if target.exists() and not force:
        raise ImportFailed(f"tệp {_shown(target)} đã có; không ghi đè. Dùng --force để ghi đè.")
    school_file = folder / "school.yml"
    if school_file.exists():
        level, school_data = _existing_level(school_file), None
    else:
        school_data = _new_school(folder, header, parsed, notes)
        level = school_data["level"]
    if "table" in data:
        _fit_table(data["table"], level, period, notes)
    data = {"period": period.first.label if period.is_annual
            else {"from": period.first.label, "to": period.last.label}, **data}
    _account(data, parsed, notes)

    writer = _Yaml()
    folder.mkdir(parents=True, exist_ok=True)
    if school_data is not None:
        school_file.write_text(writer.dump(school_data, [
            SCHOOL_SCHEMA_LINE, f"Tạo khi nhập tệp Word \"{path.name}\"; cấp học là phỏng đoán, hãy kiểm tra.",
        ]), encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(writer.dump(data, [
        PLAN_SCHEMA_LINE, f"Nhập từ tệp Word \"{path.name}\" bằng lệnh qip-site import.",
        "Hãy đối chiếu với văn bản gốc trước khi đăng.",
    ], SECTION_COMMENTS), encoding="utf-8")
    written.add(target.resolve())
    result.target = target
    table = (f"bảng {parsed.columns} cột, {parsed.criteria_rows} dòng tiêu chí." if "table" in data
             else "không có bảng kế hoạch.")
    echo(f"  Đã ghi {_shown(target)}: {len(data.get('sections', []))} mục, {table}")
    if school_data is not None:
        echo(f"  Đã ghi {_shown(school_file)} (trường mới).")

    # The check, as `qip-site check` would run it, on the files just written.
    problems = _check(target, school_file, out.parent.parent if out is not None else plans_dir)
    for message in notes.warnings:
        echo(f"  Cảnh báo: {message}")
    for _, text in problems:
        echo(f"  {text}")
    errors = [text for is_warning, text in problems if not is_warning]
    result.warnings = notes.warnings + [text for is_warning, text in problems if is_warning]
    if errors:
        result.status = "failed"
        result.reason = f"tệp đã ghi nhưng còn {len(errors)} lỗi khi kiểm tra; hãy sửa rồi chạy lại lệnh check"
        echo(f"  Tệp đã ghi nhưng còn {len(errors)} lỗi; hãy sửa tệp rồi chạy lại lệnh check.")
    else:
        result.status = "warnings" if result.warnings else "ok"
        echo("  Kiểm tra: không có lỗi" + (f", {len(result.warnings)} cảnh báo." if result.warnings else "."))


def _read_word(path: Path, notes: Notes) -> Parsed:
    with tempfile.TemporaryDirectory(prefix="qip-import-") as tmp:
        reader = Reader(_open_document(path, Path(tmp)))
        blocks = reader.blocks()
    for encoding, count in reader.encodings.items():
        notes.warn(f"Đã chuyển {count} đoạn gõ bằng bảng mã {encoding} sang Unicode; "
                   "hãy đối chiếu chữ với văn bản gốc.")
    for text in reader.page_header_texts():
        notes.warn(f"Chữ ở đầu trang/chân trang của Word không được nhập: {_quote(text)}")
    if not blocks:
        raise ImportFailed("tệp Word không có chữ nào.")
    return Parser(blocks, notes).parse()


def _period(parsed: Parsed, file_stem: str, notes: Notes) -> Period:
    """From the title; else guessed (from the file name, the text, the date), and said so."""
    period = find_period(parsed.data["title"])
    if period is not None:
        return period
    guesses = [
        (lambda: _period_of([(int(a), int(b)) for a, b in _RANGE_RE.findall(file_stem)]), "tên tệp"),
        (lambda: period_from_text(parsed.source_lines), "các dòng \"năm học …\" trong văn bản"),
        (lambda: period_from_date(parsed.data.get("header", {}).get("place_date")), "ngày ban hành"),
    ]
    for guess, source in guesses:
        period = guess()
        if period is not None:
            notes.warn(f"Không xác định được năm học từ tên văn bản; đã đoán period {period.slug} từ {source}, "
                       "hãy sửa period nếu sai.")
            return period
    raise ImportFailed("Không xác định được năm học của kế hoạch nên chưa ghi tệp. Hãy dùng --out "
                       "plans/<trường>/<năm học>.yml (ví dụ 2024-2025.yml), hoặc đặt năm học vào tên tệp Word.")


def _school_slug(path: Path, header: dict[str, str], school_arg: str | None, notes: Notes) -> str:
    from .urls import slugify
    from .validate import _SLUG_RE

    if school_arg:
        slug = school_arg
    elif header.get("school"):
        slug = school_slug(header["school"].replace("\n", " "))
    else:
        slug = slugify(re.sub(r"[_ ]*\d{4}\s*[-–]\s*\d{4}.*$", "", path.stem)) or "truong-chua-ro-ten"
        notes.warn(f"Văn bản không ghi tên trường; đã đặt thư mục trường theo tên tệp: {slug}. "
                   "Dùng --school để chọn tên khác.")
    if not _SLUG_RE.match(slug):
        raise ImportFailed(f"tên thư mục trường \"{slug}\" chỉ được có chữ thường không dấu, chữ số và dấu \"-\"; "
                           f"ví dụ --school {slugify(slug) or 'mn-thuy-tien'}.")
    return slug


def _new_school(folder: Path, header: dict[str, str], parsed: Parsed, notes: Notes) -> dict[str, Any]:
    """school.yml for a new school: the name in normal case, the level guessed (and said so)."""
    from .model import document_place

    name = header["school"].replace("\n", " ") if header.get("school") else None
    level, how = (level_from_name(name), f"tên trường {_quote(name, 60)}") if name else (None, "")
    prefix = folder.name.split("-")[0]
    if level is None and prefix in SLUG_PREFIX.values():
        level, how = {v: k for k, v in SLUG_PREFIX.items()}[prefix], f"tên thư mục {folder.name}"
    if level is None:
        level, how = level_from_text(parsed.source_lines), "thông tư đánh giá mà văn bản dẫn"
    if level is None:
        raise ImportFailed(f"không xác định được cấp học của trường. Hãy tạo {_shown(folder / 'school.yml')} với "
                           "\"level: preschool\" (hoặc primary, lower_secondary, upper_secondary, secondary) "
                           "rồi nhập lại.")
    notes.warn(f"Cấp học đoán từ {how}: {level} ({LEVEL_LABELS[level]}); hãy kiểm tra \"level\" trong school.yml.")
    school: dict[str, Any] = {}
    if name:
        school["name"] = normal_case_name(name)
        if school["name"] != name:
            notes.warn(f"Tên trường trong school.yml được viết lại thường: {_quote(school['name'])} "
                       f"(văn bản ghi {_quote(name)}); hãy kiểm tra.")
    school["level"] = level
    if header.get("managing_body"):
        school["managing_body"] = header["managing_body"].replace("\n", " ")
    place = document_place(header.get("place_date"))
    if place:
        school["place"] = {"as_written": place}
    return school


def _fit_table(table: dict[str, Any], level: str | None, period: Period, notes: Notes) -> None:
    """Codes the school's circular does not have are left out (the check would refuse them); years paired."""
    from .catalogue import circular_for
    from .schema import Level

    criteria = circular_for(Level(level)).criteria if level else {}
    for row in _all_rows(table):
        code = row.get("code")
        if code and criteria and code not in criteria:
            del row["code"]
            notes.warn(f"Tiêu chí {code} không có trong thông tư của cấp {LEVEL_LABELS[level]}; đã bỏ trống "
                       "mã tiêu chí (code) của dòng, hãy kiểm tra.")
        if not period.is_annual:
            split_years(row, period)


def _account(data: dict[str, Any], parsed: Parsed, notes: Notes) -> None:
    """Nothing lost, nothing doubled: every line read is in the plan exactly once (or knowingly skipped)."""
    stored = Counter(line.strip() for text in _strings(data) for line in text.split("\n"))
    stored.update(notes.skipped)
    for text, count in Counter(parsed.source_lines).items():
        if stored[text] < count:
            notes.warn(f"Đoạn trong tệp Word chưa có trong tệp kế hoạch: {_quote(text)}; hãy chép vào chỗ đúng.")
        elif stored[text] > count:
            notes.warn(f"Đoạn xuất hiện nhiều lần hơn trong tệp kế hoạch so với tệp Word: {_quote(text)}.")


def _existing_level(school_file: Path) -> str | None:
    from ruamel.yaml import YAML

    try:
        data = YAML(typ="safe").load(school_file.read_text(encoding="utf-8-sig"))
        level = data.get("level") if isinstance(data, dict) else None
        return level if level in LEVEL_LABELS else None
    except Exception:
        return None


def _check(target: Path, school_file: Path, plans_dir: Path) -> list[tuple[bool, str]]:
    """The check's problems about the files just written: (is a warning, message)."""
    from . import errors as E
    from .validate import load_site

    try:
        _, problems = load_site(plans_dir)
        warnings = problems
        errors: list = []
    except E.PlanErrors as failure:
        errors, warnings = failure.problems, failure.warnings
    root = plans_dir.parent
    ours = {target.resolve(), school_file.resolve(), school_file.parent.resolve()}

    def mine(problem: Any) -> bool:
        file = Path(str(problem.file))
        return (file if file.is_absolute() else root / file).resolve() in ours

    return [(False, str(p)) for p in errors if mine(p)] + [(True, str(p)) for p in warnings if mine(p)]
