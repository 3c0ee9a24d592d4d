"""Accessible to everyone: axe-core finds no WCAG 2.1 A/AA violation on any page type, in the light
and the dark scheme, on a desktop and on a phone; the keyboard reaches everything; pages say
lang="vi".

axe-core comes from the npm registry, pinned in package-lock.json (`make test` runs `npm ci`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_browser import DESKTOP, PHONE, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# One page of each type of the seed site (built from plans/ by the `seed_site` fixture).
PAGE_TYPES = {
    "home": "",
    "schools": "truong/",
    "school": "truong/mn-thuy-tien/",
    "school-year": "truong/mn-thuy-tien/2024-2025/",
    "school-year-annual": "truong/mn-1-quan-5/2023-2024/",
    "plan-5-years": "truong/mn-thuy-tien/ke-hoach-2022-2027/",
    "plan-le-dinh-chinh": "truong/th-le-dinh-chinh/ke-hoach-2023-2024/",
    "plan-no-school-name": "truong/truong-trung-hoc-chua-ro-ten/ke-hoach-2024-2029/",
    "plan-incomplete-rows": "truong/mn-1-quan-5/ke-hoach-2023-2024/",
    "plan-hoa-mi": "truong/mn-hoa-mi/ke-hoach-2024-2025/",
    "years": "nam-hoc/",
    "year": "nam-hoc/2024-2025/",
    "year-budget": "nam-hoc/2023-2024/kinh-phi/",
    "school-year-money": "truong/truong-trung-hoc-chua-ro-ten/2025-2026/",
    "circulars": "tieu-chi/",
    "circular": "tieu-chi/tt19-2018/",
    "criterion": "tieu-chi/tt19-2018/1-3/",
    "about": "gioi-thieu/",
    "open-data": "du-lieu/",
    "not-found": "404.html",
}
SCREENS = {"desktop": DESKTOP, "phone": PHONE}
SCHEMES = {"light": "default", "dark": "slate"}

# Its argument: [the WCAG tags, the selector of the part to check (null: the whole page)].
RUN_AXE = """async ([tags, within]) => {
  const result = await axe.run(within || document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""
# The same, for a second run on a page whose stylesheets and media the first run read: axe's preload
# fetches and parses every stylesheet again (the CSSOM, and the media, for the two rules that read them:
# css-orientation-lock and no-autoplay-audio), which is half the cost of a run. Neither depends on the
# colour scheme; on the seed pages every rule's outcome is the same with and without it.
RUN_AXE_AGAIN = RUN_AXE.replace('resultTypes: ["violations"]', 'resultTypes: ["violations"], preload: false')
assert RUN_AXE_AGAIN != RUN_AXE


@pytest.fixture(scope="module")
def tabs(browser) -> Iterator[dict]:  # noqa: F811
    """One open tab per screen size, for the tests that load pages and read them with the keyboard
    only (no pointer, whose hover would carry over): a page loaded in an open tab costs Chromium a
    third of what a new tab's first page costs. Each load is a new document (axe injected again)."""
    contexts = {screen: browser.new_context(viewport=size) for screen, size in SCREENS.items()}
    yield {screen: context.new_page() for screen, context in contexts.items()}
    for context in contexts.values():
        context.close()


def open_page(page, url: str, scheme: str):
    """`url` loaded in `page` with the system's colour scheme `scheme`."""
    page.emulate_media(color_scheme="dark" if scheme == "dark" else "light")
    page.goto(url)
    page.wait_for_load_state("load")
    # The palette follows the system's preference: make sure the scheme under test is the one shown.
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == SCHEMES[scheme]
    return page


def axe_violations(page, axe_script: str) -> list[dict]:
    page.add_script_tag(url=axe_script)
    return page.evaluate(RUN_AXE, [WCAG_21_AA, None])


def report(where: str, violations: list[dict]) -> str:
    lines = [f"{where}: {len(violations)} WCAG 2.1 AA violation(s)"]
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:8]:
            lines.append(f"    {node['target']}")
            lines.append("      " + " ".join(node["summary"].split())[:300])
    return "\n".join(lines)


def show_scheme(page, scheme: str) -> None:
    """Switch the system's preference on the open page: the palette follows it (Material's
    automatic palette), and axe must read the colours once every transition has ended."""
    page.emulate_media(color_scheme="dark" if scheme == "dark" else "light")
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{SCHEMES[scheme]}'")
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))")


def axe_in_both_schemes(page, axe_script: str, within: str | None = None) -> dict[str, list]:
    """axe's WCAG 2.1 AA violations on the page as it is (or the part the selector `within` names), in the
    light scheme, then in the dark one."""
    page.add_script_tag(url=axe_script)
    found = {}
    for number, scheme in enumerate(SCHEMES):
        show_scheme(page, scheme)
        found[scheme] = page.evaluate(RUN_AXE_AGAIN if number else RUN_AXE, [WCAG_21_AA, within])
    return found


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_axe_finds_no_violation(tabs: dict, server: str, axe_script: str, kind: str, screen: str) -> None:  # noqa: F811
    """Each page type in the light scheme, then in the dark one (the page loaded once)."""
    page = open_page(tabs[screen], server + PAGE_TYPES[kind], "light")
    lang = page.evaluate("document.documentElement.lang")
    found = axe_in_both_schemes(page, axe_script)
    assert lang == "vi", f"{kind}: <html lang={lang!r}>"
    for scheme, violations in found.items():
        assert not violations, report(f"{kind} ({PAGE_TYPES[kind] or '/'}, {screen}, {scheme})", violations)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("screen", SCREENS)
