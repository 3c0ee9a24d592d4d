"""Each page type of the built site, as a reader sees it (the built HTML)."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO, content, content_text, fold, new_project, run_cli, soup, write_files

from qip_site.site.render import CRITERION_PAGE_SIZE

SCHOOL = "name: Trường Mầm non Số {n}\nlevel: preschool\nplace:\n  as_written: Quận {n}\n  province: Thành phố Hồ Chí Minh\n"
PLAN = """period: 2023-2024
header:
  place_date: "Quận 1, ngày {day} tháng 9 năm 2023"
title: [KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC]
sections:
  - heading: III. NỘI DUNG
    table: true
table:
  columns: {{criterion: Tiêu chí, measures: Biện pháp, budget: Kinh phí}}
  standards:
    - heading: "Tiêu chuẩn 1: Tổ chức và quản lý nhà trường"
      criteria:
        - code: "1.1"
          criterion: Tiêu chí 1.1
          measures: Việc số {n}
          budget: "{n} triệu"
"""


def links(page: Path) -> list[str]:
    return [a.get("href") for a in content(page).select("a")]


def test_urls_have_no_diacritics(seed_site: Path) -> None:
    paths = [p.relative_to(seed_site).as_posix() for p in seed_site.rglob("*")]
    assert paths and all(p.isascii() for p in paths), [p for p in paths if not p.isascii()]
    for expected in (
        "index.html", "truong/index.html", "truong/mn-thuy-tien/index.html",
        "truong/mn-thuy-tien/2024-2025/index.html", "truong/mn-thuy-tien/ke-hoach-2022-2027/index.html",
        "nam-hoc/index.html", "nam-hoc/2024-2025/index.html", "tieu-chi/index.html",
        "tieu-chi/tt19-2018/index.html", "tieu-chi/tt19-2018/1-3/index.html", "truong/th-le-dinh-chinh/index.html",
    ):
        assert (seed_site / expected).is_file(), expected


def test_home(seed_site: Path) -> None:
    page = seed_site / "index.html"
    text = content_text(page)
    assert "kế hoạch cải tiến chất lượng giáo dục" in text
    assert "Hiện có 5 trường và 5 kế hoạch." in text
    latest = [fold(li.get_text()) for li in content(page).select("ul.qip-plans li")]
    assert len(latest) == 5
    # Newest first by date of issue; a plan with no date (Họa Mi) comes last.
    assert latest[0].startswith("Kế hoạch năm học 2023-2024 — Trường Mầm non 1")
    assert latest[1].startswith("Kế hoạch năm học 2023-2024 — Trường Tiểu học Lê Đình Chinh")
    assert latest[-1].endswith("(ban hành Không ghi trong văn bản)")
    assert "../truong/mn-hoa-mi/" not in links(page) and "truong/mn-hoa-mi/" in links(page)


def test_schools_grouped_by_level_and_place(seed_site: Path) -> None:
    page = content(seed_site / "truong/index.html")
    levels = [fold(h.get_text()) for h in page.select("h2")]
    assert levels == ["Mầm non", "Tiểu học", "Trung học (THCS, THPT)"]
    preschool = page.select_one("h2#cap-preschool").find_parent("section")
    places = [fold(h.get_text()) for h in preschool.select("h3")]
    assert places == [
        "Thành phố Hồ Chí Minh – Huyện Bình Chánh", "Thành phố Hồ Chí Minh – Quận 5", "Tỉnh Điện Biên",
    ]
    assert "Trường trung học (tên không ghi trong văn bản)" in fold(page.get_text(" "))


def test_school_page(seed_site: Path) -> None:
    page = seed_site / "truong/mn-thuy-tien/index.html"
    text = content_text(page)
    assert "Cơ quan chủ quản UBND HUYỆN BÌNH CHÁNH" in text
    assert "Xã/phường hiện nay Chưa rõ" in text
    years = [fold(a.get_text()) for a in content(page).select("table.qip-list-table th a")]
    assert years == ["2026-2027", "2025-2026", "2024-2025", "2023-2024", "2022-2023"]
    assert "ke-hoach-2022-2027/" in links(page)


def test_school_year_page_shows_what_falls_in_that_year(seed_site: Path) -> None:
    y2024 = content_text(seed_site / "truong/mn-thuy-tien/2024-2025/index.html")
    y2025 = content_text(seed_site / "truong/mn-thuy-tien/2025-2026/index.html")
    # Criterion 1.3 pairs one action with each year.
    assert "Tạo điều kiện cho 3 giáo viên học lớp sơ cấp chính trị" in y2024
    assert "Tiếp tục duy trì các thành tích đã đạt được" not in y2024  # 2023-2024's action
    assert "Tạo điều kiện cho 3 giáo viên học lớp sơ cấp chính trị" not in y2025
    # Criterion 1.5's third action is "Năm học 2024-2025 và các năm tiếp theo": it goes on in 2025-2026.
    third = "Tiếp tục huy động trẻ nhà trẻ, đặc biệt là trẻ trong độ tuổi 18 - 24 tuổi"
    assert third in y2024 and third in y2025
    assert "Mở thêm 1 lớp mầm (có 19 nhóm, lớp)" not in y2024  # 2023-2024 only
    # Criterion 1.1 is not split by year: shown whole, marked as such.
    assert "Tuyên truyền phương hướng, chiến lược xây dựng" in y2024
    assert "Nội dung chung cho cả giai đoạn (văn bản không chia theo năm)" in y2024
    assert "../ke-hoach-2022-2027/" in links(seed_site / "truong/mn-thuy-tien/2024-2025/index.html")


def test_plan_page_is_the_whole_document(seed_site: Path) -> None:
    page = content(seed_site / "truong/th-le-dinh-chinh/ke-hoach-2023-2024/index.html")
    header = fold(page.select_one(".qip-doc-header").get_text(" "))
    assert header.startswith("ỦY BAN NHÂN DÂN QUẬN 10 TRƯỜNG TIỂU HỌC LÊ ĐÌNH CHINH Số : 107/KH-LĐC")
    assert header.endswith("Quận 10, ngày 18 tháng 8 năm 2023")
    assert [fold(h.get_text()) for h in page.select(".qip-section > h2")][:2] == [
        "I. MỤC ĐÍCH, YÊU CẦU", "II. CĂN CỨ XÂY DỰNG KẾ HOẠCH",
    ]
    assert len(page.select("table.qip-table tr.qip-row")) == 11
    assert "3.000.000 đ mỗi năm học" in fold(page.select_one("tr#tieu-chi-1-7").get_text(" "))
    signature = fold(page.select_one(".qip-signature").get_text(" "))
    assert signature == "Nơi nhận: - Phòng GDĐT (để b/c); - Ủy ban nhân dân P5; - Lưu VT. HIỆU TRƯỞNG Lưu Thuận Phong"
    facts = fold(page.select_one(".qip-facts").get_text(" "))
    assert "Số, ký hiệu 107/KH-LĐC Ngày ban hành 18/08/2023" in facts


def test_year_pages(seed_site: Path) -> None:
    index = content(seed_site / "nam-hoc/index.html")
    years = [fold(a.get_text()) for a in index.select("th a")]
    assert years == [f"{y}-{y + 1}" for y in range(2028, 2021, -1)]
    y2024 = content_text(seed_site / "nam-hoc/2024-2025/index.html")
    assert "Trường Mầm non Thủy Tiên" in y2024 and "Trường Mầm non Họa Mi" in y2024
    assert "Lê Đình Chinh" not in y2024  # its plan is for 2023-2024 only
    assert "Kế hoạch 5 năm, 2022-2023 đến 2026-2027" in y2024


def test_circular_and_criterion_pages(seed_site: Path) -> None:
    circular = content(seed_site / "tieu-chi/tt19-2018/index.html")
    assert len(circular.select("li a[href$='/']")) == 25
    assert "Nguồn các tiêu đề: bản chép lại của bên thứ ba." in fold(circular.get_text(" "))
    criterion = seed_site / "tieu-chi/tt17-2018/1-4/index.html"
    text = content_text(criterion)
    assert text.startswith("Tiêu chí › Thông tư 17/2018 Tiêu chí 1.4: Hiệu trưởng, phó hiệu trưởng, tổ chuyên môn và tổ văn phòng")
    assert "Trường Tiểu học Lê Đình Chinh" in text
    # One line per plan row, linking to the row; its measures stand on the plan page only.
    assert "Tổ chức thêm chuyên đề về phương pháp giảng dạy cho học sinh chậm phát triển" not in text
    assert "../../../truong/th-le-dinh-chinh/ke-hoach-2023-2024/#tieu-chi-1-4" in links(criterion)
    empty = content_text(seed_site / "tieu-chi/tt17-2018/1-1/index.html")
    assert "Chưa có trường nào lên kế hoạch cho tiêu chí này." in empty


def test_strict_build_keeps_warnings_informative(tmp_path: Path) -> None:
    result = run_cli("build", "-d", str(tmp_path / "site"), cwd=REPO)
    assert result.returncode == 0
    assert "cảnh báo: trường \"sections[2].content[3]\": văn bản dẫn Thông tư 17/2018" in result.stderr


def test_navigation_and_pagination_do_not_grow_with_schools(tmp_path: Path, seed_site: Path) -> None:
    project = new_project(tmp_path / "big")
    schools = CRITERION_PAGE_SIZE + 3  # a second page of three entries
    for n in range(1, schools + 1):
        write_files(project, {
            f"plans/mn-so-{n}/school.yml": SCHOOL.format(n=n),
            f"plans/mn-so-{n}/2023-2024.yml": PLAN.format(n=n, day=(n % 28) + 1),
        })
    result = run_cli("build", "-d", "site", cwd=project)
    assert result.returncode == 0, result.stderr
    site = project / "site"

    def nav_links(root: Path) -> int:
        return len(soup(root / "index.html").select("nav.md-nav--primary a.md-nav__link"))

    assert nav_links(site) == nav_links(seed_site)
    first = content(site / "tieu-chi/tt19-2018/1-1/index.html")
    second = content(site / "tieu-chi/tt19-2018/1-1/trang-2/index.html")
    assert len(first.select("ul.qip-compact > li")) == CRITERION_PAGE_SIZE
    assert len(second.select("ul.qip-compact > li")) == 3
    assert f"{schools} kế hoạch có nội dung cho tiêu chí này; trang 1/2." in fold(first.get_text(" "))
    assert second.select_one("a[rel=prev]").get("href") == "../"
    # Schools in natural order on the second page; each line links to the school and to its row.
    last = range(schools - 2, schools + 1)
    assert [fold(li.get_text(" ")) for li in second.select("ul.qip-compact > li")] == [
        f"Trường Mầm non Số {n} — Kế hoạch năm học 2023-2024 — Tiêu chí 1.1" for n in last]
    assert [[a["href"] for a in li.select("a")] for li in second.select("ul.qip-compact > li")] == [
        [f"../../../../truong/mn-so-{n}/", f"../../../../truong/mn-so-{n}/ke-hoach-2023-2024/#tieu-chi-1-1"]
        for n in last]
    assert f"Việc số {schools}" not in fold(second.get_text(" "))  # the row's measures: on its plan page


def test_edit_link_opens_the_plan_file(tmp_path: Path) -> None:
    project = new_project(tmp_path / "edit")
    write_files(project, {"plans/mn-so-1/school.yml": SCHOOL.format(n=1), "plans/mn-so-1/2023-2024.yml": PLAN.format(n=1, day=2)})
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("# repo_url: https://github.com/phong-gd/ke-hoach", "repo_url: https://example.org/phong/ke-hoach")
    config = config.replace("# edit_uri: edit/main/docs/", "edit_uri: edit/main/docs/")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    assert run_cli("build", "-d", "site", cwd=project).returncode == 0
    edit = soup(project / "site/truong/mn-so-1/ke-hoach-2023-2024/index.html").select_one("a.md-content__button")
    assert edit is not None and edit.get("href") == "https://example.org/phong/ke-hoach/edit/main/plans/mn-so-1/2023-2024.yml"


def test_broken_plan_stops_the_build_and_keeps_the_site(tmp_path: Path) -> None:
    project = new_project(tmp_path / "broken")
    write_files(project, {"plans/mn-so-1/school.yml": SCHOOL.format(n=1), "plans/mn-so-1/2023-2024.yml": PLAN.format(n=1, day=2)})
    assert run_cli("build", "-d", "site", cwd=project).returncode == 0
    before = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    write_files(project, {"plans/mn-so-1/2023-2024.yml": PLAN.format(n=1, day=2).replace("period: 2023-2024", "period: 2023-2025")})
    result = run_cli("build", "-d", "site", cwd=project)
    assert result.returncode != 0
    assert "plans/mn-so-1/2023-2024.yml:1:9: lỗi: trường \"period\": năm học \"2023-2025\" phải gồm hai năm liền nhau" in result.stderr
    after = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before
    assert not list(project.glob(".site.new-*")) + list(project.glob(".site.old*"))  # .site.lock stays (ignored)
    # Plain `mkdocs build` stops before cleaning its output folder, too.
    (project / "other").mkdir()
    (project / "other" / "keep.txt").write_text("x")
    import subprocess
    import sys

    from conftest import ENV
    plain = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", "other"], cwd=project, env=ENV,
                           capture_output=True, text=True)
    assert plain.returncode != 0 and (project / "other" / "keep.txt").exists()


def test_plan_page_offers_its_data_and_the_open_data_page(seed_site: Path) -> None:
    import zipfile

    from qip_site.site.render import filesize

    plan = seed_site / "truong/mn-thuy-tien/ke-hoach-2022-2027/index.html"
    school = seed_site / "truong/mn-thuy-tien/index.html"
    links = {a.get_text(): a for a in content(plan).select(".qip-facts a")}
    workbook = links["Bảng tính Excel (.xlsx) của mọi kế hoạch của trường"]
    assert (plan.parent / workbook["href"]).resolve() == seed_site / "truong/mn-thuy-tien/ke-hoach.xlsx"
    assert workbook["download"] == "ke-hoach-mn-thuy-tien.xlsx"
    assert "mỗi kế hoạch một trang tính: kế hoạch này ở trang tính “2022-2027”" in fold(
        content(plan).select_one(".qip-facts").get_text(" "))
    assert (plan.parent / links["giải thích, giấy phép"]["href"] / "index.html").resolve() == (seed_site / "du-lieu/index.html")
    # The school's zip, from the plan page and the school page: what it holds, its size, the name it is saved under.
    for page in (plan, school):
        facts = content(page).select_one(".qip-facts")
        link = facts.find("a", string="JSON và CSV của mọi kế hoạch của trường")
        archive = (page.parent / link["href"]).resolve()
        assert archive == seed_site / "truong/mn-thuy-tien/du-lieu.zip"
        assert link["download"] == "du-lieu-mn-thuy-tien.zip" and link["type"] == "application/zip"
        assert f"JSON và CSV của mọi kế hoạch của trường (tệp nén .zip, {filesize(archive.stat().st_size)})" in \
            fold(facts.get_text(" "))
        assert "ke-hoach-2022-2027/ke-hoach.json" in zipfile.ZipFile(archive).namelist()
    assert "CC BY 4.0" in content_text(seed_site / "du-lieu/index.html")
    assert content(plan).select_one("button.qip-print").get_text() == "In văn bản"


def test_theme_text_is_vietnamese_on_every_page(seed_site: Path) -> None:
    """Material writes some of its own words in English whatever the language: none may show."""
    pages = sorted(seed_site.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        page = soup(path)
        assert page.html.get("lang") == "vi", path
        footer = fold(page.select_one(".md-copyright").get_text(" "))
        assert footer == "Trang web dựng bằng MkDocs và Material for MkDocs", (path, footer)
        text = fold(page.get_text(" "))
        for english in ("Made with", "Search", "Skip to content", "Back to top", "Previous", "Next"):
            assert english not in text, (path, english)


def test_theme_files_listed_once_are_the_files_mkdocs_copies(tmp_path: Path) -> None:
    """The installed theme's folders are listed once per process (qip_site/site/theme_files.py): MkDocs
    still copies exactly the files it copies without that, and a file added to the project's overrides/
    (between two rebuilds of the preview) is copied by the next build."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from qip_site.site.theme_files import list_installed_once

    project = new_project(tmp_path / "project")

    def copied(listed_once: bool) -> list[str]:
        config = load_config(str(project / "mkdocs.yml"))
        if listed_once:
            list_installed_once(config.theme)
        files = Files([])
        files.add_files_from_theme(config.theme.get_env(), config)
        return sorted(file.src_uri for file in files)

    plain = copied(False)
    assert "assets/stylesheets/qip.css" in plain  # the project's overrides/
    assert any(uri.startswith("assets/javascripts/bundle.") for uri in plain)  # Material's own assets
    assert copied(True) == plain
    write_files(project, {"overrides/assets/new.css": "p { color: red; }"})
    assert copied(True) == sorted([*plain, "assets/new.css"]) == copied(False)
