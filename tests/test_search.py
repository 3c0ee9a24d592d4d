"""Search as parents use it: Debian's Chromium types queries in the header's search box.

The index and the box are built from this repository's plans (the seed site). Each query of the
table must bring the expected school or page into the first three results, with or without
diacritics, in any letter case, đ/Đ included.
"""

from __future__ import annotations

import pytest
from test_browser import PHONE, browser, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

QUERIES = [
    # school names, accented or not, any case
    ("le dinh chinh", "truong/th-le-dinh-chinh/"),
    ("Lê Đình Chinh", "truong/th-le-dinh-chinh/"),
    ("LE DINH CHINH", "truong/th-le-dinh-chinh/"),
    ("LÊ ĐÌNH CHINH", "truong/th-le-dinh-chinh/"),
    ("mam non thuy tien", "truong/mn-thuy-tien/"),
    ("Mầm non Thủy Tiên", "truong/mn-thuy-tien/"),
    ("hoa mi", "truong/mn-hoa-mi/"),
    ("HỌA MI", "truong/mn-hoa-mi/"),
    ("mam non 1", "truong/mn-1-quan-5/"),
    # places, as documents write them and today's
    ("binh chanh", "truong/mn-thuy-tien/"),
    ("Điện Biên", "truong/mn-hoa-mi/"),
    ("quan 10", "truong/th-le-dinh-chinh/"),
    # plan content and criterion titles
    ("doi ngu giao vien", "truong/mn-hoa-mi/ke-hoach-2024-2025/#dong-2"),
    ("đội ngũ giáo viên", "truong/mn-hoa-mi/ke-hoach-2024-2025/#dong-2"),
    ("ĐỘI NGŨ", "truong/mn-hoa-mi/"),
    ("co so vat chat", "truong/mn-hoa-mi/"),
    ("cơ sở vật chất", "truong/mn-hoa-mi/"),
    ("an ninh trat tu", "truong/mn-thuy-tien/ke-hoach-2022-2027/#tieu-chi-1-10"),
    ("Hội đồng trường", "truong/mn-thuy-tien/ke-hoach-2022-2027/#tieu-chi-1-2"),
    ("phong ve sinh", "truong/th-le-dinh-chinh/ke-hoach-2023-2024/#tieu-chi-3-4"),
    ("ngai ngu", "truong/truong-trung-hoc-chua-ro-ten/ke-hoach-2024-2029/#tieu-chi-2-1"),
    ("thiet bi do dung do choi", "truong/mn-1-quan-5/"),
    # signers
    ("luu thuan phong", "truong/th-le-dinh-chinh/ke-hoach-2023-2024/"),
    ("Huỳnh Thị Tường Anh", "truong/mn-1-quan-5/ke-hoach-2023-2024/"),
    ("hoang thi viet huong", "truong/truong-trung-hoc-chua-ro-ten/ke-hoach-2024-2029/"),
    ("NGUYỄN THỊ HẰNG", "truong/mn-hoa-mi/ke-hoach-2024-2025/"),
    # money
    ("300.000.000", "truong/truong-trung-hoc-chua-ro-ten/ke-hoach-2024-2029/#tieu-chi-3-2"),
    ("75.000.000 đ", "truong/truong-trung-hoc-chua-ro-ten/ke-hoach-2024-2029/#tieu-chi-4-2"),
    ("7.000.000", "truong/mn-1-quan-5/"),
    ("3 trieu", "truong/th-le-dinh-chinh/ke-hoach-2023-2024/#tieu-chi-1-7"),
    ("kinh phi du an quan", "truong/th-le-dinh-chinh/"),
    ("150 triệu", "truong/th-le-dinh-chinh/ke-hoach-2023-2024/#tieu-chi-5-3"),
]


def open_search(page, url: str) -> None:
    page.goto(url)
    page.keyboard.press("/")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'qip-search-input'")


def results(page) -> list[dict]:
    page.wait_for_function(
        "(() => { const s = document.querySelector('[data-qip-status]').textContent;"
        " return s.includes('Không tìm thấy') || document.querySelectorAll('.qip-search__item').length > 0; })()"
    )
    page.wait_for_load_state("networkidle")
    return page.eval_on_selector_all(
        ".qip-search__item a",
        "links => links.map(a => ({href: a.getAttribute('href'), text: a.innerText,"
        " marks: [...a.querySelectorAll('mark')].map(m => m.textContent)}))",
    )


