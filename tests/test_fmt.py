"""`qip-site fmt`: the canonical layout, with every comment, key order and text kept."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from qip_site.commands.fmt import format_paths, format_text
from qip_site.reading.errors import Problem
from qip_site.reading.load import read_yaml

REAL = sorted((REPO / "plans").glob("*/*.yml"))
SCHOOL_LINE = "# yaml-language-server: $schema=../../qip_site/schema/school.schema.json"
PLAN_LINE = "# yaml-language-server: $schema=../../qip_site/schema/plan.schema.json"


def _content(file: Path):
    """What the site reads from a file: the data, and how each number was typed."""
    loaded = read_yaml(file)
    return loaded.data, _numbers(loaded.data)


def _numbers(node) -> list[str]:
    if isinstance(node, dict):
        return [n for value in node.values() for n in _numbers(value)]
    if isinstance(node, list):
        return [n for value in node for n in _numbers(value)]
    return [str(node)] if isinstance(node, float) else []


def _copy_plans(tmp_path: Path) -> Path:
    plans = tmp_path / "plans"
    shutil.copytree(REPO / "plans", plans)
    return plans


def _comments(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip().startswith("#")]


def _format(file: Path) -> list[str]:
    said: list[str] = []
    assert format_paths([file], echo=said.append) == 0, said
    return said


def test_content_unchanged_for_every_real_file(tmp_path: Path) -> None:
    plans = _copy_plans(tmp_path)
    before = {file: _content(file) for file in plans.glob("*/*.yml")}
    said: list[str] = []
    assert format_paths([plans], echo=said.append) == 0
    assert said[-1].startswith("Đã định dạng ")
    for file, content in before.items():
        assert _content(file) == content, file


@pytest.mark.parametrize("file", REAL, ids=lambda f: f"{f.parent.name}/{f.name}")
def test_idempotent_and_comments_kept_on_real_files(file: Path) -> None:
    text = file.read_text(encoding="utf-8")
    kind = "school" if file.name == "school.yml" else "plan"
    once = format_text(text, kind)
    assert format_text(once, kind) == once
    assert _comments(once) == _comments(text)
    # The real files are in the canonical layout already, but for text typed decomposed (NFD).
    assert once == unicodedata.normalize("NFC", text)


MESSY = (
    "\ufeff# Ghi chú đầu tệp\r\n"
    "title:   # tên văn bản\r\n"
    "- KẾ HOẠCH\r\n"
    "    # ghi chú lệch cột giữa danh sách\r\n"
    "- \"Năm học 2023 - 2024\"\r\n"
    "period: \"2023-2024\"\r\n"
    "header:\r\n"
    "    # trước số văn bản\r\n"
    "    number: \"Số: 12/KH-MN\"      # cuối dòng\r\n"
    "    school: TRƯỜNG MN A\r\n"  # NFD below, on purpose
    "    place_date: " + unicodedata.normalize("NFD", "Quận 5, ngày 6 tháng 9 năm 2023") + "\r\n"
    "sections:\r\n"
    "-   heading: I. MỤC ĐÍCH\r\n"
    "    content:\r\n"
    "    - Đoạn một.\r\n"
    "    # giữa hai đoạn\r\n"
    "    - heading: \"1. Mục đích:\"\r\n"
    "        # ghi chú cuối khối, thụt sâu\r\n"
    "-   heading: III. NỘI DUNG\r\n"
    "    table: true\r\n"
    "table:\r\n"
    "    columns: {criterion: null, budget: Kinh phí}\r\n"
    "    standards:\r\n"
    "    -   heading: \"Tiêu chuẩn 1: Tổ chức\"\r\n"
    "        criteria:\r\n"
    "        -   code: \"1.10\"\r\n"
    "            budget: 7.000.000\r\n"
    "            note:\r\n"
    "            # ô này văn bản để trống\r\n"
    "signer: {name: Nguyễn Văn A}\r\n"
    "# cuối tệp\r\n"
)


def test_messy_file_gets_the_canonical_layout(tmp_path: Path) -> None:
    file = tmp_path / "plans" / "mn-a" / "2023-2024.yml"
    file.parent.mkdir(parents=True)
    file.write_bytes(MESSY.encode("utf-8"))
    before = _content(file)
    said = _format(file)
    assert said == [f"Đã định dạng lại: {file}", "Đã định dạng 1 tệp, 0 tệp không đổi."]
    data = file.read_bytes()
    text = data.decode("utf-8")
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
    assert text == unicodedata.normalize("NFC", text)
    assert _content(file) == before
    # Every comment is kept, in order; the schema line is added first.
    assert _comments(text) == [PLAN_LINE] + _comments(MESSY.removeprefix("\ufeff"))
    lines = text.split("\n")
    assert lines[:5] == [PLAN_LINE, "# Ghi chú đầu tệp", "title:   # tên văn bản", "  - KẾ HOẠCH",
                         "  # ghi chú lệch cột giữa danh sách"]
    # Key order is the file's own (title before period), not the format's.
    assert [line.split(":")[0] for line in lines if line[:1].isalpha()] == [
        "title", "period", "header", "sections", "table", "signer"]
    # Canonical indentation: mappings by 2, list items by 2 then "- ".
    assert "  number: \"Số: 12/KH-MN\"" in text
    assert "    - heading: \"Tiêu chuẩn 1: Tổ chức\"" in text
    assert "        - code: \"1.10\"" in text
    assert "          note: null" in text
    # A comment follows the line it was aligned with: the next one, or the previous one at a block's end.
    assert "  # trước số văn bản" in lines
    assert "      # ghi chú cuối khối, thụt sâu" in lines
    assert "      # giữa hai đoạn" in lines
    assert "          # ô này văn bản để trống" in lines
    assert "  columns: {criterion: null, budget: Kinh phí}" in lines
    # Formatting again changes nothing.
    said = _format(file)
    assert said == ["Đã định dạng 0 tệp, 1 tệp không đổi."]
    assert file.read_bytes() == data


def test_comments_in_odd_places_of_a_real_plan_survive(tmp_path: Path) -> None:
    plans = _copy_plans(tmp_path)
    file = plans / "th-le-dinh-chinh" / "2023-2024.yml"
    lines = file.read_text(encoding="utf-8").split("\n")
    added = []
    for index in (3, 20, 22, 60, 75, 90, 120, len(lines) - 2):
        line = lines[index]
        if line.strip():
            note = f"# ghi chú cuối dòng {index}"
            lines[index] = line + "   " + note
        else:
            note = f"# ghi chú dòng trống {index}"
            lines[index] = "        " + note  # deliberately at an odd column
        added.append(note)
    lines.insert(2, "#ghi chú không có dấu cách")
    text = "\n".join(lines)
    file.write_text(text, encoding="utf-8")
    before = _content(file)
    _format(file)
    after = file.read_text(encoding="utf-8")
    assert _content(file) == before
    assert _comments(after) == _comments(text)
    for note in added:
        assert note in after
    assert format_text(after) == after


def test_key_order_is_kept(tmp_path: Path) -> None:
    file = tmp_path / "2023-2024.yml"
    file.write_text(
        "signer: {name: A}\ntitle: [X]\nperiod: \"2023-2024\"\n"
        "header:\n  place_date: Quận 1\n  school: B\n  managing_body: C\n", encoding="utf-8")
    _format(file)
    assert file.read_text(encoding="utf-8") == (
        f"{PLAN_LINE}\nsigner: {{name: A}}\ntitle: [X]\nperiod: \"2023-2024\"\n"
        "header:\n  place_date: Quận 1\n  school: B\n  managing_body: C\n")


def test_schema_line_added_or_corrected_for_the_file_kind(tmp_path: Path) -> None:
    school = tmp_path / "mn-a" / "school.yml"
    school.parent.mkdir()
    school.write_text("level: preschool\n", encoding="utf-8")
    plan = tmp_path / "mn-a" / "2023-2024.yml"
    plan.write_text(f"{SCHOOL_LINE}\nperiod: \"2023-2024\"\ntitle: X\n", encoding="utf-8")
    assert format_paths([tmp_path], echo=lambda _: None) == 0
    assert school.read_text(encoding="utf-8") == f"{SCHOOL_LINE}\nlevel: preschool\n"
    assert plan.read_text(encoding="utf-8").split("\n")[0] == PLAN_LINE


def test_check_mode_lists_files_and_writes_nothing(tmp_path: Path) -> None:
    plans = _copy_plans(tmp_path)
    messy = plans / "mn-hoa-mi" / "2025-2026.yml"
    messy.write_bytes(MESSY.encode("utf-8"))
    before = {file: file.read_bytes() for file in plans.rglob("*.yml")}
    said: list[str] = []
    assert format_paths([plans], check=True, echo=said.append) == 1
    listed = [line.removeprefix("Tệp cần định dạng lại: ") for line in said[:-1]]
    assert str(messy) in listed
    assert said[-1] == f"{len(listed)} tệp cần định dạng lại, {len(before) - len(listed)} tệp đã đúng định dạng."
    assert {file: file.read_bytes() for file in plans.rglob("*.yml")} == before
    # Once formatted, the check passes.
    assert format_paths([plans], echo=lambda _: None) == 0
    said = []
    assert format_paths([plans], check=True, echo=said.append) == 0
    assert said == [f"0 tệp cần định dạng lại, {len(before)} tệp đã đúng định dạng."]


@pytest.mark.parametrize("broken", [
    "period: \"2023-2024\"\ntitle:\n\t- KẾ HOẠCH\n",
    "period: \"2023-2024\"\ntitle: [KẾ HOẠCH]\nperiod: \"2024-2025\"\n",
    "period: \"2023-2024\"\nheader:\n  number: \"Số: 12\n",
    "period: \"2023-2024\"\nheader:\n  number: Số: 12\n",
])
def test_broken_file_is_reported_like_check_and_left_untouched(tmp_path: Path, broken: str) -> None:
    good = tmp_path / "plans" / "mn-a" / "2022-2023.yml"
    good.parent.mkdir(parents=True)
    good.write_text("period:   \"2022-2023\"\ntitle: [X]\n", encoding="utf-8")
    file = good.with_name("2023-2024.yml")
    file.write_bytes(broken.encode("utf-8"))
    with pytest.raises(Problem) as raised:
        read_yaml(file, str(file))
    said: list[str] = []
    assert format_paths([tmp_path / "plans"], echo=said.append) == 1
    assert str(raised.value) in said
    assert file.read_bytes() == broken.encode("utf-8")
    # The other files are formatted all the same.
    assert good.read_text(encoding="utf-8") == f"{PLAN_LINE}\nperiod: \"2022-2023\"\ntitle: [X]\n"
    assert said[-1] == "Đã định dạng 1 tệp, 0 tệp không đổi. 1 tệp có lỗi, được giữ nguyên."


def test_file_saved_in_windows_1258_is_reported_and_untouched(tmp_path: Path) -> None:
    file = tmp_path / "2023-2024.yml"
    data = b'period: "2023-2024"\ntitle: [Tr\xfd\xf5\xccng]\n'  # "Trường" in Windows-1258
    file.write_bytes(data)
    said: list[str] = []
    assert format_paths([file], echo=said.append) == 1
    assert "không được lưu bằng bảng mã UTF-8" in said[0]
    assert file.read_bytes() == data


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    said: list[str] = []
    assert format_paths([tmp_path / "khong-co"], echo=said.append) == 1
    assert said[0] == f"{tmp_path / 'khong-co'}: lỗi: không có tệp hoặc thư mục này."
    said = []
    assert format_paths([tmp_path], echo=said.append) == 0
    assert said == ["Không có tệp YAML nào để định dạng."]


def test_hidden_and_underscore_folders_are_skipped(tmp_path: Path) -> None:
    for folder in (".git", "_nhap"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.yml").write_text("a:    1\n", encoding="utf-8")
    assert format_paths([tmp_path], echo=lambda _: None) == 0
    assert (tmp_path / "_nhap" / "x.yml").read_text(encoding="utf-8") == "a:    1\n"


def test_numbers_nulls_and_quotes_keep_their_writing() -> None:
    text = f"{PLAN_LINE}\ncode: 1.10\nbudget: 7.000.000\nindex: '1'\nwhen: 2022-09-06\nempty: ~\nflag: true\n"
    assert format_text(text) == text.replace("empty: ~", "empty: null")


@pytest.mark.parametrize("text", [
    "- a\n- b\n",  # not a plan, but YAML: formatted all the same
    "a: " + "chữ " * 1500 + "\n",  # longer than the line width
    'a: "q \\" \\\\ \\u00e9"\nb: \'it\'\'s\'\n',
    "a: |-\n  one\n  # not a comment\nb: >\n  f\n\n  g\n# a comment\n",
    "l:\n- \n- x\n",
    "---\n# after the document start\na: 1\n",
])
def test_odd_documents_keep_their_content(tmp_path: Path, text: str) -> None:
    file = tmp_path / "2023-2024.yml"
    file.write_text(text, encoding="utf-8")
    before = _content(file)
    _format(file)
    formatted = file.read_text(encoding="utf-8")
    assert _content(file) == before
    assert "not a comment" not in text or "  # not a comment" in formatted  # text of a literal block
    assert _comments(formatted)[1:] == _comments(text)
    assert format_text(formatted) == formatted


def test_comment_inside_a_flow_mapping_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "2023-2024.yml"
    text = "columns: {index: TT, # cột số thứ tự\n  budget: Kinh phí}\n"
    file.write_text(text, encoding="utf-8")
    said: list[str] = []
    assert format_paths([file], echo=said.append) == 1
    assert said[0] == (f"{file}: lỗi: không định dạng được mà vẫn giữ nguyên nội dung và ghi chú; "
                       "tệp được giữ nguyên.")
    assert file.read_text(encoding="utf-8") == text


def test_a_link_to_a_file_outside_is_never_written_through(tmp_path: Path) -> None:
    """fmt formats what it finds in plans/; a plan file that is a link to a file outside the project
    (here: a badly formatted plan of another project) is named and left as it is."""
    outside = tmp_path / "du-an-khac" / "2023-2024.yml"
    outside.parent.mkdir()
    outside.write_text("period:    2023-2024\ntitle:   [KẾ HOẠCH]\n", encoding="utf-8")
    project = tmp_path / "du-an"
    (project / "plans" / "mn-a").mkdir(parents=True)
    (project / "plans" / "mn-a" / "2023-2024.yml").symlink_to(outside)
    result = run_cli("fmt", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert (f"plans/mn-a/2023-2024.yml: lỗi: tệp là một liên kết (symlink) tới \"{outside}\"; lệnh fmt không ghi "
            "qua liên kết." in result.stdout + result.stderr)
    assert outside.read_text(encoding="utf-8") == "period:    2023-2024\ntitle:   [KẾ HOẠCH]\n"
