"""Open data: each plan and the whole site as JSON (valid against its schema) and CSV (one row per
measure, opens in Excel, no cell runs as a formula), in zips Python's zipfile opens (one per school,
one for the site), deterministic, hostile text kept as data."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import jsonschema
import pytest
from conftest import REPO, write_files
from test_injection import DECOMPOSED, EVIL, dump

from qip_site.outputs import opendata
from qip_site.outputs.opendata import MEASURE_COLUMNS, MEASURE_HEADERS, SCHEMA_FILE, guard, unguard
from qip_site.reading.schema import CELL_FIELDS
from qip_site.reading.validate import load_site

# Cells a spreadsheet would run, or that look like one: OWASP's examples and the plans' own bullets.
FORMULAS = [
    "=cmd|' /C calc'!A0",
    "=HYPERLINK(\"http://example.com/?x=\"&A1,\"Bấm vào đây\")",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "-2+3",
    "- Tham mưu, đề xuất phân bổ chỉ tiêu tuyển sinh phù hợp.",
    "-Hiệu trưởng, chủ tịch công đoàn trường, kế toán.",
    "\t=1+1",
    " =1+1",
    "=1+1",
    "'=1+1",
    "＝1+1",
    "Giá \"đặc biệt\", có dấu phẩy; và dấu chấm phẩy",
    "dòng một\ndòng hai",
]
# Plain numbers and codes run nothing: no guard, so that a code shows as "3.5", not "'3.5".
HARMLESS = ["+1", "-5", "-1,5", "3.5", "1.10", "7.000.000", "2/9", "2024-2025"]
# Control characters a plan file may not hold (the check refuses them), guarded all the same.
CONTROL = ["\r=1+1", "\n=1+1", "\0=1+1", "dòng một\r\ndòng hai"]
HOSTILE = EVIL + FORMULAS + HARMLESS
# A formula can start after leading whitespace in some importers: look past it.
TRIGGERS = tuple("=+-@|%\uff1d\uff0b\uff0d\uff20")


HEADERS = [MEASURE_HEADERS[name] for name in MEASURE_COLUMNS]  # the CSV's first row, in Vietnamese
FIELDS = {header: name for name, header in MEASURE_HEADERS.items()}


def read_csv(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """The header row as written (Vietnamese), and each row by field name (MEASURE_COLUMNS)."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    return list(reader.fieldnames or []), [{FIELDS[k]: v for k, v in row.items()} for row in reader]


def unzipped(path: Path) -> dict[str, bytes]:
    """Each file of a zip, by its name in the zip, in the zip's order, read by Python's zipfile (CRC checked)."""
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None, path
        return {info.filename: archive.read(info) for info in archive.infolist()}


def site_file(out: Path, name: str) -> bytes:
    """A file of the site's zip: "ke-hoach.json", "ke-hoach.csv", "plans-data.schema.json"."""
    return unzipped(out / "du-lieu" / "du-lieu.zip")[name]


def school_file(out: Path, school: str, plan: str, extension: str) -> bytes:
    """A plan's "json" or "csv", from its school's zip."""
    return unzipped(out / "truong" / school / "du-lieu.zip")[f"ke-hoach-{plan}/ke-hoach.{extension}"]


def source_plans(plans: Path) -> set[tuple[str, str]]:
    """(school folder, plan) of every plan file in `plans`, from the folder itself, not from the model."""
    return {(f.parent.name, f.stem) for f in plans.glob("*/*.yml") if f.name != "school.yml"}


def measures_count(plan) -> int:
    """From the model: a row split by year is one measure per year; any other row is one measure."""
    return sum(len(row.row.years) or 1 for row in plan.rows())


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


# ---------------------------------------------------------------------------------------------
# The real plans


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    site, _ = load_site(REPO / "plans", REPO)
    out = tmp_path_factory.mktemp("opendata") / "site"
    written = opendata.write_site_data(site, out, "CC BY 4.0")
    return site, out, written


