"""School-year pages of annual plans and criterion pages list each plan row once, in one line that
links to the row on its plan page, where the row stands whole (issue 15: the site must stay small).

The rows expected are counted here from the plan files (YAML), not through the site's model.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from conftest import REPO, content, fold

from qip_site.domain.history import History
from qip_site.reading.validate import load_site
from qip_site.site.render import CRITERION_PAGE_SIZE, Renderer

PLANS = REPO / "plans"
# The circular each level is assessed by (Thông tư 17, 18, 19/2018).
CIRCULARS = {"preschool": "tt19-2018", "primary": "tt17-2018", "lower_secondary": "tt18-2018",
             "upper_secondary": "tt18-2018", "secondary": "tt18-2018"}


def _joined(value) -> str:
    if value is None:
        return ""
    return fold(" ".join(str(v) for v in value) if isinstance(value, list) else str(value))


def _rows(plan: dict) -> list[dict]:
    table = plan.get("table") or {}
    standards = [s for group in table.get("levels", []) for s in group.get("standards", [])]
    standards += table.get("standards", [])
    return [row for s in standards for row in s.get("criteria", [])] + list(table.get("areas", []))


def _title(row: dict) -> str:
    """What a row is about, as the document says: its criterion, else its area, else its code."""
    code = row.get("code")
    return (_joined(row.get("criterion")) or _joined(row.get("area")) or (f"Tiêu chí {code}" if code else "")
            or "Dòng không ghi tiêu chí")


def _measures(row: dict) -> list[str]:
    """The row's measures paragraphs long enough not to stand anywhere else by chance."""
    found = [row.get("measures")] + [item.get("measures") for item in row.get("years", [])]
    lines = [line.strip() for text in found if text
             for line in (text if isinstance(text, list) else str(text).splitlines())]
    return [fold(line) for line in lines if len(line) > 25]


def _annual_plans() -> list[tuple[str, str, dict]]:
    """(school folder, plan file stem, plan) of every annual plan of the seed."""
    out = []
    for file in sorted(PLANS.glob("*/*.yml")):
        if file.name == "school.yml":
            continue
        plan = yaml.safe_load(file.read_text(encoding="utf-8"))
        if not isinstance(plan["period"], dict) and not plan.get("status"):
            out.append((file.parent.name, file.stem, plan))
    return out


def _target(site: Path, page: str, href: str) -> tuple[Path, str]:
    """The built file and the fragment a relative link on `page` leads to."""
    path, _, fragment = href.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    return site / target / "index.html", fragment


def test_annual_school_year_page_lists_each_row_once_linking_to_the_plan(seed_site: Path) -> None:
    plans = _annual_plans()
    assert len(plans) == 3  # mn-1-quan-5, mn-hoa-mi, th-le-dinh-chinh
    for school, stem, plan in plans:
        page = f"truong/{school}/{plan['period']}/index.html"
        html = content(seed_site / page)
        rows = _rows(plan)
        items = html.select("ul.qip-compact > li")
        assert len(items) == len(rows), page
        plan_page = seed_site / f"truong/{school}/ke-hoach-{stem}/index.html"
        plan_html = content(plan_page)
        shown = []
        for item in items:
            link = item.select_one("a")
            target, fragment = _target(seed_site, page, link["href"])
            assert target == plan_page, (page, link["href"])
            row = plan_html.select_one(f"tr[id='{fragment}']")
            assert row is not None, (page, fragment)
            shown.append((fold(link.get_text()), fold(row.get_text(" "))))
        # Each source row once: its title as the link's text, the link leading to that very row.
        assert Counter(title for title, _ in shown) == Counter(_title(row) for row in rows), page
        assert len({target for _, target in shown}) == len(rows), page
        for row in rows:
            for line in _measures(row):
                assert sum(line in target for _, target in shown) >= 1, (page, line)
        # The row's text is not repeated: it is on the plan page, which the page says once.
        text = fold(html.get_text(" "))
        for row in rows:
            for line in _measures(row):
                assert line not in text, (page, line)
        assert text.count("Toàn văn từng việc (biện pháp, người phụ trách, thời gian, kinh phí, kết quả)") == 1
        assert not html.select("dl.qip-fields, article.qip-entry")


