"""Open data: every plan as JSON and as CSV (one row per measure), per school and for the whole site.

Plain functions over the site model (`model.py`); nothing here knows MkDocs. The plugin calls
`write_site_data` after the build, which writes:

- `du-lieu/du-lieu.zip`: `ke-hoach.json`, every plan, whole (`plan_data`), in an envelope with the
  licence; `ke-hoach.csv`, one row per measure (`measures_rows`) of every plan; and
  `plans-data.schema.json`, the JSON Schema of the JSON files (`SCHEMA_FILE`);
- `du-lieu/ke-hoach.xlsx`: the same rows as an Excel workbook with typed cells (spreadsheet.py),
  and `du-lieu/plans-data.schema.json` alone, which each JSON file names;
- `truong/<trường>/du-lieu.zip` (`school_archive`): the same for each plan of the school,
  `ke-hoach-<kế hoạch>/ke-hoach.json` (one plan in the envelope) and `ke-hoach-<kế hoạch>/ke-hoach.csv`;
- `truong/<trường>/ke-hoach.xlsx` (`urls.school_workbook`): the school's workbook beside its zip, one
  sheet per plan (`urls.workbook_sheets` names them), newest plan first (`workbook_plans`).

Zipped, because a province's site must fit the hosts' limits (issue 15: 1 GB and 200,000 files for
12,000 plans): JSON and CSV shrink about four times, and a school's plans take one file, not two
per plan (its workbook, one file, not one per plan). Inside a zip, each file has the path it would
have on the site relative to the zip's folder, so unzipping a school's zip in its folder gives `ke-hoach-<kế hoạch>/ke-hoach.json` where
the plan's page is, and the `schema` reference of each JSON file resolves. The plan and school
pages state the school zip's size: the renderer asks `school_archive` while it renders, and the
build writes the same bytes, made once.

Text is published as written (NFC), never cleaned; values the site derives (document number,
date, amounts in VND, standard numbers, official criterion titles) have their own fields. The
output is deterministic: fixed key and row order, no timestamps, zip entries in a fixed order with
a fixed date, permissions and compression level, so a rebuild of the same plans gives the same
bytes. The fields are documented for readers in `docs/du-lieu.md`.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import posixpath
import re
import unicodedata
import weakref
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..domain.model import Plan, School, Site, TableRow, budget_of
from ..domain.money import Budget
from ..reading.schema import CELL_FIELDS, Block, Cells
from ..site import urls

SCHEMA_FILE = Path(__file__).parents[1] / "schema" / "plans-data.schema.json"
# 2: each plan's JSON and CSV are in its school's zip (urls.data), no longer beside its page. 3: the site's
# files are named as a plan's and a school's (ke-hoach.json, ke-hoach.csv, ke-hoach.xlsx), no longer plans.json,
# measures.csv and measures.xlsx.
FORMAT_VERSION = 3
DATA_DIR = urls.DATA
SITE_ZIP = urls.site_data()
# The files in the site's zip, by the path they would have on the site (their name in the zip is relative to it).
SITE_JSON = urls.site_data_file("json")
SITE_CSV = urls.site_data_file("csv")
SITE_SCHEMA = DATA_DIR + SCHEMA_FILE.name  # also published alone: every JSON file names it
SITE_XLSX = urls.site_data_file("xlsx")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold, on every entry: no clock in the bytes
# The compression level of every entry: zlib's default (6), which is also what an entry written as a
# stream gets (`ZipFile.open(entry, "w")` takes no level). Level 9 would gain about 1 %.
ZIP_LEVEL = 6
DEFAULT_LICENCE = "CC BY 4.0"

# Licences a site is likely to choose, with the page that states them (Vietnamese where there is one).
LICENCE_URLS = {
    "CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/deed.vi",
    "CC BY-SA 4.0": "https://creativecommons.org/licenses/by-sa/4.0/deed.vi",
    "CC0 1.0": "https://creativecommons.org/publicdomain/zero/1.0/deed.vi",
    "ODC-By 1.0": "https://opendatacommons.org/licenses/by/1-0/",
    "ODbL 1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
}

# The columns of the CSV and the spreadsheet, in order: each field's name in the code and in
# measures_rows, and the Vietnamese header a reader sees (explained in docs/du-lieu.md).
MEASURE_HEADERS = {
    "school": "Mã trường",
    "school_name": "Tên trường",
    "level": "Cấp học",
    "province": "Tỉnh/thành phố",
    "commune": "Xã/phường",
    "district_as_written": "Địa danh như văn bản ghi",
    "plan": "Kế hoạch",
    "period": "Thời gian của kế hoạch",
    "date": "Ngày ban hành",
    "school_year": "Năm học",
    "standard": "Tiêu chuẩn",
    "criterion": "Mã tiêu chí",
    "criterion_title": "Tên tiêu chí theo thông tư",
    "criterion_as_written": "Tiêu chí như văn bản ghi",
    "area": "Lĩnh vực",
    "weakness": "Điểm yếu",
    "target": "Kết quả cần đạt",
    "measures": "Biện pháp",
    "responsible": "Người phụ trách",
    "timeline": "Thời gian thực hiện",
    "budget_text": "Kinh phí như văn bản ghi",
    "budget_vnd": "Kinh phí (đồng)",
    "budget_per_school_year": "Kinh phí tính cho mỗi năm học",
    "support": "Điều kiện hỗ trợ",
    "note": "Ghi chú",
    "result_state": "Kết quả thực hiện",
    "result_date": "Ngày ghi kết quả",
    "result_text": "Mô tả kết quả",
    "result_evidence": "Minh chứng kết quả",
    "incomplete": "Văn bản nguồn thiếu chữ",
    "synthetic": "Dữ liệu mẫu",
    "url": "Địa chỉ trên trang",
}
MEASURE_COLUMNS = tuple(MEASURE_HEADERS)
# Cells of the table that become CSV columns of the same name.
_MEASURE_CELLS = ("weakness", "target", "measures", "responsible", "timeline", "support", "note")


# ---------------------------------------------------------------------------------------------
# JSON: the whole plan


def plan_files(plan: Plan) -> dict[str, str]:
    """Site-relative URLs of a plan's page and of its school's zip ("data"), and the names of the
    plan's JSON and CSV in that zip ("json", "csv": "ke-hoach-2022-2027/ke-hoach.json")."""
    school, slug = plan.school.slug, plan.slug
    archive = urls.school_data(school)
    folder = archive.removesuffix(urls.DATA_ZIP_NAME)  # the school's: "truong/mn-thuy-tien/" (a member site's: "")
    return {"page": urls.plan(school, slug), "data": archive,
            "json": urls.plan_data(school, slug, "json").removeprefix(folder),
            "csv": urls.plan_data(school, slug, "csv").removeprefix(folder)}