def test_files_are_written_where_the_pages_link_them(real) -> None:
    site, out, written = real
    plans = source_plans(REPO / "plans")
    expected = {out / "du-lieu" / name for name in ("du-lieu.zip", "ke-hoach.xlsx", "plans-data.schema.json")}
    expected |= {out / "truong" / school / "du-lieu.zip" for school, _ in plans}
    expected |= {out / "truong" / school / "ke-hoach.xlsx" for school, _ in plans}  # one workbook per school
    assert set(written) == expected
    assert {p for p in out.rglob("*") if p.is_file()} == expected  # no JSON or CSV file outside a zip
    assert (out / "du-lieu" / "plans-data.schema.json").read_bytes() == SCHEMA_FILE.read_bytes()
    assert list(unzipped(out / "du-lieu" / "du-lieu.zip")) == ["ke-hoach.json", "ke-hoach.csv", "plans-data.schema.json"]
    assert site_file(out, "plans-data.schema.json") == SCHEMA_FILE.read_bytes()
    # Every plan file of every school is in its school's zip, JSON then CSV, and nothing else is.
    found = set()
    for archive in (out / "truong").glob("*/du-lieu.zip"):
        names = list(unzipped(archive))
        assert names == [f"{folder}/ke-hoach.{extension}" for folder in sorted({n.split("/")[0] for n in names})
                         for extension in ("json", "csv")], names
        found |= {(archive.parent.name, name.split("/")[0].removeprefix("ke-hoach-")) for name in names}
    assert found == plans and len(plans) >= 5


def test_zips_hold_no_clock_and_no_machine(real) -> None:
    """Every entry: the zip's earliest date, Unix, rw-r--r--, deflated; so that two builds give the same bytes."""
    _, out, written = real
    for path in written:
        if path.suffix == ".zip":
            for info in zipfile.ZipFile(path).infolist():
                assert info.date_time == (1980, 1, 1, 0, 0, 0) and info.create_system == 3, (path, info)
                assert info.external_attr >> 16 == 0o644 and info.compress_type == zipfile.ZIP_DEFLATED, (path, info)
                assert info.compress_size < info.file_size / 2, (path, info)  # JSON and CSV shrink


def test_data_files_satisfy_their_schema(real) -> None:
    _, out, _ = real
    check = validator()
    # Each JSON file where unzipping its zip in the zip's folder puts it, with its bytes.
    files = {out / "du-lieu" / "ke-hoach.json": site_file(out, "ke-hoach.json")}
    for archive in (out / "truong").glob("*/du-lieu.zip"):
        files |= {archive.parent / name: data for name, data in unzipped(archive).items() if name.endswith(".json")}
    assert len(files) == len(source_plans(REPO / "plans")) + 1
    for file, text in files.items():
        data = json.loads(text.decode("utf-8"))
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in check.iter_errors(data)]
        assert not errors, f"{file}: {errors[:5]}"
        # The schema reference resolves, from the file's place, to the published schema.
        assert (file.parent / data["schema"]).resolve() == (out / "du-lieu" / "plans-data.schema.json").resolve()
        assert data["licence"] == "CC BY 4.0" and data["licence_url"].startswith("https://creativecommons.org/")
        assert data["version"] == 3


def test_every_plan_is_there_with_its_rows(real) -> None:
    site, out, _ = real
    data = json.loads(site_file(out, "ke-hoach.json"))
    assert data["generated_from"] == "plans/"
    assert [(p["school"]["slug"], p["plan"]) for p in data["plans"]] == [(p.school.slug, p.slug) for p in site.plans]
    assert {(p["school"]["slug"], p["plan"]) for p in data["plans"]} == source_plans(REPO / "plans")
    assert len(data["plans"]) == len(source_plans(REPO / "plans"))
    for plan, entry in zip(site.plans, data["plans"]):
        rows = list(plan.rows())
        assert [r["code"] for r in entry["rows"]] == [r.row.code for r in rows]
        assert [len(r["years"]) for r in entry["rows"]] == [len(r.row.years) for r in rows]
        assert entry["file"] == plan.file and entry["title"] == list(plan.data.title)
        # The plan's own file, in its school's zip, holds the same plan.
        assert entry["urls"]["data"] == f"truong/{plan.school.slug}/du-lieu.zip"
        own = json.loads(unzipped(out / entry["urls"]["data"])[entry["urls"]["data_json"]])
        assert own["plans"] == [entry] and own["generated_from"] == plan.file