def test_criterion_pages_list_each_row_linking_to_it(seed_site: Path) -> None:
    expected: Counter = Counter()
    for file in sorted(PLANS.glob("*/*.yml")):
        if file.name == "school.yml":
            continue
        level = yaml.safe_load((file.parent / "school.yml").read_text(encoding="utf-8"))["level"]
        plan = yaml.safe_load(file.read_text(encoding="utf-8"))
        if plan.get("status"):
            continue
        for row in _rows(plan):
            code = row.get("code")
            if code and (seed_site / f"tieu-chi/{CIRCULARS[level]}/{str(code).replace('.', '-')}").is_dir():
                expected[(CIRCULARS[level], str(code), file.parent.name, f"ke-hoach-{file.stem}")] += 1
    assert sum(expected.values()) > 20
    found: Counter = Counter()
    for file in sorted(seed_site.glob("tieu-chi/*/*/**/index.html")):
        page = file.relative_to(seed_site).as_posix()
        circular, code = page.split("/")[1], page.split("/")[2].replace("-", ".")
        html = content(file)
        for item in html.select("ul.qip-compact > li"):
            school_link, plan_link = item.select("a")[:2]
            school_page, _ = _target(seed_site, page, school_link["href"])
            assert school_page.is_file(), school_link["href"]
            target, fragment = _target(seed_site, page, plan_link["href"])
            row = content(target).select_one(f"tr[id='{fragment}']")
            assert row is not None, (page, plan_link["href"])
            assert "qip-row" in row["class"]
            found[(circular, code, target.parent.parent.name, target.parent.name)] += 1
        assert not html.select("dl.qip-fields"), page
    assert found == expected


def test_criterion_entry_names_the_school_the_plan_and_the_row(seed_site: Path) -> None:
    html = content(seed_site / "tieu-chi/tt17-2018/1-4/index.html")
    items = [fold(li.get_text(" ")) for li in html.select("ul.qip-compact > li")]
    assert items == ["Trường Tiểu học Lê Đình Chinh — Kế hoạch năm học 2023-2024 — Tiêu chí 1.4"]
    # The row's measures stand on the plan page only, where the link leads.
    assert "Tổ chức thêm chuyên đề về phương pháp giảng dạy" not in fold(html.get_text(" "))
    assert html.select_one("ul.qip-compact a[href$='ke-hoach-2023-2024/#tieu-chi-1-4']") is not None


def test_criterion_pager_names_the_first_the_last_and_the_pages_near(tmp_path: Path) -> None:
    """A criterion of many plans: each page links to its neighbours, the first and the last page, not to
    every page (the pager would grow with the site)."""
    site, _ = load_site(PLANS, REPO, history=History())
    renderer = Renderer(site)
    circular = next(c for c in site.circulars if c.slug == "tt17-2018")
    entries = renderer.criterion_entries(circular)["1.4"] * (CRITERION_PAGE_SIZE * 8 + 1)  # nine pages
    pages = renderer.criterion(circular, circular.criteria["1.4"], entries)
    assert len(pages) == 9
    fifth = BeautifulSoup(pages[4].text, "html.parser")
    assert len(fifth.select("ul.qip-compact > li")) == CRITERION_PAGE_SIZE
    pager = fifth.select_one("nav.qip-pager")
    assert fold(pager.get_text(" ")) == "‹ Trang trước 1 … 3 4 5 6 7 … 9 Trang sau ›"
    assert pager.select_one("[aria-current=page]").get_text() == "5"
    assert [a["href"] for a in pager.select("a")] == ["../trang-4/", "../", "../trang-3/", "../trang-4/",
                                                      "../trang-6/", "../trang-7/", "../trang-9/", "../trang-6/"]
    last = BeautifulSoup(pages[-1].text, "html.parser")
    assert len(last.select("ul.qip-compact > li")) == 1
    assert fold(last.select_one("nav.qip-pager").get_text(" ")) == "‹ Trang trước 1 … 7 8 9"
