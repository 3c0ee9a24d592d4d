"""Search as parents use it: Debian's Chromium types queries in the header's search box.

The index and the box are built from this repository's plans (the seed site). Each query of the
table (tests/cases/search/queries.yml) must bring one of its expected pages or rows into the first
three results: with or without diacritics, in any letter case, with synonyms, abbreviations, Telex
and VNI leftovers, a letter wrong, amounts and dates written another way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO, new_project, run_cli
from test_browser import DESKTOP, PHONE, served, server  # noqa: F401  (fixtures)
from test_search_terms import rows_files_hold_every_plan

pytestmark = pytest.mark.browser

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "search" / "queries.yml").read_text(encoding="utf-8"))


def open_search(page, url: str) -> None:
    page.goto(url)
    page.keyboard.press("/")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'qip-search-input'")


# The box shows an answer: results listed, or its status says there are none ("Không …").
SHOWS_ANSWER = ("(document.querySelector('[data-qip-status]').textContent.includes('Không')"
                " || document.querySelectorAll('.qip-search__item').length > 0)")


def results(page, query: str | None = None) -> list[dict]:
    """The results on screen once they answer `query`: the box sets data-query once the first
    screen of results, rows included, is on the page. Without a query: once the network is idle."""
    if query is not None:
        page.wait_for_function("q => document.querySelector('[data-qip-list]').dataset.query === q", arg=query)
    page.wait_for_function(SHOWS_ANSWER)
    if query is None:
        page.wait_for_load_state("networkidle")
    return page.eval_on_selector_all(
        ".qip-search__item a",
        "links => links.map(a => ({href: a.getAttribute('href'), text: a.innerText,"
        " marks: [...a.querySelectorAll('mark')].map(m => m.textContent)}))",
    )


def search(page, query: str, typed: bool = True) -> list[dict]:
    """The results of `query`, typed key by key as a parent does, or pasted whole (`typed=False`:
    one search instead of one per key, where only the answer matters)."""
    page.fill("#qip-search-input", "")
    page.wait_for_function("document.querySelector('[data-qip-list]').dataset.query === ''")
    if typed:
        page.keyboard.type(query)
    else:
        page.fill("#qip-search-input", query)
    return results(page, query)


def status(page) -> str:
    return page.locator("[data-qip-status]").inner_text()


CHUNK = 120  # queries per test: the table runs in parts that the test workers share
TABS = 6  # a part's queries are shared by tabs of one browser: their 180 ms pauses overlap

# One tab's queries, pasted one after another into its search box (the box's own input event, as a
# paste sends), each answer read off the screen as `results` reads it: the links of the results
# list once it says it answers that query (data-query) and shows results or says there are none.
RUN_QUERIES = """async (queries) => {
  const input = document.getElementById("qip-search-input");
  const list = document.querySelector("[data-qip-list]");
  const shown = (q) => list.dataset.query === q && """ + SHOWS_ANSWER + """;
  // Waits until ready() holds; false after 20 s (a query the box never answers is a failure, not a hang).
  const until = (ready) => new Promise((done) => {
    const end = performance.now() + 20000;
    const look = () => (ready() ? done(true) : performance.now() > end ? done(false) : setTimeout(look, 5));
    look();
  });
  const paste = (q) => { input.value = q; input.dispatchEvent(new Event("input", {bubbles: true})); };
  const answers = [];
  for (const q of queries) {
    if (input.value === q) { paste(""); await until(() => list.dataset.query === ""); }
    paste(q);
    answers.push(await until(() => shown(q))
      ? [...document.querySelectorAll(".qip-search__item a")].map((a) => a.getAttribute("href")) : null);
  }
  return answers;
}"""


def test_query_table_has_every_class() -> None:
    assert len(CASES) >= 100
    # Every class of the issue is there, each with several queries.
    for name in ("từ đồng nghĩa", "viết tắt", "gõ sai", "số tiền và ngày tháng", "từ ngắn và thứ hạng"):
        assert sum(case["class"] == name for case in CASES) >= 8, name


@pytest.fixture(scope="module")
def query_tabs(browser, server: str) -> Iterator[list]:  # noqa: F811
    """TABS phone tabs with the search box open, kept open for every part of the query table (a new
    tab costs Chromium three times what a query does)."""
    context = browser.new_context(viewport=PHONE)
    tabs = [context.new_page() for _ in range(TABS)]
    for page in tabs:
        open_search(page, server)
    yield tabs
    context.close()


@pytest.mark.parametrize("start", range(0, len(CASES), CHUNK), ids=lambda start: f"queries-{start + 1}")
def test_query_table(query_tabs: list, capsys, start: int) -> None:
    """Each query of the table brings one of its expected pages or rows into the first three
    results; the top-1 and top-3 counts of the part are printed per class. Each tab pastes its
    share of the part into its search box, one query after another, all tabs at once."""
    part = CASES[start:start + CHUNK]
    shares = [part[n::TABS] for n in range(TABS)]
    for page, share in zip(query_tabs, shares, strict=True):  # started in every tab, then awaited
        page.evaluate(f"queries => {{ window.qipAnswers = ({RUN_QUERIES})(queries); }}", [str(case["q"]) for case in share])
    answers: list = [None] * len(part)  # each query's links, in the table's order (None: no answer in 20 s)
    for n, page in enumerate(query_tabs):
        answers[n::TABS] = page.evaluate("window.qipAnswers")  # raises unless one answer per query of the share
    failures = []
    ranks: dict[str, list[int]] = {}
    for case, links in zip(part, answers, strict=True):
        query = str(case["q"])
        expected = case["expect"] if isinstance(case["expect"], list) else [case["expect"]]
        top = [href.lstrip("/") for href in (links or [])[:3]]
        rank = next((i + 1 for i, href in enumerate(top) if any(href.startswith(e) for e in expected)), 0)
        ranks.setdefault(case["class"], []).append(rank)
        if links is None:
            failures.append(f"{query!r}: the search box showed no answer in 20 s")
        elif not rank:
            failures.append(f"{query!r}: expected one of {expected} in top 3, got {top}")
    with capsys.disabled():
        print(f"\n| queries {start + 1}– | class | queries | top 1 | top 3 |\n|---|---|---:|---:|---:|")
        for name, got in ranks.items():
            print(f"| | {name} | {len(got)} | {sum(r == 1 for r in got)} | {sum(r > 0 for r in got)} |")
    assert len(sum(ranks.values(), [])) == len(part)
    assert not failures, "\n".join(failures)


def test_results_show_school_year_and_real_text(tab, server: str) -> None:  # noqa: F811
    page = tab(PHONE)
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


def test_filters_narrow_results(tab, server: str) -> None:  # noqa: F811
    page = tab({"width": 1280, "height": 900})
    page.goto(server)
    page.click("#qip-search-input")
    page.keyboard.type("co so vat chat")
    everything = results(page)
    page.click(".qip-search__filters summary")
    page.wait_for_selector("select[name='Cấp học']")
    page.select_option("select[name='Cấp học']", "Mầm non")
    # Choosing a filter closes the panel: the results are what the parent wants to see next.
    assert not page.evaluate("document.querySelector('.qip-search__filters').open")
    page.click(".qip-search__filters summary")
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
    page.click(".qip-search__filters summary")
    page.select_option("select[name='Tiêu chuẩn']", "Tiêu chuẩn 3")
    page.wait_for_timeout(300)
    by_standard = results(page)
    assert by_standard
    assert all("Tiêu chuẩn 3" in r["text"] for r in by_standard)
    page.click(".qip-search__filters summary")
    districts = page.eval_on_selector_all("select[name='Địa danh trong văn bản'] option", "o => o.map(x => x.value)")
    assert "Huyện Bình Chánh" in districts and "Quận 10" in districts


def test_search_on_a_phone(tab, server: str) -> None:  # noqa: F811
    page = tab(PHONE, touch=True)
    page.goto(server + "truong/mn-thuy-tien/")
    page.tap("label.md-header__button[for=__search]")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'qip-search-input'")
    assert page.get_attribute("#qip-search-input", "placeholder") == "Tìm trường, nội dung…"
    page.keyboard.type("mam non thuy tien")
    found = results(page)
    assert found
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    box = page.locator(".qip-search__item").first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.locator("[data-qip-status]").inner_text().startswith("Tìm thấy")


def test_search_with_the_keyboard(tab, server: str) -> None:  # noqa: F811
    page = tab({"width": 1280, "height": 900})
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


def test_hostile_query_injects_nothing(tab, server: str) -> None:  # noqa: F811
    page = tab(PHONE)
    open_search(page, server)
    found = search(page, "<img src=x onerror=alert(1)> hoa mi")
    assert page.locator(".md-search img").count() == 0
    assert found == [] or all("<img" not in r["text"] for r in found)
    # A query with no letter or digit finds nothing, and says why (not every page of the site).
    for wordless in ("((((", "\u200b", ".* $&"):
        assert search(page, wordless, typed=False) == [], wordless
        assert status(page).startswith("Không có chữ hay số nào để tìm. Gõ tên trường"), (wordless, status(page))


def test_hint_is_readable_on_a_phone(tab, server: str) -> None:  # noqa: F811
    page = tab(PHONE, touch=True)
    page.goto(server)
    page.tap("label.md-header__button[for=__search]")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'qip-search-input'")
    page.evaluate("Promise.all(document.getAnimations().map(a => a.finished))")  # the dialog has slid in
    # The placeholder fits in the box, whole.
    room = page.evaluate("""() => {
        const input = document.getElementById('qip-search-input');
        const style = getComputedStyle(input);
        const context = document.createElement('canvas').getContext('2d');
        context.font = style.font;
        const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return room - context.measureText(input.placeholder).width;
    }""")
    assert room >= 0, f"the placeholder is {-room:.0f}px too wide"
    # The hint says that accents, abbreviations and a wrong letter are fine, and is seen whole.
    hint = page.locator("[data-qip-status]")
    assert "Có dấu hay không dấu, viết tắt hay gõ sai một chữ đều được." in hint.inner_text()
    box = hint.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["y"] + box["height"] <= PHONE["height"]
    assert page.evaluate("(e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight + 1)"
                         "(document.querySelector('[data-qip-status]'))")


def small_targets(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll(
            '.qip-search label.md-search__icon, .qip-search button, .qip-search summary, .qip-search select,'
            + ' .qip-search__item a, .qip-search__chip')]
        .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
        .map(e => [e, e.getBoundingClientRect()])
        .filter(([e, r]) => r.width > 0 && (r.width < 44 || r.height < 44))
        .map(([e, r]) => `${e.tagName}.${e.className} ${Math.round(r.width)}x${Math.round(r.height)}`)""")