def test_seed_001_as_written_and_derived(real) -> None:
    _, out, _ = real
    data = json.loads(site_file(out, "ke-hoach.json"))
    plan = next(p for p in data["plans"] if p["school"]["slug"] == "truong-trung-hoc-chua-ro-ten")
    assert plan["school"]["name_as_written"] is None
    assert plan["school"]["name"] == "Trường trung học (tên không ghi trong văn bản)"
    assert plan["period"] == {"first": "2024-2025", "last": "2028-2029",
                              "years": ["2024-2025", "2025-2026", "2026-2027", "2027-2028", "2028-2029"],
                              "annual": False}
    row = next(r for r in plan["rows"] if r["code"] == "3.2")
    assert row["budget"] == {"text": "300.000.000 đồng", "vnd": 300000000, "per_school_year": False}
    assert row["cells"]["budget"] == ["300.000.000 đồng"]
    assert row["cells"]["target"] == ["Tu bổ, sửa chữa đèn, quạ tại 02 cơ sơ"]
    assert row["standard_number"] == 3 and row["standard_heading"] == "Tiêu chuẩn 3: Cơ sở vật chất và thiết bị dạy học"
    assert row["criterion_title"]  # the circular's title, added by the site
    assert row["url"] == "truong/truong-trung-hoc-chua-ro-ten/ke-hoach-2024-2029/#tieu-chi-3-2"
    # The same measure in the site's CSV and in the plan's own CSV.
    for file in (site_file(out, "ke-hoach.csv"), unzipped(out / plan["urls"]["data"])[plan["urls"]["data_csv"]]):
        _, rows = read_csv(file)
        line = next(r for r in rows if r["school"] == "truong-trung-hoc-chua-ro-ten" and unguard(r["criterion"]) == "3.2")
        assert line["budget_text"] == "300.000.000 đồng" and line["budget_vnd"] == "300000000"
        assert line["standard"] == "3" and line["school_year"] == "" and line["period"] == "2024-2025 đến 2028-2029"
        assert line["url"] == row["url"]


def test_thuy_tien_dates_and_years(real) -> None:
    _, out, _ = real
    data = json.loads(site_file(out, "ke-hoach.json"))
    plan = next(p for p in data["plans"] if p["school"]["slug"] == "mn-thuy-tien")
    assert plan["number"] == "237/KH-MNTT" and plan["header"]["number"] == "Số:  237/KH-MNTT"
    assert plan["date"] == "2022-09-06" and plan["header"]["date"] is None
    row = next(r for r in plan["rows"] if r["code"] == "1.3")
    assert [y["school_year"] for y in row["years"]] == ["2022-2023", "2023-2024", "2024-2025", "2025-2026", "2026-2027"]
    assert row["cells"]["measures"] == ["* Kế hoạch cải tiến chất lượng trong báo cáo tự đánh giá:"]
    _, lines = read_csv(site_file(out, "ke-hoach.csv"))
    split = [r for r in lines if r["school"] == "mn-thuy-tien" and unguard(r["criterion"]) == "1.3"]
    assert [r["school_year"] for r in split] == [y["school_year"] for y in row["years"]]
    # The row's own cells stand on each year's line, before that year's measure.
    assert split[2]["measures"] == "* Kế hoạch cải tiến chất lượng trong báo cáo tự đánh giá:\nTạo điều kiện cho 3 giáo viên học lớp sơ cấp chính trị"
    assert all(r["responsible"].startswith("Các thành viên của tổ chức Đảng") for r in split)


def test_measures_csv_opens_in_excel(real) -> None:
    site, out, _ = real
    raw = site_file(out, "ke-hoach.csv")
    assert raw.startswith("\ufeff\"Mã trường\",\"Tên trường\"".encode("utf-8"))
    header_line = raw[3:raw.index(b"\r\n")].decode("utf-8")
    assert header_line == ",".join(f'"{name}"' for name in HEADERS)
    # CRLF ends every record: after a record's closing quote, a line break is always CRLF.
    assert not re.search(rb'"\n', raw) and raw.endswith(b'"\r\n')
    header, rows = read_csv(raw)
    assert header == HEADERS
    assert len(rows) == sum(measures_count(plan) for plan in site.plans)
    assert all(len(row) == len(MEASURE_COLUMNS) and None not in row for row in rows)
    # The site's CSV is the plans' CSVs one after the other, each a CSV Excel opens as the site's.
    per_plan = [row for plan in site.plans for row in read_csv(school_file(out, plan.school.slug, plan.slug, "csv"))[1]]
    assert per_plan == rows
    for plan in site.plans:
        own = school_file(out, plan.school.slug, plan.slug, "csv")
        assert own.startswith(raw[:raw.index(b"\r\n") + 2]) and own.endswith(b'"\r\n')
        assert len(read_csv(own)[1]) == measures_count(plan), plan.file


