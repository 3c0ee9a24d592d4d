"""Properties, over generated text (hypothesis): plan text is data, shown as its NFC form, never markup.

Any printable text (Markdown, HTML and Jinja syntax, YAML indicators, entities, combining marks,
decomposed Vietnamese, other scripts, line breaks) placed in any text field of school.yml or of a
plan goes through the real pipeline: YAML file → `load_site` → `Renderer` → Python-Markdown with the
extensions of mkdocs.yml → HTML, parsed back. Then:

- the element that shows the field holds exactly the field's NFC text. Whitespace is compared
  folded (a run of whitespace is one space), since HTML shows it so and Markdown expands tabs.
  Newlines: in paragraph fields (title, preamble, section paragraphs, closing, recipients, table
  cells, fragments) each newline is a line break (<br>); in one-line fields (header lines,
  headings, signer, column headings, school facts) it is white space;
- the page has the same elements and attributes as the page of a harmless text of the same shape
  (same line breaks), so the text injected nothing. Elements derived from a text's meaning (an
  amount read from a budget, a date read from the place-and-date line) are left out of that
  comparison.

Render-level properties run hundreds of examples each; whole-site builds (`mkdocs build`) a few.
The loader has its own property: any string, written into a field by a YAML dumper in any style
(escaped or not), loads back as its NFC form, or is refused when it holds a control character.
Examples are derandomized, so every run checks the same ones.
"""

from __future__ import annotations

import copy
import csv
import html
import io
import json
import re
import shutil
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, NavigableString
from conftest import REPO, new_project, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qip_site.domain.history import History
from qip_site.reading import errors as E
from qip_site.reading import validate
from qip_site.reading.load import read_yaml
from qip_site.reading.validate import load_site
from qip_site.site.render import Renderer

# Derandomized: every run (and CI) checks the same examples; no example database.
SETTINGS = {"derandomize": True, "database": None, "deadline": None, "print_blob": False,
            "suppress_health_check": list(HealthCheck)}

# --- Text ------------------------------------------------------------------------------------

# What Markdown, HTML, Jinja, YAML or a spreadsheet would read as syntax, and Vietnamese as keyboards
# type it (decomposed: base letter, then tone and vowel marks).
NFD_WORDS = [unicodedata.normalize("NFD", w) for w in ("Trường", "Mầm non", "Kế hoạch", "ĐỘI NGŨ", "cải tiến",
                                                         "Thủy Tiên", "ưu tiên", "Hiệu trưởng")]