def test_phone_filters_are_chips_and_targets_are_big(tab, server: str) -> None:  # noqa: F811
    page = tab(PHONE, touch=True)
    page.goto(server)
    page.tap("label.md-header__button[for=__search]")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'qip-search-input'")
    page.keyboard.type("co so vat chat")
    everything = results(page, "co so vat chat")
    assert page.locator(".qip-search__chip").count() == 0
    page.tap(".qip-search__filters summary")
    page.wait_for_selector("select[name='Cấp học']")
    assert small_targets(page) == []
    page.select_option("select[name='Cấp học']", "Mầm non")
    # The panel closes; the filter stays in sight as a chip above the results.
    page.wait_for_function("!document.querySelector('.qip-search__filters').open")
    chip = page.locator(".qip-search__chip")
    assert chip.count() == 1
    assert chip.inner_text().startswith("Cấp học: Mầm non")
    page.wait_for_function(f"document.querySelectorAll('.qip-search__item').length < {len(everything)}")
    narrowed = results(page)
    assert narrowed and all("Mầm non" in r["text"] for r in narrowed)
    assert chip.bounding_box()["y"] + chip.bounding_box()["height"] <= page.locator(".qip-search__item").first.bounding_box()["y"]
    # The first result is near the top, not pushed down by the panel.
    assert page.locator(".qip-search__item").first.bounding_box()["y"] < 250
    assert small_targets(page) == []
    # Tapping the chip removes the filter.
    chip.tap()
    page.wait_for_function(f"document.querySelectorAll('.qip-search__item').length === {len(everything)}")
    assert page.locator(".qip-search__chip").count() == 0
    assert page.eval_on_selector("select[name='Cấp học']", "s => s.value") == ""