def assert_no_formula(rows: list[dict[str, str]]) -> int:
    """Every cell is guarded, a plain number, or starts with no formula character."""
    guarded = 0
    for row in rows:
        for name, cell in row.items():
            if cell.startswith("'"):
                guarded += 1
                continue
            if name in ("standard", "budget_vnd"):
                assert cell == "" or cell.isdigit(), (name, cell)
                continue
            assert not cell.lstrip().startswith(TRIGGERS) or re.fullmatch(r"[+-]?\d+([.,]\d+)*", cell), (name, cell)
            assert not cell.startswith(("\t", "\r", "\n")), (name, cell)
    return guarded


def test_no_cell_of_the_real_plans_runs_as_a_formula(real) -> None:
    site, out, _ = real
    _, rows = read_csv(site_file(out, "ke-hoach.csv"))
    assert assert_no_formula(rows) > 0
    # The plans have many "- …" bullets: each is guarded, and reads back as written.
    bullets = [row["responsible"] for row in rows if unguard(row["responsible"]).startswith("-")]
    assert bullets and all(b.startswith("'-") for b in bullets)
    # Codes and amounts run nothing: as written, without a quote.
    codes = [row["criterion"] for row in rows if row["criterion"]]
    assert "3.5" in codes and "1.10" in codes and not [c for c in codes if c.startswith("'")]
    assert "300.000.000 đồng" in [row["budget_text"] for row in rows]
    expected = [line for plan in site.plans for line in opendata.measures_rows(plan)]
    for line, row in zip(expected, rows, strict=True):
        for name in MEASURE_COLUMNS:
            value = line[name]
            if isinstance(value, str):
                assert unguard(row[name]) == value, (name, row[name])
            elif name == "date":
                assert row[name] == (value.isoformat() if value else ""), row[name]


