"""Official print: a plan page printed by Chromium is an A4 document in the Decree 30/2020 layout."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import content, fold
from test_browser import server  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser
MM = 72 / 25.4  # PDF points in a millimetre
PLAN = "truong/th-le-dinh-chinh/ke-hoach-2023-2024/"
# A page may end at most this far above its bottom margin: three lines of 13 pt (line height 1.3 is
# 6 mm a line), rounded up. Where the next page starts with what is kept together on purpose (a
# heading with its first lines, the signature block), the block that did not fit may leave more:
# at most KEPT_BLOCK_MM.
SHORT_PAGE_MM = 20
KEPT_BLOCK_MM = 35
PROVENANCE = "Bản in từ trang công khai kế hoạch:"


def seed_plans() -> dict[str, str]:
    """Every plan of the seed site (plans/), from the model: its page's path and its file."""
    from conftest import REPO

    from qip_site.reading.validate import load_site
    from qip_site.site import urls

    site, _ = load_site(REPO / "plans", REPO)
    return {urls.plan(plan.school.slug, plan.slug): plan.file for plan in site.plans}


PLANS = seed_plans()


@dataclass
class Printout:
    path: Path
    # Each page: width, height, its words, its fonts, and the tops of its horizontal rules (sorted).
    pages: list[tuple[float, float, list[dict], set[str], list[float]]]


@pytest.fixture(scope="module")
def printouts(browser, server, tmp_path_factory) -> dict[str, Printout]:  # noqa: F811
    """Every plan page of the seed site, printed once by Chromium as a reader would."""
    import pdfplumber

    folder = tmp_path_factory.mktemp("print")
    found = {}
    page = browser.new_page()  # one tab prints them all, one after another, as `qip-site pdf` does
    for address in PLANS:
        page.goto(server + address)
        path = folder / (address.strip("/").replace("/", "-") + ".pdf")
        page.pdf(path=str(path), prefer_css_page_size=True)
        with pdfplumber.open(path) as pdf:
            found[address] = Printout(path, [
                (p.width, p.height, p.extract_words(), {c["fontname"] for c in p.chars},
                 sorted({round(r["top"], 1) for r in p.rects if r["height"] < 2 and r["width"] > 20}))
                for p in pdf.pages])
    page.close()
    return found


@pytest.fixture(scope="module")
def pdf_path(printouts) -> Path:
    """Lê Đình Chinh's plan page, printed."""
    return printouts[PLAN].path


@pytest.fixture(scope="module")
def with_browser_headers(browser, server, tmp_path_factory):  # noqa: F811
    """The same page printed with the browser's own headers and footers switched on (date, title,
    address, "1/5"), as a reader's print dialog may have them."""
    import pdfplumber

    page = browser.new_page()
    page.goto(server + PLAN)
    path = tmp_path_factory.mktemp("print") / "headers.pdf"
    page.pdf(path=str(path), prefer_css_page_size=True, display_header_footer=True)
    page.close()
    with pdfplumber.open(path) as pdf:
        return [(p.height, p.extract_words()) for p in pdf.pages]


@pytest.fixture(scope="module")
def printed(printouts):
    """Lê Đình Chinh's printed pages: width, height, words, fonts."""
    return [page[:4] for page in printouts[PLAN].pages]


@pytest.fixture(scope="module")
def rules(pdf_path):
    """The thin horizontal lines drawn on page 1, as (x0, x1, top)."""
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        return [(r["x0"], r["x1"], r["top"]) for r in pdf.pages[0].rects if r["height"] < 2]


def test_a4_with_the_decree_margins(printed) -> None:
    for width, height, words, _ in printed:
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        body = [w for w in words if w["top"] > 20 * MM - 2]
        assert min(w["x0"] for w in body) >= 30 * MM - 1  # left margin 30 mm
        assert max(w["x1"] for w in body) <= width - 15 * MM + 1  # right margin 15 mm
        assert max(w["bottom"] for w in body) <= height - 20 * MM + 1  # bottom margin 20 mm


def test_page_numbers_centred_at_the_top_from_page_two(printed) -> None:
    assert len(printed) >= 2
    first_top = [w for w in printed[0][2] if w["top"] < 20 * MM - 2]
    assert first_top == []
    for number, (width, _, words, _) in enumerate(printed[1:], start=2):
        top = [w for w in words if w["top"] < 20 * MM - 2]
        assert [w["text"] for w in top] == [str(number)]
        centre = (top[0]["x0"] + top[0]["x1"]) / 2
        assert abs(centre - (30 * MM + (width - 45 * MM) / 2)) < 3 * MM


