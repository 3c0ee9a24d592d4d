"""Spreadsheet downloads: each school's .xlsx (one sheet per plan, every measure of the plan file) and
the site's have typed cells under Vietnamese headers (read back with openpyxl and with LibreOffice),
the plan and school pages link the school's; and the CSV's codes show without an apostrophe in
LibreOffice while formulas stay text."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import REPO, content, fold, new_project, run_cli, write_files
from test_injection import dump
from test_opendata import HEADERS, HOSTILE, HOSTILE_SCHOOL, hostile, hostile_plan, measures_count, site_file  # noqa: F401  (fixture)

from qip_site.outputs import opendata, spreadsheet
from qip_site.reading.validate import load_site
from qip_site.site import urls

needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    site, _ = load_site(REPO / "plans", REPO)
    out = tmp_path_factory.mktemp("xlsx") / "site"
    opendata.write_site_data(site, out, "CC BY 4.0")
    return site, out


def sheet(path: Path):
    """The one sheet of the site's ke-hoach.xlsx."""
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Biện pháp"]
    return book.active


def by_header(ws) -> list[dict]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row)) for row in ws.iter_rows(min_row=2)]


def source_measures(file: Path) -> int:
    """The measures of a plan, counted on its YAML file (not on the model, not on a workbook): a row the
    document splits by school year is one measure a year, any other row (by criterion or by area) one."""
    table = yaml.safe_load(file.read_text(encoding="utf-8")).get("table") or {}
    standards = table.get("standards", []) + [s for level in table.get("levels", []) for s in level.get("standards", [])]
    rows = [row for standard in standards for row in standard.get("criteria", [])] + table.get("areas", [])
    return sum(len(row.get("years") or []) or 1 for row in rows)


def plan_files(plans: Path, school: str) -> dict[str, Path]:
    """A school's plan files in plans/, by plan (the file's stem), from the folder itself."""
    return {f.stem: f for f in (plans / school).glob("*.yml") if f.name != "school.yml"}


def check_sheet(ws, path: Path) -> None:
    """A sheet as every workbook's: Vietnamese headers in bold, frozen and filtered, set widths."""
    assert [c.value for c in ws[1]] == HEADERS, (path, ws.title)
    assert all(c.font.b for c in ws[1])
    last = spreadsheet.column_letter(len(HEADERS))
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:{last}{ws.max_row}", (path, ws.title)
    assert ws.column_dimensions["R"].width == 48 and ws.column_dimensions["L"].width == 12  # measures, code


def test_every_school_and_the_site_have_a_workbook_with_vietnamese_headers(real) -> None:
    site, out = real
    whole = sheet(out / "du-lieu" / "ke-hoach.xlsx")
    check_sheet(whole, out / "du-lieu" / "ke-hoach.xlsx")
    schools = sorted(p.name for p in (REPO / "plans").iterdir() if (p / "school.yml").is_file())
    files = {school: plan_files(REPO / "plans", school) for school in schools}
    assert whole.max_row - 1 == sum(source_measures(f) for plans in files.values() for f in plans.values())
    for school, plans in files.items():
        path = out / "truong" / school / "ke-hoach.xlsx"
        book = openpyxl.load_workbook(path)
        assert sorted(book.sheetnames) == sorted(urls.workbook_sheets(plans).values()), path
        for slug, file in plans.items():
            ws = book[urls.workbook_sheets(plans)[slug]]
            check_sheet(ws, path)
            assert ws.max_row - 1 == source_measures(file) > 0, file
            assert {(r["Mã trường"].value, r["Kế hoạch"].value) for r in by_header(ws)} == {(school, slug)}
    # No plan has a workbook of its own any more: one file per school (issue 15).
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.xlsx")) == sorted(
        ["du-lieu/ke-hoach.xlsx"] + [f"truong/{school}/ke-hoach.xlsx" for school in schools])


# A school with several plans: long names cut alike, "history" (a name Excel keeps for itself), the
# hostile plan of test_opendata, newest first by first school year.
LONG = "2018-2019-ke-hoach-cai-tien-chat-luong-giao-duc-sau-danh-gia-ngoai-lan-thu-hai"
SEVERAL = {"2019-2020": ("2019-2020", 1), "history": ("2020-2021", 2),
           "ke-hoach-cai-tien-chat-luong-giao-duc-ban-a": ("2021-2022", 3),
           "ke-hoach-cai-tien-chat-luong-giao-duc-ban-b": ("2022-2023", 4), LONG: ("2018-2019", 2)}
NEWEST_FIRST = ["2023-2025", "ke-hoach-cai-tien-chat-luong-giao-duc-ban-b", "ke-hoach-cai-tien-chat-luong-giao-duc-ban-a",
                "history", "2019-2020", LONG]