def test_output_is_deterministic(real, tmp_path: Path) -> None:
    _, out, written = real
    again = opendata.write_site_data(load_site(REPO / "plans", REPO)[0], tmp_path / "again", "CC BY 4.0")
    assert [p.relative_to(tmp_path / "again") for p in again] == [p.relative_to(out) for p in written]
    for first, second in zip(written, again):
        assert first.read_bytes() == second.read_bytes(), first
    text = site_file(out, "ke-hoach.json").decode("utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert not re.search(r"20\d\d-\d\d-\d\dT\d\d:", text)  # no build timestamp


# ---------------------------------------------------------------------------------------------
# Hostile text


def hostile_plan() -> dict:
    return {
        "period": {"from": "2023-2024", "to": "2024-2025"},
        "header": {"managing_body": HOSTILE[0], "school": "=HYPERLINK(\"http://x\")", "number": "Số: -2+3",
                   "place_date": "Quận 1, ngày 2 tháng 9 năm 2023"},
        "title": HOSTILE,
        "sections": [{"heading": "@SUM(1)", "content": HOSTILE + [{"heading": "=1+1"}]},
                     {"heading": "III. Bảng", "table": True}],
        "table": {
            "columns": {"criterion": "=1+1", "weakness": "Điểm yếu", "target": "+1", "measures": "- Biện pháp",
                        "responsible": "@x", "timeline": "Thời gian", "budget": "Kinh phí", "support": "Hỗ trợ",
                        "note": "Ghi chú"},
            "standards": [{"heading": "Tiêu chuẩn 1: =cmd|' /C calc'!A0", "criteria": [
                {"code": "1.1", "criterion": HOSTILE, **{name: HOSTILE for name in
                                                          ("weakness", "target", "measures", "note")},
                 "responsible": "- Tham mưu", "timeline": "=1+1", "budget": "30.000.000", "support": "+1"},
                {"code": "1.2", "criterion": "Tiêu chí 1.2", "measures": "-2+3", "budget": "3 triệu/NH",
                 "years": [{"school_year": "2023-2024", "measures": HOSTILE, "responsible": "=1+1"},
                           {"school_year": "2024-2025", "measures": "@SUM(1)", "timeline": "\t=1+1"}]},
                {"code": "1.3", "criterion": "Tiêu chí 1.3", "budget": "30.000.000 đồng",
                 "years": [{"school_year": "2023-2024", "measures": "- Việc năm đầu"},
                           {"school_year": "2024-2025", "measures": "- Việc năm sau"}]},
                {"code": "1.4", "criterion": "Tiêu chí 1.4", "measures": "Chung",
                 "years": [{"school_year": "2023-2024", "budget": "5.000.000"},
                           {"school_year": "2024-2025", "budget": "=1+1"}]},
            ]}],
        },
        "closing": HOSTILE,
        "recipients": ["- Lưu VT.", "=1+1"],
        "signer": {"position": "@HIỆU TRƯỞNG", "note": "+(Đã ký)", "name": "-Nguyễn Văn A"},
    }


HOSTILE_SCHOOL = {"name": "=HYPERLINK(\"http://x\") " + DECOMPOSED, "level": "preschool",
                  "managing_body": "+UBND", "place": {"as_written": "- Quận 1", "province": "@Thành phố",
                                                      "commune": "=1+1"}}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    write_files(root, {"plans/mn-a/school.yml": dump(HOSTILE_SCHOOL), "plans/mn-a/2023-2025.yml": dump(hostile_plan())})
    site, _ = load_site(root / "plans", root)
    out = root / "site"
    opendata.write_site_data(site, out, "Giấy phép <b>riêng</b> =1+1")
    return site, out


def test_hostile_text_is_json_data(hostile) -> None:
    _, out = hostile
    text = site_file(out, "ke-hoach.json").decode("utf-8")
    assert "<" not in text and ">" not in text  # inert even if embedded in a page
    data = json.loads(text)
    assert not list(validator().iter_errors(data))
    assert data["licence"] == "Giấy phép <b>riêng</b> =1+1" and data["licence_url"] is None
    plan = data["plans"][0]
    assert plan["title"] == HOSTILE and plan["closing"] == HOSTILE
    assert plan["sections"][0]["content"] == HOSTILE + [{"heading": "=1+1"}]
    row = plan["rows"][0]
    for name in ("criterion", "weakness", "target", "measures", "note"):
        assert row["cells"][name] == HOSTILE
    assert row["cells"]["responsible"] == ["- Tham mưu"] and row["cells"]["timeline"] == ["=1+1"]
    assert plan["rows"][1]["years"][0]["cells"]["measures"] == HOSTILE
    assert plan["rows"][1]["years"][1]["cells"]["timeline"] == ["\t=1+1"]
    assert plan["header"]["school"] == "=HYPERLINK(\"http://x\")" and plan["signer"]["name"] == "-Nguyễn Văn A"
    assert plan["school"]["name"] == unicodedata.normalize("NFC", HOSTILE_SCHOOL["name"])
    assert plan["school"]["place"] == HOSTILE_SCHOOL["place"]
    assert {"field": "criterion", "heading": "=1+1"} in plan["columns"]


def test_hostile_text_is_csv_data(hostile) -> None:
    site, out = hostile
    header, rows = read_csv(site_file(out, "ke-hoach.csv"))
    assert header == HEADERS
    assert len(rows) == measures_count(site.plans[0]) == 7
    assert read_csv(school_file(out, "mn-a", "2023-2025", "csv")) == (header, rows)
    assert_no_formula(rows)
    first = rows[0]
    joined = "\n".join(HOSTILE)
    for name in ("criterion_as_written", "weakness", "target", "measures", "note"):
        assert unguard(first[name]) == joined
        assert first[name] == guard(joined)
    assert first["responsible"] == "'- Tham mưu" and first["timeline"] == "'=1+1" and first["support"] == "+1"
    assert first["budget_text"] == "30.000.000" and first["budget_vnd"] == "30000000"
    assert first["criterion"] == "1.1" and first["date"] == "2023-09-02"
    assert first["school_name"] == "'" + unicodedata.normalize("NFC", HOSTILE_SCHOOL["name"])
    assert first["district_as_written"] == "'- Quận 1" and first["province"] == "'@Thành phố"
    assert first["commune"] == "'=1+1"
    # Each formula, alone in a cell, comes back guarded, and as written once unguarded.
    split = rows[1:3]
    assert [r["school_year"] for r in split] == ["2023-2024", "2024-2025"]
    assert unguard(split[0]["measures"]) == "-2+3\n" + joined and split[0]["measures"].startswith("'-2+3")
    assert split[0]["responsible"] == "'=1+1"
    assert split[1]["measures"] == "'-2+3\n@SUM(1)" and split[1]["timeline"] == "'\t=1+1"


def test_budget_is_counted_once(hostile) -> None:
    _, out = hostile
    _, rows = read_csv(site_file(out, "ke-hoach.csv"))
    by_code = {}
    for row in rows:
        by_code.setdefault(unguard(row["criterion"]), []).append(row)
    # "3 triệu/NH" is an amount for each school year: on each year's line.
    assert [(r["budget_text"], r["budget_vnd"], r["budget_per_school_year"]) for r in by_code["1.2"]] == \
        [("3 triệu/NH", "3000000", "true")] * 2
    # One sum for the whole row: shown on each line, counted on the first.
    assert [(r["budget_text"], r["budget_vnd"]) for r in by_code["1.3"]] == \
        [("30.000.000 đồng", "30000000"), ("30.000.000 đồng", "")]
    # Each year's own budget on its own line.
    assert [(r["budget_text"], r["budget_vnd"]) for r in by_code["1.4"]] == [("5.000.000", "5000000"), ("'=1+1", "")]


def test_each_formula_is_guarded() -> None:
    for text in FORMULAS + CONTROL:
        cell = guard(text)
        assert unguard(cell) == text
        if text[0] not in "Gd":  # the ordinary texts
            assert cell == "'" + text, text
    for text in HARMLESS + ["Tiêu chí 1.1", "Năm học 2024-2025", "300.000.000 đồng", "* Kế hoạch", ""]:
        assert guard(text) == text, text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_csv_without_formulas(hostile, tmp_path: Path) -> None:
    """The real check when LibreOffice is there: open the CSV as a user would (UTF-8, Vietnamese
    locale, formulas evaluated, special numbers detected) and look for any formula or number."""
    _, out = hostile
    (tmp_path / "ke-hoach.csv").write_bytes(site_file(out, "ke-hoach.csv"))  # taken out of the zip, as a user would
    options = "CSV:44,34,76,1,,1066,false,true,false,false,false,-1,true"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    f"--infilter={options}", "--convert-to", "ods", "--outdir", str(tmp_path),
                    str(tmp_path / "ke-hoach.csv")], check=True, capture_output=True, timeout=180)
    content = zipfile.ZipFile(tmp_path / "ke-hoach.ods").read("content.xml").decode("utf-8")
    assert "table:formula" not in content
    types = set(re.findall(r'office:value-type="(\w+)"', content))
    assert types <= {"string", "float", "date"}, types
    # The only numbers are the ones we derive (budget_vnd, standard), plain numbers and amounts
    # written alone in a cell ("+1", "30.000.000"); the only date is the date of issue.
    floats = re.findall(r'office:value-type="float" [^>]*office:value="([^"]+)"', content)
    assert set(floats) <= {"1", "30000000", "3000000", "5000000"}, floats
    assert set(re.findall(r'office:date-value="([^"]+)"', content)) == {"2023-09-02"}
    assert "Tham mưu" in content and "Bấm vào đây" in content