TOKENS = [
    *"<>&\"'`*_#[](){}|\\-=+@!%:;,.~^$/?", " ", "\t", "\n", "\n\n", "{{", "}}", "{%", "%}", "{#", "#}",
    "<script>alert(1)</script>", "</div>", "</p>", "<b>", "<img src=x onerror=alert(1)>", "<!--", "-->", "<![CDATA[",
    "]]>", "<?php", "&amp;", "&lt;", "&#60;", "&#x3C;", "&nbsp;", "- ", "* ", "+ ", "# ", "1. ", "> ", "    ",
    "---", "===", "```", "~~~", "[x](javascript:alert(1))", "![x](y)", "<https://x.vn>", "{: .x onclick=alert(1) }",
    "{ #id }", "--8<-- \"mkdocs.yml\"", "=SUM(A1)", "+84", "@ai", "\\n", "\\\\", "**đậm**", "_nghiêng_",
    "\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b", "\u0338", "Đ", "đ", "ư", "ơ",
    *NFD_WORDS, "Trường", "😀", "👩‍🏫", "中文", "עברית", "العربية", "Ⅻ", "ﬁ", "Å", "Å",
]
PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Cf", "Zl", "Zp", "Zs")) | st.just(" ")
TEXT = st.one_of(
    st.lists(st.sampled_from(TOKENS), min_size=1, max_size=10).map("".join),
    st.text(PRINTABLE | st.just("\n"), min_size=1, max_size=30),
    st.lists(st.one_of(st.sampled_from(TOKENS), st.text(PRINTABLE, max_size=4)), min_size=1, max_size=8).map("".join),
).filter(lambda s: s.strip())
ONE_LINE = TEXT.map(lambda s: s.replace("\n", " ")).filter(lambda s: s.strip())


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Whitespace folded, nothing else: how HTML shows text. (No NFC here: the page must be NFC itself.)"""
    return " ".join(text.split())


def shape(text: str) -> str:
    """A harmless text with the same line breaks as `text` (stripped, as paragraphs are)."""
    return re.sub(r"[^\n]+", "chữ", text.strip())


# --- The pipeline, without MkDocs ---------------------------------------------------------------

SCHOOL = {"name": "Trường Mầm non A", "level": "preschool", "managing_body": "UBND QUẬN 1",
          "place": {"as_written": "Quận 1", "province": "Thành phố Hồ Chí Minh", "commune": "Phường Bến Nghé"}}
COLUMNS = ["index", "criterion", "area", "weakness", "target", "measures", "responsible", "timeline", "budget",
           "support", "note"]


def plan_data() -> dict:
    """A five-year plan using every text field once, with harmless texts."""
    cells = {name: f"Ô {name}" for name in COLUMNS}
    return {
        "period": {"from": "2022-2023", "to": "2026-2027"},
        "header": {"managing_body": "UBND QUẬN 1", "school": "TRƯỜNG MN A", "number": "Số: 12/KH-MNA",
                   "national_name": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "motto": "Độc lập - Tự do - Hạnh phúc",
                   "place_date": "Quận 1, ngày 6 tháng 9 năm 2022"},
        "title": ["KẾ HOẠCH", "CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC"],
        "preamble": ["Căn cứ Thông tư 19/2018."],
        "sections": [
            {"heading": "I. MỤC ĐÍCH", "content": [{"heading": "1. Mục đích:"}, "Đoạn văn."]},
            {"heading": "III. NỘI DUNG", "table": True},
        ],
        "table": {
            "columns": {name: f"Cột {name}" for name in COLUMNS},
            "levels": [{"heading": "MỨC 1, 2, 3", "standards": [{
                "index": "1", "heading": "Tiêu chuẩn 1: Tổ chức và quản lý nhà trường",
                "criteria": [{
                    "code": "1.1", **cells, "incomplete": True, "fragments": ["mảnh chữ"],
                    "years": [{"school_year": "2022-2023", **{name: f"Năm đầu {name}" for name in COLUMNS}}],
                    "result": {"state": "đang thực hiện", "text": ["Kết quả ghi sau."]},
                }],
            }]}],
        },
        "closing": ["Trên đây là kế hoạch."],
        "recipients": ["- Phòng GDĐT;", "- Lưu VT."],
        "signer": {"position": "HIỆU TRƯỞNG", "note": "(Đã ký)", "name": "Nguyễn Văn A"},
    }


ROW = ("table", "levels", 0, "standards", 0, "criteria", 0)
# Where each field of a plan shows on the plan page: (path in the file, CSS selector, paragraph field?).
PLAN_FIELDS = [
    (("header", "managing_body"), "p.qip-managing-body", False),
    (("header", "school"), "p.qip-issuer", False),
    (("header", "number"), "p.qip-number", False),
    (("header", "national_name"), "p.qip-national-name", False),
    (("header", "motto"), "p.qip-motto", False),
    (("header", "place_date"), "p.qip-place-date", False),
    (("title", 1), ".qip-doc-title > p", True),
    (("preamble", 0), ".qip-preamble > p", True),
    (("sections", 0, "heading"), "section.qip-section > h2", False),
    (("sections", 0, "content", 0, "heading"), "section.qip-section > h3", False),
    (("sections", 0, "content", 1), "section.qip-section > p", True),
    (("table", "levels", 0, "heading"), "tr.qip-level-row > th", False),
    (("table", "levels", 0, "standards", 0, "index"), "tr.qip-standard-row > th.qip-index", False),
    (("table", "levels", 0, "standards", 0, "heading"), "tr.qip-standard-row > th", False),
    (ROW + ("fragments", 0), "tr.qip-fragments-row p", True),
    (("closing", 0), ".qip-closing > p", True),
    (("recipients", 1), ".qip-recipients > p", True),
    (("signer", "position"), "p.qip-signer-position", False),
    (("signer", "note"), "p.qip-signer-note", False),
    (("signer", "name"), "p.qip-signer-name", False),
    *[(("table", "columns", name), "table.qip-table th[scope=col]", False) for name in COLUMNS],
    *[(ROW + (name,), f"td.qip-cell-{name} > p", True) for name in COLUMNS],
    *[(ROW + ("years", 0, name), f"td.qip-cell-{name} > p", True) for name in COLUMNS],
    (ROW + ("result", "text", 0), "tr.qip-result-row .qip-result > p", True),
]
SCHOOL_FIELDS = [
    (("name",), "h1", False),
    (("managing_body",), "section.qip-facts dd", False),
    (("place", "as_written"), "section.qip-facts dd", False),
    (("place", "province"), "section.qip-facts dd", False),
    (("place", "commune"), "section.qip-facts dd", False),
]
# Elements a text's meaning adds (an amount read from a budget cell, a date read from the
# place-and-date line, the money summary): not injected text, left out of the element comparison.
DERIVED = "section.qip-money, span.qip-amount, time, span.qip-unknown"


def derived(tag) -> bool:
    """Whether `tag` matches DERIVED (a walk is cheaper than the selector engine, hundreds of times)."""
    classes = tag.get("class") or ()
    return (tag.name == "time" or (tag.name == "section" and "qip-money" in classes)
            or (tag.name == "span" and ("qip-amount" in classes or "qip-unknown" in classes)))


def put(data: dict, path: tuple, value: str) -> dict:
    data = copy.deepcopy(data)
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


_MARKDOWN = None
_ENV = None


def _templates(env):
    global _ENV
    _ENV = _ENV or env
    return _ENV


def markdown_to_html(page_text: str) -> tuple[str, dict]:
    """A generated page as MkDocs converts it: front matter apart, Markdown with mkdocs.yml's extensions."""
    global _MARKDOWN
    from mkdocs.utils.meta import get_data

    if _MARKDOWN is None:
        import markdown
        from mkdocs.config import load_config

        config = load_config(str(REPO / "mkdocs.yml"))
        _MARKDOWN = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    body, meta = get_data(page_text)
    _MARKDOWN.reset()
    return _MARKDOWN.convert(body), meta