def _budget(budget: Budget | None) -> dict | None:
    if budget is None:
        return None
    return {"text": budget.text, "vnd": budget.vnd, "per_school_year": budget.per_school_year}


def _cells(cells: Cells) -> dict[str, list[str]]:
    return {name: list(getattr(cells, name)) for name in CELL_FIELDS}


def _result(plan: Plan, table_row: TableRow, site_url: str = "") -> dict | None:
    """A row's result, written by the school after the plan was issued (None when none is written).
    `evidence` is the address of the file published beside the plan (site-relative unless `site_url`
    is given), or the web address written."""
    result = table_row.result
    if result is None:
        return None
    named = (result.evidence or "").strip()
    evidence = named or None
    if named in plan.evidence:
        evidence = urls.evidence(plan.school.slug, plan.slug, named)
        evidence = site_url.rstrip("/") + "/" + evidence if site_url else evidence
    return {"state": result.state.value, "date": result.date.isoformat() if result.date else None,
            "text": list(result.text), "evidence": evidence}


def _row(plan: Plan, table_row: TableRow) -> dict:
    row = table_row.row
    standard = table_row.standard
    return {
        "anchor": table_row.anchor,
        "url": plan_files(plan)["page"] + "#" + table_row.anchor,
        "level_heading": table_row.level.heading if table_row.level else None,
        "standard_index": standard.index if standard else None,
        "standard_heading": standard.heading if standard else None,
        "standard_number": table_row.standard_number,
        "code": row.code,
        "criterion_title": table_row.criterion.title if table_row.criterion else None,
        "cells": _cells(row),
        "budget": _budget(table_row.budget),
        "years": [
            {"school_year": item.school_year.label, "cells": _cells(item), "budget": _budget(budget_of(item))}
            for item in row.years
        ],
        "incomplete": row.incomplete,
        "fragments": list(row.fragments),
        "result": _result(plan, table_row),
    }


