"""Spreadsheet downloads: each plan's and the site's .xlsx has typed cells under Vietnamese headers
(read back with openpyxl and with LibreOffice), and the CSV's codes show without an apostrophe
in LibreOffice while formulas stay text."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import REPO
from test_opendata import HEADERS, HOSTILE, hostile, measures_count  # noqa: F401  (fixture)

from qip_site.outputs import opendata, spreadsheet
from qip_site.reading.validate import load_site

needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    site, _ = load_site(REPO / "plans", REPO)
    out = tmp_path_factory.mktemp("xlsx") / "site"
    opendata.write_site_data(site, out, "CC BY 4.0")
    return site, out


def sheet(path: Path):
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Biện pháp"]
    return book.active


def by_header(ws) -> list[dict]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row)) for row in ws.iter_rows(min_row=2)]


def test_every_plan_and_the_site_have_a_workbook_with_vietnamese_headers(real) -> None:
    site, out = real
    files = [out / "du-lieu" / "measures.xlsx"] + [
        out / "truong" / p.school.slug / f"ke-hoach-{p.slug}" / "ke-hoach.xlsx" for p in site.plans]
    for path in files:
        ws = sheet(path)
        assert [c.value for c in ws[1]] == HEADERS, path
        assert all(c.font.b for c in ws[1])
        last = spreadsheet.column_letter(len(HEADERS))
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:{last}{ws.max_row}"
        assert ws.column_dimensions["R"].width == 48 and ws.column_dimensions["L"].width == 12  # measures, code
    assert sheet(files[0]).max_row - 1 == sum(measures_count(p) for p in site.plans)
    for plan, path in zip(site.plans, files[1:]):
        assert sheet(path).max_row - 1 == measures_count(plan), plan.file


def test_cells_are_typed(real) -> None:
    _, out = real
    ws = sheet(out / "du-lieu" / "measures.xlsx")
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
    ws = sheet(out / "du-lieu" / "measures.xlsx")
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
    raw = zipfile.ZipFile(out / "du-lieu" / "measures.xlsx").read("xl/worksheets/sheet1.xml").decode("utf-8")
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
    names = zipfile.ZipFile(out / "du-lieu" / "measures.xlsx").infolist()
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
    converted = soffice(tmp_path, out / "du-lieu" / "measures.xlsx", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true")
    rows = list(csv.DictReader(io.StringIO(converted.read_text(encoding="utf-8"))))
    assert list(rows[0]) == HEADERS
    line = next(r for r in rows if r["Mã trường"] == "truong-trung-hoc-chua-ro-ten" and r["Mã tiêu chí"] == "3.2")
    assert re.fullmatch(r"300[.,]000[.,]000 đ", line["Kinh phí (đồng)"]), line["Kinh phí (đồng)"]
    assert {r["Mã tiêu chí"] for r in rows} >= {"1.10", "3.5"}
    assert next(r for r in rows if r["Mã trường"] == "mn-thuy-tien")["Ngày ban hành"] == "06/09/2022"
    # The hostile workbook: LibreOffice evaluates nothing.
    _, evil = hostile
    shutil.copy(evil / "du-lieu" / "measures.xlsx", tmp_path / "evil.xlsx")
    ods = soffice(tmp_path, tmp_path / "evil.xlsx", "ods")
    content = zipfile.ZipFile(ods).read("content.xml").decode("utf-8")
    # LibreOffice keeps a true/false cell as the formula TRUE() or FALSE(); nothing else is a formula.
    assert set(re.findall(r'table:formula="([^"]*)"', content)) == {"of:=TRUE()", "of:=FALSE()"}
    assert "<text:p>=1+1</text:p>" in content and "<text:p>- Tham mưu</text:p>" in content


@needs_libreoffice
def test_libreoffice_shows_codes_of_the_csv_without_an_apostrophe(real, tmp_path: Path) -> None:
    """The CSV opened as LibreOffice's import dialog opens it by default in Vietnamese (UTF-8, comma,
    quote; formulas evaluated, no special-number detection): codes are text, shown as written."""
    _, out = real
    shutil.copy(out / "du-lieu" / "measures.csv", tmp_path / "measures.csv")
    ods = soffice(tmp_path, tmp_path / "measures.csv", "ods", "CSV:44,34,76,1,,1066,false,false,false,false,false,-1,true")
    content = zipfile.ZipFile(ods).read("content.xml").decode("utf-8")
    assert "table:formula" not in content
    shown = [html.unescape(text) for text in
             re.findall(r'office:value-type="string"[^>]*><text:p>([^<]*)</text:p>', content)]
    assert "3.5" in shown and "1.10" in shown
    assert not [text for text in shown if re.fullmatch(r"'\d+(\.\d+)*", text)]
    # The bullets stay guarded text, with the quote LibreOffice shows.
    assert any(text.startswith("'- ") for text in shown)
