"""Results per commitment: an optional `result` on each plan-table row, shown beside the approved
row (never changing it), counted on plan and school-year pages, carried by the feed, known to the
JSON Schema and to `qip-site new`. The located messages of `check` are golden cases
(tests/cases/check/result-*.case).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from conftest import REPO, content, fold, new_project, run_cli, write_files
from test_browser import served

from qip_site.domain.years import SchoolYear
from qip_site.reading.validate import load_site

PDF = b"%PDF-1.4\n% minh chung\n"
SCHOOL = "name: Trường Mầm non A\nlevel: preschool\n"
ANNUAL = """period: 2024-2025
header:
  place_date: Quận 5, ngày 5 tháng 9 năm 2024
title: [KẾ HOẠCH]
sections:
  - heading: III. NỘI DUNG
    table: true
table:
  columns: {criterion: Tiêu chí, measures: Biện pháp}
  standards:
    - heading: "Tiêu chuẩn 3: Cơ sở vật chất và thiết bị dạy học"
      criteria:
        - code: "3.1"
          measures: Sửa phòng học tầng 2
          result:
            state: đã thực hiện
            date: 20/5/2025
            text: "Đã sửa <b>4</b> phòng {{ x }}"
            evidence: minh-chung-3-1.pdf
        - code: "3.2"
          measures: Mua đồ chơi ngoài trời
          result: {state: đang thực hiện, evidence: "https://example.org/bien-ban?a=1&b=<x>"}
        - code: "3.3"
          measures: Lát lại sân
          result: {state: điều chỉnh, text: Chuyển sang năm học sau}
        - code: "3.4"
          measures: Sửa khu vệ sinh
"""
MULTI = """period: {from: 2024-2025, to: 2025-2026}
header:
  place_date: Quận 5, ngày 6 tháng 9 năm 2024
title: [KẾ HOẠCH]
sections:
  - heading: III
    table: true