def small_plan(year: str, rows: int) -> dict:
    """An annual plan of `rows` rows, the last split over its one school year."""
    criteria = [{"code": f"1.{n}", "criterion": f"Tiêu chí 1.{n}", "measures": f"- Việc {n} của năm {year}"}
                for n in range(1, rows + 1)]
    criteria[-1]["years"] = [{"school_year": year, "measures": "=1+1"}]
    return {"period": {"from": year, "to": year}, "header": {"place_date": "Quận 1, ngày 2 tháng 9 năm 2019"},
            "title": ["KẾ HOẠCH"], "sections": [{"heading": "III. Bảng", "table": True}],
            "table": {"columns": {"criterion": "Tiêu chí", "measures": "Biện pháp"},
                      "standards": [{"heading": "Tiêu chuẩn 1", "criteria": criteria}]}}


@pytest.fixture(scope="module")
def several(tmp_path_factory) -> Path:
    """The project (built into its site/) of one school with six plans, the hostile one among them."""
    project = new_project(tmp_path_factory.mktemp("several") / "project")
    files = {"plans/mn-nhieu/school.yml": dump(HOSTILE_SCHOOL), "plans/mn-nhieu/2023-2025.yml": dump(hostile_plan())}
    files |= {f"plans/mn-nhieu/{slug}.yml": dump(small_plan(year, rows)) for slug, (year, rows) in SEVERAL.items()}
    write_files(project, files)
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def test_a_school_with_several_plans_has_one_workbook_with_a_sheet_per_plan(several: Path) -> None:
    path = several / "site/truong/mn-nhieu/ke-hoach.xlsx"
    plans = plan_files(several / "plans", "mn-nhieu")
    assert len(plans) == 6 and not list((several / "site/truong/mn-nhieu").glob("ke-hoach-*/*.xlsx"))
    names = urls.workbook_sheets(plans)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [names[slug] for slug in NEWEST_FIRST]
    assert names["2019-2020"] == "2019-2020" and names["history"] == "history (2)"
    # Cut to 31 characters with "…"; the second of two alike is numbered as Excel numbers a copy.
    assert names[LONG] == "2018-2019-ke-hoach-cai-tien-ch…"
    assert names["ke-hoach-cai-tien-chat-luong-giao-duc-ban-a"] == "ke-hoach-cai-tien-chat-luong-g…"
    assert names["ke-hoach-cai-tien-chat-luong-giao-duc-ban-b"] == "ke-hoach-cai-tien-chat-luo… (2)"
    for slug, file in plans.items():
        ws = book[names[slug]]
        check_sheet(ws, path)
        rows = by_header(ws)
        assert len(rows) == source_measures(file), file
        assert {r["Kế hoạch"].value for r in rows} == {slug}
    assert sum(source_measures(f) for f in plans.values()) == 7 + 1 + 2 + 3 + 4 + 2
    assert book.properties.title == unicodedata.normalize("NFC", HOSTILE_SCHOOL["name"]) + \
        ": các biện pháp của mọi kế hoạch"
    assert book.properties.created == dt.datetime(2023, 9, 2)  # the newest plan's date of issue (no git here)
    check_package(path.read_bytes())
    # The same plans written again, outside a build: the same bytes.
    again = several / "again"
    opendata.write_site_data(load_site(several / "plans", several)[0], again)
    assert (again / "truong/mn-nhieu/ke-hoach.xlsx").read_bytes() == path.read_bytes()


def test_the_plan_and_school_pages_link_the_schools_workbook(several: Path) -> None:
    site = several / "site"
    book = openpyxl.load_workbook(site / "truong/mn-nhieu/ke-hoach.xlsx")
    names = urls.workbook_sheets(plan_files(several / "plans", "mn-nhieu"))
    text = "Bảng tính Excel (.xlsx) của mọi kế hoạch của trường"
    for slug in NEWEST_FIRST:
        page = site / f"truong/mn-nhieu/ke-hoach-{slug}/index.html"
        facts = content(page).select_one(".qip-facts")
        link = facts.find("a", string=text)
        assert (page.parent / link["href"]).resolve() == site / "truong/mn-nhieu/ke-hoach.xlsx"
        assert link["download"] == "ke-hoach-mn-nhieu.xlsx" and link["type"] == urls.XLSX_TYPE
        said = fold(facts.get_text(" "))
        assert f"{text} , mỗi kế hoạch một trang tính: kế hoạch này ở trang tính “{names[slug]}”" in said, said
        # The sheet the page names holds this plan's rows.
        assert {r["Kế hoạch"].value for r in by_header(book[names[slug]])} == {slug}
    page = site / "truong/mn-nhieu/index.html"
    facts = content(page).select_one(".qip-facts")
    link = facts.find("a", string=text)
    assert (page.parent / link["href"]).resolve() == site / "truong/mn-nhieu/ke-hoach.xlsx"
    assert link["download"] == "ke-hoach-mn-nhieu.xlsx"
    assert f"{text} , mỗi kế hoạch một trang tính, kế hoạch mới nhất trước" in fold(facts.get_text(" "))


