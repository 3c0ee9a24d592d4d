"""Schools side by side (so-sanh/?truong=a,b&nam=…), drawn in Chromium from the small per-school files:
columns on a desktop, stacked cards on a 360 px phone, standards that open onto their rows, a shareable
address, and the same figures as the school-year pages."""

from __future__ import annotations

import json

import pytest
from conftest import REPO, fold
from test_browser import DESKTOP, PHONE, server  # noqa: F401  (fixtures)

from qip_site.domain.summary import school_year_summary, year_standards
from qip_site.domain.years import SchoolYear
from qip_site.reading.validate import load_site

pytestmark = pytest.mark.browser
PAIR = "so-sanh/?truong=mn-thuy-tien,truong-trung-hoc-chua-ro-ten&nam=2024-2025"


def _cards(page) -> list:
    page.wait_for_selector(".qip-compare-card")
    return page.locator(".qip-compare-card").all()


def test_two_schools_side_by_side_on_a_desktop(tab, server: str) -> None:  # noqa: F811
    site, _ = load_site(REPO / "plans", REPO)
    schools = {s.slug: s for s in site.schools}
    year = SchoolYear(2024)
    page = tab(DESKTOP)
    page.goto(server + PAIR)
    cards = _cards(page)
    assert len(cards) == 2
    first, second = (c.bounding_box() for c in cards)
    assert abs(first["y"] - second["y"]) < 1 and second["x"] >= first["x"] + first["width"]  # columns
    for card, slug in zip(cards, ("mn-thuy-tien", "truong-trung-hoc-chua-ro-ten")):
        school = schools[slug]
        assert fold(card.locator("h2").inner_text()) == school.name
        assert fold(card.locator(".qip-summary").inner_text()) == school_year_summary(school, year)
        shown = [fold(s) for s in card.locator("details.qip-compare-standard > summary").all_inner_texts()]
        expected = []
        for view in year_standards(school, year):
            money = f"{view.vnd:,} đ".replace(",", ".") if view.vnd else "không ghi kinh phí bằng số"
            expected.append(f"{view.label}: {len(view.entries)} việc · {money} · "
                            f"{view.results.done}/{len(view.entries)} đã thực hiện")
        assert shown == expected
    # A standard opens onto its rows, each linking to its row on the plan page.
    standard = cards[0].locator("details[data-standard='1']")
    assert not standard.locator("ul").is_visible()
    standard.locator("summary").click()
    rows = standard.locator("ul > li")
    assert rows.count() == len(year_standards(schools["mn-thuy-tien"], year)[0].entries) == 10
    href = rows.first.locator("a").get_attribute("href")
    assert href.startswith("../truong/mn-thuy-tien/ke-hoach-2022-2027/#")
    assert "Kết quả: chưa ghi kết quả" in fold(rows.first.inner_text())


def test_a_school_page_starts_a_comparison_with_that_school(tab, server: str) -> None:  # noqa: F811
    page = tab(PHONE, touch=True)
    page.goto(server + "truong/th-le-dinh-chinh/")
    page.get_by_role("link", name="So sánh trường này với trường khác").click()
    cards = _cards(page)
    assert len(cards) == 1 and fold(cards[0].locator("h2").inner_text()) == "Trường Tiểu học Lê Đình Chinh"
    assert "truong=th-le-dinh-chinh" in page.url and "nam=2023-2024" in page.url


def test_stacked_cards_on_a_phone_and_a_school_added_to_the_address(tab, server: str) -> None:  # noqa: F811
    page = tab(PHONE, touch=True)
    page.goto(server + PAIR)
    cards = _cards(page)
    first, second = (c.bounding_box() for c in cards)
    assert second["y"] >= first["y"] + first["height"]  # one under the other
    assert first["width"] <= PHONE["width"] and page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Adding a school: the address now names three, so it can be shared; this one has no plan that year.
    index = json.loads(page.evaluate("fetch('truong.json').then(r => r.text())"))
    third = next(s for s in index if s["slug"] == "th-le-dinh-chinh")
    page.fill("#qip-compare-add", f"{third['name']} — {third['place']} (th-le-dinh-chinh)")
    page.click("#qip-compare-form button[type=submit]")
    page.wait_for_function("document.querySelectorAll('.qip-compare-card').length === 3")
    assert page.url.endswith("so-sanh/?truong=mn-thuy-tien,truong-trung-hoc-chua-ro-ten,th-le-dinh-chinh&nam=2024-2025")
    assert fold(page.locator(".qip-compare-card").nth(2).inner_text()).endswith(
        "Không có kế hoạch áp dụng cho năm học 2024-2025.")
    # Another school year redraws the cards from that year's files.
    page.select_option("#qip-compare-year", "2023-2024")
    page.wait_for_function("location.search.endsWith('nam=2023-2024')")
    page.wait_for_function("!document.querySelector('.qip-compare-card:nth-child(3) .qip-unknown')")
    assert "Năm học 2023-2024, trường cam kết 11 việc" in page.locator(".qip-compare-card").nth(2).inner_text()


def test_a_shared_address_with_unknown_or_too_many_schools_says_so(tab, server: str) -> None:  # noqa: F811
    page = tab(DESKTOP)
    page.goto(server + "so-sanh/?truong=mn-1-quan-5,khong-co,mn-hoa-mi,mn-thuy-tien,th-le-dinh-chinh,"
                       "truong-trung-hoc-chua-ro-ten&nam=2024-2025")
    assert len(_cards(page)) == 4
    status = fold(page.locator("#qip-compare-status").inner_text())
    assert "Không có trường \"khong-co\" trên trang này." in status
    assert "Chỉ so sánh được tối đa 4 trường; các trường sau bị bỏ: truong-trung-hoc-chua-ro-ten." in status
    assert page.locator("#qip-compare-add").is_disabled()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.parametrize("path", [PAIR, "nam-hoc/2024-2025/cong-khai/"])
def test_axe_finds_no_violation_on_the_comparison_and_district_pages(tab, server: str, axe_script: str,  # noqa: F811
                                                                     path: str, screen: str) -> None:
    from test_accessibility import SCREENS, axe_in_both_schemes, open_page, report

    page = open_page(tab(SCREENS[screen]), server + path, "light")
    if path == PAIR:
        _cards(page)
        page.locator("details[data-standard='3'] summary").first.click()
    found = axe_in_both_schemes(page, axe_script)
    for scheme, violations in found.items():
        assert not violations, report(f"{path} ({screen}, {scheme})", violations)
