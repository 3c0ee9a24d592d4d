"""A history people can read: each version of a plan described from its data, commit messages shown
only when a person wrote them in Vietnamese, and any two versions compared on a page of their own.

Golden cases (tests/cases/history/*.case), one file per case, run by one test:

    # what the case is about
    === old.yml          (absent: the plan is created)
    period: "2024-2025"
    ...
    === new.yml
    ...
    === changes
    Sửa mục III, tiêu chí 3.1: kinh phí 7.000.000 → 9.000.000 đ

Run with QIP_UPDATE_GOLDEN=1 to rewrite the `changes` sections from the actual output, then review
the diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import content, new_project, run_cli, write_files
from test_browser import served
from test_disclosure import SCHOOL, commit, git, plan_text

from qip_site.domain.history import FAULTY, describe, note_of, read_history
from qip_site.reading.load import read_yaml

CASES = sorted((Path(__file__).parent / "cases" / "history").glob("*.case"))
PAGE = "truong/th-hoa-binh/ke-hoach-2024-2025/index.html"
COMPARE = "truong/th-hoa-binh/ke-hoach-2024-2025/so-sanh/index.html"


def parse_case(text: str) -> dict[str, str]:
    sections: dict[str, str] = {}
    name = None
    for line in text.splitlines(keepends=True):
        if line.startswith("=== "):
            name = line[4:].strip()
            sections[name] = ""
        elif name is not None:
            sections[name] += line
    return sections


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_history_case(case: Path, tmp_path: Path) -> None:
    sections = parse_case(case.read_text(encoding="utf-8"))

    def load(name: str):
        if name not in sections:
            return None
        file = tmp_path / name
        file.write_text(sections[name], encoding="utf-8")
        return read_yaml(file).data  # the project's loader, as the build reads each version

    changes = describe(load("old.yml"), load("new.yml"))
    if os.environ.get("QIP_UPDATE_GOLDEN"):
        head = case.read_text(encoding="utf-8").split("=== changes\n")[0]
        case.write_text(head + "=== changes\n" + "".join(line + "\n" for line in changes), encoding="utf-8")
        return
    assert changes == sections["changes"].splitlines()


@pytest.mark.parametrize("message, shown", [
    ("Sửa biện pháp tiêu chí 1.1 theo quyết định điều chỉnh", True),
    ("Update 2024-2025.yml", False),  # GitHub's default
    ("Add files via upload", False),
    ("Create 2024-2025.yml", False),
    ("Merge branch 'main' of github.com:phong-gd/ke-hoach", False),
    ("Cập nhật tệp 2024-2025.yml", False),
    ("fmt: canonical layout for every plan", False),  # a developer's, in English
    ("Thêm kế hoạch năm học 2024-2025", True),
])
def test_a_commit_message_is_shown_only_when_a_person_wrote_it_in_vietnamese(message: str, shown: bool) -> None:
    assert note_of(message) == (message if shown else None)


@pytest.fixture
def three_commits(tmp_path: Path) -> Path:
    """A plan committed three times: created, its budget changed (host's default message), its signed
    original added; then a broken version and its fix."""
    root = new_project(tmp_path / "du-an")
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"plans/th-hoa-binh/school.yml": SCHOOL, "plans/th-hoa-binh/2024-2025.yml": plan_text()})
    commit(root, "Add files via upload", "2024-09-12T09:00:00+07:00")
    write_files(root, {"plans/th-hoa-binh/2024-2025.yml": plan_text().replace("7.000.000", "9.000.000")})
    commit(root, "Update 2024-2025.yml", "2024-10-01T09:00:00+07:00")
    write_files(root, {"plans/th-hoa-binh/2024-2025.pdf": b"%PDF-1.4\n%%EOF\n"})
    commit(root, "Đăng bản gốc đã ký theo công văn của Phòng", "2024-10-05T09:00:00+07:00")
    return root


def test_each_version_is_described_from_its_data(three_commits: Path) -> None:
    root = three_commits
    write_files(root, {"plans/th-hoa-binh/2024-2025.yml": plan_text() + "sections: [\n"})
    commit(root, "Sửa kế hoạch", "2024-11-01T09:00:00+07:00")
    write_files(root, {"plans/th-hoa-binh/2024-2025.yml": plan_text().replace("Bồi dưỡng giáo viên", "Dự giờ")})
    commit(root, "Sửa lỗi", "2024-11-02T09:00:00+07:00")
    versions = read_history(root).of("plans/th-hoa-binh/2024-2025.yml").versions
    assert [(v.date.date().isoformat(), v.changes, v.note) for v in versions] == [
        ("2024-11-02", ["Sửa lỗi của bản trước"], "Sửa lỗi"),
        ("2024-11-01", [FAULTY], "Sửa kế hoạch"),
        ("2024-10-05", ["Thêm bản gốc đã ký"], "Đăng bản gốc đã ký theo công văn của Phòng"),
        ("2024-10-01", ["Sửa mục III, tiêu chí 1.1: kinh phí 7.000.000 → 9.000.000 đ"], None),
        ("2024-09-12", ["Tạo kế hoạch"], None),
    ]


def build(root: Path) -> Path:
    result = run_cli("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_the_plan_page_shows_the_changes_and_links_the_comparison(three_commits: Path) -> None:
    site = build(three_commits)
    items = content(site / PAGE).select(".qip-revisions > li")
    assert [re.sub(r"\s+", " ", li.get_text(" ", strip=True)) for li in items] == [
        "05/10/2024 : Thêm bản gốc đã ký. Ghi chú của người sửa: Đăng bản gốc đã ký theo công văn của Phòng",
        "01/10/2024 : Sửa mục III, tiêu chí 1.1: kinh phí 7.000.000 → 9.000.000 đ.",
        "12/09/2024 : Tạo kế hoạch.",
    ]
    text = content(site / PAGE).select_one(".qip-history").get_text(" ")
    assert "Update 2024-2025.yml" not in text and "Add files via upload" not in text
    link = content(site / PAGE).select_one(".qip-history a[href='so-sanh/']")
    assert link is not None and link.get_text(strip=True) == "So sánh các phiên bản"
    # The comparison page carries the versions as JSON data, never as markup.
    data = json.loads(content(site / COMPARE).select_one("#qip-versions")["data-versions"])
    assert [v["date"] for v in data] == ["05/10/2024", "01/10/2024", "12/09/2024"]


def test_a_plan_with_one_version_has_nothing_to_compare(tmp_path: Path) -> None:
    root = new_project(tmp_path / "du-an")
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"plans/th-hoa-binh/school.yml": SCHOOL, "plans/th-hoa-binh/2024-2025.yml": plan_text()})
    commit(root, "Add files via upload", "2024-09-12T09:00:00+07:00")
    site = build(root)
    assert not (site / COMPARE).exists()
    assert content(site / PAGE).select_one(".qip-history a[href='so-sanh/']") is None


@pytest.mark.browser
def test_two_versions_compared_in_the_browser(three_commits: Path, tab) -> None:  # noqa: F811
    """A reader picks two versions and sees the parts added, removed and changed, as text."""
    root = three_commits
    evil = "<b>qipxss</b> Dự giờ"
    text = plan_text(measures=evil).replace("7.000.000", "9.000.000").replace("Sửa phòng học", "Sửa phòng học, lát nền")
    write_files(root, {"plans/th-hoa-binh/2024-2025.yml": text})
    commit(root, "Sửa biện pháp", "2024-11-01T09:00:00+07:00")
    site = build(root)

    with served(site) as address:
        page = tab()
        page.goto(address + COMPARE.removesuffix("index.html"))
        # Newest against the one before: the measures changed (text, never markup).
        summary = page.locator(".qip-diff-summary").inner_text()
        assert summary == "Bản 05/10/2024 so với bản 01/11/2024: 0 phần thêm, 0 phần bỏ, 2 phần sửa."
        parts = page.locator(".qip-diff-part")
        assert parts.nth(0).locator("h3").inner_text() == "Sửa: Mục III, tiêu chí 1.1"
        assert parts.nth(0).locator("del").inner_text() == "Bỏ: Biện pháp: Bồi dưỡng giáo viên"
        assert parts.nth(0).locator("ins").inner_text() == f"Thêm: Biện pháp: {evil}"
        assert page.locator(".qip-diff b").count() == 0
        assert parts.nth(1).locator("h3").inner_text() == "Sửa: Mục III, tiêu chí 3.1"
        # The first version against the newest: the budget of 1.1 changed too.
        page.select_option("#qip-version-old", index=3)
        assert page.locator(".qip-diff-summary").inner_text() == (
            "Bản 12/09/2024 so với bản 01/11/2024: 0 phần thêm, 0 phần bỏ, 2 phần sửa.")
        assert parts.nth(0).locator("del").all_inner_texts() == [
            "Bỏ: Biện pháp: Bồi dưỡng giáo viên", "Bỏ: Kinh phí: 7.000.000"]
        assert parts.nth(0).locator("ins").all_inner_texts() == [
            f"Thêm: Biện pháp: {evil}", "Thêm: Kinh phí: 9.000.000"]