def _section(section) -> dict:
    content = [{"heading": item.heading} if isinstance(item, Block) else item for item in section.content]
    return {"heading": section.heading, "content": content, "table": section.table}


def _disclosure(plan: Plan) -> dict:
    status = plan.status
    replaced_by = plan.replaced_by
    return {
        "published": plan.published.isoformat() if plan.published else None,
        "last_updated": plan.last_updated.isoformat() if plan.last_updated else None,
        "status": status.state.value if status else "in_force",
        "status_date": status.date.isoformat() if status and status.date else None,
        "status_reason": status.reason if status else None,
        "replaced_by": urls.plan(plan.school.slug, replaced_by.slug) if replaced_by else None,
        "original": (urls.original(plan.school.slug, plan.slug, plan.original.suffix) if plan.original else None),
    }


def plan_data(plan: Plan) -> dict:
    """The whole plan as JSON-ready data: every text as written, derived values named as such."""
    school = plan.school
    d = plan.data
    place = school.place
    files = plan_files(plan)
    date = plan.date
    return _nfc({
        "school": {
            "slug": school.slug,
            "name": school.name,
            "name_as_written": school.data.name,
            "level": school.level.value,
            "level_label": school.level.label,
            "managing_body": school.managing_body,
            "place": {"as_written": place.as_written, "province": place.province, "commune": place.commune},
            "circular": {"number": school.circular.number, "slug": school.circular.slug},
            "url": urls.school(school.slug),
        },
        "plan": plan.slug,
        "file": plan.file,
        "period": {
            "first": plan.period.first.label,
            "last": plan.period.last.label,
            "years": [year.label for year in plan.period.years],
            "annual": plan.period.is_annual,
        },
        "number": plan.number,
        "date": date.isoformat() if date else None,
        "title": list(d.title),
        "header": {
            "managing_body": d.header.managing_body,
            "school": d.header.school,
            "number": d.header.number,
            "national_name": d.header.national_name,
            "motto": d.header.motto,
            "place_date": d.header.place_date,
            "date": d.header.date.isoformat() if d.header.date else None,
        },
        "preamble": list(d.preamble),
        "sections": [_section(section) for section in d.sections],
        "columns": [{"field": name, "heading": heading} for name, heading in (d.table.columns.items() if d.table else [])],
        "rows": [_row(plan, table_row) for table_row in plan.rows()],
        "closing": list(d.closing),
        "recipients": list(d.recipients),
        "signer": {"position": d.signer.position, "note": d.signer.note, "name": d.signer.name},
        "synthetic": plan.synthetic,
        "disclosure": _disclosure(plan),
        "urls": {
            "page": files["page"],
            "school": urls.school(school.slug),
            "school_years": [urls.school_year(school.slug, year) for year in plan.period.years],
            "data": files["data"],
            "data_json": files["json"],
            "data_csv": files["csv"],
        },
    })


def envelope(plans: Iterable[dict], licence: str, generated_from: str, schema: str) -> dict:
    """What a JSON data file holds: the licence, where the data comes from, its schema, the plans."""
    return {
        "licence": _nfc(licence),
        "licence_url": LICENCE_URLS.get(licence),
        "version": FORMAT_VERSION,
        "generated_from": _nfc(generated_from),
        "schema": schema,
        "plans": list(plans),
    }


def _envelope_text(plan_texts: Iterable[str], licence: str, generated_from: str, schema: str) -> str:
    """`dumps(envelope(plans, …))` from each plan's text already dumped (`dumps(plan)` without its
    newline): the same characters, without holding every plan as data at once."""
    head, tail = _envelope_ends(licence, generated_from, schema)
    return head + ",".join(plan_texts) + tail