def test_hostile_text_is_text_in_every_sheet_of_the_schools_workbook(several: Path) -> None:
    path = several / "site/truong/mn-nhieu/ke-hoach.xlsx"
    book = openpyxl.load_workbook(path)
    first = by_header(book["2023-2025"])[0]
    assert first["Thời gian thực hiện"].value == "=1+1" and first["Thời gian thực hiện"].data_type == "s"
    assert first["Biện pháp"].value == "\n".join(HOSTILE) and first["Người phụ trách"].value == "- Tham mưu"
    split = by_header(book["2019-2020"])[0]["Biện pháp"]  # the row's measures, then its year's "=1+1"
    assert split.value == "- Việc 1 của năm 2019-2020\n=1+1" and split.data_type == "s"
    archive = zipfile.ZipFile(path)
    sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert len(sheets) == 6
    for name in sheets:
        raw = archive.read(name).decode("utf-8")
        assert "<f>" not in raw and 't="e"' not in raw and 't="str"' not in raw and "<script" not in raw, name


def test_cells_are_typed(real) -> None:
    _, out = real
    ws = sheet(out / "du-lieu" / "ke-hoach.xlsx")
    rows = by_header(ws)
    line = next(r for r in rows if r["Mã trường"].value == "truong-trung-hoc-chua-ro-ten"
                and r["Mã tiêu chí"].value == "3.2")
    # Money: a number, shown as đồng.
    money = line["Kinh phí (đồng)"]
    assert money.value == 300000000 and money.data_type == "n" and money.number_format == '#,##0 "đ"'
    assert line["Kinh phí như văn bản ghi"].value == "300.000.000 đồng"
    # Codes: text, as written; the standard: a number.
    code = line["Mã tiêu chí"]
    assert code.data_type == "s" and code.number_format == "@"
    assert line["Tiêu chuẩn"].value == 3 and line["Tiêu chuẩn"].data_type == "n"
    codes = [r["Mã tiêu chí"].value for r in rows if r["Mã tiêu chí"].value]
    assert "1.10" in codes and "3.5" in codes and all(isinstance(c, str) and not c.startswith("'") for c in codes)
    # The date of issue: a date.
    thuy_tien = next(r for r in rows if r["Mã trường"].value == "mn-thuy-tien")
    assert thuy_tien["Ngày ban hành"].value == dt.datetime(2022, 9, 6)
    assert thuy_tien["Ngày ban hành"].is_date and thuy_tien["Ngày ban hành"].number_format == "dd/mm/yyyy"
    assert line["Dữ liệu mẫu"].value is False and line["Dữ liệu mẫu"].data_type == "b"
    # Texts wrap, top-aligned; a text of several paragraphs keeps its line breaks.
    assert all(r["Biện pháp"].alignment.wrap_text for r in rows)
    assert any("\n" in (r["Biện pháp"].value or "") for r in rows)


def test_hostile_text_is_text_in_the_workbook(hostile) -> None:  # noqa: F811
    site, out = hostile
    ws = sheet(out / "du-lieu" / "ke-hoach.xlsx")
    rows = by_header(ws)
    assert len(rows) == measures_count(site.plans[0]) == 7
    first = rows[0]
    # Plan text is data: "=1+1" is a text cell, not a formula (openpyxl would have made it one).
    assert first["Thời gian thực hiện"].value == "=1+1" and first["Thời gian thực hiện"].data_type == "s"
    assert first["Người phụ trách"].value == "- Tham mưu" and first["Điều kiện hỗ trợ"].value == "+1"
    assert first["Tỉnh/thành phố"].value == "@Thành phố" and first["Xã/phường"].value == "=1+1"
    assert first["Biện pháp"].value == "\n".join(HOSTILE)
    assert first["Kinh phí như văn bản ghi"].value == "30.000.000" and first["Kinh phí (đồng)"].value == 30000000
    # No cell anywhere is a formula or an error value.
    raw = zipfile.ZipFile(out / "du-lieu" / "ke-hoach.xlsx").read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in raw and 't="e"' not in raw and 't="str"' not in raw
    assert "<script" not in raw  # escaped XML text


def test_a_text_starting_with_equals_is_a_string_cell() -> None:
    """The case openpyxl gets wrong by default (it writes such a string as a formula)."""
    data = spreadsheet.workbook_bytes([{"measures": "=HYPERLINK(\"http://x\")", "criterion": "1.10",
                                        "weakness": "#N/A", "budget_vnd": 7000000}], dt.date(2024, 1, 2), "thử")
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    row = by_header(ws)[0]
    assert row["Biện pháp"].value == "=HYPERLINK(\"http://x\")" and row["Biện pháp"].data_type == "s"
    assert row["Điểm yếu"].value == "#N/A" and row["Điểm yếu"].data_type == "s"
    assert row["Mã tiêu chí"].value == "1.10" and row["Kinh phí (đồng)"].value == 7000000
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.properties.created == dt.datetime(2024, 1, 2) and book.properties.creator == "qip-site"


