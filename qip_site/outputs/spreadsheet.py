"""The measures as Excel workbooks (.xlsx): the same rows and Vietnamese headers as the CSV, with
typed cells, so that no spreadsheet has to guess what a cell is. One workbook per school, one sheet
per plan (`book_bytes`, at `urls.school_workbook`: one file per school rather than one per
plan, for the hosts' limits, issue 15), and the site's `du-lieu/ke-hoach.xlsx`, one sheet of every
plan's rows (`workbook_bytes`).

- Text is a text cell (`t="inlineStr"`), whatever it starts with: "=1+1" in a plan is data, never
  a formula, "#N/A" is not an error value, "3.5" and "1.10" stay codes. No apostrophe is added:
  the cell's type says it is text. "_x0041_" in a text stays as written (escaped as "_x005F_x0041_").
- Money (`budget_vnd`) and the standard's number are numbers; the amount shows as đồng with the
  reader's digit grouping (`#,##0 "đ"`: "7.000.000 đ" in Vietnamese).
- The date of issue is a date, shown dd/mm/yyyy; true/false are booleans.
- Each sheet's header row is frozen and filtered, columns have set widths, texts wrap. A plan's sheet
  is named by `urls.workbook_sheets` (what the plan page says), within Excel's rules for sheet names.

The workbook is written here as its few XML parts (Office Open XML, ECMA-376 part 1), not with
openpyxl: openpyxl took 38 ms for each plan's workbook and 1.25 ms a row, which would have added
about 64 s to the 1,000-plan build (25 s); this takes well under 1 ms a row. The tests read every
workbook back with openpyxl and LibreOffice (tests/test_spreadsheets.py).

The bytes depend only on the rows: the workbook's date (`docProps/core.xml`) is the data's date,
and every zip entry is stamped 1980-01-01 (`opendata.zip_bytes`), so two builds of the same plans
are identical. A cell holds at most 32,767 characters; a longer text is cut there with "…" and the
build says so, naming the plan's file (the CSV and JSON keep it whole).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .opendata import MEASURE_COLUMNS, MEASURE_HEADERS, zip_bytes

log = logging.getLogger("mkdocs.plugins.qip")

SHEET_TITLE = "Biện pháp"
MONEY_FORMAT = '#,##0 "đ"'
DATE_FORMAT = "dd/mm/yyyy"
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
# Column widths (characters): the long texts wide, codes and numbers narrow.
WIDE = {"criterion_title", "criterion_as_written", "area", "weakness", "target", "measures", "support", "note"}
NARROW = {"standard", "criterion", "school_year", "date", "incomplete", "synthetic", "budget_per_school_year", "level"}
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's (and LibreOffice's) date numbers
# Characters XML 1.0 cannot hold (the plan checks refuse them; a file with one would not open).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A cell's text is an ST_Xstring (ECMA-376 part 1, 22.9.2.19): Excel reads "_x0041_" in it as the
# character U+0041 ("A"), and LibreOffice reads "_x005F_" as "_". So the "_" that starts such a
# run in a plan's text is written as "_x005F_", and the text shows as written.
_XSTRING_ESCAPE = re.compile("_(?=x[0-9A-Fa-f]{4}_)")

# Cell styles, by their index in styles.xml's cellXfs.
TEXT, HEADER, MONEY, DATE, NUMBER = 1, 2, 3, 4, 5

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_SELECTED = ' tabSelected="1"'  # on the sheet a workbook opens on
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def _content_types(sheets: int) -> str:
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_SHEET_TYPE}"/>'
                        for n in range(1, sheets + 1))
    return _HEAD + (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}"
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '</Types>')


_ROOT_RELS = _HEAD + (
    f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"'
    ' Target="docProps/core.xml"/>'
    '</Relationships>')


def _workbook_rels(sheets: int) -> str:
    """Sheet n is rId<n>; the styles come after them."""
    return _HEAD + (
        f'<Relationships xmlns="{_PKG_REL}">'
        + "".join(f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                  for n in range(1, sheets + 1))
        + f'<Relationship Id="rId{sheets + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        '</Relationships>')


_ALIGN = '<alignment vertical="top" wrapText="1"/>'
_STYLES = _HEAD + (
    f'<styleSheet xmlns="{_MAIN}">'
    f'<numFmts count="2"><numFmt numFmtId="164" formatCode={quoteattr(MONEY_FORMAT)}/>'
    f'<numFmt numFmtId="165" formatCode={quoteattr(DATE_FORMAT)}/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    f'<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1">{_ALIGN}</xf>'
    '<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" '
    f'applyAlignment="1">{_ALIGN}</xf>'
    f'<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1">{_ALIGN}</xf>'
    f'<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1">{_ALIGN}</xf>'
    f'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">{_ALIGN}</xf>'
    '</cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')


def column_letter(number: int) -> str:
    """1 -> "A", 28 -> "AB"."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _width(name: str) -> int:
    return 48 if name in WIDE else 12 if name in NARROW else 22


def _fit(text: str, where: str) -> str:
    if _NOT_XML.search(text):
        raise ValueError(f"{where}: a text holds a character XML cannot: {text[:40]!r}")
    if len(text) <= MAX_CELL_CHARS:
        return text
    log.info(f"cảnh báo: {where}: một ô có {len(text)} ký tự, nhiều hơn {MAX_CELL_CHARS} ký tự một ô bảng tính chứa "
             "được; tệp .xlsx ghi phần đầu của ô và dấu \"…\", tệp CSV và JSON ghi đủ.")
    return text[:MAX_CELL_CHARS - 1] + "…"