def _envelope_ends(licence: str, generated_from: str, schema: str) -> tuple[str, str]:
    """The text of a JSON file before its first plan and after its last: '{"licence":…,"plans":[' and ']}\n'
    (`plans` is the envelope's last key)."""
    text = dumps(envelope([], licence, generated_from, schema))
    return text[:-3], text[-3:]


def dumps(data: Any) -> str:
    """Compact, UTF-8, fixed key order (the order the data was built in), one trailing newline.

    "<", ">", "&" and the two Unicode line separators are written as \\u escapes: the file parses
    to the same strings, and stays inert even if some page ever embeds it in HTML.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text + "\n"


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {key: _nfc(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_nfc(item) for item in value]
    return value


# ---------------------------------------------------------------------------------------------
# CSV: one row per measure


def _text(paragraphs: Iterable[str]) -> str:
    """A cell's paragraphs in one spreadsheet cell, one paragraph a line."""
    return "\n".join(p for p in paragraphs if p.strip())


def measures_rows(plan: Plan, site_url: str = "") -> list[dict]:
    """One row per measure: a table row, or each of its per-year items when the document splits
    the row by school year (the row's own cells, e.g. its responsible person, repeat on each).

    Text values are str (as written, paragraphs joined by line breaks); `standard` and
    `budget_vnd` are int or None; `date` (of issue) is a date or None; `budget_per_school_year`,
    `incomplete`, `synthetic` are bool.
    `url` is site-relative unless `site_url` is given.

    Money is never counted twice: when a budget written once for a row split by year is a single
    sum (not "…/năm học"), `budget_text` shows on every year's line but `budget_vnd` only on the
    first, so that adding up the column gives the plan's amount.
    """
    school = plan.school
    place = school.place
    base = {
        "school": school.slug,
        "school_name": school.name,
        "level": school.level.label,
        "province": place.province or "",
        "commune": place.commune or "",
        "district_as_written": place.as_written or "",
        "plan": plan.slug,
        "period": plan.period.span,
        "date": plan.date,
    }
    synthetic = plan.synthetic
    out = []
    for table_row in plan.rows():
        row = table_row.row
        line = {
            **base,
            "standard": table_row.standard_number,
            "criterion": row.code or "",
            "criterion_title": table_row.criterion.title if table_row.criterion else "",
            "criterion_as_written": _text(row.criterion),
            "area": _text(row.area),
            "incomplete": row.incomplete,
            "synthetic": synthetic,
            "url": site_url.rstrip("/") + "/" + plan_files(plan)["page"] + "#" + table_row.anchor
            if site_url else plan_files(plan)["page"] + "#" + table_row.anchor,
        }
        result = _result(plan, table_row, site_url)
        line.update({"result_state": result["state"], "result_date": table_row.result.date,
                     "result_text": _text(result["text"]), "result_evidence": result["evidence"] or ""}
                    if result and table_row.result else
                    {"result_state": "", "result_date": None, "result_text": "", "result_evidence": ""})
        row_budget = table_row.budget
        if not row.years:
            out.append({
                **line, "school_year": "",
                **{name: _text(getattr(row, name)) for name in _MEASURE_CELLS},
                "budget_text": _text(row.budget),
                "budget_vnd": row_budget.vnd if row_budget else None,
                "budget_per_school_year": row_budget.per_school_year if row_budget else False,
            })
            continue
        for position, item in enumerate(row.years):
            item_budget = budget_of(item)
            if item_budget is not None and row_budget is None:
                vnd, per_year = item_budget.vnd, item_budget.per_school_year
            elif item_budget is None and row_budget is not None:
                per_year = row_budget.per_school_year
                vnd = row_budget.vnd if (per_year or position == 0) else None
            else:
                # No budget, or one for the row and one for the year whose relation only a reader can tell.
                vnd, per_year = None, False
            out.append({
                **line, "school_year": item.school_year.label,
                **{name: _text(list(getattr(row, name)) + list(getattr(item, name))) for name in _MEASURE_CELLS},
                "budget_text": _text(list(row.budget) + list(item.budget)),
                "budget_vnd": vnd,
                "budget_per_school_year": per_year,
            })
    return [{name: _nfc(line[name]) for name in MEASURE_COLUMNS} for line in out]


