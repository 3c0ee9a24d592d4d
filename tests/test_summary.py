"""The plain summary on school-year and plan pages: every number in it matches the plan files.

The expected figures are counted here from the YAML itself (not through the site's model): rows
per school year, rows per standard, and the amounts the budget cells write as figures.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml
from conftest import REPO, content, fold, write_files

from qip_site.domain.summary import plan_summary_text, school_year_summary
from qip_site.domain.years import SchoolYear
from qip_site.reading.validate import load_site

PLANS = REPO / "plans"


def _years(period) -> list[int]:
    if isinstance(period, dict):
        return list(range(int(str(period["from"])[:4]), int(str(period["to"])[:4]) + 1))
    return [int(str(period)[:4])]


def _rows(plan: dict) -> list[tuple[int | None, dict]]:
    """(standard number from its heading, row) for every row of the table, counted from the YAML."""
    table = plan.get("table") or {}
    standards = [s for group in table.get("levels", []) for s in group.get("standards", [])]
    standards += table.get("standards", [])
    out = []
    for standard in standards:
        match = re.search(r"Tiêu chuẩn (\d+)", standard["heading"])
        number = standard.get("number") or (int(match.group(1)) if match else None)
        out.extend((number, row) for row in standard.get("criteria", []))
    out.extend((None, row) for row in table.get("areas", []))
    return out


def _amount(text: str | None) -> tuple[int, bool] | None:
    """The seed budgets' forms: "7.000.000", "30.000.000 đồng", "150 triệu", "3 triệu/NH"; None: no figure."""
    if not text:
        return None
    text = " ".join(text) if isinstance(text, list) else str(text)
    per_year = "/NH" in text
    million = re.search(r"(\d+)\s*triệu", text)
    if million:
        return int(million.group(1)) * 1_000_000, per_year
    digits = re.search(r"\d{1,3}(?:\.\d{3})+", text)
    return (int(digits.group(0).replace(".", "")), per_year) if digits else None


def _expected(school: str, year: int) -> dict:
    """What the school's plans in force commit to in `year`, from the YAML."""
    count, per_standard, money, whole, plans = 0, Counter(), 0, 0, []
    for file in sorted((PLANS / school).glob("*.yml")):
        if file.name == "school.yml":
            continue
        plan = yaml.safe_load(file.read_text(encoding="utf-8"))
        years = _years(plan["period"])
        if year not in years or plan.get("status"):
            continue
        plans.append(years)
        for standard, row in _rows(plan):
            items = [i for i in row.get("years", []) if int(str(i["school_year"])[:4]) == year
                     or (int(str(i["school_year"])[:4]) < year and "tiếp theo" in str(i.get("timeline", "")))]
            if row.get("years") and not items:
                continue
            count += 1
            if standard is not None:
                per_standard[standard] += 1
            own = _amount(row.get("budget"))
            if own:
                if len(years) == 1 or own[1]:
                    money += own[0]
                else:
                    whole += own[0]
            for item in items:
                found = _amount(item.get("budget"))
                if found and int(str(item["school_year"])[:4]) == year:
                    money += found[0]
    return {"count": count, "per_standard": per_standard, "money": money, "whole": whole, "plans": plans}


def _vnd(text: str) -> int:
    return int(text.replace(".", ""))


def _check_numbers(summary: str, year: int, expected: dict) -> None:
    """Every number of the summary, matched against the expected figures; nothing else may hold a digit."""
    rest = summary
    patterns = [
        (r"Năm học (\d{4})-(\d{4})", lambda m: (int(m[1]), int(m[2])) == (year, year + 1)),
        (r"kế hoạch (\d+) năm, (\d{4})-(\d{4}) đến (\d{4})-(\d{4})",
         lambda m: [int(m[1]), int(m[2]), int(m[5]) - 1] in [[len(p), p[0], p[-1]] for p in expected["plans"]]),
        (r"cam kết (\d+) việc", lambda m: int(m[1]) == expected["count"]),
        (r"ở (\d+) tiêu chuẩn", lambda m: int(m[1]) == len(expected["per_standard"])),
        (r"trong đó (\d+) việc", lambda m: int(m[1]) == sum(expected["per_standard"].values())),
        (r"việc ở Tiêu chuẩn (\d+) \([^)]*\)", lambda m: list(expected["per_standard"]) == [int(m[1])]),
        (r"nhiều nhất ở Tiêu chuẩn (\d+) \([^)]*\) với (\d+) việc",
         lambda m: expected["per_standard"].most_common(2)[0] == (int(m[1]), int(m[2]))
         and (len(expected["per_standard"]) < 2 or expected["per_standard"].most_common(2)[1][1] < int(m[2]))),
        (r"nhiều nhất ở Tiêu chuẩn ([\d, và]+), mỗi tiêu chuẩn (\d+) việc",
         lambda m: sorted(int(n) for n in re.findall(r"\d+", m[1]))
         == sorted(k for k, v in expected["per_standard"].items() if v == int(m[2]) == max(expected["per_standard"].values()))),
        (r", mỗi tiêu chuẩn (\d+) việc", lambda m: set(expected["per_standard"].values()) == {int(m[1])}),
        (r"tổng kinh phí ghi bằng số cho năm học này ([\d.]+) đ", lambda m: _vnd(m[1]) == expected["money"]),
        (r"ngoài ra ([\d.]+) đ ghi cho cả giai đoạn", lambda m: _vnd(m[1]) == expected["whole"]),
        (r"kinh phí ghi bằng số ([\d.]+) đ cho cả giai đoạn",
         lambda m: _vnd(m[1]) == expected["whole"] and expected["money"] == 0),
    ]
    for pattern, check in patterns:
        for match in re.finditer(pattern, rest):
            assert check(match), f"{match.group(0)!r} does not match the plan files: {summary}"
        rest = re.sub(pattern, "", rest)
    assert not re.search(r"\d", rest), f"a number the test does not know: {rest!r} in {summary}"
    if "không ghi kinh phí bằng số" in summary:
        assert expected["money"] == 0 and expected["whole"] == 0, summary
    else:
        assert expected["money"] or expected["whole"], summary


