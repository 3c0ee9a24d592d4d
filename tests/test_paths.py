"""Nothing from outside the project, nothing lost in silence: what the hostile corpus cannot hold.

The corpus (tests/cases/hostile/path-*.case, lost-*.case) covers links, originals and file names
through `check` and `build`. Here: originals too big to write as text (sparse files), the size set
in mkdocs.yml, what is published when a link stays inside, a named pipe, and the rules of
comments cut short and of years in file names, case by case.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import new_project, run_cli, write_files

from qip_site.commands.scaffold import new_plan
from qip_site.reading.errors import YamlSyntaxProblem
from qip_site.reading.load import read_yaml
from qip_site.reading.validate import ORIGINAL_MAX_BYTES

SCHOOL = "name: Trường Mầm non A\nlevel: preschool\n"
PLAN = 'period: "2024-2025"\ntitle:\n  - KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG\n'
PDF = b"%PDF-1.4\n% ban goc\n%%EOF\n"
PAGE = "site/truong/mn-a/ke-hoach-2024-2025"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = new_project(tmp_path / "project")
    write_files(root, {"plans/mn-a/school.yml": SCHOOL, "plans/mn-a/2024-2025.yml": PLAN})
    return root


def _sparse(path: Path, head: bytes, size: int) -> None:
    """A file of `size` bytes that takes no room on disk: `head`, then a hole."""
    with path.open("wb") as stream:
        stream.write(head)
        stream.truncate(size)


def test_original_over_20_mb_is_refused_by_check_and_build(project: Path) -> None:
    _sparse(project / "plans/mn-a/2024-2025.pdf", PDF, ORIGINAL_MAX_BYTES + 1)
    line = ("plans/mn-a/2024-2025.pdf: lỗi: tệp quá lớn (20 MB); bản gốc đăng trên trang không được quá 20 MB "
            "(giới hạn original_max_mb trong mkdocs.yml), để người đọc tải được. Hãy quét lại ở độ phân giải "
            "150-200 dpi, hoặc nén tệp PDF.")
    checked = run_cli("check", "plans", cwd=project)
    assert checked.returncode == 1
    assert checked.stderr.splitlines() == [line, "Có 1 lỗi trong các tệp kế hoạch."]
    built = run_cli("build", cwd=project)
    assert built.returncode == 1 and line in built.stderr and "Traceback" not in built.stderr
    assert not (project / "site").exists()


def test_original_of_exactly_20_mb_is_accepted(project: Path) -> None:
    _sparse(project / "plans/mn-a/2024-2025.pdf", PDF, ORIGINAL_MAX_BYTES)
    checked = run_cli("check", "plans", cwd=project)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == ""


def test_original_max_mb_in_mkdocs_yml_sets_the_limit_of_the_build(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "      original_max_mb: 20\n" in text
    config.write_text(text.replace("      original_max_mb: 20\n", "      original_max_mb: 1\n"), encoding="utf-8")
    _sparse(project / "plans/mn-a/2024-2025.pdf", PDF, 2 * 1024 * 1024)
    said = ("plans/mn-a/2024-2025.pdf: lỗi: tệp quá lớn (2 MB); bản gốc đăng trên trang không được quá 1 MB "
            "(giới hạn original_max_mb trong mkdocs.yml)")
    built = run_cli("build", cwd=project)
    assert built.returncode == 1 and "Traceback" not in built.stderr
    assert said in built.stderr
    # check judges with the same setting: whatever build rejects, check reports.
    checked = run_cli("check", "plans", cwd=project)
    assert checked.returncode == 1 and checked.stderr.startswith(said)


def test_links_inside_the_project_are_followed_and_published(project: Path) -> None:
    """A school folder, a plan file and an original may be links, as long as they stay in the project."""
    write_files(project, {"chung/ban-goc.pdf": PDF, "chung/mn-b/school.yml": SCHOOL.replace(" A", " B"),
                          "chung/mn-b/2024-2025.yml": PLAN, "chung/ke-hoach.yml": PLAN})
    (project / "plans/mn-a/2024-2025.pdf").symlink_to("../../chung/ban-goc.pdf")
    (project / "plans/mn-b").symlink_to("../chung/mn-b")
    (project / "plans/mn-b/2024-2025.jpg").write_bytes(b"\xff\xd8\xff\xe0scan")
    (project / "plans/mn-a/2023-2024.yml").symlink_to("../../chung/ke-hoach.yml")
    (project / "chung/ke-hoach.yml").write_text(PLAN.replace("2024-2025", "2023-2024"), encoding="utf-8")
    built = run_cli("build", cwd=project)
    assert built.returncode == 0, built.stderr
    assert (project / PAGE / "ban-goc.pdf").read_bytes() == PDF
    assert (project / "site/truong/mn-b/ke-hoach-2024-2025/ban-goc.jpg").read_bytes() == b"\xff\xd8\xff\xe0scan"
    assert (project / "site/truong/mn-a/ke-hoach-2023-2024/index.html").exists()


def test_a_scan_named_in_capitals_is_published_as_the_original(project: Path) -> None:
    (project / "plans/mn-a/2024-2025.JPG").write_bytes(b"\xff\xd8\xff\xe0scan")
    built = run_cli("build", cwd=project)
    assert built.returncode == 0, built.stderr
    assert (project / PAGE / "ban-goc.jpg").read_bytes() == b"\xff\xd8\xff\xe0scan"
    assert "chưa có bản gốc" not in built.stderr


def test_a_plan_linked_outside_is_never_read_so_its_text_is_never_quoted(project: Path, tmp_path: Path) -> None:
    # A YAML error in this file would quote its line: the file must not be read at all.
    write_files(tmp_path, {"ngoai/bi-mat.yml": "period: 2024-2025\ntitle: QIPLEAK: mật khẩu\n"})
    (project / "plans/mn-a/2025-2026.yml").symlink_to(tmp_path / "ngoai/bi-mat.yml")
    checked = run_cli("check", "plans", cwd=project)
    assert checked.returncode == 1
    assert "QIPLEAK" not in checked.stderr
    assert checked.stderr.splitlines()[1].startswith(
        f"plans/mn-a/2025-2026.yml: lỗi: đây là một liên kết (symlink) tới \"{tmp_path / 'ngoai/bi-mat.yml'}\" "
        "dẫn ra ngoài thư mục dự án;")


def test_a_named_pipe_is_refused_without_waiting_for_it(project: Path) -> None:
    os.mkfifo(project / "plans/mn-a/2025-2026.yml")
    # A process, so that reading the pipe would end at run_cli's timeout instead of waiting for ever.
    checked = run_cli("check", "plans", cwd=project, process=True)
    assert checked.returncode == 1
    assert checked.stderr.splitlines()[1] == (
        "plans/mn-a/2025-2026.yml: lỗi: đây không phải một tệp thường (mà là một ống dẫn, ổ đĩa hay thiết bị); "
        "hãy xóa nó khỏi thư mục.")


def _read(tmp_path: Path, text: str):
    file = tmp_path / "2024-2025.yml"
    file.write_text(text, encoding="utf-8")
    return read_yaml(file, "2024-2025.yml")


@pytest.mark.parametrize("text, line, column, field, cut, example", [
    ("signer:\n  position: Hiệu trưởng #phó hiệu trưởng\n", 2, 25, "signer.position", "#phó hiệu trưởng",
     'position: "Hiệu trưởng #phó hiệu trưởng"'),
    ("title:\n  - KẾ HOẠCH SỐ #12\n", 2, 17, "title[1]", "#12", '- "KẾ HOẠCH SỐ #12"'),
    ("title: [KẾ HOẠCH]\nclosing: Nơi nhận\t# lưu VT\n", 2, 19, "closing", "# lưu VT", 'closing: "Nơi nhận # lưu VT"'),
    ("sections:\n  - heading: I. MỤC ĐÍCH #1\n", 2, 26, "sections[1].heading", "#1", 'heading: "I. MỤC ĐÍCH #1"'),
])
def test_a_text_cut_short_by_a_comment_is_an_error(tmp_path: Path, text: str, line: int, column: int, field: str,
                                                    cut: str, example: str) -> None:
    with pytest.raises(YamlSyntaxProblem) as problem:
        _read(tmp_path, text)
    assert (problem.value.line, problem.value.column, problem.value.field) == (line, column, field)
    assert f'YAML coi phần "{cut}" là ghi chú' in problem.value.message
    assert problem.value.example == example


@pytest.mark.parametrize("text, data", [
    ('signer:\n  position: "Hiệu trưởng #phó"  # ghi chú\n', {"signer": {"position": "Hiệu trưởng #phó"}}),
    ("signer:\n  position: 'Hiệu trưởng' # ghi chú\n", {"signer": {"position": "Hiệu trưởng"}}),
    ("# ghi chú\ncode: 1.4  # tiêu chí\nn: 12 # số\nx: null # trống\ny: true # có\nz: ~ # trống\n",
     {"code": 1.4, "n": 12, "x": None, "y": True, "z": None}),
    ("level: primary  # tiểu học\nperiod: 2024-2025  # năm học\nd: 2024-09-05 # ngày\n",
     {"level": "primary", "period": "2024-2025", "d": __import__("datetime").date(2024, 9, 5)}),
    ("measures: Họp#tổ, lần#2\ntitle: [KẾ HOẠCH] # tên\n", {"measures": "Họp#tổ, lần#2", "title": ["KẾ HOẠCH"]}),
    ("preamble:\n  - Căn cứ\n  # - đoạn đã bỏ\n", {"preamble": ["Căn cứ"]}),
])
def test_comments_that_lose_nothing_are_fine(tmp_path: Path, text: str, data: dict) -> None:
    assert _read(tmp_path, text).data == data


@pytest.mark.parametrize("name, period, agrees", [
    ("2024-2025", '"2024-2025"', True),
    ("2024-2025", '"2025-2026"', False),
    ("2022-2027", '{from: "2022-2023", to: "2026-2027"}', True),
    ("2022-2027", '{from: "2022-2023", to: "2025-2026"}', False),
    ("2024-2025-dieu-chinh", '"2024-2025"', True),
    ("2024-2025-dieu-chinh", '"2023-2024"', False),
    ("2024-2026", '{from: "2024-2025", to: "2025-2026"}', True),
    ("ke-hoach-2024", '"2025-2026"', True),  # not named by its years: nothing to compare
    ("2025-2025", '"2025-2026"', True),  # not a school year nor a span
])
def test_years_of_the_file_name_and_period_agree(project: Path, name: str, period: str, agrees: bool) -> None:
    (project / "plans/mn-a/2024-2025.yml").unlink()
    write_files(project, {f"plans/mn-a/{name}.yml": PLAN.replace('"2024-2025"', period)})
    checked = run_cli("check", "plans", cwd=project)
    errors = [line for line in checked.stderr.splitlines() if ": lỗi: " in line]
    assert checked.returncode == (0 if agrees else 1), checked.stderr
    if not agrees:
        assert len(errors) == 1 and errors[0].startswith(f"plans/mn-a/{name}.yml:1:9: lỗi: trường \"period\": "
                                                         f"tên tệp {name}.yml cho biết ")


def test_new_refuses_a_school_folder_name_too_long_for_an_address(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    said: list[str] = []
    assert new_plan(plans, "truong-" * 20 + "a", "2025-2026", echo=said.append) == 2
    assert said == ["Tên thư mục trường dài 141 ký tự; tên là một phần địa chỉ trang web nên không được quá 80 ký "
                    "tự. Hãy viết tắt, ví dụ \"mn-thuy-tien\"."]
    assert list(plans.iterdir()) == []


def test_every_problem_of_a_folder_is_one_line_naming_its_file(project: Path) -> None:
    """A folder holding every kind of stray file: each named once, errors and warnings together."""
    write_files(project, {
        "plans/mn-a/2024-2025.yaml": PLAN, "plans/mn-a/2025-2026.YML": PLAN, "plans/mn-a/2024-2025.yml~": PLAN,
        "plans/mn-a/2024-2025.docx": b"PK\x03\x04", "plans/mn-a/.DS_Store": b"\0", "plans/mn-a/cu/a.yml": PLAN,
        "plans/mn-a/_cu/a.yml": PLAN, "plans/ghi-chu.txt": "x", "plans/_nhap/2024-2025.yml": PLAN,
    })
    checked = run_cli("check", "plans", cwd=project)
    assert checked.returncode == 1
    named = [line.split(": ", 1)[0] + ": " + line.split(": ", 2)[1] for line in checked.stderr.splitlines()[:-1]]
    assert named == [
        "plans/ghi-chu.txt: cảnh báo", "plans/mn-a/2024-2025.docx: cảnh báo", "plans/mn-a/2024-2025.yaml: lỗi",
        "plans/mn-a/2024-2025.yml: cảnh báo",  # no signed original yet
        "plans/mn-a/2024-2025.yml~: cảnh báo", "plans/mn-a/2025-2026.YML: lỗi", "plans/mn-a/cu: cảnh báo",
    ]
