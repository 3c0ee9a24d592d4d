"""Open data: every plan as JSON and as CSV (one row per measure), per plan and for the whole site.

Plain functions over the site model (`model.py`); nothing here knows MkDocs. The plugin calls
`write_site_data` after the build, which writes:

- `du-lieu/plans.json`: every plan, whole (`plan_data`), in an envelope with the licence;
- `du-lieu/measures.csv`: one row per measure (`measures_rows`) of every plan, and the same as an
  Excel workbook with typed cells, `du-lieu/measures.xlsx` (spreadsheet.py);
- `du-lieu/plans-data.schema.json`: the JSON Schema of the two JSON files (`SCHEMA_FILE`);
- `truong/<trường>/ke-hoach-<kế hoạch>/ke-hoach.json`, `ke-hoach.csv` and `ke-hoach.xlsx`: the
  same for one plan, beside its page.

Text is published as written (NFC), never cleaned; values the site derives (document number,
date, amounts in VND, standard numbers, official criterion titles) have their own fields. The
output is deterministic: fixed key and row order, no timestamps, so a rebuild of the same plans
gives the same bytes. The fields are documented for readers in `docs/du-lieu.md`.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import posixpath
import re
import shutil
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..domain.model import Plan, Site, TableRow, budget_of
from ..domain.money import Budget
from ..reading.schema import CELL_FIELDS, Block, Cells
from ..site import urls

SCHEMA_FILE = Path(__file__).parents[1] / "schema" / "plans-data.schema.json"
FORMAT_VERSION = 1
DATA_DIR = "du-lieu/"
SITE_JSON = DATA_DIR + "plans.json"
SITE_CSV = urls.site_measures("csv")
SITE_XLSX = urls.site_measures("xlsx")
SITE_SCHEMA = DATA_DIR + "plans-data.schema.json"
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
    """Site-relative URLs of a plan's page and of its two downloads."""
    school, slug = plan.school.slug, plan.slug
    return {"page": urls.plan(school, slug), "json": urls.plan_data(school, slug, "json"),
            "csv": urls.plan_data(school, slug, "csv")}


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
            "json": files["json"],
            "csv": files["csv"],
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


def write_csv(rows: Iterable[dict], path: Path, columns: Sequence[str] = MEASURE_COLUMNS) -> Path:
    """A CSV Excel opens correctly: UTF-8 with BOM (without it Excel guesses the Windows code page
    and garbles Vietnamese), CRLF between rows, every cell quoted, every text cell formula-guarded."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\ufeff" + csv_text(rows, columns)).encode("utf-8"))
    return path


# ---------------------------------------------------------------------------------------------
# The files of the site


def _relative(from_file: str, to_file: str) -> str:
    """A relative reference from one site file to another, valid wherever the site is served."""
    return posixpath.relpath(to_file, posixpath.dirname(from_file))


def _data_date(plan: Plan) -> dt.date | None:
    """The date a plan's data last changed, as far as the plans tell: stamped in its workbook."""
    return plan.last_updated or plan.published or plan.date


def write_site_data(site: Site, site_dir: Path, licence: str = DEFAULT_LICENCE, *,
                    generated_from: str = "plans/", site_url: str = "") -> list[Path]:
    """Write every data file of the site into `site_dir`; return their paths in writing order."""
    from .reproducible import NO_DATE
    from .spreadsheet import write_workbook

    site_dir = Path(site_dir)
    written = []

    def write(relative: str, text: str) -> None:
        path = site_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        written.append(path)

    all_plans, all_rows = [], []
    for plan in site.plans:
        data = plan_data(plan)
        rows = measures_rows(plan, site_url)
        all_plans.append(data)
        all_rows.extend(rows)
        files = plan_files(plan)
        write(files["json"], dumps(envelope([data], licence, plan.file, _relative(files["json"], SITE_SCHEMA))))
        written.append(write_csv(rows, site_dir / files["csv"]))
        written.append(write_workbook(rows, site_dir / urls.plan_data(plan.school.slug, plan.slug, "xlsx"),
                                      _data_date(plan) or NO_DATE, plan.file,
                                      f"{plan.school.name}: {plan.period.label}"))
    write(SITE_JSON, dumps(envelope(all_plans, licence, generated_from, _relative(SITE_JSON, SITE_SCHEMA))))
    written.append(write_csv(all_rows, site_dir / SITE_CSV))
    newest = max((d for d in map(_data_date, site.plans) if d), default=NO_DATE)
    written.append(write_workbook(all_rows, site_dir / SITE_XLSX, newest, SITE_XLSX, "Các biện pháp của mọi kế hoạch"))
    (site_dir / SITE_SCHEMA).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SCHEMA_FILE, site_dir / SITE_SCHEMA)
    written.append(site_dir / SITE_SCHEMA)
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