def test_every_number_of_the_seed_summaries_matches_the_plan_files(seed_site: Path) -> None:
    checked = 0
    for school in sorted(p.name for p in PLANS.iterdir() if (p / "school.yml").is_file()):
        for page in sorted((seed_site / "truong" / school).glob("[0-9]*-[0-9]*/index.html")):
            year = int(page.parent.name[:4])
            found = content(page).select("p.qip-summary")
            assert len(found) == 1, page
            _check_numbers(fold(found[0].get_text()), year, _expected(school, year))
            checked += 1
    assert checked >= 10  # the seed schools have 13 school-year pages


SCHOOL = "name: Trường Mầm non A\nlevel: preschool\n"


def _plan(period: str, standards: dict[int, list[str | None]], *, years: bool = False) -> str:
    """A plan file with rows per standard; each row's budget as given (None: no budget cell)."""
    lines = [f"period: {period}", "title: [KẾ HOẠCH]", "sections:", "  - heading: III", "    table: true",
             "table:", "  columns: {criterion: Tiêu chí, measures: Biện pháp, budget: Kinh phí}", "  standards:"]
    for number, budgets in standards.items():
        lines += [f"    - heading: \"Tiêu chuẩn {number}\"", "      criteria:"]
        for budget in budgets:
            lines += ["        - measures: Làm việc"] + ([f"          budget: \"{budget}\""] if budget else [])
    return "\n".join(lines) + "\n"


def _summary(tmp_path: Path, files: dict[str, str], year: int) -> str:
    write_files(tmp_path, {"plans/mn-a/school.yml": SCHOOL, **files})
    site, _ = load_site(tmp_path / "plans", tmp_path)
    return school_year_summary(site.schools[0], SchoolYear(year))


def test_a_tie_names_every_standard_and_no_budget_says_so(tmp_path: Path) -> None:
    text = _summary(tmp_path, {"plans/mn-a/2024-2025.yml": _plan("2024-2025", {1: [None, None], 3: [None, None],
                                                                                  5: [None]})}, 2024)
    assert text == ("Năm học 2024-2025, trường cam kết 5 việc ở 3 tiêu chuẩn, nhiều nhất ở Tiêu chuẩn 1 và 3, "
                    "mỗi tiêu chuẩn 2 việc; kế hoạch không ghi kinh phí bằng số.")


def test_one_leader_is_named_with_its_catalogue_title_and_money_is_summed(tmp_path: Path) -> None:
    text = _summary(tmp_path, {"plans/mn-a/2024-2025.yml": _plan(
        "2024-2025", {1: ["5 triệu"], 3: ["300.000.000 đồng", "Kinh phí dự án", "Không"]})}, 2024)
    assert text == ("Năm học 2024-2025, trường cam kết 4 việc ở 2 tiêu chuẩn, nhiều nhất ở Tiêu chuẩn 3 (Cơ sở vật "
                    "chất và thiết bị dạy học) với 3 việc; tổng kinh phí ghi bằng số cho năm học này 305.000.000 đ.")


def test_an_annual_and_a_multi_year_plan_in_one_year(tmp_path: Path) -> None:
    text = _summary(tmp_path, {
        "plans/mn-a/2024-2025.yml": _plan("2024-2025", {2: ["7.000.000"]}),
        "plans/mn-a/2022-2027.yml": _plan("{from: 2022-2023, to: 2026-2027}", {2: ["50.000.000"], 4: [None]}),
    }, 2024)
    assert text == ("Năm học 2024-2025, theo 2 kế hoạch (kế hoạch năm học 2024-2025; kế hoạch 5 năm, 2022-2023 đến "
                    "2026-2027), trường cam kết 3 việc ở 2 tiêu chuẩn, nhiều nhất ở Tiêu chuẩn 2 (Cán bộ quản lý, "
                    "giáo viên, nhân viên) với 2 việc; tổng kinh phí ghi bằng số cho năm học này 7.000.000 đ; ngoài "
                    "ra 50.000.000 đ ghi cho cả giai đoạn của kế hoạch nhiều năm, không chia theo năm.")


def test_the_plan_page_shows_its_summary(seed_site: Path) -> None:
    page = seed_site / "truong" / "th-le-dinh-chinh" / "ke-hoach-2023-2024" / "index.html"
    site, _ = load_site(PLANS, REPO)
    plan = next(p for p in site.plans if p.file == "plans/th-le-dinh-chinh/2023-2024.yml")
    shown = [fold(p.get_text()) for p in content(page).select("p.qip-summary")]
    assert shown[:1] == [plan_summary_text(plan)]
    assert "11 việc" in shown[0] and "158.000.000 đ" in shown[0]
