"""What a real browser shows: Debian's Chromium driven by Playwright, phone-sized and desktop."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from qip_site.outputs.pdf import QuietHandler as Quiet  # noqa: F401  (the tests' static host)
from qip_site.outputs.pdf import served

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
PAGES = [
    "",
    "truong/",
    "truong/mn-thuy-tien/",
    "truong/mn-thuy-tien/2024-2025/",
    "truong/mn-thuy-tien/ke-hoach-2022-2027/",
    "truong/th-le-dinh-chinh/ke-hoach-2023-2024/",
    "truong/truong-trung-hoc-chua-ro-ten/ke-hoach-2024-2029/",
    "truong/mn-1-quan-5/ke-hoach-2023-2024/",
    "truong/mn-hoa-mi/ke-hoach-2024-2025/",
    "nam-hoc/2024-2025/",
    "tieu-chi/tt19-2018/",
    "tieu-chi/tt19-2018/1-3/",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(seed_site: Path) -> Iterator[str]:
    with served(seed_site) as address:
        yield address


@pytest.fixture(scope="module")
def phone(browser) -> Iterator:
    """One phone tab that every page loads in (a load in an open tab costs a third of a new tab's)."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_phone_needs_no_sideways_scrolling(phone, server: str, path: str, tmp_path: Path) -> None:
    page = phone
    page.goto(server + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('.md-content *')]
             .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
             .map(e => e.tagName + '.' + e.className).slice(0, 5)"""
    )
    if os.environ.get("QIP_SCREENSHOTS"):
        page.screenshot(path=str(Path(os.environ["QIP_SCREENSHOTS"]) / (path.strip("/").replace("/", "_") or "home")) + ".png", full_page=True)
    assert overflow <= 0, f"{path}: {overflow}px wider than the screen; too wide: {wide}"
    assert not wide, f"{path}: elements past the right edge: {wide}"


def test_plan_table_is_cards_on_phone_and_a_table_on_desktop(tab, server: str) -> None:
    url = server + "truong/th-le-dinh-chinh/ke-hoach-2023-2024/"
    phone = tab(PHONE)
    phone.goto(url)
    row = phone.locator("tr#tieu-chi-1-5")
    assert row.evaluate("e => getComputedStyle(e).display") == "block"
    # Each card labels its values with the document's own column headings.
    label = row.locator("td.qip-cell-budget").evaluate("e => getComputedStyle(e, '::before').content")
    assert label == '"Dự kiến kinh phí"'
    assert phone.locator("table.qip-table thead").evaluate("e => e.getBoundingClientRect().height") <= 1
    # Empty cells are left out of the card.
    assert row.locator("td.qip-cell-note").is_hidden()
    phone.close()
    desktop = tab(DESKTOP)
    desktop.goto(url)
    assert desktop.locator("tr#tieu-chi-1-5 td.qip-cell-budget").evaluate("e => getComputedStyle(e).display") == "table-cell"
    assert desktop.locator("table.qip-table thead th").first.is_visible()
    desktop.close()


def test_language_and_title(tab, server: str) -> None:
    page = tab(PHONE)
    page.goto(server + "truong/mn-thuy-tien/2024-2025/")
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert page.title().startswith("Trường Mầm non Thủy Tiên – Năm học 2024-2025")
    assert page.locator("h1").inner_text() == "Trường Mầm non Thủy Tiên: năm học 2024-2025"


def test_a_lent_tab_comes_back_as_a_new_tab_opens(open_tabs, seed_site: Path) -> None:
    """A tab given back (conftest.Tabs, behind the `tab` fixture) is the next one lent for its screen, and
    the pages it loads start as in a new tab: no storage, no cookie, nothing hovered, the colour scheme asked
    for, and every stylesheet and script asked of the server again (a file changed at its address is seen)."""
    asked: list[str] = []

    class Counted(Quiet):
        def do_GET(self) -> None:
            asked.append(self.path)
            super().do_GET()

    with served(seed_site, Counted) as server:
        page = open_tabs.lend(DESKTOP, color_scheme="dark")
        page.goto(server + "truong/")
        page.evaluate("() => { localStorage.setItem('qip', '1'); sessionStorage.setItem('qip', '1');"
                      " document.cookie = 'qip=1; path=/'; }")
        page.hover("h1")
        assert page.evaluate("document.querySelectorAll('h1:hover').length") == 1
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        first = [path for path in asked if path.endswith((".css", ".js"))]
        open_tabs.give_back(page)
        again = open_tabs.lend(DESKTOP)
        assert again is page and again.url == "about:blank"
        asked.clear()
        again.goto(server + "truong/")
        again.wait_for_load_state("load")
        assert again.evaluate("[localStorage.getItem('qip'), sessionStorage.getItem('qip'), document.cookie]") == [
            None, None, ""]
        assert again.evaluate("document.querySelectorAll(':hover').length") == 0
        assert again.evaluate("matchMedia('(prefers-color-scheme: light)').matches")
        # Every stylesheet and script was asked of the server again, none taken from the cache unasked.
        assert first and sorted(path for path in asked if path.endswith((".css", ".js"))) == sorted(first)
        open_tabs.give_back(again)