def render(root: Path, school: dict, plan: dict, which=("plan", "school", "year", "criterion")
           ) -> dict[str, tuple[BeautifulSoup, dict]]:
    """Write the two files (JSON is YAML), load and render as the plugin does: page name -> (HTML, meta)."""
    write_plans(root, school, plan)
    site, _ = load_site(root / "plans", root, history=History())
    renderer = Renderer(site)
    renderer.env = _templates(renderer.env)  # compiled once, not once per example
    school_model = site.schools[0]
    plan_model = school_model.plans[0]
    circular = school_model.circular
    pages = {
        "plan": lambda: renderer.plan(plan_model),
        "school": lambda: renderer.school(school_model),
        "year": lambda: renderer.school_year(school_model, plan_model.period.first),
        "criterion": lambda: renderer.criterion(circular, circular.criteria["1.1"],
                                                renderer.criterion_entries(circular)["1.1"])[0],
    }
    out = {}
    for name in which:
        page = pages[name]()
        converted, front = markdown_to_html(page.text)
        assert front == {}, "page metadata travels as data, never as text in the page"
        out[name] = (BeautifulSoup(converted, "html.parser"), page.meta)
    return out


def elements(page: BeautifulSoup) -> Counter:
    """Every element with its attribute names, derived ones left out."""
    left_out = set()
    for top in page.find_all(derived):
        left_out.update(map(id, [top, *top.find_all(True)]))
    return Counter((tag.name, tuple(sorted(tag.attrs))) for tag in page.find_all(True) if id(tag) not in left_out)


_BASELINES: dict = {}


def baseline(root: Path, school: dict, plan: dict, which: tuple, key: tuple) -> dict[str, Counter]:
    """The elements of the pages of a harmless text, once per shape of text."""
    if key not in _BASELINES:
        pages = render(root, school, plan, which)
        for page, _ in pages.values():  # the walk finds what the selector finds
            assert page.find_all(derived) == page.select(DERIVED)
        _BASELINES[key] = {name: elements(page) for name, (page, _) in pages.items()}
    return _BASELINES[key]


def shown(element) -> str:
    """An element's text as a reader sees it: a <br> is a line break."""
    element = copy.copy(element)
    for br in element.find_all("br"):
        br.replace_with(NavigableString("\n"))
    return element.get_text()