# ---------------------------------------------------------------------------------------------
# Documentation


def test_schema_documents_every_field_in_vietnamese() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"

    def walk(node, where):
        if isinstance(node, dict):
            for name, value in node.get("properties", {}).items():
                assert "description" in value or "$ref" in value and "description" in resolve(value["$ref"]), where + name
            for key, value in node.items():
                walk(value, f"{where}{key}/")
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    def resolve(ref):
        node = schema
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        return node

    walk(schema, "/")
    assert "Số tiền (đồng)" in schema["$defs"]["budget"]["properties"]["vnd"]["description"]
    assert set(schema["$defs"]["cells"]["properties"]) == set(CELL_FIELDS)


def test_data_page_documents_files_columns_and_licence() -> None:
    page = (REPO / "docs" / "du-lieu.md").read_text(encoding="utf-8")
    for name in MEASURE_COLUMNS:
        assert f"| {MEASURE_HEADERS[name]} |" in page, name
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    for name in list(schema["properties"]) + list(schema["$defs"]["plan"]["properties"]):
        assert f"`{name}`" in page, name
    for file in ("du-lieu/du-lieu.zip", "truong/<trường>/du-lieu.zip", "du-lieu/ke-hoach.xlsx", "`ke-hoach.json`, mọi kế hoạch", "`ke-hoach.csv`, cùng",
                 "ke-hoach-<kế hoạch>/ke-hoach.json", "ke-hoach-<kế hoạch>/ke-hoach.csv", "truong/<trường>/ke-hoach.xlsx",
                 "plans-data.schema.json"):
        assert file in page, file
    # The licence set in mkdocs.yml replaces the default between the markers.
    assert f"{opendata.LICENCE_START}{opendata.licence_markdown('CC BY 4.0')}{opendata.LICENCE_END}" in page
    filled = opendata.fill_licence(page, "CC0 1.0")
    assert "publicdomain/zero/1.0" in filled and "licenses/by/4.0" not in filled
    assert "&lt;b&gt;" in opendata.fill_licence(page, "<b>x</b>")


