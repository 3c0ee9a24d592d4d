"""Each plan as a PDF to attach (issue 18): `qip-site pdf` prints the plan pages with Chromium into
.cache/qip-pdf/, and `qip-site build` publishes each PDF beside its plan's page, linked with its size.

One temporary project (git, a site address): Lê Đình Chinh's seed plan and a small plan holding
hostile text, printed once for the module; the PDFs are read back with pdfplumber.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, content, fold, new_project, run_cli, write_files

pytestmark = pytest.mark.browser
MM = 72 / 25.4  # PDF points in a millimetre
ADDRESS = "https://kehoach.example.edu.vn/pgd/"
CHINH = "truong/th-le-dinh-chinh/ke-hoach-2023-2024/"
HOA_BINH = "truong/th-hoa-binh/ke-hoach-2024-2025/"
SENTENCE = "Thông báo công khai với các cơ quan quản lý nhà nước và xã hội về thực trạng chất lượng của trường tiểu học."
# Run as a script, this would replace the whole page with the word QIPRAN; shown as text, it never says it.
HOSTILE = "<script>document.body.innerHTML='QIP'+'RAN'</script> <img src=x onerror=\"document.title='QIP'+'RAN'\"> {{ 7*7 }}"


def printed_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return fold(" ".join(page.extract_text() or "" for page in pdf.pages))


def cached(root: Path) -> set[str]:
    return {path.name for path in (root / ".cache/qip-pdf").glob("*.pdf")}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A committed project with a site address; `qip-site pdf` run once."""
    from test_disclosure import SCHOOL, commit, git, plan_text

    root = new_project(tmp_path_factory.mktemp("pdf") / "du-an")
    shutil.copytree(REPO / "plans/th-le-dinh-chinh", root / "plans/th-le-dinh-chinh")
    write_files(root, {"plans/th-hoa-binh/school.yml": SCHOOL,
                       "plans/th-hoa-binh/2024-2025.yml": plan_text(extra=f"preamble:\n  - {json.dumps(HOSTILE)}\n")})
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "site_url: !ENV [QIP_SITE_URL, null]", f"site_url: {ADDRESS}"), encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    commit(root, "Đăng kế hoạch", "2025-09-10T08:00:00+07:00")
    result = run_cli("pdf", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    root.joinpath("pdf-output.txt").write_text(result.stdout, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Chưa có bản PDF" not in result.stderr  # every plan has its PDF
    return project / "site"


def test_every_plan_printed_once(project: Path) -> None:
    output = project.joinpath("pdf-output.txt").read_text(encoding="utf-8")
    assert "Đã in 2 bản PDF mới; 0 kế hoạch đã có bản PDF không đổi (thư mục .cache/qip-pdf/)." in output
    assert len(cached(project)) == 2


def test_a4_with_the_decree_margins_in_one_font_family(site: Path) -> None:
    import pdfplumber

    with pdfplumber.open(site / CHINH / "ke-hoach.pdf") as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            assert (round(page.width), round(page.height)) == (595, 842)  # A4 in points
            words = page.extract_words()
            body = [w for w in words if w["top"] > 20 * MM - 2]  # under the page number
            assert min(w["x0"] for w in body) >= 30 * MM - 1  # left margin 30 mm
            assert max(w["x1"] for w in body) <= page.width - 15 * MM + 1  # right margin 15 mm
            assert max(w["bottom"] for w in body) <= page.height - 20 * MM + 1  # bottom margin 20 mm
            # "BAAAAA+Tinos-Bold": a subset of Tinos; Times New Roman where it is installed.
            families = {re.sub(r"^[A-Z]{6}\+", "", c["fontname"]).split("-")[0] for c in page.chars}
            assert len(families) == 1 and families <= {"Tinos", "TimesNewRomanPSMT", "TimesNewRoman"}, families


def test_selectable_text_and_provenance(site: Path) -> None:
    text = printed_text(site / CHINH / "ke-hoach.pdf")
    assert SENTENCE in text
    assert "KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC Năm học 2023 - 2024" in text
    assert "Bản in từ trang công khai kế hoạch:" in text
    assert f"kếhoạch:{ADDRESS}{CHINH}Ngàyđăng" in text.replace(" ", "")  # the address may wrap at a "-"
    assert "Ngày đăng lên trang: 10/09/2025. Cập nhật lần cuối: 10/09/2025." in text
    assert "Chưa có bản gốc đã ký trên trang." in text
    for chrome in ("Tìm kiếm", "In văn bản", "Tải văn bản", "Bản PDF", "Lịch sử thay đổi"):  # nothing of the site around it
        assert chrome not in text, chrome


def test_title_and_author(site: Path) -> None:
    import pdfplumber

    with pdfplumber.open(site / CHINH / "ke-hoach.pdf") as pdf:
        assert pdf.metadata["Title"] == "KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC Năm học 2023 - 2024 (Năm học 2023-2024)"
        assert pdf.metadata["Author"] == "Trường Tiểu học Lê Đình Chinh"


def test_plan_page_links_the_pdf_with_its_size(project: Path, site: Path) -> None:
    for url in (CHINH, HOA_BINH):
        pdf = site / url / "ke-hoach.pdf"
        assert pdf.read_bytes()[:5] == b"%PDF-"
        assert pdf.read_bytes() in {path.read_bytes() for path in (project / ".cache/qip-pdf").glob("*.pdf")}
        page = content(site / url / "index.html")
        assert "<dt>" not in page.get_text()  # the page is still HTML around the link (never escaped as text)
        link = page.select_one('a[href="ke-hoach.pdf"]')
        assert link is not None and link.get_text() == "Bản PDF"
        assert link["type"] == "application/pdf" and link["download"] == f"ke-hoach-{url.split('/')[1]}-{url[-10:-1]}.pdf"
        assert link.parent.find_previous_sibling("dt").get_text() == "Tải văn bản"
        said = re.fullmatch(r"Bản PDF \((\d+(?:,\d)?) KB\), .*", fold(link.parent.get_text()))
        assert said is not None, link.parent.get_text()
        assert float(said.group(1).replace(",", ".")) == pytest.approx(pdf.stat().st_size / 1000, abs=0.05)


def test_the_pdf_is_the_print_view(site: Path, browser) -> None:
    """The PDF prints what a reader's Chromium prints from the published page (tests/test_print.py): the
    same letters at the same places, page by page."""
    import pdfplumber
    from test_browser import served

    from qip_site.outputs.pdf import CHROMIUM_ARGS

    def letters(path: Path) -> list:
        with pdfplumber.open(path) as pdf:
            return [[(c["text"], round(c["x0"], 1), round(c["top"], 1)) for c in page.chars] for page in pdf.pages]

    with served(site) as address:
        # A Chromium of its own, started as `qip-site pdf` starts it (by the tests' Playwright).
        chromium = browser.browser_type.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = chromium.new_page()
        page.goto(address + CHINH)
        page.pdf(path=str(site.parent / "reader.pdf"), prefer_css_page_size=True)
        chromium.close()
    assert letters(site / CHINH / "ke-hoach.pdf") == letters(site.parent / "reader.pdf")


def test_hostile_text_is_printed_as_text(site: Path) -> None:
    text = printed_text(site / HOA_BINH / "ke-hoach.pdf")
    assert "<script>document.body.innerHTML='QIP'+'RAN'</script>" in text
    assert "{{ 7*7 }}" in text
    assert "QIPRAN" not in text  # neither script ran while printing
    assert "Bồi dưỡng giáo viên" in text  # the rest of the plan is there


def test_unchanged_plans_are_not_printed_again_and_a_changed_plan_is(project: Path, tmp_path: Path) -> None:
    from test_disclosure import commit, plan_text

    root = tmp_path / "du-an"
    shutil.copytree(project, root, ignore=shutil.ignore_patterns("site"))
    before = cached(root)
    again = run_cli("pdf", cwd=root)
    assert again.returncode == 0, again.stderr
    assert "Đã in 0 bản PDF mới; 2 kế hoạch đã có bản PDF không đổi" in again.stdout
    assert cached(root) == before

    write_files(root, {"plans/th-hoa-binh/2024-2025.yml": plan_text(measures="Bồi dưỡng giáo viên cốt cán")})
    commit(root, "Sửa biện pháp", "2025-10-01T08:00:00+07:00")
    built = run_cli("build", cwd=root)
    assert built.returncode == 0, built.stderr
    # Until `make pdf` prints it, the changed plan has no PDF: no link, and the build says so once.
    assert built.stderr.count("Chưa có bản PDF của 1/2 kế hoạch") == 1
    assert "make pdf" in built.stderr
    assert content(root / "site" / HOA_BINH / "index.html").select_one('a[href="ke-hoach.pdf"]') is None
    assert not (root / "site" / HOA_BINH / "ke-hoach.pdf").exists()
    assert content(root / "site" / CHINH / "index.html").select_one('a[href="ke-hoach.pdf"]') is not None

    changed = run_cli("pdf", cwd=root)
    assert changed.returncode == 0, changed.stderr
    assert ("Đã in 1 bản PDF mới; 1 kế hoạch đã có bản PDF không đổi (thư mục .cache/qip-pdf/); "
            "đã xóa 1 bản PDF cũ không còn dùng.") in changed.stdout
    after = cached(root)
    assert len(after) == 2 and len(after & before) == 1  # Lê Đình Chinh's kept, Hòa Bình's new
    assert "Bồi dưỡng giáo viên cốt cán" in printed_text(root / ".cache/qip-pdf" / (after - before).pop())


def test_switched_off(project: Path, tmp_path: Path) -> None:
    root = tmp_path / "du-an"
    shutil.copytree(project, root, ignore=shutil.ignore_patterns("site"))
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - qip:\n", "  - qip:\n      outputs: {pdf: false}\n"), encoding="utf-8")
    built = run_cli("build", cwd=root)
    assert built.returncode == 0, built.stderr
    assert "Chưa có bản PDF" not in built.stderr
    assert content(root / "site" / CHINH / "index.html").select_one('a[href="ke-hoach.pdf"]') is None
    assert not list((root / "site").rglob("ke-hoach.pdf"))
    printed = run_cli("pdf", cwd=root)
    assert printed.returncode == 0 and "Bản PDF đang tắt trong mkdocs.yml" in printed.stdout


def test_plan_errors_stop_printing(tmp_path: Path) -> None:
    """Plans with errors: nothing is printed, the errors are said as `check` says them, and the exit code is 1."""
    root = new_project(tmp_path / "du-an")
    write_files(root, {"plans/th-x/school.yml": "name: Trường Tiểu học X\nlevel: primary\n",
                       "plans/th-x/2024-2025.yml": 'period: "2024-2025"\nperiodx: 1\n'})
    result = run_cli("pdf", cwd=root)
    assert result.returncode == 1
    assert 'plans/th-x/2024-2025.yml:2:1: lỗi: trường "periodx"' in result.stderr
    assert result.stderr.rstrip().endswith("Không in được bản PDF: hãy sửa các lỗi trên rồi chạy lại.")
    assert "Traceback" not in result.stderr and not (root / ".cache/qip-pdf").exists()