def assert_shown(page: BeautifulSoup, selector: str, text: str, paragraph: bool) -> None:
    """One element under `selector` shows `text` (NFC, whitespace folded); paragraphs keep their line breaks."""
    expected = nfc(text.strip() if paragraph else text)
    found = page.select(selector)
    texts = [fold(shown(e)) for e in found]
    assert fold(expected) in texts, (selector, fold(expected), texts)
    element = found[texts.index(fold(expected))]
    assert unicodedata.is_normalized("NFC", element.get_text())
    if paragraph:
        assert len(element.find_all("br")) == expected.count("\n")


def assert_injects_nothing(pages: dict, expected: dict[str, Counter]) -> None:
    for name, (page, _) in pages.items():
        got = elements(page)
        assert got == expected[name], (name, got - expected[name], expected[name] - got)
        # "script, img, iframe, object, embed, [onclick], [onerror], [onload]", in one walk.
        assert not [tag for tag in page.find_all(True) if tag.name in ("script", "img", "iframe", "object", "embed")
                    or {"onclick", "onerror", "onload"} & set(tag.attrs)], name
        assert not [a for a in page.find_all("a", href=True)
                    if a["href"].strip().lower().startswith(("javascript", "data"))]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Iterator[Path]:
    """The project folder every example writes its two files into.

    Its build date is read once: `load_site` asks git for it (a process each time), and the answer
    depends on the folder, which no example turns into a repository, not on the files in it."""
    root = tmp_path_factory.mktemp("properties")
    real = validate._build_date
    date = real(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(validate, "_build_date", lambda at: date if at == root else real(at))
        yield root


def write_plans(root: Path, school: dict, plan: dict, ascii_only: bool = False) -> None:
    """plans/ holding exactly school.yml and the plan (JSON is YAML): the same two files every time,
    so each example overwrites the previous one's."""
    write_files(root, {"plans/mn-a/school.yml": json.dumps(school, ensure_ascii=ascii_only),
                       "plans/mn-a/2022-2027.yml": json.dumps(plan, ensure_ascii=ascii_only)})
    assert sorted(p.name for p in (root / "plans").rglob("*")) == ["2022-2027.yml", "mn-a", "school.yml"]


# --- Render-level properties ------------------------------------------------------------------


@settings(max_examples=500, **SETTINGS)
@given(field=st.sampled_from(PLAN_FIELDS), text=TEXT)
def test_any_text_in_any_plan_field_shows_literally_and_injects_nothing(workdir: Path, field, text: str) -> None:
    path, selector, paragraph = field
    # Table rows also show on the school-year and criterion pages (a row's title); the rest only on the plan page.
    which = ("plan", "year", "criterion") if path[0] == "table" else ("plan",)
    pages = render(workdir, SCHOOL, put(plan_data(), path, text), which)
    harmless = shape(text) if paragraph else "chữ"
    expected = baseline(workdir, SCHOOL, put(plan_data(), path, harmless), which, (path, harmless))
    assert_shown(pages["plan"][0], selector, text, paragraph)
    if path[:3] == ("table", "columns", path[-1]) and len(path) == 3:
        # The column heading also labels each cell on phones (data-label), as an attribute value.
        # (Whitespace folded: Python-Markdown expands tabs, in attributes too.)
        labels = {fold(td["data-label"]) for td in pages["plan"][0].select(f"td.qip-cell-{path[-1]}")}
        assert labels == {fold(nfc(text))}
    if path[:len(ROW)] == ROW and path[-1] in COLUMNS and path[-1] not in ("index", "criterion", "area"):
        # Row cells of a multi-year plan are also shown on the school-year page, as definition lists
        # (criterion pages list the row in one line, linking to it on the plan page).
        assert_shown(pages["year"][0], "dl.qip-fields dd > p", text, True)
        assert not pages["criterion"][0].select("dl.qip-fields")
    assert_injects_nothing(pages, expected)
    # The page description (metadata, escaped for the theme) carries the title as text.
    if path[0] == "title":
        assert fold(nfc(text)) in fold(html.unescape(pages["plan"][1]["description"]))


@settings(max_examples=250, **SETTINGS)
@given(field=st.sampled_from(SCHOOL_FIELDS), text=ONE_LINE)
def test_any_text_in_any_school_field_shows_literally_and_injects_nothing(workdir: Path, field, text: str) -> None:
    path, selector, _ = field
    pages = render(workdir, put(SCHOOL, path, text), plan_data())
    expected = baseline(workdir, put(SCHOOL, path, "chữ"), plan_data(), ("plan", "school", "year", "criterion"),
                        ("school",) + path)
    assert_shown(pages["school"][0], selector, text, False)
    assert_injects_nothing(pages, expected)
    if path == ("name",):
        # Every page names the school; its title (metadata) is escaped HTML the theme prints as is.
        for name, (page, meta) in pages.items():
            if name != "criterion":
                assert html.unescape(meta["title"]).startswith(nfc(text)), name
                assert meta["share"]["title"].startswith(nfc(text)), name
            assert fold(nfc(text)) in fold(page.get_text()), name
        assert pages["school"][1]["jsonld"]["name"] == nfc(text)


# --- The loader --------------------------------------------------------------------------------

ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
# What may not be published (controls, noncharacters, lone surrogates, bidi overrides) and what is
# removed with a warning (invisible characters a paste brings): the rule, written here on its own.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufdd0-\ufdef\ud800-\udfff\u202a-\u202e\u2066-\u2069"
                     + "".join(chr(plane * 0x10000 + low) for plane in range(17) for low in (0xFFFE, 0xFFFF)) + "]")
