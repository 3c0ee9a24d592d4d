"""Smaller pages (issue 15): the theme's indentation and blank lines are dropped from every page, and
nothing a reader sees changes (qip_site/outputs/minify.py).

Golden cases (tests/cases/minify/*.case), one file per case, run by one test:

    # what the case is about
    === input
    <div>
        <p>…</p>
    </div>
    === output
    <div>
    <p>…</p>
    </div>

Every line of a section is part of it, the last line end included. Run with QIP_UPDATE_GOLDEN=1 to
rewrite the `output` sections from the actual output, then review the diff.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENV, REPO, content, new_project, run_cli, soup, write_files
from test_browser import DESKTOP, PAGES, served
from test_history import parse_case
from test_injection import dump

from qip_site.outputs.minify import collapse_whitespace

CASES = sorted((Path(__file__).parent / "cases" / "minify").glob("*.case"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_minify_case(case: Path) -> None:
    sections = parse_case(case.read_text(encoding="utf-8"))
    out = collapse_whitespace(sections["input"])
    if os.environ.get("QIP_UPDATE_GOLDEN"):
        head = case.read_text(encoding="utf-8").split("=== output\n")[0]
        case.write_text(head + "=== output\n" + out, encoding="utf-8")
        return
    assert out == sections["output"]
    assert collapse_whitespace(out) == out  # once is enough


def test_there_are_cases_for_each_kept_element() -> None:
    names = {case.stem for case in CASES}
    assert {"pre", "textarea", "script-style", "code-kbd", "svg", "inline", "vietnamese", "escaped"} <= names


def test_every_page_of_the_site_is_collapsed(seed_site: Path) -> None:
    """Every HTML file the build writes, the 404 page included, went through the minifier, and the
    theme's indentation is gone from it."""
    pages = sorted(seed_site.rglob("*.html"))
    assert len(pages) > 50 and seed_site / "404.html" in pages
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert collapse_whitespace(html) == html, path
    plan = (seed_site / "truong/mn-thuy-tien/ke-hoach-2022-2027/index.html").read_text(encoding="utf-8")
    assert '\n<footer class="md-footer">' in plan and '\n<article class="md-content__inner md-typeset">' in plan
    assert "\n<footer class=\"md-footer\">" in (seed_site / "404.html").read_text(encoding="utf-8")


HOSTILE = ["<pre>", "</pre>", "<textarea>", "</textarea>", "<code>", "<script>", "</script>", "<svg>", "<!--",
           "<style>", "<kbd>"]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    project = new_project(tmp_path_factory.mktemp("minify") / "project")
    school = {"name": "Trường Mầm non </textarea><pre> A", "level": "preschool"}
    plan = {
        "period": "2024-2025",
        "title": ["KẾ HOẠCH <pre> cải tiến </textarea> chất lượng"],
        "sections": [{"heading": "I. NỘI DUNG", "table": True}],
        "table": {"columns": {"criterion": "Tiêu chí", "measures": "Biện pháp", "budget": "Kinh phí"}, "standards": [{"heading": "Tiêu chuẩn 1: Tổ chức và quản lý nhà trường", "criteria": [
            {"code": "1.1", "criterion": "Tiêu chí 1.1 <code>", "measures": [" ".join(HOSTILE), "dòng hai <textarea>"],
             "budget": "Không"},
        ]}]},
    }
    write_files(project, {"plans/mn-a/school.yml": dump(school), "plans/mn-a/2024-2025.yml": dump(plan)})
    built = run_cli("build", "-d", "site", cwd=project)
    assert built.returncode == 0, built.stderr
    return project / "site"


@pytest.mark.parametrize("page", ["truong/mn-a/ke-hoach-2024-2025/index.html", "truong/mn-a/index.html"])
def test_a_plans_text_opens_no_kept_region(hostile_site: Path, page: str) -> None:
    """Escaped, a plan's "<pre>" or "</textarea>" is text: the rest of the page is collapsed as usual,
    and the embed box's snippet stays whole."""
    html = (hostile_site / page).read_text(encoding="utf-8")
    assert "&lt;pre&gt;" in html and "&lt;/textarea&gt;" in html
    # After the plan's texts, the theme's footer starts a line of its own, not indented.
    assert html.rindex("&lt;pre&gt;") < html.index('\n<footer class="md-footer">')
    assert collapse_whitespace(html) == html
    text = content(hostile_site / page).get_text(" ")
    assert "Trường Mầm non </textarea><pre> A" in text
    if "ke-hoach" in page:
        assert " ".join(HOSTILE) in text
    # The embed box: the school's name inside the snippet, escaped once as HTML, shown as text.
    snippet = soup(hostile_site / page).find("textarea", id="qip-embed-code").get_text()
    assert 'title="Kế hoạch cải tiến chất lượng giáo dục của Trường Mầm non &lt;/textarea&gt;&lt;pre&gt; A"' in snippet
    assert snippet.startswith("<iframe ") and snippet.endswith("</script>")