def _cell(ref: str, value: Any, name: str, where: str, style: int = TEXT) -> str:
    """One cell as XML; "" for an empty one."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = _XSTRING_ESCAPE.sub("_x005F_", _fit(value, where))
        return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{NUMBER}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{DATE}"><v>{(value - _EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}" s="{MONEY if name == "budget_vnd" else NUMBER}"><v>{value}</v></c>'
    raise TypeError(f"{name}: {type(value).__name__}")


def _sheet(rows: Iterable[dict[str, Any]], columns: Sequence[str], where: str, selected: bool) -> tuple[str, str]:
    """The worksheet's XML, and the range its filter covers ("$A$1:$AB$108"). `selected`: the sheet the
    workbook opens on (the first)."""
    letters = [column_letter(n) for n in range(1, len(columns) + 1)]
    lines = [
        '<row r="1">'
        + "".join(_cell(f"{letter}1", MEASURE_HEADERS.get(name, name), name, where, HEADER)
                  for letter, name in zip(letters, columns))
        + "</row>"
    ]
    number = 1
    for number, row in enumerate(rows, start=2):
        cells = "".join(_cell(f"{letter}{number}", row.get(name), name, where) for letter, name in zip(letters, columns))
        lines.append(f'<row r="{number}">{cells}</row>')
    area = f"A1:{letters[-1]}{number}"
    widths = "".join(f'<col min="{n}" max="{n}" width="{_width(name)}" customWidth="1"/>'
                     for n, name in enumerate(columns, start=1))
    return _HEAD + (
        f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f'<dimension ref="{area}"/>'
        f'<sheetViews><sheetView{_SELECTED if selected else ""} workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        '</sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        f'<cols>{widths}</cols>'
        f'<sheetData>{"".join(lines)}</sheetData>'
        f'<autoFilter ref="{area}"/>'
        '</worksheet>'), f"$A$1:${letters[-1]}${number}"


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its name (as Excel allows it: `urls.workbook_sheets`), its rows (as
    `opendata.measures_rows` gives them), and the file a message about its cells names."""

    name: str
    rows: Iterable[dict[str, Any]]
    where: str


def book_bytes(sheets: Sequence[Sheet], date: dt.date, where: str, title: str = "",
               columns: Sequence[str] = MEASURE_COLUMNS) -> bytes:
    """The sheets, in their order, as the bytes of an .xlsx file, each with the same columns and header.

    `date` is stamped as the workbook's date, `where` names the file in messages about its title,
    `title` is the workbook's title (its properties)."""
    if not sheets:
        raise ValueError(f"{where}: a workbook has at least one sheet")
    if len({sheet.name.casefold() for sheet in sheets}) < len(sheets):
        raise ValueError(f"{where}: two sheets have one name: {[sheet.name for sheet in sheets]}")
    worksheets = {}
    names, filters = [], []
    for number, sheet in enumerate(sheets, start=1):
        worksheets[f"xl/worksheets/sheet{number}.xml"], absolute = _sheet(sheet.rows, columns, sheet.where, number == 1)
        names.append(f'<sheet name={quoteattr(sheet.name)} sheetId="{number}" r:id="rId{number}"/>')
        filters.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{number - 1}" hidden="1">'
                       f"{escape(repr_sheet(sheet.name))}!{absolute}</definedName>")
    workbook = _HEAD + (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f'<sheets>{"".join(names)}</sheets>'
        f'<definedNames>{"".join(filters)}</definedNames>'
        '</workbook>')
    stamp = dt.datetime.combine(date, dt.time()).strftime("%Y-%m-%dT%H:%M:%SZ")
    core = _HEAD + (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(_fit(title, where))}</dc:title><dc:creator>qip-site</dc:creator><dc:language>vi</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>")
    parts = {
        "[Content_Types].xml": _content_types(len(sheets)),
        "_rels/.rels": _ROOT_RELS,
        "docProps/core.xml": core,
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": _workbook_rels(len(sheets)),
        "xl/styles.xml": _STYLES,
        **worksheets,
    }
    return zip_bytes({name: text.encode("utf-8") for name, text in parts.items()})


def workbook_bytes(rows: Iterable[dict[str, Any]], date: dt.date, where: str, title: str = "",
                   columns: Sequence[str] = MEASURE_COLUMNS) -> bytes:
    """The rows as a workbook of one sheet, "Biện pháp" (the site's ke-hoach.xlsx); `where` names the
    file in messages."""
    return book_bytes([Sheet(SHEET_TITLE, rows, where)], date, where, title, columns)


def repr_sheet(title: str) -> str:
    """A sheet's name as a formula names it: in single quotes, a quote doubled."""
    return "'" + title.replace("'", "''") + "'"


def write_workbook(rows: Iterable[dict[str, Any]], path: Path, date: dt.date, where: str, title: str = "") -> Path:
    return write_book([Sheet(SHEET_TITLE, rows, where)], path, date, where, title)


def write_book(sheets: Sequence[Sheet], path: Path, date: dt.date, where: str, title: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(book_bytes(sheets, date, where, title))
    return path