def test_a_cell_too_long_for_a_spreadsheet_is_cut_with_a_mark_and_said(caplog) -> None:
    text = "chữ " * 10_000  # 40,000 characters
    with caplog.at_level("INFO", logger="mkdocs.plugins.qip"):
        data = spreadsheet.workbook_bytes([{"measures": text}], dt.date(2024, 1, 2), "plans/x/2024-2025.yml")
    value = by_header(openpyxl.load_workbook(io.BytesIO(data)).active)[0]["Biện pháp"].value
    assert len(value) == spreadsheet.MAX_CELL_CHARS and value.endswith("…") and text.startswith(value[:-1])
    assert "plans/x/2024-2025.yml" in caplog.text and "32767 ký tự" in caplog.text


def test_workbooks_are_byte_identical_between_builds(real, tmp_path: Path) -> None:
    site, out = real
    opendata.write_site_data(load_site(REPO / "plans", REPO)[0], tmp_path / "again")
    for path in out.rglob("*.xlsx"):
        assert path.read_bytes() == (tmp_path / "again" / path.relative_to(out)).read_bytes(), path
    names = zipfile.ZipFile(out / "du-lieu" / "ke-hoach.xlsx").infolist()
    assert {info.date_time for info in names} == {(1980, 1, 1, 0, 0, 0)}


def soffice(tmp_path: Path, source: Path, target: str, infilter: str | None = None) -> Path:
    """Convert `source` with LibreOffice (headless, its own profile) into tmp_path; the result's path."""
    args = ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless"]
    if infilter:
        args.append(f"--infilter={infilter}")
    subprocess.run([*args, "--convert-to", target, "--outdir", str(tmp_path / "out"), str(source)],
                   check=True, capture_output=True, timeout=180)
    return tmp_path / "out" / (source.stem + "." + target.split(":")[0])