def test_the_document_in_order_and_nothing_of_the_site(printed) -> None:
    text = fold(" ".join(w["text"] for _, _, words, _ in printed for w in words))
    assert text.count(PROVENANCE) == 1
    text = text.split(PROVENANCE)[0]  # the provenance block, after the signature, is tested below
    order = ["KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU",
             "III. NỘI DUNG KẾ HOẠCH", "1.4", "5.5", "IV. TỔ CHỨC THỰC HIỆN", "Nơi nhận:", "Lưu Thuận Phong"]
    # Cells side by side are read line by line across the row, so the table is checked by its codes.
    positions = [text.find(fold(part)) for part in order]
    assert all(p >= 0 for p in positions), dict(zip(order, positions))
    assert positions == sorted(positions)
    for chrome in ("Tìm kiếm", "Các trường", "Giới thiệu", "In văn bản", "Số, ký hiệu", "Thông tư 17/2018, tiêu chí",
                   "Nội dung kế hoạch được đăng nguyên văn", "Trường học ›", "Lịch sử thay đổi",
                   "Tổng các khoản", "Căn cứ công khai", "Biểu đồ kinh phí", "Ngày đăng lên trang",
                   "3.000.000 đ"):  # amounts the site derives are not in the document
        assert chrome not in text, chrome


def test_two_column_header(printed) -> None:
    _, _, words, _ = printed[0]
    title = next(w for w in words if w["text"] == "KẾ")
    header = [w for w in words if w["bottom"] < title["top"]]
    # The two columns are split where the first line has its widest gap.
    first = sorted((w for w in header if abs(w["top"] - header[0]["top"]) < 4), key=lambda w: w["x0"])
    gap = max(zip(first, first[1:]), key=lambda pair: pair[1]["x0"] - pair[0]["x1"])
    middle = (gap[0]["x1"] + gap[1]["x0"]) / 2
    left = fold(" ".join(w["text"] for w in header if w["x1"] < middle))
    right = fold(" ".join(w["text"] for w in header if w["x0"] > middle))
    assert left == "ỦY BAN NHÂN DÂN QUẬN 10 TRƯỜNG TIỂU HỌC LÊ ĐÌNH CHINH Số : 107/KH-LĐC"
    assert right == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập Tự do – Hạnh phúc Quận 10, ngày 18 tháng 8 năm 2023"


def fonts_of(path: Path) -> str:
    if not shutil.which("pdffonts"):
        pytest.fail("pdffonts is missing: run `make test`, which installs Debian's poppler-utils")
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("address", PLANS)
def test_one_font_family_for_all_text(printouts, address: str) -> None:
    """Every letter, those with two marks (Ế, Ả, Ợ, Ộ, ậ, ữ) included, prints in one serif family:
    Times New Roman where it is installed, else Tinos, which the site serves (not on this machine's
    Liberation Serif 1.07, which lacks them, with DejaVu Sans filling in)."""
    listing = fonts_of(printouts[address].path)
    names = [line.split()[0] for line in listing.splitlines()[2:] if line.strip()]
    # "BAAAAA+Tinos-BoldItalic": a subset of the family Tinos, bold italic.
    families = {re.sub(r"^[A-Z]{6}\+", "", name).split("-")[0] for name in names}
    assert len(families) == 1 and families <= {"Tinos", "TimesNewRomanPSMT", "TimesNewRoman"}, listing


def test_letters_with_two_marks_are_printed(pdf_path) -> None:
    """The letters Liberation Serif lacks are in the printout (and so in its one family)."""
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    for letters in ("KẾ", "Ả", "Ợ", "Ộ", "ậ", "ữ"):
        assert letters in text, letters


def first_line(words: list[dict]) -> tuple[str, float]:
    """The first line of text under the page number, and its top."""
    top = [w for w in words if w["top"] > 20 * MM - 2]
    first = min(w["top"] for w in top)
    return fold(" ".join(w["text"] for w in sorted(top, key=lambda w: w["x0"]) if w["top"] - first < 3)), first