def search(page, query: str) -> list[dict]:
    page.fill("#qip-search-input", "")
    page.wait_for_function("document.querySelectorAll('.qip-search__item').length === 0")
    page.keyboard.type(query)
    return results(page)


def test_query_table(browser, server: str) -> None:  # noqa: F811
    page = browser.new_page(viewport=PHONE)
    open_search(page, server)
    failures = []
    for query, expected in QUERIES:
        found = search(page, query)
        top = [r["href"] for r in found[:3]]
        if not any(href.lstrip("/").startswith(expected) for href in top):
            failures.append(f"{query!r}: expected {expected} in top 3, got {top}")
    page.close()
    assert len(QUERIES) >= 25
    assert not failures, "\n".join(failures)


def test_results_show_school_year_and_real_text(browser, server: str) -> None:  # noqa: F811
    page = browser.new_page(viewport=PHONE)
    open_search(page, server)
    found = search(page, "ngai ngu")
    first = found[0]
    # Which school and which years, then the row and a snippet of the document's own words.
    assert first["text"].startswith("Trường trung học (tên không ghi trong văn bản)")
    assert "Kế hoạch 2024-2025 đến 2028-2029" in first["text"]
    assert "Nâng cao trình độ ngại ngữ cho BGH" in first["text"]
    assert first["marks"] == ["ngại ngữ"]
    found = search(page, "le dinh chinh")
    assert any(mark == "Lê Đình Chinh" for r in found for mark in r["marks"])
    # The whole query highlighted where it stands together.
    found = search(page, "co so vat chat")
    assert "Cơ sở vật chất" in [m for r in found for m in r["marks"]]
    page.close()


def test_filters_narrow_results(browser, server: str) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server)
    page.click("#qip-search-input")
    page.keyboard.type("co so vat chat")
    everything = results(page)
    page.click(".qip-search__filters summary")
    page.wait_for_selector("select[name='Cấp học']")
    page.select_option("select[name='Cấp học']", "Mầm non")
    page.select_option("select[name='Năm học']", "2024-2025")
    page.wait_for_function(f"document.querySelectorAll('.qip-search__item').length < {len(everything)}")
    narrowed = results(page)
    assert narrowed and len(narrowed) < len(everything)
    for result in narrowed:
        assert "Mầm non" in result["text"]
        # With a school year chosen, plan results open that year's page of the school.
        assert "/2024-2025/" in result["href"] or result["href"].endswith("/ke-hoach-2024-2025/") or \
            "/ke-hoach-2024-2025/#" in result["href"], result["href"]
    schools = {r["href"].split("/")[2] for r in narrowed}
    assert schools <= {"mn-thuy-tien", "mn-hoa-mi"}
    page.select_option("select[name='Tiêu chuẩn']", "Tiêu chuẩn 3")
    page.wait_for_timeout(300)
    by_standard = results(page)
    assert by_standard
    assert all("Tiêu chuẩn 3" in r["text"] for r in by_standard)
    districts = page.eval_on_selector_all("select[name='Địa danh trong văn bản'] option", "o => o.map(x => x.value)")
    assert "Huyện Bình Chánh" in districts and "Quận 10" in districts
    page.close()


def test_search_on_a_phone(browser, server: str) -> None:  # noqa: F811
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(server + "truong/mn-thuy-tien/")
    page.tap("label.md-header__button[for=__search]")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'qip-search-input'")
    assert page.get_attribute("#qip-search-input", "placeholder") == "Tìm trường, nội dung… (có dấu hay không dấu đều được)"
    page.keyboard.type("mam non thuy tien")
    found = results(page)
    assert found
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    box = page.locator(".qip-search__item").first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.locator("[data-qip-status]").inner_text().startswith("Tìm thấy")
    page.close()


def test_search_with_the_keyboard(browser, server: str) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "nam-hoc/")
    page.keyboard.press("/")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'qip-search-input'")
    page.keyboard.type("hoang thi viet huong")
    found = results(page)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')") == found[0]["href"]
    page.keyboard.press("Enter")
    page.wait_for_url("**/truong/truong-trung-hoc-chua-ro-ten/ke-hoach-2024-2029/**")
    # Escape closes the search box again.
    page.keyboard.press("/")
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    page.close()


def test_hostile_query_injects_nothing(browser, server: str) -> None:  # noqa: F811
    page = browser.new_page(viewport=PHONE)
    open_search(page, server)
    found = search(page, "<img src=x onerror=alert(1)> hoa mi")
    assert page.locator(".md-search img").count() == 0
    assert found == [] or all("<img" not in r["text"] for r in found)
    page.close()