def test_more_results_load_as_the_parent_scrolls(tab, server: str) -> None:  # noqa: F811
    # A small phone: the seed site's ten records fill more than one screen.
    page = tab({"width": 360, "height": 480}, touch=True)
    open_search(page, server)
    search(page, "truong")
    total = int(re.search(r"Tìm thấy (\d+) kết quả", status(page)).group(1))
    first = page.locator(".qip-search__item").count()
    assert 0 < first < total
    assert page.locator("[data-qip-more], .qip-search__more").count() == 0  # no button to tap
    for _ in range(10):
        page.eval_on_selector(".md-search__scrollwrap", "e => e.scrollTo(0, e.scrollHeight)")
        page.wait_for_timeout(300)
    page.wait_for_function(f"document.querySelectorAll('.qip-search__item').length >= {total}")


def test_count_is_of_results_with_all_the_words(tab, server: str) -> None:  # noqa: F811
    page = tab(PHONE)
    open_search(page, server)
    plans = 5
    # Short, common words: only the rows about toilets count, not every plan with "nhà", "vệ", "sinh".
    search(page, "nha ve sinh")
    counted = int(re.search(r"Tìm thấy (\d+) kết quả", status(page)).group(1))
    assert 0 < counted < plans
    # Results with some of the words come after, said apart.
    found = search(page, "le dinh chinh")
    said = re.fullmatch(r"Tìm thấy (\d+) kết quả và (\d+) kết quả gần đúng", status(page))
    assert said, status(page)
    assert page.locator(".qip-search__approx").count() == (1 if len(found) > int(said.group(1)) else 0)
    assert found[0]["href"].lstrip("/") == "truong/th-le-dinh-chinh/"
    # "dinh" is everywhere (Đình, định, đinh): it does not bring Lê Đình Chinh to an unrelated query.
    found = search(page, "dinh duong cho tre")
    assert found[0]["href"].endswith("/mn-thuy-tien/ke-hoach-2022-2027/#tieu-chi-5-3")  # "dinh dưỡng" for children
    assert all("th-le-dinh-chinh" not in r["href"] for r in found[:3])