@needs_libreoffice
def test_libreoffice_reads_the_workbook_values(hostile, real, tmp_path: Path) -> None:  # noqa: F811
    """xlsx → CSV with LibreOffice: the values a user sees, codes, amounts and formulas-as-text."""
    _, out = real
    # Token 9 "true": save cell contents as shown (the đồng format); 76: UTF-8.
    converted = soffice(tmp_path, out / "du-lieu" / "ke-hoach.xlsx", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true")
    rows = list(csv.DictReader(io.StringIO(converted.read_text(encoding="utf-8"))))
    assert list(rows[0]) == HEADERS
    line = next(r for r in rows if r["Mã trường"] == "truong-trung-hoc-chua-ro-ten" and r["Mã tiêu chí"] == "3.2")
    assert re.fullmatch(r"300[.,]000[.,]000 đ", line["Kinh phí (đồng)"]), line["Kinh phí (đồng)"]
    assert {r["Mã tiêu chí"] for r in rows} >= {"1.10", "3.5"}
    assert next(r for r in rows if r["Mã trường"] == "mn-thuy-tien")["Ngày ban hành"] == "06/09/2022"
    # The hostile workbook: LibreOffice evaluates nothing.
    _, evil = hostile
    shutil.copy(evil / "du-lieu" / "ke-hoach.xlsx", tmp_path / "evil.xlsx")
    ods = soffice(tmp_path, tmp_path / "evil.xlsx", "ods")
    content = zipfile.ZipFile(ods).read("content.xml").decode("utf-8")
    # LibreOffice keeps a true/false cell as the formula TRUE() or FALSE(); nothing else is a formula.
    assert set(re.findall(r'table:formula="([^"]*)"', content)) == {"of:=TRUE()", "of:=FALSE()"}
    assert "<text:p>=1+1</text:p>" in content and "<text:p>- Tham mưu</text:p>" in content


@needs_libreoffice
def test_libreoffice_opens_every_sheet_of_a_schools_workbook(several: Path, tmp_path: Path) -> None:
    """The school's workbook in LibreOffice: one sheet per plan, newest first, named as the plan pages
    say, each with its plan's measures (counted on the plan files), no cell run as a formula."""
    from xml.etree import ElementTree

    shutil.copy(several / "site/truong/mn-nhieu/ke-hoach.xlsx", tmp_path / "ke-hoach.xlsx")
    content = zipfile.ZipFile(soffice(tmp_path, tmp_path / "ke-hoach.xlsx", "ods")).read("content.xml").decode("utf-8")
    assert set(re.findall(r'table:formula="([^"]*)"', content)) <= {"of:=TRUE()", "of:=FALSE()"}
    table = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    plans = plan_files(several / "plans", "mn-nhieu")
    names = urls.workbook_sheets(plans)
    sheets = ElementTree.fromstring(content).iter(table + "table")
    found = {sheet.get(table + "name"): [row for row in sheet.iter(table + "table-row") if "".join(row.itertext())]
             for sheet in sheets}
    assert list(found) == [names[slug] for slug in NEWEST_FIRST]
    for slug, file in plans.items():
        rows = found[names[slug]]
        assert len(rows) - 1 == source_measures(file), file
        # The school's commune, "=1+1", on every row: shown as written, not run.
        assert all("=1+1" in {"".join(cell.itertext()) for cell in row} for row in rows[1:]), slug


@needs_libreoffice
def test_libreoffice_shows_codes_of_the_csv_without_an_apostrophe(real, tmp_path: Path) -> None:
    """The CSV opened as LibreOffice's import dialog opens it by default in Vietnamese (UTF-8, comma,
    quote; formulas evaluated, no special-number detection): codes are text, shown as written."""
    _, out = real
    (tmp_path / "ke-hoach.csv").write_bytes(site_file(out, "ke-hoach.csv"))  # taken out of the site's zip
    ods = soffice(tmp_path, tmp_path / "ke-hoach.csv", "ods", "CSV:44,34,76,1,,1066,false,false,false,false,false,-1,true")
    content = zipfile.ZipFile(ods).read("content.xml").decode("utf-8")
    assert "table:formula" not in content
    shown = [html.unescape(text) for text in
             re.findall(r'office:value-type="string"[^>]*><text:p>([^<]*)</text:p>', content)]
    assert "3.5" in shown and "1.10" in shown
    assert not [text for text in shown if re.fullmatch(r"'\d+(\.\d+)*", text)]
    # The bullets stay guarded text, with the quote LibreOffice shows.
    assert any(text.startswith("'- ") for text in shown)


# What Excel requires of a workbook, checked on the package itself. Excel cannot run here: no test
# has opened these files in Excel. What stands in for it: openpyxl and LibreOffice read the files
# back (above), and the test below checks the rules of Office Open XML (ECMA-376 part 1 and part 2,
# Open Packaging Conventions) where Excel is known to refuse a file or to "repair" it ("We found a
# problem with some content"), and where other readers are lenient: parts and their content types,
# relationships, the order of elements, cell references, style indexes, sheet names.
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_SML = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# The order of a worksheet's, a workbook's and a style sheet's elements (their schema's sequences).
WORKSHEET_ORDER = ["sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
                   "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate",
                   "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations",
                   "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
                   "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing",
                   "legacyDrawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst"]
WORKBOOK_ORDER = ["fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets",
                  "functionGroups", "externalReferences", "definedNames", "calcPr", "oleSize", "customWorkbookViews",
                  "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing", "fileRecoveryPr", "webPublishObjects",
                  "extLst"]
STYLES_ORDER = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
                "tableStyles", "colors", "extLst"]
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CONTENT_TYPES = {
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "xl/styles.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
    "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
}
# Characters XML 1.0 does not allow (Excel refuses a part that holds one, even as a reference).
NOT_XML_1_0 = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def not_xml_1_0(text: str) -> list[str]:
    """The characters of a part's text, written or referenced ("&#1;"), that XML 1.0 does not allow."""
    referenced = [chr(int(n[1:], 16) if n.startswith("x") else int(n)) for n in re.findall(r"&#(x[0-9a-fA-F]+|[0-9]+);", text)]
    return NOT_XML_1_0.findall(text) + [c for c in referenced if NOT_XML_1_0.fullmatch(c) or ord(c) > 0x10FFFF]


def cell_position(ref: str) -> tuple[int, int]:
    """"AB12" -> (12, 28); fails on what is not a cell reference within Excel's grid."""
    found = re.fullmatch(r"([A-Z]{1,3})([1-9][0-9]*)", ref)
    assert found, ref
    column = 0
    for letter in found[1]:
        column = column * 26 + ord(letter) - 64
    assert column <= 16_384 and int(found[2]) <= 1_048_576, ref
    return int(found[2]), column


def in_order(children, order: list[str]) -> bool:
    names = [child.tag.removeprefix(_SML) for child in children]
    assert all(name in order for name in names), names
    return [order.index(name) for name in names] == sorted(order.index(name) for name in names)