INVISIBLE = re.compile("[\u200b\u2060\u180e\u00ad\ufeff\u200e\u200f]")


def dump(data: dict, style: str | None, unicode: bool) -> str:
    out = io.StringIO()
    yaml.safe_dump(data, out, allow_unicode=unicode, default_style=style, width=60, sort_keys=False)
    return out.getvalue()


@settings(max_examples=1500, **SETTINGS)
@given(text=ANY_TEXT, style=st.sampled_from([None, '"', "'", "|", ">"]), unicode=st.booleans(),
       line_ends=st.sampled_from(["\n", "\r\n"]))
def test_any_yaml_escaped_string_loads_back_as_its_nfc_form(workdir: Path, text: str, style, unicode: bool,
                                                              line_ends: str) -> None:
    source = dump({"period": "2023-2024", "title": [text], "signer": {"name": text}}, style, unicode)
    file = workdir / "plan.yml"
    file.write_bytes(source.replace("\n", line_ends).encode("utf-8"))
    if CONTROL.search(text) or (line_ends == "\r\n" and "\r" in text):
        # Invisible control characters are refused, wherever they stand (raw or escaped).
        with pytest.raises(E.Problem) as refused:
            read_yaml(file, "plan.yml")
        assert isinstance(refused.value, (E.ControlCharacterProblem, E.YamlSyntaxProblem)), refused.value
        assert str(refused.value).startswith("plan.yml:")
        return
    data = read_yaml(file, "plan.yml").data
    assert data["title"] == [nfc(INVISIBLE.sub("", text))]
    assert data["signer"]["name"] == nfc(INVISIBLE.sub("", text))


# --- Whole sites ------------------------------------------------------------------------------

SITE_FIELDS = [("header", "school"), ("title", 0), ("sections", 0, "heading"), ROW + ("measures",),
               ROW + ("years", 0, "target"), ("table", "columns", "note"), ("signer", "name"), ("recipients", 0)]


def build_site(project: Path, school: dict, plan: dict) -> Path:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    shutil.rmtree(project / "plans", ignore_errors=True)
    write_files(project, {"plans/mn-a/school.yml": json.dumps(school, ensure_ascii=False),
                          "plans/mn-a/2022-2027.yml": json.dumps(plan, ensure_ascii=False)})
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site")))
    return project / "site"


def site_plan(text: str) -> tuple[dict, dict]:
    plan = plan_data()
    for path in SITE_FIELDS:
        plan = put(plan, path, text)
    return put(SCHOOL, ("name",), text), plan


SITE_PAGES = ["truong/mn-a/ke-hoach-2022-2027/index.html", "truong/mn-a/index.html",
              "truong/mn-a/2022-2023/index.html", "tieu-chi/tt19-2018/1-1/index.html", "index.html",
              "truong/index.html"]