def test_the_data_pages_python_example_reads_the_sites_zip(real, tmp_path: Path, monkeypatch) -> None:
    """The example on the page, run as written next to the downloaded du-lieu.zip: it reads every row."""
    site, out, _ = real
    page = (REPO / "docs" / "du-lieu.md").read_text(encoding="utf-8")
    example = re.search(r"```python\n(.*?)```", page, re.DOTALL)[1]
    shutil.copy(out / "du-lieu" / "du-lieu.zip", tmp_path / "du-lieu.zip")
    monkeypatch.chdir(tmp_path)
    assert example.count("text = {") == 1
    seen: list[dict[str, str]] = []
    # Each row the example makes is kept, by one statement added at the end of its line.
    exec("\n".join(line + "; seen.append(text)" if "text = {" in line else line for line in example.splitlines()),
         {"seen": seen})
    assert len(seen) == sum(measures_count(plan) for plan in site.plans)
    assert list(seen[0]) == HEADERS
    assert seen == [{MEASURE_HEADERS[k]: unguard(v) for k, v in row.items()}
                    for row in read_csv(site_file(out, "ke-hoach.csv"))[1]]


def test_a_plan_page_states_its_schools_zip_size_outside_its_pdf_key(tmp_path: Path) -> None:
    """Editing one plan changes its school's zip, so the size every plan page of the school states; the other
    plans' PDFs (printed from their pages) keep their key and are not printed again for it."""
    from bs4 import BeautifulSoup

    from qip_site.outputs.pdf import PdfPlans
    from qip_site.site.render import Renderer, filesize

    def plan(measures: str) -> dict:
        return {"period": {"from": "2023-2024", "to": "2023-2024"},
                "header": {"place_date": "Quận 1, ngày 2 tháng 9 năm 2023"}, "title": ["KẾ HOẠCH"],
                "sections": [{"heading": "III. Bảng", "table": True}],
                "table": {"columns": {"criterion": "Tiêu chí", "measures": "Biện pháp"},
                          "standards": [{"heading": "Tiêu chuẩn 1", "criteria": [
                              {"code": "1.1", "criterion": "Tiêu chí 1.1", "measures": measures}]}]}}

    def build(other: str, name: str) -> tuple[str, str, int]:
        """The first plan's PDF key, its page's data line, and the school zip's size, as written."""
        root = tmp_path / name
        second = plan(other) | {"period": {"from": "2024-2025", "to": "2024-2025"}}
        write_files(root, {"plans/mn-a/school.yml": dump({"name": "Trường Mầm non A", "level": "preschool"}),
                           "plans/mn-a/2023-2024.yml": dump(plan("Việc chung")),
                           "plans/mn-a/2024-2025.yml": dump(second)})
        site, _ = load_site(root / "plans", root)
        pdfs = PdfPlans(tmp_path / "pdf", "nền", linked=False)
        page = next(p for p in Renderer(site, pdf=pdfs.find).pages() if p.path == "truong/mn-a/ke-hoach-2023-2024/index.md")
        opendata.write_site_data(site, root / "site")
        line = BeautifulSoup(page.text, "html.parser").find("dt", string="Tải dữ liệu").find_next("dd").get_text()
        return pdfs.plans[0].key, line, (root / "site/truong/mn-a/du-lieu.zip").stat().st_size

    key, line, size = build("Việc năm sau", "first")
    edited_key, edited_line, edited_size = build("Việc năm sau, viết dài hơn nhiều: " + "sửa phòng học " * 200, "edited")
    assert filesize(edited_size) != filesize(size)  # the other plan grew: so did the zip, as the page says
    assert f"(tệp nén .zip, {filesize(size)})" in line and f"(tệp nén .zip, {filesize(edited_size)})" in edited_line
    assert edited_key == key