def _build(project: Path, minify: bool) -> subprocess.Popen:
    """MkDocs building the site of `project` in a process of its own, with or without the minifier."""
    off = "" if minify else "import qip_site.site.plugin as p; p.collapse_whitespace = lambda html: html; "
    code = off + "from mkdocs.__main__ import cli; cli.main(['build', '-q', '-d', 'site'], standalone_mode=False)"
    return subprocess.Popen([sys.executable, "-c", code], cwd=project, env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


# The whole page as one picture: the size Playwright takes for `screenshot(full_page=True)`.
PAGE_SIZE = """() => {
    const [b, e] = [document.body, document.documentElement];
    return [Math.max(b.scrollWidth, e.scrollWidth, b.offsetWidth, e.offsetWidth, b.clientWidth, e.clientWidth),
            Math.max(b.scrollHeight, e.scrollHeight, b.offsetHeight, e.offsetHeight, b.clientHeight, e.clientHeight)];
}"""


def full_page_png(page) -> bytes:
    """Every pixel of the whole page, as a PNG: Chromium's own capture (lossless, as Playwright's
    full-page screenshot), compressed for speed rather than size."""
    import base64

    page.bring_to_front()  # a tab behind others draws no frames to capture
    page.evaluate("document.fonts.ready.then(() => true)")
    width, height = page.evaluate(PAGE_SIZE)
    cdp = page.context.new_cdp_session(page)
    try:
        shot = cdp.send("Page.captureScreenshot", {
            "format": "png", "optimizeForSpeed": True, "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
    finally:
        cdp.detach()
    return base64.b64decode(shot["data"])


@pytest.mark.browser
def test_pages_look_the_same_in_chromium(tmp_path: Path, browser) -> None:  # noqa: F811
    """The seed site built with and without the minifier (each in its own copy of the project, so no
    cache is shared): Chromium shows every page with the same text, and pixel for pixel the same."""
    builds = {}
    for minify in (False, True):  # both builds at once
        project = new_project(tmp_path / ("minified" if minify else "plain"))
        shutil.rmtree(project / "plans")
        shutil.copytree(REPO / "plans", project / "plans")
        builds[minify] = (project / "site", _build(project, minify))
    for _, process in builds.values():
        _, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors
    sites = {minify: site for minify, (site, _) in builds.items()}
    plain, minified = (sum(path.stat().st_size for path in site.rglob("*.html")) for site in sites.values())
    assert minified < plain * 0.95, (plain, minified)
    paths = [*PAGES, "404.html", "gioi-thieu/", "du-lieu/"]
    seen: dict[bool, list] = {}
    # Five open tabs load five pages at once (their quiet half-seconds overlap), then each is read
    # when nothing more is loading; the same tabs load the next five (a load in an open tab costs
    # Chromium a third of a new tab's first one).
    context = browser.new_context(viewport=DESKTOP)
    tabs = [context.new_page() for _ in range(5)]
    for minify, site in sites.items():
        seen[minify] = []
        with served(site) as base:
            for start in range(0, len(paths), len(tabs)):
                batch = list(zip(tabs, paths[start:start + len(tabs)], strict=False))
                for page, path in batch:
                    page.goto(base + path, wait_until="commit")
                for page, path in batch:
                    page.wait_for_load_state("load")
                    page.wait_for_load_state("networkidle")
                    seen[minify].append((path, page.inner_text("body"), page.inner_text("article"), full_page_png(page)))
    context.close()
    assert [path for path, *_ in seen[False]] == [path for path, *_ in seen[True]] == paths
    for (path, body, article, picture), (_, body2, article2, picture2) in zip(seen[False], seen[True], strict=True):
        assert article2 == article, path
        assert body2 == body, path
        assert picture2 == picture, path