@pytest.fixture(scope="module")
def site_baseline(tmp_path_factory) -> dict[str, Counter]:
    project = new_project(tmp_path_factory.mktemp("site-baseline") / "project")
    site = build_site(project, *site_plan("chữ"))
    return {page: elements(BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser"))
            for page in SITE_PAGES}


@settings(max_examples=4, **SETTINGS)
@given(text=ONE_LINE.filter(lambda s: len(s.strip()) > 1))
def test_whole_site_shows_any_text_literally(tmp_path_factory, site_baseline: dict, text: str) -> None:
    """A real `mkdocs build` (theme, plugin, search data) with the text in many fields at once."""
    project = new_project(tmp_path_factory.mktemp("site") / "project")
    site = build_site(project, *site_plan(text))
    expected = fold(nfc(text))
    for page_name in SITE_PAGES:
        raw = (site / page_name).read_text(encoding="utf-8")
        page = BeautifulSoup(raw, "html.parser")
        # The whole page, theme included: same elements and attributes as with a harmless text.
        got, want = elements(page), site_baseline[page_name]
        assert got == want, (page_name, got - want, want - got)
        assert expected in fold(page.get_text()), page_name
        for data in page.find_all("script", attrs={"type": "application/ld+json"}):
            json.loads(data.string)
        for script in page.find_all("script"):
            assert nfc(text) not in (script.string or "") or script.get("type") == "application/ld+json"
    plan = BeautifulSoup((site / SITE_PAGES[0]).read_text(encoding="utf-8"), "html.parser")
    assert fold(plan.title.get_text()).startswith(expected)
    assert plan.select_one("meta[property='og:title']")["content"].startswith(nfc(text))
    jsonld = [json.loads(s.string) for s in plan.find_all("script", attrs={"type": "application/ld+json"})]
    assert any(d.get("author", {}).get("name") == nfc(text) for d in jsonld)
    document = [fold(shown(e)) for e in plan.select("article.qip-doc p, article.qip-doc h2, article.qip-doc th")]
    assert document.count(expected) >= 5  # header school, title, heading, column heading, recipient, signer
    rows = json.loads((site / "search" / "mn-a" / "2022-2027.json").read_text(encoding="utf-8"))
    assert any(nfc(text).strip() in row["t"] + "\n" + row["x"] for row in rows)


# --- check and build agree, on hostile text -----------------------------------------------------

HOSTILE_TOKENS = [
    "\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\U0010ffff", "\ud800", "\udfff", "\ud83d\ude00", "\x00", "\x07",
    "\x1b[31m", "\x7f", "\x85", "\u2028", "\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u00ad", "\ufeff",
    "\u200d", "\u200e", "\t", "\r", "\n", "<script>qipxss()</script>", "<img src=x onerror=qipxss()>",
    "</title><qipxss>", "\"><qipxss x=\"", "]]><qipxss/>", "{{ qipxss }}", "{% qipxss %}", "{# x #}",
    "[qipxss](javascript:qipxss())", "**đậm**", "# Tiêu đề", "| a | b |", "--8<-- \"mkdocs.yml\"", "&lt;qipxss&gt;",
    "=HYPERLINK(\"x\")", "Trường Mầm non", "x" * 300, "Kế hoạch " * 40,
]
HOSTILE = st.lists(st.sampled_from(HOSTILE_TOKENS) | st.text(max_size=3), min_size=1, max_size=6).map("".join)
HOSTILE_FIELDS = [(("plan",) + path) for path, _, _ in PLAN_FIELDS] + [(("school",) + path)
                                                                       for path, _, _ in SCHOOL_FIELDS]
_TAG_WITH_TOKEN = re.compile(r"<[^<>]*qipxss", re.IGNORECASE)
# The files of the last example whose files all passed the per-file checks (a file with the same name
# and the same text passes them again: they read nothing else).
_CHECKED: dict[str, str] = {}


def _pair_surrogates(text: str) -> str:
    return re.sub("[\ud800-\udbff][\udc00-\udfff]",
                  lambda m: m.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"), text)


def outputs(site, out: Path) -> dict[str, str]:
    """Everything `build` publishes from plan text, without MkDocs: pages, feed, open data, search."""
    from qip_site.outputs.feed import atom_feed
    from qip_site.outputs.opendata import write_site_data
    from qip_site.outputs.search import records

    # Emptied of the previous example's files (its folders are kept: only files are read back).
    for path in out.rglob("*") if out.is_dir() else ():
        if not path.is_dir():
            path.unlink()
    out.mkdir(parents=True, exist_ok=True)
    renderer = Renderer(site)
    renderer.env = _templates(renderer.env)
    files = {}
    for page in renderer.pages():
        files[page.path] = page.text
        files[page.path + ".meta.json"] = json.dumps(page.meta, ensure_ascii=False)
    (out / "feed.xml").write_bytes(atom_feed(site, "Tên trang", "https://x.vn/"))
    write_site_data(site, out, "CC BY 4.0", generated_from="plans/", site_url="")
    # The search records as Pagefind receives them (the real index is built by the whole-site tests).
    files["search-records.json"] = json.dumps([vars(r) for r in records(site)], ensure_ascii=False)
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            name = path.relative_to(out).as_posix()
            if path.suffix == ".gz":
                import gzip

                data, name = gzip.decompress(data), name.removesuffix(".gz")
            if path.suffix == ".xlsx":  # a zip: the plan text is in its worksheet's XML
                import zipfile

                data, name = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml"), name + "/sheet1.xml"
            if path.suffix == ".zip":  # the open data's JSON and CSV: each file in it, as published
                import zipfile

                with zipfile.ZipFile(path) as packed:
                    files |= {f"{name}/{entry}": packed.read(entry).decode("utf-8-sig") for entry in packed.namelist()}
                continue
            files[name] = data.decode("utf-8-sig")
    return files


@settings(max_examples=2000, **SETTINGS)
@given(field=st.sampled_from(HOSTILE_FIELDS), text=HOSTILE, escaped=st.booleans())
def test_check_and_build_agree_on_hostile_text(workdir: Path, field: tuple, text: str, escaped: bool) -> None:
    """Any text in any field: `check` refuses it with one printable line per problem, or every output
    is built from it, holding no refused character, no element or attribute made from it, and valid
    XML, JSON and CSV."""
    which, path = field[0], field[1:]
    school, plan = (put(SCHOOL, path, text), plan_data()) if which == "school" else (SCHOOL, put(plan_data(), path, text))
    paired = _pair_surrogates(text)
    # Lone surrogates cannot be written as UTF-8: such a text reaches a file only as an escape.
    ascii_only = escaped or bool(re.search("[\ud800-\udfff]", text))
    write_plans(workdir, school, plan, ascii_only)
    refused = CONTROL.search(paired) or (not ascii_only and "\r" in text)
    try:
        site, warnings = load_site(workdir / "plans", workdir, history=History())
    except E.PlanErrors as errors:
        assert refused, str(errors)
        lines = str(errors).splitlines()
        assert len(lines) == len(errors.problems) + len(errors.warnings) + 1
        assert all(line.isprintable() and unicodedata.is_normalized("NFC", line) for line in lines), lines
        assert any(isinstance(p, (E.ControlCharacterProblem, E.YamlSyntaxProblem)) for p in errors.problems)
        return
    assert not refused, (text, "accepted by check")
    if INVISIBLE.search(paired):
        assert any(isinstance(w, E.InvisibleCharacterWarning) for w in warnings)
    files = outputs(site, workdir / "out")
    for name, data in files.items():
        if _CHECKED.get(name) == data:
            continue  # the same text as the previous example's file, which passed the same checks
        assert not CONTROL.search(data.replace("\r", "")), (name, "refused character published")
        assert not INVISIBLE.search(data.replace("\ufeff", "", 1) if data.startswith("\ufeff") else data), name
        if name.endswith((".md", ".xml", ".html")):
            # Attribute values (always double-quoted, quotes escaped) may hold the text; tags may not.
            unquoted = re.sub(r'"[^"]*"', '""', data)
            assert not _TAG_WITH_TOKEN.search(unquoted), (name, _TAG_WITH_TOKEN.search(unquoted))
        if name.endswith(".json"):
            json.loads(data)
        elif name.endswith(".csv"):
            list(csv.reader(io.StringIO(data)))
    _CHECKED.clear()
    _CHECKED.update(files)
    import xml.dom.minidom

    xml.dom.minidom.parseString(files["feed.xml"].encode("utf-8"))
    shown_text = nfc(INVISIBLE.sub("", paired))
    plan_page = next(data for name, data in files.items() if name.endswith("ke-hoach-2022-2027/index.md"))
    if which == "plan" and shown_text.strip():
        # Shown whole, as typed (the other properties check where; here: nothing was cut).
        assert " ".join(shown_text.split()) in " ".join(html.unescape(plan_page.replace("<br>", " ")).split())