# Formula guard. A spreadsheet that opens a CSV reads each cell as if it had been typed in: a
# cell starting with "=", "+", "-" or "@" becomes a formula, which can fetch URLs (HYPERLINK,
# WEBSERVICE) or, in older Excel, start programs through DDE (=cmd|' /C calc'!A0). OWASP's advice
# (and ASVS 1.2.10) is to put a single quote before such cells. Excel takes a typed leading ' as
# the mark of text and hides it; LibreOffice keeps it visible as part of the text. So the quote
# goes only where a formula could start, and nowhere else:
#
# - every text cell whose first character, after any leading whitespace, is = + - @ (OWASP),
#   | or % (DDE and old Lotus syntax, as the defusedcsv library does), or the full-width forms
#   ＝ ＋ － ＠ that some Excel versions accept; and every cell starting with a tab, a line break
#   or NUL (OWASP's tab and carriage return; whitespace is skipped by some importers).
#   This includes every "- Tham mưu …" bullet, on purpose: guessing which "-" cells Excel would
#   take for a formula means imitating Excel's parser, and "-2+3+cmd|' /C calc'!A0" is a known
#   payload. Unguarded, such a bullet shows as #NAME? in Excel anyway;
# - but not a plain number ("-5", "+1", "-1,5"): a spreadsheet reads it as that number, which runs
#   nothing;
# - every text cell that itself starts with ', so that the rule reverses exactly: a reader
#   removes one leading ' from a cell when there is one (`unguard`) and gets the text as written.
#
# Codes ("3.5", "1.10"), amounts ("7.000.000") and dates ("2/9") are not guarded: they run
# nothing. LibreOffice in Vietnamese (checked with 7.4, tests/test_spreadsheets.py) keeps the codes
# as text and reads "7.000.000" as the number 7000000; a spreadsheet set to a locale with a
# decimal point reads "1.10" as 1.1, which is why the site also publishes the .xlsx, whose cells
# are typed (spreadsheet.py). Numbers we derive (budget_vnd, standard) are written as plain
# digits. Quoting every cell (csv.QUOTE_ALL) keeps commas, quotes and line breaks inside their
# cell, but does not stop formulas: Excel evaluates "=1+1" in quotes too. The JSON files carry
# the text exactly, without any guard.
_FORMULA_CHARS = frozenset("=+-@|%\uff1d\uff0b\uff0d\uff20")
_CONTROL_CHARS = frozenset("\t\r\n\0")
_PLAIN_NUMBER_RE = re.compile(r"\s*[+-]?\d+(?:[.,]\d+)*\s*")


def guard(text: str) -> str:
    """The text as a spreadsheet must receive it: prefixed with ' when it could run as a formula
    (and is not a plain number), or already starts with '."""
    if not text:
        return text
    first = text.lstrip()[:1]
    if text[0] in _CONTROL_CHARS or text[0] == "'":
        return "'" + text
    if first in _FORMULA_CHARS and not _PLAIN_NUMBER_RE.fullmatch(text):
        return "'" + text
    return text


def unguard(cell: str) -> str:
    """The text as written, from a CSV cell: `guard` reversed."""
    return cell.removeprefix("'")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return guard(unicodedata.normalize("NFC", str(value)))


def csv_text(rows: Iterable[dict], columns: Sequence[str] = MEASURE_COLUMNS) -> str:
    """The rows as CSV text, under the columns' Vietnamese headers."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([MEASURE_HEADERS.get(name, name) for name in columns])
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in columns])
    return out.getvalue()


def csv_bytes(rows: Iterable[dict], columns: Sequence[str] = MEASURE_COLUMNS) -> bytes:
    """A CSV Excel opens correctly: UTF-8 with BOM (without it Excel guesses the Windows code page
    and garbles Vietnamese), CRLF between rows, every cell quoted, every text cell formula-guarded."""
    return ("\ufeff" + csv_text(rows, columns)).encode("utf-8")


def write_csv(rows: Iterable[dict], path: Path, columns: Sequence[str] = MEASURE_COLUMNS) -> Path:
    """The rows as a CSV file (`csv_bytes`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_bytes(rows, columns))
    return path