def test_only_words_the_plan_says_are_highlighted(tab, server: str) -> None:  # noqa: F811
    page = tab(PHONE)
    open_search(page, server)
    # No plan says "bán trú": the school that has "nhà ăn, phòng ngủ" comes first, with those words marked.
    found = search(page, "ban tru")
    assert found[0]["href"].endswith("/th-le-dinh-chinh/ke-hoach-2023-2024/#tieu-chi-3-3")
    assert all("bán trú" not in r["text"].lower() for r in found)
    assert {"nhà ăn", "phòng ngủ"} <= set(found[0]["marks"])
    # "300 triệu" marks the amount as the plan writes it.
    found = search(page, "300 trieu")
    assert found[0]["marks"] == ["300.000.000 đồng"]
    # A typo marks the word the plan has, never the typo.
    found = search(page, "thu vein")
    assert "vein" not in " ".join(found[0]["marks"]).lower()
    # The word typed ranks above its synonym: "sân chơi" is said outright in Lê Đình Chinh's row 3.1.
    found = search(page, "san choi")
    assert found[0]["href"].endswith("/th-le-dinh-chinh/ke-hoach-2023-2024/#tieu-chi-3-1")
    assert "sân chơi" in [m.lower() for m in found[0]["marks"]]


# --- The dialog, drawn by qip-search.js (issue 15: not repeated in every page) ------------------
# With script, what a parent sees and does is covered above and by test_accessibility.py (axe on the
# open dialog, Tab through it), test_member_sites.py (the district's link) and test_share.py (the
# 404 page's box): they all run on the dialog qip-search.js draws.

HINT = "Gõ tên trường, tiêu chí, người phụ trách hay khoản kinh phí. Có dấu hay không dấu, viết tắt hay gõ sai một chữ đều được."
PLAN_PAGE = "truong/mn-hoa-mi/ke-hoach-2024-2025/"