def check_package(data: bytes) -> dict:
    """Every rule below, on the bytes of one .xlsx; the parsed parts, for more checks: "rows" of the
    first sheet, "sheets" (each sheet's name and rows, in the workbook's order)."""
    import posixpath
    from xml.etree import ElementTree

    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    names = archive.namelist()
    # Part names: unique ignoring case, no folders, no leading "/", stored or deflated (not Zip64-only).
    assert len({n.lower() for n in names}) == len(names) and not [n for n in names if n.endswith("/") or n.startswith("/")]
    assert {i.compress_type for i in archive.infolist()} <= {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
    parts = {}
    for name in names:
        text = archive.read(name).decode("utf-8")  # UTF-8, declared so
        assert text.startswith('<?xml version="1.0" encoding="UTF-8"'), name
        assert not_xml_1_0(text) == [], name
        parts[name] = ElementTree.fromstring(text)  # well-formed
    # [Content_Types].xml: a content type for every part, by override or by extension, and only for parts there are.
    types = parts.pop("[Content_Types].xml")
    assert types.tag == _CT + "Types"
    defaults = {d.get("Extension").lower(): d.get("ContentType") for d in types.iter(_CT + "Default")}
    overrides = {o.get("PartName").lower(): o.get("ContentType") for o in types.iter(_CT + "Override")}
    assert defaults["rels"] == "application/vnd.openxmlformats-package.relationships+xml"
    assert set(overrides) <= {"/" + n.lower() for n in names}, overrides
    for name in parts:
        assert "/" + name.lower() in overrides or name.rsplit(".", 1)[-1].lower() in defaults, name
    for name, content_type in CONTENT_TYPES.items():
        assert overrides["/" + name.lower()] == content_type, name
    # Relationships: unique ids, internal targets that exist; every part is reached.
    reached = set()
    for name in [n for n in parts if n.endswith(".rels")]:
        relationships = parts[name]
        assert relationships.tag == _PKG + "Relationships", name
        ids = [r.get("Id") for r in relationships]
        assert len(set(ids)) == len(ids), name
        source = posixpath.dirname(posixpath.dirname(name))  # "xl/_rels/workbook.xml.rels" -> "xl"
        for relationship in relationships:
            assert relationship.get("TargetMode") != "External"
            target = posixpath.normpath(posixpath.join(source, relationship.get("Target")))
            assert target in parts, (name, target)
            reached.add(target)
    assert reached | {n for n in parts if n.endswith(".rels")} == set(parts), set(parts) - reached
    root = {r.get("Type").rsplit("/", 1)[-1]: r.get("Target") for r in parts["_rels/.rels"]}
    assert root["officeDocument"] == "xl/workbook.xml" and root["core-properties"] == "docProps/core.xml"
    # The workbook: its sheets' names as Excel allows them, sheet ids, the filter's defined name.
    workbook = parts["xl/workbook.xml"]
    assert workbook.tag == _SML + "workbook" and in_order(workbook, WORKBOOK_ORDER)
    sheets = workbook.findall(f"{_SML}sheets/{_SML}sheet")
    workbook_rels = {r.get("Id"): r for r in parts["xl/_rels/workbook.xml.rels"]}
    worksheets = []
    for sheet_ in sheets:
        name = sheet_.get("name")
        assert 1 <= len(name) <= 31 and not re.search(r"[\[\]:*?/\\\x00-\x1f]", name), name
        assert not name.startswith("'") and not name.endswith("'") and name.lower() != "history"
        relationship = workbook_rels[sheet_.get(_R + "id")]
        assert relationship.get("Type").endswith("/worksheet")
        worksheets.append((name, posixpath.normpath(posixpath.join("xl", relationship.get("Target")))))
    assert len({s.get("name").lower() for s in sheets}) == len({int(s.get("sheetId")) for s in sheets}) == len(sheets)
    assert len({part for _, part in worksheets}) == len(sheets) >= 1
    for _, part in worksheets:
        assert overrides["/" + part.lower()] == WORKSHEET_TYPE, part
    assert workbook.find(f"{_SML}workbookPr[@date1904='1']") is None  # dates count from 1900, as written
    # The style sheet: counts as stated, Excel's two required fills, every index within range.
    styles = parts["xl/styles.xml"]
    assert styles.tag == _SML + "styleSheet" and in_order(styles, STYLES_ORDER)
    for group in styles:
        if group.get("count") is not None:
            assert int(group.get("count")) == len(group), group.tag
    fills = styles.findall(f"{_SML}fills/{_SML}fill/{_SML}patternFill")
    assert [f.get("patternType") for f in fills[:2]] == ["none", "gray125"]
    formats = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter(_SML + "numFmt")}
    assert all(number >= 164 for number in formats)  # below 164: Excel's built-in formats
    xfs = styles.findall(f"{_SML}cellXfs/{_SML}xf")
    for xf in xfs:
        number = int(xf.get("numFmtId"))
        assert number in formats or number < 164
        assert int(xf.get("fontId")) < len(styles.findall(f"{_SML}fonts/{_SML}font"))
        assert int(xf.get("fillId")) < len(fills) and int(xf.get("borderId")) < len(styles.find(_SML + "borders"))
        assert int(xf.get("xfId")) < len(styles.find(_SML + "cellStyleXfs"))
    # Each worksheet: elements in order, rows and cells in order, each cell well typed; its filter's
    # defined name; the first sheet only selected (more would group them).
    found_sheets = []
    for number, (name, part) in enumerate(worksheets):
        rows = check_worksheet(parts[part], len(xfs), workbook, number, name)
        found_sheets.append((name, rows))
        views = parts[part].findall(f"{_SML}sheetViews/{_SML}sheetView")
        assert [v.get("tabSelected") for v in views] == (["1"] if number == 0 else [None]), name
    filters = workbook.findall(f"{_SML}definedNames/{_SML}definedName[@name='_xlnm._FilterDatabase']")
    assert sorted(int(f.get("localSheetId")) for f in filters) == list(range(len(sheets)))
    core = parts["docProps/core.xml"]
    for stamp in core:
        if stamp.tag.endswith(("created", "modified")):
            assert stamp.get("{http://www.w3.org/2001/XMLSchema-instance}type") == "dcterms:W3CDTF"
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp.text)
    return {"styles": styles, "formats": formats, "xfs": xfs, "rows": found_sheets[0][1], "sheets": found_sheets}