# ---------------------------------------------------------------------------------------------
# The files of the site


def _relative(from_file: str, to_file: str) -> str:
    """A relative reference from one site file to another, valid wherever the site is served."""
    return posixpath.relpath(to_file, posixpath.dirname(from_file))


def _data_date(plan: Plan) -> dt.date | None:
    """The date a plan's data last changed, as far as the plans tell: stamped in its workbook."""
    return plan.last_updated or plan.published or plan.date


def _zip_entry(name: str) -> zipfile.ZipInfo:
    """A zip entry that holds nothing of the machine or the clock: fixed date, Unix, rw-r--r--, deflated."""
    entry = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.create_system = 3
    entry.external_attr = 0o644 << 16
    return entry


def zip_bytes(parts: Mapping[str, bytes]) -> bytes:
    """The parts, in their order, as the bytes of a zip file: the same parts give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, data in parts.items():
            target.writestr(_zip_entry(name), data, compresslevel=ZIP_LEVEL)
    return out.getvalue()


def _plan_text(plan: Plan) -> str:
    """The plan's JSON text, as it stands among the plans of a data file."""
    return dumps(plan_data(plan))[:-1]


def _plan_schema(plan: Plan) -> str:
    """The schema's address from the plan's JSON file (where unzipping its school's zip puts it)."""
    return "../" * urls.plan_data(plan.school.slug, plan.slug, "json").count("/") + SITE_SCHEMA


def workbook_plans(school: School) -> list[Plan]:
    """The school's plans in its workbook's order: newest first, by first school year, then last school
    year, then file name, latest first (the workbook opens on its first sheet)."""
    return sorted(school.plans, key=lambda plan: (plan.period.first, plan.period.last, plan.slug), reverse=True)


def _make_archive(school: School, licence: str, site_url: str) -> bytes:
    parts = {}
    for plan in school.plans:
        files = plan_files(plan)
        parts[files["json"]] = _envelope_text([_plan_text(plan)], licence, plan.file, _plan_schema(plan)).encode("utf-8")
        parts[files["csv"]] = csv_bytes(measures_rows(plan, site_url))
    return zip_bytes(parts)


# The zips `school_archive` made, by id(school): the school (weakly, so an entry goes with its school), what
# else the bytes depend on, and the bytes. Made while the pages are rendered, taken when the files are written.
_archives: dict[int, tuple[weakref.ref[School], tuple[str, str, urls.Member | None], bytes]] = {}


def school_archive(school: School, licence: str = DEFAULT_LICENCE, site_url: str = "") -> bytes:
    """The school's zip (`urls.school_data`): each plan's JSON and CSV, in the plans' order.

    Made once: the plan and school pages state its size while they are rendered, and
    `write_site_data` writes these bytes (`_take_archive`). A school, licence, address or member
    site other than the one it was made for makes it again."""
    key = (licence, site_url, urls.member())
    found = _archives.get(id(school))
    if found is not None and found[0]() is school and found[1] == key:
        return found[2]
    data = _make_archive(school, licence, site_url)
    number = id(school)

    def forget(ref: weakref.ref[School]) -> None:
        kept = _archives.get(number)
        if kept is not None and kept[0] is ref:  # not a newer school's, made at the same id
            del _archives[number]

    _archives[number] = (weakref.ref(school, forget), key, data)
    return data


def _take_archive(school: School, licence: str, site_url: str) -> bytes:
    """`school_archive`, no longer kept once taken: the build writes it once."""
    data = school_archive(school, licence, site_url)
    _archives.pop(id(school), None)
    return data