table:
  columns: {criterion: Tiêu chí, measures: Biện pháp}
  standards:
    - heading: "Tiêu chuẩn 1: Tổ chức và quản lý nhà trường"
      criteria:
        - code: "1.1"
          years:
            - {school_year: 2024-2025, measures: Rà soát chiến lược}
          result: {state: đã thực hiện}
        - code: "1.2"
          years:
            - {school_year: 2025-2026, measures: Kiện toàn hội đồng}
          result: {state: chưa thực hiện}
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = new_project(tmp_path_factory.mktemp("results") / "site")
    write_files(project, {
        "plans/mn-a/school.yml": SCHOOL, "plans/mn-a/2024-2025.yml": ANNUAL,
        "plans/mn-a/minh-chung-3-1.pdf": PDF, "plans/mn-a/2024-2025.pdf": PDF,
        "plans/mn-b/school.yml": SCHOOL.replace(" A", " B"), "plans/mn-b/2024-2026.yml": MULTI,
        "plans/mn-b/2024-2026.pdf": PDF,
    })
    result = run_cli("build", "-d", "out", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "out"


def test_results_stand_beside_the_approved_rows(built: Path) -> None:
    page = content(built / "truong/mn-a/ke-hoach-2024-2025/index.html")
    rows = page.select("tr.qip-row")
    results = page.select("tr.qip-result-row")
    assert len(rows) == 4 and len(results) == 3
    # The approved text stays as written; each result comes right after its own row, labelled as a result.
    assert fold(rows[0].select_one(".qip-cell-measures").get_text()) == "Sửa phòng học tầng 2"
    assert rows[0].find_next_sibling("tr") is results[0]
    first = results[0]
    assert first.select_one("td")["data-label"] == "Kết quả thực hiện"
    assert fold(first.get_text(" ")).startswith("Kết quả: Đã thực hiện , ngày 20/05/2025")
    assert "không thuộc văn bản đã phê duyệt" in fold(first.get_text(" "))
    # The state is a word, not a colour only; plan text in a result is text, never markup.
    assert [fold(b.get_text()) for b in page.select(".qip-result-state")] == ["Đã thực hiện", "Đang thực hiện",
                                                                           "Điều chỉnh"]
    assert "Đã sửa <b>4</b> phòng {{ x }}" in first.get_text() and first.find("b") is None
    assert rows[3].find_next_sibling("tr") is None or "qip-result-row" not in rows[3].find_next_sibling("tr")["class"]


def test_evidence_file_is_published_and_links_are_safe(built: Path) -> None:
    page = content(built / "truong/mn-a/ke-hoach-2024-2025/index.html")
    local = page.find("a", string="minh-chung-3-1.pdf")
    target = (built / "truong/mn-a/ke-hoach-2024-2025" / local["href"]).resolve()
    assert target.read_bytes() == PDF
    assert "(PDF, 22 byte)" in fold(local.parent.get_text())
    outside = page.find("a", string="https://example.org/bien-ban?a=1&b=<x>")
    assert outside["href"] == "https://example.org/bien-ban?a=1&b=<x>"
    assert "noopener" in outside["rel"] and "Minh chứng (trang ngoài)" in outside.parent.get_text()


def test_summaries_count_the_results(built: Path) -> None:
    plan = content(built / "truong/mn-a/ke-hoach-2024-2025/index.html")
    assert fold(plan.select_one(".qip-results-summary").get_text()) == (
        "Kết quả thực hiện: 1/4 việc đã thực hiện (1 việc đang thực hiện, 1 việc điều chỉnh, "
        "1 việc chưa ghi kết quả).")
    year = content(built / "truong/mn-a/2024-2025/index.html")
    assert fold(year.select_one(".qip-results-summary").get_text()).startswith(
        "Kết quả thực hiện: 1/4 việc đã thực hiện")
    # An annual plan's school-year page lists its rows, each with its result's state only: the report
    # and the evidence stand on the plan page, where each line links.
    states = [(li.select_one("a")["href"], fold(li.select_one(".qip-result-state").get_text()))
              for li in year.select("ul.qip-compact > li") if li.select_one(".qip-result-state")]
    assert states == [("../ke-hoach-2024-2025/#tieu-chi-3-1", "Đã thực hiện"),
                      ("../ke-hoach-2024-2025/#tieu-chi-3-2", "Đang thực hiện"),
                      ("../ke-hoach-2024-2025/#tieu-chi-3-3", "Điều chỉnh")]
    assert len(year.select("ul.qip-compact > li")) == 4
    assert not year.select(".qip-result") and "Đã sửa" not in year.get_text()
    # A multi-year plan: each school-year page counts the rows of that year only.
    first = content(built / "truong/mn-b/2024-2025/index.html")
    second = content(built / "truong/mn-b/2025-2026/index.html")
    assert fold(first.select_one(".qip-results-summary").get_text()) == "Kết quả thực hiện: 1/1 việc đã thực hiện."
    assert fold(second.select_one(".qip-results-summary").get_text()) == (
        "Kết quả thực hiện: 0/1 việc đã thực hiện (1 việc chưa thực hiện).")
    # A multi-year plan's school-year page shows the year's part of each row, with its whole result.
    assert len(first.select(".qip-result")) == 1 and len(second.select(".qip-result")) == 1


def test_a_plan_without_results_says_none_is_recorded(seed_site: Path) -> None:
    page = content(seed_site / "truong/th-le-dinh-chinh/ke-hoach-2023-2024/index.html")
    assert fold(page.select_one(".qip-results-summary").get_text()) == (
        "Kết quả thực hiện: chưa ghi cho việc nào trong 11 việc.")
    assert not page.select(".qip-result")


def test_the_feed_carries_the_results(built: Path) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(built / "feed.xml").getroot()
    entries = {e.find(f"{atom}link").get("href"): e for e in feed.findall(f"{atom}entry")}
    text = entries["truong/mn-a/ke-hoach-2024-2025/"].find(f"{atom}content").text
    assert text.splitlines()[0] == ("Kết quả thực hiện: 1/4 việc đã thực hiện (1 việc đang thực hiện, "
                                    "1 việc điều chỉnh, 1 việc chưa ghi kết quả).")
    assert "- Tiêu chí 3.1: đã thực hiện, ngày 20/05/2025. Đã sửa <b>4</b> phòng {{ x }}" in text


def test_model_and_json_schema_know_the_field(tmp_path: Path) -> None:
    import jsonschema

    write_files(tmp_path, {"plans/mn-a/school.yml": SCHOOL, "plans/mn-a/2024-2025.yml": ANNUAL,
                           "plans/mn-a/minh-chung-3-1.pdf": PDF})
    site, _ = load_site(tmp_path / "plans", tmp_path)
    plan = site.plans[0]
    assert [r.result.state.value if r.result else None for r in plan.rows()] == [
        "đã thực hiện", "đang thực hiện", "điều chỉnh", None]
    assert plan.year_results(SchoolYear(2024)).done == 1 and list(plan.evidence) == ["minh-chung-3-1.pdf"]
    schema = json.loads((REPO / "qip_site/schema/plan.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load(ANNUAL)
    data["period"] = "2024-2025"
    jsonschema.validate(data, schema)
    data["table"]["standards"][0]["criteria"][0]["result"]["state"] = "xong"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_new_scaffold_shows_a_commented_result(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    made = run_cli("new", "--school", "mn-a", "--years", "2024-2025", cwd=project)
    assert made.returncode == 0, made.stderr
    text = (project / "plans/mn-a/2024-2025.yml").read_text(encoding="utf-8")
    assert "          # result:\n          #   state: đã thực hiện" in text
    assert "#   evidence: \"minh-chung-3-1.pdf\"" in text


@pytest.mark.browser
@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_results_are_accessible_and_labelled_on_a_phone_card(built: Path, screen: str, tab,  # noqa: F811
                                                             axe_script: str) -> None:
    from test_accessibility import SCREENS, axe_violations, open_page, report

    with served(built) as address:
        page = open_page(tab(SCREENS[screen]), address + "truong/mn-a/ke-hoach-2024-2025/", "light")
        result = page.locator("tr.qip-result-row").first
        assert result.is_visible()
        if screen == "phone":  # a card of its own, labelled like the row's cells
            label = result.locator("td").evaluate("e => getComputedStyle(e, '::before').content")
            assert label == '"Kết quả thực hiện"'
        violations = axe_violations(page, axe_script)
    assert not violations, report(f"results ({screen})", violations)


def test_open_data_carries_the_results(built: Path) -> None:
    import csv
    import io
    import zipfile

    files = zipfile.ZipFile(built / "truong/mn-a/du-lieu.zip")  # the school's zip: its plans' JSON and CSV
    data = json.loads(files.read("ke-hoach-2024-2025/ke-hoach.json"))
    rows = data["plans"][0]["rows"]
    assert [row["result"] and row["result"]["state"] for row in rows] == [
        "đã thực hiện", "đang thực hiện", "điều chỉnh", None]
    first = rows[0]["result"]
    assert first["date"] == "2025-05-20" and first["text"] == ["Đã sửa <b>4</b> phòng {{ x }}"]
    # A file beside the plan is named by its address on the site; a web address is given as written.
    assert first["evidence"] == "truong/mn-a/ke-hoach-2024-2025/minh-chung/minh-chung-3-1.pdf"
    assert rows[1]["result"]["evidence"] == "https://example.org/bien-ban?a=1&b=<x>"
    table = list(csv.DictReader(io.StringIO(files.read("ke-hoach-2024-2025/ke-hoach.csv").decode("utf-8-sig"),
                                            newline="")))
    assert [line["Kết quả thực hiện"] for line in table] == ["đã thực hiện", "đang thực hiện", "điều chỉnh", ""]
    assert table[0]["Ngày ghi kết quả"] == "2025-05-20" and table[0]["Mô tả kết quả"] == "Đã sửa <b>4</b> phòng {{ x }}"
    assert table[0]["Minh chứng kết quả"].endswith("/minh-chung/minh-chung-3-1.pdf")