def check_worksheet(worksheet, styles: int, workbook, number: int, name: str) -> list:
    """A worksheet's rules (see check_package); its rows."""
    assert worksheet.tag == _SML + "worksheet" and in_order(worksheet, WORKSHEET_ORDER)
    rows = worksheet.findall(f"{_SML}sheetData/{_SML}row")
    assert [int(r.get("r")) for r in rows] == list(range(1, len(rows) + 1))
    widest = 0
    for row in rows:
        positions = [cell_position(c.get("r")) for c in row]
        assert all(number_ == int(row.get("r")) for number_, _ in positions), row.get("r")
        assert [column for _, column in positions] == sorted({column for _, column in positions}), row.get("r")
        widest = max([widest] + [column for _, column in positions])
        for cell in row:
            kind = cell.get("t", "n")
            assert int(cell.get("s", "0")) < styles
            assert kind in {"inlineStr", "n", "b"}, kind  # no shared strings part, no formula, no error value
            if kind == "inlineStr":
                assert cell.find(_SML + "v") is None and cell.find(_SML + "f") is None
                texts = cell.findall(f"{_SML}is/{_SML}t")
                assert len(texts) == 1 and len(texts[0].text or "") <= 32_767
                if (texts[0].text or "").strip() != (texts[0].text or ""):
                    assert texts[0].get(_XML_SPACE) == "preserve"
            else:
                value = cell.findtext(_SML + "v")
                assert value is not None and re.fullmatch(r"-?\d+(\.\d+)?" if kind == "n" else "[01]", value)
    area = f"A1:{spreadsheet.column_letter(widest)}{len(rows)}"
    assert worksheet.find(_SML + "dimension").get("ref") == worksheet.find(_SML + "autoFilter").get("ref") == area
    columns = [(int(c.get("min")), int(c.get("max")), float(c.get("width"))) for c in worksheet.iter(_SML + "col")]
    assert all(low <= high and 0 < width <= 255 for low, high, width in columns)
    assert all(a[1] < b[0] for a, b in zip(columns, columns[1:]))  # ascending, not overlapping
    defined = workbook.find(f"{_SML}definedNames/{_SML}definedName[@name='_xlnm._FilterDatabase'][@localSheetId='{number}']")
    first, last = area.split(":")
    assert defined.text == "'{}'!${}${}:${}${}".format(name.replace("'", "''"),
                                                       *re.fullmatch(r"([A-Z]+)(\d+)", first).groups(),
                                                       *re.fullmatch(r"([A-Z]+)(\d+)", last).groups())
    return rows


def test_every_workbook_is_a_package_excel_accepts(real, hostile) -> None:  # noqa: F811
    """Each school's and the site's workbook, and the hostile plan's, keep the rules Excel is strict
    about (see check_package; Excel itself is not run here), on every sheet. Money is a number in the
    đồng format, the date of issue a day number in the dd/mm/yyyy format."""
    _, out = real
    _, evil = hostile
    paths = sorted(out.rglob("*.xlsx")) + [evil / "du-lieu" / "ke-hoach.xlsx", evil / "truong/mn-a/ke-hoach.xlsx"]
    assert len(paths) == 8  # the site's and five schools', the hostile site's and its school's
    money, date = HEADERS.index("Kinh phí (đồng)"), HEADERS.index("Ngày ban hành")
    for path in paths:
        found = check_package(path.read_bytes())

        def format_of(cell, found: dict = found) -> str:
            number = int(found["xfs"][int(cell.get("s"))].get("numFmtId"))
            return found["formats"].get(number, f"built-in {number}")

        for _, rows in found["sheets"]:
            assert [cell.findtext(f"{_SML}is/{_SML}t") for cell in rows[0]] == HEADERS, path
            for row in rows[1:]:
                cells = {cell_position(c.get("r"))[1] - 1: c for c in row}
                if money in cells:
                    assert cells[money].get("t") is None and format_of(cells[money]) == '#,##0 "đ"', path
                if date in cells:
                    assert cells[date].get("t") is None and format_of(cells[date]) == "dd/mm/yyyy", path
                    # A day from 1 March 1900 (before it, Excel's count has the false 29 February 1900).
                    assert 61 <= int(cells[date].findtext(_SML + "v")) < 2_958_466, path