def write_site_data(site: Site, site_dir: Path, licence: str = DEFAULT_LICENCE, *,
                    generated_from: str = "plans/", site_url: str = "") -> list[Path]:
    """Write every data file of the site into `site_dir`; return their paths in writing order.

    The site's ke-hoach.json and ke-hoach.csv are the school zips' files one after the other: they are
    read back from those zips (already made for the pages), not made a second time."""
    from .reproducible import NO_DATE
    from .spreadsheet import Sheet, write_book, write_workbook

    site_dir = Path(site_dir)
    written = []

    def write(relative: str, data: bytes) -> None:
        path = site_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)

    archives, all_rows = [], []
    for school in site.schools:
        if not school.plans:
            continue
        archive = _take_archive(school, licence, site_url)
        write(urls.school_data(school.slug), archive)
        archives.append((school, archive))
        rows = {plan.slug: measures_rows(plan, site_url) for plan in school.plans}
        for plan in school.plans:  # the site's rows in the school's order, as its zip and ke-hoach.csv
            all_rows.extend(rows[plan.slug])
        sheets = urls.workbook_sheets(rows)
        written.append(write_book([Sheet(sheets[plan.slug], rows[plan.slug], plan.file) for plan in workbook_plans(school)],
                                  site_dir / urls.school_workbook(school.slug),
                                  max((d for d in map(_data_date, school.plans) if d), default=NO_DATE), school.file,
                                  f"{school.name}: các biện pháp của mọi kế hoạch"))

    def plan_texts() -> Iterable[str]:
        for school, archive in archives:
            with zipfile.ZipFile(io.BytesIO(archive)) as packed:
                for plan in school.plans:
                    text = packed.read(plan_files(plan)["json"]).decode("utf-8")
                    head, tail = _envelope_ends(licence, plan.file, _plan_schema(plan))
                    yield text[len(head):-len(tail)]  # the plan, without the envelope _make_archive put around it

    def csv_lines() -> Iterable[bytes]:
        for school, archive in archives:
            with zipfile.ZipFile(io.BytesIO(archive)) as packed:
                for plan in school.plans:
                    yield packed.read(plan_files(plan)["csv"]).split(b"\r\n", 1)[1]  # without the BOM and header

    # The site's zip, written a file at a time, so that no whole ke-hoach.json is held in memory.
    head, tail = _envelope_ends(licence, generated_from, _relative(SITE_JSON, SITE_SCHEMA))
    path = site_dir / SITE_ZIP
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as target:
        with target.open(_zip_entry(_relative(SITE_ZIP, SITE_JSON)), "w") as out:
            out.write(head.encode("utf-8"))
            for number, text in enumerate(plan_texts()):
                out.write(("," + text if number else text).encode("utf-8"))
            out.write(tail.encode("utf-8"))
        with target.open(_zip_entry(_relative(SITE_ZIP, SITE_CSV)), "w") as out:
            out.write(csv_bytes([]))
            for lines in csv_lines():
                out.write(lines)
        target.writestr(_zip_entry(_relative(SITE_ZIP, SITE_SCHEMA)), SCHEMA_FILE.read_bytes(), compresslevel=ZIP_LEVEL)
    written.append(path)
    newest = max((d for d in map(_data_date, site.plans) if d), default=NO_DATE)
    written.append(write_workbook(all_rows, site_dir / SITE_XLSX, newest, SITE_XLSX, "Các biện pháp của mọi kế hoạch"))
    write(SITE_SCHEMA, SCHEMA_FILE.read_bytes())
    return written


# ---------------------------------------------------------------------------------------------
# The licence on the hand-written data page

LICENCE_START = "<!-- qip:licence -->"
LICENCE_END = "<!-- /qip:licence -->"
_LICENCE_RE = re.compile(re.escape(LICENCE_START) + r".*?" + re.escape(LICENCE_END), re.DOTALL)


def licence_markdown(licence: str) -> str:
    """The licence as the data page shows it: a link to its text when it is a known licence."""
    name = html.escape(licence)
    url = LICENCE_URLS.get(licence)
    return f'<a href="{html.escape(url)}">{name}</a>' if url else name


def fill_licence(markdown: str, licence: str) -> str:
    """Put the configured licence between the markers of docs/du-lieu.md (which hold the default,
    so the page reads right even when nothing replaces them)."""
    return _LICENCE_RE.sub(lambda _: LICENCE_START + licence_markdown(licence) + LICENCE_END, markdown)
