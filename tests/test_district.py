"""The district at a glance, on a demo district: per school year, schools with and without a published
plan, days since the deadline counted to the build's reproducible date, the CSV of the same list,
`check`'s warning for the current school year, and the criteria most schools plan to improve.

The expected figures are worked out here from the files and the calendar, not through the site's model.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from conftest import ENV, REPO, check_in_process, content, fold, new_project, run_cli, write_files

# The build's date: 1 March 2026, in school year 2025-2026, 243 days after 30/06/2025.
BUILD_DAY = dt.date(2026, 3, 1)
EPOCH = str(int(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC).timestamp()))
# Plans taken out of the demo district, and a school that has no plan at all.
REMOVED = ("2025-2026", "2024-2025")
EMPTY_SCHOOL = "plans/mn-chua-co/school.yml"


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    project = new_project(tmp_path_factory.mktemp("district") / "site")
    made = run_cli("demo", "--schools", "6", "--years", "3", "--seed", "5", "--out", "plans", "--into-plans",
                   "--from", str(REPO / "plans"), cwd=project)
    assert made.returncode == 0, made.stderr
    schools = sorted(p.name for p in (project / "plans").iterdir())
    # Two schools lose their plan of 2025-2026, one of them that of 2024-2025 too.
    for school, years in ((schools[0], REMOVED), (schools[1], REMOVED[:1])):
        for year in years:
            removed = list((project / "plans" / school).glob(f"{year}*.yml"))
            assert removed, (school, year)
            for path in removed:
                path.unlink()
    write_files(project, {EMPTY_SCHOOL: "name: Trường Mầm non Chưa Có\nlevel: preschool\nsynthetic: true\n"})
    return project


@pytest.fixture(scope="module")
def built(district: Path) -> Path:
    result = run_cli("build", "-d", "out", cwd=district, env={**ENV, "SOURCE_DATE_EPOCH": EPOCH}, timeout=600)
    assert result.returncode == 0, result.stderr
    return district / "out"


def _covers(plan: dict, start: int) -> bool:
    period = plan["period"]
    if isinstance(period, dict):
        return int(str(period["from"])[:4]) <= start <= int(str(period["to"])[:4])
    return int(str(period)[:4]) == start


def _expected(district: Path, start: int) -> tuple[dict[str, list[dict]], list[str]]:
    """(school name -> its plans covering the year, names of the schools without one), from the files."""
    published, missing = {}, []
    for folder in sorted((district / "plans").iterdir()):
        school = yaml.safe_load((folder / "school.yml").read_text(encoding="utf-8"))
        plans = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yml"))
                 if p.name != "school.yml"]
        covering = [p for p in plans if _covers(p, start) and not p.get("status")]
        if covering:
            published[school["name"]] = covering
        else:
            missing.append(school["name"])
    return published, missing


def _tables(page: Path) -> tuple[list[list[str]], list[list[str]]]:
    found = content(page)
    published = found.select_one("#da-cong-khai + table")
    missing = found.select_one("#chua-cong-khai + table")
    rows = [[fold(c.get_text(" ")) for c in tr.select("th, td")] for tr in (published.select("tbody tr") if published else [])]
    late = [[fold(c.get_text(" ")) for c in tr.select("th, td")] for tr in (missing.select("tbody tr") if missing else [])]
    return rows, late


def test_the_district_page_of_a_year_past_its_deadline(district: Path, built: Path) -> None:
    page = built / "nam-hoc/2025-2026/cong-khai/index.html"
    published, missing = _expected(district, 2025)
    assert len(missing) == 3  # the two schools that lost their plan, and the one with none
    text = fold(content(page).get_text(" "))
    total = len(published) + len(missing)
    assert f"{total} trường có thư mục trên trang: {len(published)} trường đã công khai" in text
    assert f"{len(missing)} trường chưa công khai" in text
    assert "Hạn công khai: 30/06/2026 (cách hiểu, chưa chắc chắn)" in text
    assert "Số ngày tính đến ngày của bản dựng trang web: 01/03/2026" in text
    rows, late = _tables(page)
    # Each published school once, with the issue date read from its document; a school with two plans
    # that cover the year spans two rows.
    names = [row[0] for row in rows if len(row) == 6]
    assert sorted(names) == sorted(published)
    assert len(rows) == sum(len(plans) for plans in published.values())
    for row in rows:
        assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", row[-2]), row  # demo plans all state their date
    # Not yet due on 1 March 2026: the days still left, counted here from the calendar.
    left = (dt.date(2026, 6, 30) - BUILD_DAY).days
    assert sorted(row[0] for row in late) == sorted(missing)
    assert {row[-1] for row in late} == {f"Chưa công khai Chưa đến hạn (còn {left} ngày)"}


def test_days_since_the_deadline_and_the_csv(district: Path, built: Path) -> None:
    page = built / "nam-hoc/2024-2025/cong-khai/index.html"
    published, missing = _expected(district, 2024)
    late_days = (BUILD_DAY - dt.date(2025, 6, 30)).days
    assert late_days == 244
    rows, late = _tables(page)
    assert sorted(row[0] for row in late) == sorted(missing) and len(missing) == 2
    assert {row[-1] for row in late} == {f"Chưa công khai Quá hạn {late_days} ngày"}
    link = content(page).find("a", string="Tải danh sách (CSV, mở được bằng Excel)")
    data = (page.parent / link["href"]).read_bytes()
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert {r["Tên trường"] for r in table} == set(published) | set(missing)
    for record in table:
        if record["Tên trường"] in missing:
            assert (record["Tình trạng"], record["Số ngày quá hạn"]) == ("chưa công khai", str(late_days))
        else:
            assert (record["Tình trạng"], record["Số ngày quá hạn"]) == ("đã công khai", "")
            assert record["Ngày ban hành"]
        assert record["Hạn công khai"] == "2025-06-30" and record["Năm học"] == "2024-2025"


def test_a_year_before_the_circular_has_no_deadline(built: Path) -> None:
    page = built / "nam-hoc/2023-2024/cong-khai/index.html"
    text = fold(content(page).get_text(" "))
    assert "Không có hạn công khai để tính." in text and "19/07/2024" in text
    _, late = _tables(page)
    assert {row[-1] for row in late} == {"Chưa công khai Không xác định (chưa có hạn theo Thông tư 09/2024)"}


def test_the_years_page_links_every_district_page(built: Path) -> None:
    links = {a["href"] for a in content(built / "nam-hoc/index.html").select("a") if "cong-khai" in a["href"]}
    assert links == {f"{y}/cong-khai/" for y in ("2023-2024", "2024-2025", "2025-2026")}


def test_check_warns_for_each_school_without_a_plan_this_year(district: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = check_in_process(district)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "chưa công khai kế hoạch" in line]
    _, missing = _expected(district, 2025)
    assert len(warnings) == len(missing) == 3
    assert f"{EMPTY_SCHOOL}: cảnh báo: trường chưa công khai kế hoạch cải tiến chất lượng nào cho năm học " \
           "2025-2026 (năm học hiện tại, tính theo ngày của bản dựng 01/03/2026); hạn công khai theo cách hiểu " \
           "Thông tư 09/2024/TT-BGDĐT, Điều 15 khoản 1 (trước 30/6 hằng năm) là 30/06/2026, còn 121 ngày. Nếu " \
           "đã có kế hoạch, hãy thêm tệp kế hoạch vào thư mục mn-chua-co/ (qip-site new --school mn-chua-co " \
           "--years 2025-2026)." in warnings
    # Without a reproducible date (no git, no SOURCE_DATE_EPOCH) there is no current year to warn about.
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert "chưa công khai kế hoạch" not in check_in_process(district).stderr


def test_the_criterion_index_ranks_the_criteria_most_schools_plan_to_improve(district: Path, built: Path) -> None:
    circular = {"preschool": "tt19-2018", "primary": "tt17-2018"}
    schools: dict[str, set[str]] = defaultdict(set)
    codes: dict[tuple[str, str], set[str]] = defaultdict(set)
    for folder in (district / "plans").iterdir():
        level = yaml.safe_load((folder / "school.yml").read_text(encoding="utf-8"))["level"]
        slug = circular.get(level, "tt18-2018")
        schools[slug].add(folder.name)
        for file in folder.glob("*.yml"):
            if file.name == "school.yml":
                continue
            for code in re.findall(r"code: ['\"]?(\d\.\d+)", file.read_text(encoding="utf-8")):
                codes[(slug, code)].add(folder.name)
    page = content(built / "tieu-chi/index.html")
    tables = page.select("table.qip-weak-table")
    assert tables and page.select("svg.qip-chart")
    for table in tables:
        slug = table.select_one("a")["href"].split("/")[0]
        shown = [(a.get_text().split(":")[0].removeprefix("Tiêu chí "), td.get_text())
                 for a, td in zip(table.select("tbody th a"), table.select("tbody td"))]
        total = len(schools[slug])
        ranked = sorted(((code, len(s)) for (c, code), s in codes.items() if c == slug),
                        key=lambda item: (-item[1], [int(p) for p in item[0].split(".")]))[:10]
        assert shown == [(code, f"{n}/{total} trường") for code, n in ranked]