def test_axe_finds_no_violation_in_open_search(tab, server: str, axe_script: str, screen: str, scheme: str) -> None:  # noqa: F811
    """The search dialog with results and its filters shown (its markup is ours: qip-search.html/.js)."""
    page = open_page(tab(SCREENS[screen]), server + "truong/", scheme)  # it clicks: not the keyboard tests' tabs
    page.keyboard.press("/")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'qip-search-input'")
    page.keyboard.type("co so vat chat")
    page.wait_for_selector(".qip-search__item a")
    page.click(".qip-search__filters summary")
    page.wait_for_selector(".qip-search__filter select")
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page, axe_script)
    assert not violations, report(f"search dialog ({screen}, {scheme})", violations)


# Where focus is after each Tab: the element, whether it can be seen, and the main content's
# focusable elements that were never reached.
FOCUS_STEP = """async () => {
  // Wait for what focus set moving (the drawer sliding in, the search box opening or closing).
  await new Promise(requestAnimationFrame);
  const moving = ["transform", "opacity", "visibility", "left", "right", "top", "bottom", "width", "height", "max-height"];
  await Promise.all(document.getAnimations().filter(a => !a.transitionProperty || moving.includes(a.transitionProperty))
    .map(a => a.finished.catch(() => null)));
  window.__reached = window.__reached || new Set();
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const first = window.__reached.size === 0;
  const again = window.__reached.has(e);
  window.__reached.add(e);
  // Material's palette switch is a hidden radio whose label shows the focus.
  const shown = e.matches("input.md-option") ? e.nextElementSibling : e;
  const box = shown.getBoundingClientRect();
  let visible = box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
    && box.left < innerWidth && box.top < innerHeight;
  for (let n = shown; visible && n && n.nodeType === 1; n = n.parentElement) {
    const style = getComputedStyle(n);
    if (style.visibility === "hidden" || style.display === "none" || Number(style.opacity) < 0.1) visible = false;
  }
  if (visible) {
    const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
    const hit = document.elementFromPoint(x, y);
    visible = !!hit && (shown.contains(hit) || hit.contains(shown) || (shown.labels && [...shown.labels].some(l => l.contains(hit))));
  }
  const name = e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\\s+/).join(".") : "")
    + (e.getAttribute("href") ? "[href=" + e.getAttribute("href") + "]" : "") + " " + (e.innerText || "").trim().slice(0, 40);
  return {name, visible, again, first};
}"""

NOT_REACHED = """() => [...document.querySelectorAll(
    "article.md-content__inner a[href], article.md-content__inner button, article.md-content__inner summary, #qip-search-input")]
  .filter(e => e.id === "qip-search-input" || e.getClientRects().length > 0)
  .filter(e => !window.__reached.has(e))
  .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.getAttribute("href") ? "[href=" + e.getAttribute("href") + "]" : "") + " " + (e.innerText || "").trim().slice(0, 40))"""

KEYBOARD_PAGES = ["truong/th-le-dinh-chinh/ke-hoach-2023-2024/", "truong/mn-thuy-tien/ke-hoach-2022-2027/"]


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("path", KEYBOARD_PAGES)
def test_tab_reaches_every_link_and_the_search_box(tabs: dict, server: str, path: str, screen: str) -> None:  # noqa: F811
    page = open_page(tabs[screen], server + path, "light")
    links = page.evaluate("document.querySelectorAll('article.md-content__inner a[href]').length")
    hidden_focus, order = [], []
    for _ in range(links + 60):  # every link once, plus the header, navigation and footer
        page.keyboard.press("Tab")
        step = page.evaluate(FOCUS_STEP)
        if step is None or step["again"]:
            break  # past the last element (focus leaves the page) or round again
        order.append(step["name"])
        if not step["visible"]:
            hidden_focus.append(step["name"])
    not_reached = page.evaluate(NOT_REACHED)
    assert links > 5
    assert not not_reached, f"{path} ({screen}): never reached with Tab: {not_reached}\norder: {order}"
    assert not hidden_focus, f"{path} ({screen}): focus not visible on: {hidden_focus}"


@pytest.mark.parametrize("screen", SCREENS)
def test_tab_reaches_search_results(tabs: dict, server: str, screen: str) -> None:  # noqa: F811
    """Tab (not only the arrow keys of test_search.py) walks from the search box to its results."""
    page = open_page(tabs[screen], server + "tieu-chi/", "light")
    page.keyboard.press("/")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'qip-search-input'")
    page.keyboard.type("hoa mi")
    page.wait_for_selector(".qip-search__item a")
    page.wait_for_load_state("networkidle")
    reached = None
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.qip-search__item a')"):
            reached = page.evaluate("document.activeElement.getAttribute('href')")
            break
    assert reached, "Tab never reached a search result"
    assert page.evaluate("document.getElementById('__search').checked"), "the search box closed on the way"
    page.keyboard.press("Enter")
    page.wait_for_url("**/" + reached.lstrip("./"))