def test_sheet_names_are_valid_and_unique_whatever_the_plan_names() -> None:
    """Plan names Excel would refuse or merge as sheet names, through `urls.workbook_sheets` into a
    workbook that keeps Excel's rules (check_package); each plan's rows under its own sheet."""
    odd = ["History", "history", "HISTORY", "a/b:c*d?[e]\\f", "'trong-ngoac'", "'", "", "x" * 80, "x" * 79 + "y",
           "X" * 80, "2024-2025", "2024-2025 (2)", "ke-hoach-" + "rat-dai-" * 9]
    names = urls.workbook_sheets(odd)
    assert names == urls.workbook_sheets(reversed(odd))  # the order asked in does not matter
    assert len({name.casefold() for name in names.values()}) == len(odd)
    assert names["2024-2025"] == "2024-2025" and names["a/b:c*d?[e]\\f"] == "a-b-c-d--e--f"
    assert names["'trong-ngoac'"] == "trong-ngoac" and names["HISTORY"] == "HISTORY (2)"
    # Named in sorted order ("X" before "x"): the first keeps the cut name, the others are numbered.
    assert [names["X" * 80], names["x" * 80], names["x" * 79 + "y"]] == ["X" * 30 + "…", "x" * 26 + "… (2)",
                                                                        "x" * 26 + "… (3)"]
    data = spreadsheet.book_bytes([spreadsheet.Sheet(names[slug], [{"plan": slug, "criterion": "1.1"}] * (number + 1), f"plans/a/{number}.yml")
                                   for number, slug in enumerate(odd)], dt.date(2024, 1, 2), "plans/a/school.yml")
    found = check_package(data)
    assert [name for name, _ in found["sheets"]] == [names[slug] for slug in odd]
    book = openpyxl.load_workbook(io.BytesIO(data))
    for number, slug in enumerate(odd):
        assert [r["Kế hoạch"].value or "" for r in by_header(book[names[slug]])] == [slug] * (number + 1)
    with pytest.raises(ValueError, match="two sheets"):
        spreadsheet.book_bytes([spreadsheet.Sheet("a", [], "x"), spreadsheet.Sheet("A", [], "y")], dt.date(2024, 1, 2), "z")


def test_a_cell_too_long_is_said_with_the_plan_of_its_sheet(caplog) -> None:
    text = "chữ " * 10_000
    sheets = [spreadsheet.Sheet("2024-2025", [{"measures": "ngắn"}], "plans/x/2024-2025.yml"),
              spreadsheet.Sheet("2023-2024", [{"measures": text}], "plans/x/2023-2024.yml")]
    with caplog.at_level("INFO", logger="mkdocs.plugins.qip"):
        data = spreadsheet.book_bytes(sheets, dt.date(2024, 1, 2), "plans/x/school.yml")
    assert "plans/x/2023-2024.yml" in caplog.text and "plans/x/2024-2025.yml" not in caplog.text
    assert len(by_header(openpyxl.load_workbook(io.BytesIO(data))["2023-2024"])[0]["Biện pháp"].value) == 32_767


def test_excel_escapes_in_a_text_are_written_as_text() -> None:
    """Excel reads "_x0041_" in a cell's text as "A" (ECMA-376's ST_Xstring escapes): the "_" that
    starts such a run is written "_x005F_", so the text shows as the plan wrote it."""
    written = ["a_x0041_b", "_x005F_", "_x005F_x0041_", "_x12_", "x0041_"]
    data = spreadsheet.workbook_bytes([{"measures": text} for text in written], dt.date(2024, 1, 2), "thử")
    found = check_package(data)
    column = HEADERS.index("Biện pháp") + 1
    texts = [next(c for c in row if cell_position(c.get("r"))[1] == column).findtext(f"{_SML}is/{_SML}t")
             for row in found["rows"][1:]]
    assert texts == ["a_x005F_x0041_b", "_x005F_x005F_", "_x005F_x005F_x005F_x0041_", "_x12_", "x0041_"]

    def decoded(text: str) -> str:  # as Excel reads it
        return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m[1], 16)), text)

    assert [decoded(text) for text in texts] == written


@needs_libreoffice
def test_libreoffice_shows_an_escape_like_text_as_written(tmp_path: Path) -> None:
    """LibreOffice, like Excel, decodes "_x005F_" in a cell's text: the text written shows as written."""
    written = "Mục a_x0041_b, _x005F_ và _x005F_x0041_"
    (tmp_path / "escapes.xlsx").write_bytes(spreadsheet.workbook_bytes([{"measures": written}], dt.date(2024, 1, 2), "thử"))
    converted = soffice(tmp_path, tmp_path / "escapes.xlsx", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true")
    rows = list(csv.DictReader(io.StringIO(converted.read_text(encoding="utf-8"))))
    assert rows[0]["Biện pháp"] == written