@pytest.mark.parametrize("address", PLANS)
def test_no_page_ends_far_above_its_bottom_margin(printouts, address: str) -> None:
    """Rows split across pages: on every plan of the seed site a page ends at most SHORT_PAGE_MM
    above the bottom margin, or KEPT_BLOCK_MM when the next page starts with a heading (kept with
    its first lines) or the signature block.

    One allowance more: a heading right above the plan table is kept with the table's column
    headings (repeated on every page) and its first lines, and those headings alone can be taller
    than a few lines: 38 mm in Thủy Tiên's plan, whose narrow last column heading "Điều kiện thực
    hiện (nhân lực, vật lực…)" takes seven lines. So where the next page starts with a heading and
    the table right under it, the page may leave KEPT_BLOCK_MM plus the height of those column
    headings, as measured on that page (from the table's top rule to the rule under the headings)."""
    headings = headings_of(PLANS[address])
    pages = printouts[address].pages
    for number, ((_, height, words, _, _), (_, _, following, _, rules)) in enumerate(zip(pages, pages[1:]), start=1):
        body = [w for w in words if 20 * MM - 2 < w["top"] < height - 20 * MM]
        white = (height - 20 * MM - max(w["bottom"] for w in body)) / MM
        line, top = first_line(following)
        allowed = SHORT_PAGE_MM
        if line in headings or line.startswith("Nơi nhận:"):
            allowed = KEPT_BLOCK_MM
            # The table right under the heading (its top rule within two lines of it): its column headings.
            table = [rule for rule in rules if top < rule < top + 15 * MM]
            if line in headings and table:
                allowed += (next(rule for rule in rules if rule > table[0] + 2) - table[0]) / MM
        assert white <= allowed, (number, round(white, 1), round(allowed, 1), line)


@pytest.mark.parametrize("address", PLANS)
def test_provenance_on_the_last_page(printouts, address: str) -> None:
    """Where the plan is published, when, and whether its signed original is on the site, from the
    model: the seed plans have no site_url (their address is the page's path) and no original. It
    is the last thing printed: under the signature."""
    pages = printouts[address].pages
    everything = fold(" ".join(w["text"] for page in pages for w in page[2]))
    assert everything.count(PROVENANCE) == 1
    last = fold(" ".join(w["text"] for w in pages[-1][2]))
    block = last[last.index(PROVENANCE):]
    assert re.fullmatch(re.escape(f"{PROVENANCE} /{address}") + r" Ngày đăng lên trang: \d\d/\d\d/\d{4}\. "
                        r"Cập nhật lần cuối: \d\d/\d\d/\d{4}\. Chưa có bản gốc đã ký trên trang\.", block), block
    if address == PLAN:
        assert "Lưu Thuận Phong" in last.split(PROVENANCE)[0]  # the signer, above it on the same page


def test_page_numbers_once_even_with_the_browsers_headers(with_browser_headers) -> None:
    """Empty margin boxes at the top of page 1 and at the foot of every page keep Chromium's own
    header and footer out: no date, title, address or second page count ("2/5")."""
    assert len(with_browser_headers) >= 2
    for number, (height, words) in enumerate(with_browser_headers, start=1):
        margins = [w["text"] for w in words if w["top"] < 20 * MM - 2 or w["top"] > height - 20 * MM]
        assert margins == ([] if number == 1 else [str(number)]), (number, margins)
        count = rf"\d+/{len(with_browser_headers)}"  # "2/5", as the browser numbers pages
        assert not any(re.fullmatch(count, w["text"]) for w in words), number


def test_table_header_repeats_on_every_page(printed) -> None:
    pages = [fold(" ".join(w["text"] for w in words)) for _, _, words, _ in printed]
    starts = next(n for n, text in enumerate(pages) if "III. NỘI DUNG KẾ HOẠCH" in text)
    ends = next(n for n, text in enumerate(pages) if "IV. TỔ CHỨC THỰC HIỆN" in text)
    if pages[ends].split("IV. TỔ CHỨC THỰC HIỆN")[0].strip() == str(ends + 1):
        ends -= 1  # the section after the table starts a page (under its number): the table ended before
    # Every page the table runs on after its first, the page where it ends included.
    continued = [printed[n][2] for n in range(starts + 1, ends + 1)]
    assert len(continued) >= 2, (starts, ends)  # the table of this plan runs over several pages
    for words in continued:
        # "Dự kiến kinh phí", a column heading, near the top of the page (under the page number).
        assert "Dự" in [w["text"] for w in words][:40]


def headings_of(file: str) -> set[str]:
    """Every heading of a plan (its YAML file) that heads something: sections, sub-headings, level
    and standard rows. A level or standard of the table without rows ("MỨC 4: Không có") is a row
    of text like any other, and may end a page."""
    from conftest import REPO
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load((REPO / file).read_text(encoding="utf-8"))
    found: set[str] = set()

    def walk(value, key: str = "") -> None:
        if isinstance(value, dict):
            heads = key not in ("levels", "standards") or any(isinstance(v, list) and v for v in value.values())
            if isinstance(value.get("heading"), str) and heads:
                found.add(fold(value["heading"]))
            for name, item in value.items():
                walk(item, name)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)

    walk(data)
    return found


