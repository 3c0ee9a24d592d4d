"""Embedding a page in a school's own website (issue 18): the snippet of the "Nhúng vào trang web
của trường" box, pasted into a page of another origin, in Debian's Chromium."""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import content, new_project, run_cli, write_files
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_accessibility import axe_in_both_schemes, report
from test_browser import DESKTOP, PHONE, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

PLAN = "truong/mn-thuy-tien/ke-hoach-2022-2027/"
SCHOOL_NAME = "Trường Mầm non Thủy Tiên"
SCREENS = {"phone": PHONE, "desktop": DESKTOP}


def host_page(snippet: str) -> str:
    """An article of a portal: text around the snippet, as an editor pastes it in HTML mode."""
    return ("<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'><title>Trường</title></head>"
            f"<body><h1>Kế hoạch của trường</h1><p>Bài viết.</p>{snippet}<p>Cuối bài.</p></body></html>")


def open_box(page) -> str:
    page.click(".qip-embed-box summary")
    return page.input_value(".qip-embed-box textarea")


@pytest.fixture(scope="module")
def snippet(browser, server: str) -> str:  # noqa: F811
    """The snippet as a visitor copies it from the plan page's box (filled from the page's address)."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto(server + PLAN)
    value = open_box(page)
    page.close()
    return value


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    """The school's portal: a second server, another origin (another port) than the site's."""
    root = tmp_path_factory.mktemp("portal")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def embed(tab, host, snippet: str, viewport: dict):  # noqa: F811
    """The snippet in an article of the portal; the page, once its iframe exists."""
    root, address = host
    name = f"bai-viet-{len(list(root.iterdir()))}.html"
    (root / name).write_text(host_page(snippet), encoding="utf-8")
    page = tab(viewport)
    page.goto(address + name)
    return page


def wait_for_frame(page):
    page.wait_for_function("() => document.querySelector('iframe').contentWindow && window.frames.length === 1")
    frame = next(f for f in page.frames if f != page.main_frame)
    frame.wait_for_load_state("load")
    return frame


def sizes(page, frame) -> tuple[int, int]:
    inner = frame.evaluate("document.documentElement.scrollHeight")
    outer = page.evaluate("document.querySelector('iframe').clientHeight")
    return inner, outer


def test_snippet_is_an_absolute_iframe_and_a_short_script(snippet: str, server: str) -> None:  # noqa: F811
    iframe, script = snippet.split("\n")
    assert re.fullmatch(r'<iframe src="[^"]+" title="[^"]+" width="100%" height="800" style="[^"]*" loading="lazy"></iframe>', iframe)
    assert f'src="{server}{PLAN}?nhung=1"' in iframe
    assert f'title="Kế hoạch cải tiến chất lượng giáo dục của {SCHOOL_NAME}"' in iframe
    assert script.startswith("<script>") and script.endswith("</script>") and len(script) < 400
    assert '"' + server.rstrip("/") + '"' in script  # the origin it accepts heights from
    assert "QIP_" not in snippet


@pytest.mark.parametrize("screen", SCREENS)
def test_embedded_plan_sizes_itself_in_a_foreign_page(tab, host, snippet: str, server: str, screen: str) -> None:  # noqa: F811
    page = embed(tab, host, snippet, SCREENS[screen])
    frame = wait_for_frame(page)
    assert frame.url == server + PLAN + "?nhung=1"
    assert SCHOOL_NAME in frame.locator("h1").inner_text()
    for chrome in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer", ".md-banner", ".qip-crumbs", ".qip-embed-box"):
        assert frame.locator(chrome).count() == 0 or not frame.locator(chrome).first.is_visible(), chrome
    assert frame.locator(".qip-doc").is_visible()
    # The frame grows to its content: no scroll bar inside it.
    page.wait_for_function("document.querySelector('iframe').clientHeight > 800")
    with contextlib.suppress(PlaywrightTimeout):  # the frame's window is the iframe's box
        frame.wait_for_function("document.documentElement.scrollHeight <= innerHeight + 1", timeout=10_000)
    inner, outer = sizes(page, frame)
    assert inner <= outer + 1, f"{screen}: the frame's page is {inner}px, the frame {outer}px"
    # The page's address and a link to the full site.
    link = frame.get_by_role("link", name=f"Xem trên trang kế hoạch của {SCHOOL_NAME}")
    assert link.is_visible()
    assert link.get_attribute("target") == "_blank" and link.get_attribute("rel") == "noopener"
    assert frame.evaluate("document.querySelector('.qip-embed-source a').href") == server + PLAN
    assert frame.locator(".qip-embed-address").inner_text() == server + PLAN


def test_without_its_script_the_iframe_scrolls_at_a_fixed_height(tab, host, snippet: str) -> None:  # noqa: F811
    """A portal editor that strips <script> keeps a working frame: 800 px high, scrolling inside."""
    page = embed(tab, host, snippet.split("\n")[0], DESKTOP)
    frame = wait_for_frame(page)
    frame.locator("h1").wait_for()
    inner, outer = sizes(page, frame)
    assert outer == 800 and inner > outer


def test_heights_from_another_sender_are_ignored(tab, host, snippet: str) -> None:  # noqa: F811
    page = embed(tab, host, snippet, DESKTOP)
    wait_for_frame(page)
    page.wait_for_function("document.querySelector('iframe').clientHeight > 800")
    before = page.evaluate("document.querySelector('iframe').clientHeight")
    # A height from the host page itself (its origin, not the iframe), then a marker: messages arrive
    # in order, so once the marker is read the snippet's script has read the height.
    page.evaluate("""() => new Promise(resolve => {
      addEventListener("message", e => { if (e.data === "lu") resolve(); });
      postMessage({type: "qip-height", height: 40}, "*");
      postMessage("lu", "*");
    })""")
    assert page.evaluate("document.querySelector('iframe').clientHeight") == before


@pytest.mark.parametrize(("color_scheme", "query", "scheme"), [
    ("dark", "", "slate"), ("light", "", "default"), ("light", "&giao-dien=toi", "slate"), ("dark", "&giao-dien=sang", "default"),
])
def test_embed_view_follows_the_host_scheme(tab, server: str, color_scheme: str, query: str, scheme: str) -> None:  # noqa: F811
    page = tab(DESKTOP, color_scheme=color_scheme)
    page.goto(server + PLAN + "?nhung=1" + query)
    page.wait_for_load_state("load")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme


def test_full_page_keeps_its_chrome_and_hides_the_embed_link(tab, server: str) -> None:  # noqa: F811
    page = tab(DESKTOP)
    page.goto(server + PLAN)
    assert page.locator(".md-header").is_visible()
    assert not page.locator(".qip-embed-source").is_visible()
    assert not page.locator(".qip-embed-box textarea").is_visible()  # collapsed until opened
    page.emulate_media(media="print")
    assert not page.locator(".qip-embed-box").is_visible()


def test_copy_button_puts_the_snippet_on_the_clipboard(browser, server: str) -> None:  # noqa: F811
    context = browser.new_context(viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    page = context.new_page()
    page.goto(server + PLAN)
    value = open_box(page)
    page.get_by_role("button", name="Sao chép").click()
    page.wait_for_function("document.querySelector('.qip-embed-status').textContent === 'Đã chép'")
    assert page.evaluate("navigator.clipboard.readText()") == value
    assert page.evaluate("document.activeElement.selectionEnd - document.activeElement.selectionStart") == len(value)
    assert page.locator(".qip-embed-status").get_attribute("aria-live") == "polite"
    context.close()


@pytest.mark.parametrize("path", ["truong/mn-thuy-tien/", "truong/mn-thuy-tien/2024-2025/", PLAN])
def test_axe_finds_no_violation_in_the_open_box(tab, server: str, axe_script: str, path: str) -> None:  # noqa: F811
    """The open box in the light scheme, then in the dark one (the page loaded once)."""
    page = tab(PHONE)
    page.goto(server + path)
    open_box(page)
    found = axe_in_both_schemes(page, axe_script, within=".qip-embed-box")
    assert page.evaluate("document.querySelector('.qip-embed-box').open")
    for scheme, violations in found.items():
        assert not violations, report(f"{path} ({scheme})", violations)


def test_snippet_with_a_site_url_and_a_name_that_looks_like_markup(tmp_path: Path) -> None:
    """With site_url the snippet is written at build time, absolute; the school's name is escaped for
    the `title` attribute inside the snippet, and the snippet again as the textarea's text."""
    root = new_project(tmp_path / "du-an")
    name = 'Trường Tiểu học "Hòa Bình" <b>&amp;</b>'
    write_files(root, {
        "plans/th-hoa-binh/school.yml": f"name: '{name}'\nlevel: primary\n",
        "plans/th-hoa-binh/2024-2025.yml": _plan(),
    })
    config = (root / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "site_url: !ENV [QIP_SITE_URL, null]", "site_url: https://kehoach.example.edu.vn/pgd/")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = run_cli("build", cwd=root)
    assert result.returncode == 0, result.stderr
    for url in ("truong/th-hoa-binh/", "truong/th-hoa-binh/2024-2025/", "truong/th-hoa-binh/ke-hoach-2024-2025/"):
        page = content(root / "site" / url / "index.html")
        snippet = page.select_one(".qip-embed-box textarea").get_text()
        assert f'src="https://kehoach.example.edu.vn/pgd/{url}?nhung=1"' in snippet
        iframes = BeautifulSoup(snippet, "html.parser").find_all("iframe")  # as the portal reads it
        assert [f["title"] for f in iframes] == [f"Kế hoạch cải tiến chất lượng giáo dục của {name}"]
        assert 'e.origin!=="https://kehoach.example.edu.vn"' in snippet
        assert not page.select_one(".qip-embed-box textarea").has_attr("data-qip-fill")
        source = page.select_one(".qip-embed-source")
        assert source.a["href"] == f"https://kehoach.example.edu.vn/pgd/{url}"
        assert source.get_text(" ", strip=True) == f"Xem trên trang kế hoạch của {name} https://kehoach.example.edu.vn/pgd/{url}"
        assert not page.select("b")  # the name is text everywhere


def _plan() -> str:
    from test_disclosure import plan_text

    return plan_text()