def test_pages_hold_the_button_not_the_dialog(seed_site: Path) -> None:
    html = (seed_site / PLAN_PAGE / "index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    assert page.select_one("[data-qip-search], #qip-search-input, #qip-search-results, .md-search") is None
    assert "Lọc kết quả" not in html and "Đóng tìm kiếm" not in html and "Đang tải bộ lọc" not in html
    button = page.select_one("header label.md-header__button[for=__search]")
    assert button["title"] == "Tìm kiếm (phím /)"
    script = page.select_one("header script[data-qip-search-box]")
    assert script["src"] == "../../../assets/javascripts/qip-search.js" and script.has_attr("defer")
    assert not [name for name in script.attrs if name.startswith("data-qip-district")]  # not a member site


def test_the_dialog_is_drawn_in_the_header(tab, server: str) -> None:  # noqa: F811
    page = tab(PHONE)  # where the header shows the button (wide screens: the box)
    page.goto(server + PLAN_PAGE)
    dialog = page.locator("header nav [data-qip-search]")
    assert dialog.count() == 1
    # Where the page held it: right after the header's search button.
    assert dialog.evaluate("d => d.previousElementSibling.matches('label.md-header__button[for=__search]')")
    assert (dialog.get_attribute("role"), dialog.get_attribute("aria-label")) == ("dialog", "Tìm kiếm")
    box = page.locator("#qip-search-input")
    assert (box.get_attribute("aria-label"), box.get_attribute("placeholder"), box.get_attribute("aria-controls")) == (
        "Tìm trường, tiêu chí hoặc nội dung kế hoạch", "Tìm trường, nội dung…", "qip-search-results")
    assert page.locator(".md-search__form label.md-search__icon[for=__search]").get_attribute("title") == "Đóng tìm kiếm"
    assert page.locator(".md-search__options").get_attribute("aria-label") == "Tìm kiếm"
    assert page.locator("button[type=reset]").get_attribute("aria-label") == "Xóa ô tìm kiếm"
    assert page.locator(".qip-search__filters summary").inner_text() == "Lọc kết quả"
    assert page.locator("[data-qip-status]").get_attribute("role") == "status"
    assert page.locator("[data-qip-search] .qip-search__district").count() == 0  # not a member site
    # The header's button opens it (Material's toggle) and puts the cursor in the box.
    assert not page.evaluate("document.getElementById('__search').checked")
    page.click("label.md-header__button[for=__search]")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'qip-search-input'")
    assert page.evaluate("document.getElementById('__search').checked")
    assert page.locator("[data-qip-status]").inner_text() == HINT


# --- Rows: one file per plan, each fetched once ----------------------------------------------------

@pytest.fixture(scope="module")
def demo_project(tmp_path_factory) -> Path:
    """A synthetic site whose two schools have three plans each (each seed school has one)."""
    project = new_project(tmp_path_factory.mktemp("search-demo") / "project")
    result = run_cli("demo", "--schools", "2", "--years", "3", "--seed", "1", "--out", str(project / "plans"), cwd=REPO)
    assert result.returncode == 0, result.stderr
    result = run_cli("build", "-d", str(project / "site"), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def test_each_result_snippet_comes_from_its_plan_rows_file_fetched_once(browser, demo_project: Path) -> None:  # noqa: F811
    site = demo_project / "site"
    rows_files_hold_every_plan(site, demo_project / "plans")
    with served(site) as address:
        page = browser.new_page(viewport=DESKTOP)
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url) if "/search/" in request.url else None)
        open_search(page, address)
        found = search(page, "hoa sen so 1", typed=False)
        plans = [r for r in found if "/mau-mn-1/ke-hoach-" in r["href"]]
        assert len(plans) >= 2, found
        # Each result's snippet is its own plan's row, from that plan's file.
        for result in plans:
            path, _, anchor = result["href"].partition("#")
            plan = path.split("/ke-hoach-")[1].strip("/")
            rows = json.loads((site / "search" / "mau-mn-1" / f"{plan}.json").read_text(encoding="utf-8"))
            block = next(b for b in rows if b["a"] == anchor)
            assert block["t"][:40] in result["text"], (block["t"], result["text"])
        # Each plan's rows were fetched once, and only results' plans were fetched.
        names = [url.split("/search/")[1] for url in fetched]
        assert len(names) == len(set(names)), fetched
        assert {f"mau-mn-1/{r['href'].split('/ke-hoach-')[1].split('/')[0]}.json" for r in plans} <= set(names)
        page.close()