@pytest.mark.parametrize("address", PLANS)
def test_no_page_ends_on_a_heading_or_leaves_marks_behind(printouts, address: str) -> None:
    """A heading goes to the next page with what it heads; its capitals' marks ("KẾ") go with it."""
    headings = headings_of(PLANS[address])
    if address == PLAN:
        assert "III. NỘI DUNG KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC" in headings
    for number, (_, _, words, _, _) in enumerate(printouts[address].pages[:-1], start=1):
        body = [w for w in words if w["top"] > 20 * MM - 2]
        last = max(w["bottom"] for w in body)
        line = fold(" ".join(w["text"] for w in sorted(body, key=lambda w: w["x0"]) if last - w["bottom"] < 3))
        assert line not in headings, (number, line)
        # A lone capital with marks is the top of a line printed on the next page.
        strays = [w["text"] for w in words if len(w["text"]) == 1 and w["text"].isupper() and not w["text"].isascii()]
        assert strays == [], (number, strays)


def test_decree_lines_under_the_motto_the_school_and_the_title(printed, rules) -> None:
    """A line as long as the motto under it; a line of 1/3 to 1/2 of the text, centred, under the
    school's name and under the title."""
    words = printed[0][2]

    texts = [w["text"] for w in words]
    nation = words[texts.index("CỘNG")]["x0"]  # where the header's right column starts

    def span(first: str, last: str, column) -> tuple[float, float, float]:
        """x0, x1 and bottom of the text from the word `first` to the word `last`, in one column."""
        run = [w for w in words[texts.index(first):texts.index(last) + 1] if column(w)]
        return min(w["x0"] for w in run), max(w["x1"] for w in run), max(w["bottom"] for w in run)

    def rule_under(x0: float, x1: float, bottom: float) -> tuple[float, float, float]:
        below = [r for r in rules if 0 <= r[2] - bottom < 12 and abs((r[0] + r[1]) / 2 - (x0 + x1) / 2) < 3]
        assert len(below) == 1, (x0, x1, bottom, rules)
        return below[0]

    x0, x1, bottom = span("Độc", "phúc", lambda w: w["x0"] >= nation)
    line = rule_under(x0, x1, bottom)
    assert abs(line[0] - x0) < 2 and abs(line[1] - x1) < 2
    for first, last, column in (("TRƯỜNG", "CHINH", lambda w: w["x1"] < nation), ("KẾ", "2024", lambda w: True)):
        x0, x1, bottom = span(first, last, column)
        line = rule_under(x0, x1, bottom)
        assert (x1 - x0) / 3 - 1 <= line[1] - line[0] <= (x1 - x0) / 2 + 1, (first, line, x0, x1)


def test_provenance_with_a_site_address_and_a_signed_original(tmp_path) -> None:
    """With a site_url the address is absolute, and a plan with its signed original says where it is.
    Only the printout shows the block."""
    from conftest import new_project, run_cli, write_files
    from test_disclosure import PDF, SCHOOL, commit, git, plan_text

    root = new_project(tmp_path / "du-an")
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"plans/th-hoa-binh/school.yml": SCHOOL, "plans/th-hoa-binh/2024-2025.yml": plan_text(),
                       "plans/th-hoa-binh/2024-2025.pdf": PDF})
    commit(root, "Đăng kế hoạch", "2024-09-12T09:00:00+07:00")
    env_config = (root / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "site_url: !ENV [QIP_SITE_URL, null]", "site_url: https://kehoach.example.edu.vn/pgd/")
    (root / "mkdocs.yml").write_text(env_config, encoding="utf-8")
    result = run_cli("build", cwd=root)
    assert result.returncode == 0, result.stderr
    block = content(root / "site/truong/th-hoa-binh/ke-hoach-2024-2025/index.html").select_one(".qip-print-provenance")
    assert "qip-print-only" in block["class"]
    assert [p.get_text(" ", strip=True) for p in block.select("p")] == [
        "Bản in từ trang công khai kế hoạch: https://kehoach.example.edu.vn/pgd/truong/th-hoa-binh/ke-hoach-2024-2025/",
        "Ngày đăng lên trang: 12/09/2024 . Cập nhật lần cuối: 12/09/2024 .",
        "Có bản gốc đã ký: https://kehoach.example.edu.vn/pgd/truong/th-hoa-binh/ke-hoach-2024-2025/ban-goc.pdf.",
    ]
