"""Bounded resources: hostile plan files and Word files are refused with one Vietnamese line, the
command's peak memory well under 1 GB (the limits: qip_site/reading/limits.py).

Each input is built here (or read from a hostile case, tests/cases/hostile/resource-*.case) and
given to the real command, `qip-site check plans` or `qip-site import`, in a child process whose
peak memory is measured. Before the limits, a 600-byte alias bomb with one merge key took 2 GB and
a 1.8 MB .docx exhausted memory.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ENV, write_files
from test_check_cases import parse_case, run_measured, write_case

# Python, its imports and the commands' own work stay near 100 MB; "well under 1 GB".
MEMORY_BOUND_KB = 300_000
RESOURCE_CASES = sorted((Path(__file__).parent / "cases" / "hostile").glob("resource-*.case"))
SCHOOL = "name: Trường Mầm non A\nlevel: preschool\n"
HEAD = "period: 2023-2024\ntitle: [KẾ HOẠCH]\n"
CHECK = [sys.executable, "-m", "qip_site", "check", "plans"]
TOO_MANY_NODES = ("tệp có quá nhiều phần (hơn 100.000 đoạn văn, danh sách và khối); một kế hoạch 5 năm chỉ có "
                  "khoảng 1.000. Có lẽ đây không phải tệp kế hoạch, hoặc nội dung bị dán lặp lại nhiều lần.")
BOMB = ("lỗi: trường \"{field}\": các tham chiếu YAML (\"*{label}\" chép lại phần có nhãn \"&{label}\") nhân nội dung "
        "lên quá nhiều lần (hơn 1.000.000 ký tự); tệp kế hoạch ghi đầy đủ từng chữ: hãy thay các tham chiếu (*) bằng "
        "chính nội dung cần ghi.")


def check(project: Path, plan: str) -> tuple[list[str], int]:
    """`qip-site check plans` on one school with `plan` as its plan: stderr lines and peak memory (KB)."""
    write_files(project, {"plans/mn-a/school.yml": SCHOOL, "plans/mn-a/2023-2024.yml": plan})
    checked, kilobytes = run_measured(CHECK, project)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr, checked.stderr[-2000:]
    return checked.stderr.splitlines(), kilobytes


# --- plan files -------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", RESOURCE_CASES, ids=lambda path: path.stem)
def test_resource_case_in_bounded_memory(case: Path, tmp_path: Path) -> None:
    """Each hostile resource case says what the case expects, in well under 1 GB."""
    files, expect = parse_case(case.read_text(encoding="utf-8"))
    write_case(tmp_path, files)
    (tmp_path / "plans").mkdir(exist_ok=True)
    checked, kilobytes = run_measured(CHECK, tmp_path)
    assert "Traceback" not in checked.stderr
    assert checked.returncode == expect["exit"]
    assert checked.stderr.splitlines() == expect["stderr"]
    assert kilobytes < MEMORY_BOUND_KB, kilobytes


def test_number_bomb_with_merge_key(tmp_path: Path) -> None:
    """The issue's shape, wider: one merge key (the file went to ruamel, whose tree was counted without
    its numbers), lists of 100 numbers copied in lists of lists. Took 2 GB, or ended in MemoryError."""
    plan = HEAD + "m: &m {x: 1}\nn: {<<: *m}\na: &a [" + ",".join(["1"] * 100) + "]\n"
    for above, name in zip("abcdefg", "bcdefgh"):
        plan += f"{name}: &{name} [" + ",".join([f"*{above}"] * 12) + "]\n"
    assert len(plan.encode()) < 800
    lines, kilobytes = check(tmp_path, plan)
    assert lines == ["plans/mn-a/2023-2024.yml:9:8: " + BOMB.format(field="e", label="d"),
                     "Có 1 lỗi trong các tệp kế hoạch."]
    assert kilobytes < MEMORY_BOUND_KB, kilobytes


SIZE = 2 * 1024 * 1024 - 1000  # just under the 2 MB of a plan file
TOO_MANY_MERGES = ('lỗi: trường "x": tệp có quá nhiều khóa gộp "<<" (hơn 100); tệp kế hoạch ghi đầy đủ từng chữ: '
                   "hãy thay các tham chiếu (*) bằng chính nội dung cần ghi.")
SMALL_NODES = {  # a shape: the file's body, and where and why it is refused
    "one-line": ("x: [" + "a," * (SIZE // 2) + "a]\n", f'3:199989: lỗi: trường "x": {TOO_MANY_NODES}'),
    "keys": ("x:\n" + "".join(f"  k{i:07}: v\n" for i in range(SIZE // 14)), f'50000:3: lỗi: trường "x": {TOO_MANY_NODES}'),
    "anchors": ("x:\n" + "".join(f"  - &a{i} x\n  - *a{i}\n" for i in range(SIZE // 26)),
                f'99996:5: lỗi: trường "x": {TOO_MANY_NODES}'),
    "flow-blocks": ("x: [" + "{a: b}," * (SIZE // 7) + "{}]\n", f'3:233319: lỗi: trường "x": {TOO_MANY_NODES}'),
    "merge-lists": ("a: &a {k: v}\nb: &b {l: w}\nx: [" + "{<<: [*a, *b]}," * (SIZE // 15) + "{}]\n",
                    f"5:1506: {TOO_MANY_MERGES}"),
}


@pytest.mark.parametrize("shape", SMALL_NODES)
def test_two_megabytes_of_small_nodes(shape: str, tmp_path: Path) -> None:
    """Nearly 2 MB of small nodes: a million (built at 0.6 KB each: 600 MB) or hundreds of thousands of
    keys, anchors, blocks or merge keys. Refused at the 100,001st node (or 101st merge key), named by
    its line and field. With a duplicate key at the end, ruamel read them all first (90 s for the
    one-line list; merge keys take it minutes)."""
    body, refused = SMALL_NODES[shape]
    plan = HEAD + body + "x: duplicate\n"
    assert 1.9 * 2**20 < len(plan.encode()) < 2 * 2**20
    lines, kilobytes = check(tmp_path, plan)
    assert lines == [f"plans/mn-a/2023-2024.yml:{refused}", "Có 1 lỗi trong các tệp kế hoạch."]
    assert kilobytes < MEMORY_BOUND_KB, kilobytes


def test_control_character_before_a_bomb(tmp_path: Path) -> None:
    """A refused character is named with its field, which the message looks up by reading the file:
    that reading is bounded too (the field is then left unnamed)."""
    plan = HEAD + 'note: "a\x01"\na: &a [' + ",".join(['"cười"'] * 9) + "]\n"
    for above, name in zip("abcdefgh", "bcdefghi"):
        plan += f"{name}: &{name} [" + ", ".join([f"*{above}"] * 9) + "]\n"
    lines, kilobytes = check(tmp_path, plan)
    assert len(lines) == 2 and lines[0].startswith("plans/mn-a/2023-2024.yml:3:9: lỗi: có ký tự điều khiển"), lines
    assert kilobytes < MEMORY_BOUND_KB, kilobytes


# --- Word files ---------------------------------------------------------------------------------------

PARAGRAPHS = "<w:p><w:r><w:t>Tham mưu, đề xuất phân bổ chỉ tiêu tuyển sinh.</w:t></w:r></w:p>".encode() * 10_000
TEXT_TOO_BIG = ("  Lỗi: Không đọc được tệp {name}: chữ của tệp (các phần XML) giải nén ra hơn 10 MB (đến phần "
                "«word/document.xml»), trong khi chữ của một kế hoạch chỉ khoảng 1 MB. Tệp bị hỏng, hoặc không phải "
                "một văn bản kế hoạch: hãy mở tệp bằng Word, kiểm tra nội dung và lưu lại.")


def word_file(path: Path, megabytes: int, declared: int | None = None) -> None:
    """A .docx as python-docx writes it, its word/document.xml padded with paragraphs to `megabytes` MB
    unpacked (deflated, a few MB); with `declared`, the zip says the part unpacks to that many bytes."""
    import docx

    blank = io.BytesIO()
    docx.Document().save(blank)
    with zipfile.ZipFile(blank) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info.filename, source.read(info))
                continue
            head, tail = source.read(info).split(b"<w:body>")
            with out.open(info.filename, "w") as stream:
                stream.write(head + b"<w:body>")
                for _ in range(megabytes * 2**20 // len(PARAGRAPHS)):
                    stream.write(PARAGRAPHS)
                stream.write(tail)
    if declared is not None:  # the uncompressed size, in the part's local header and in the central directory
        data = bytearray(path.read_bytes())
        name = b"word/document.xml"
        local, central = data.find(name) - 30, data.rfind(name) - 46
        assert data[local:local + 4] == b"PK\x03\x04" and data[central:central + 4] == b"PK\x01\x02"
        data[local + 22:local + 26] = data[central + 24:central + 28] = declared.to_bytes(4, "little")
        path.write_bytes(bytes(data))


def run_import(cwd: Path, *args: str, path: Path | None = None) -> tuple[list[str], int]:
    """`qip-site import ARGS` in `cwd` (finding programs in `path` first): what it printed and its peak
    memory; it fails, without a traceback, and writes nothing."""
    command = [sys.executable, "-m", "qip_site", "import", *args, "--plans", "plans", "--school", "mn-a"]
    if path is not None:
        command = ["env", f"PATH={path}{os.pathsep}{ENV.get('PATH', '')}", *command]
    result, kilobytes = run_measured(command, cwd)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    assert not (cwd / "plans").exists()
    return result.stdout.splitlines(), kilobytes


def test_docx_whose_text_unpacks_to_600_megabytes(tmp_path: Path) -> None:
    """The issue's file: a few MB of .docx, its document.xml 600 MB unpacked; refused by the size the
    zip declares, before anything is unpacked."""
    word_file(tmp_path / "ke-hoach.docx", 600)
    assert (tmp_path / "ke-hoach.docx").stat().st_size < 8 * 2**20
    lines, kilobytes = run_import(tmp_path, "ke-hoach.docx")
    assert lines == ["Nhập ke-hoach.docx", TEXT_TOO_BIG.format(name="ke-hoach.docx")]
    assert kilobytes < MEMORY_BOUND_KB, kilobytes


def test_docx_declaring_less_than_it_unpacks_to(tmp_path: Path) -> None:
    """The zip declares 20 KB for a document.xml of 300 MB: what is unpacked stops at the declared size,
    and the part, not what it said, is a broken file."""
    word_file(tmp_path / "ke-hoach.docx", 300, declared=20_000)
    lines, kilobytes = run_import(tmp_path, "ke-hoach.docx")
    assert lines == ["Nhập ke-hoach.docx",
                     "  Lỗi: Không đọc được tệp ke-hoach.docx: không phải tệp Word (.docx) hoặc tệp bị hỏng."]
    assert kilobytes < MEMORY_BOUND_KB, kilobytes


def test_docx_of_too_many_parts(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "ke-hoach.docx", "w") as out:
        for number in range(1001):
            out.writestr(f"word/media/image{number}.png", b"\x89PNG")
    lines, kilobytes = run_import(tmp_path, "ke-hoach.docx")
    assert lines == ["Nhập ke-hoach.docx",
                     "  Lỗi: Không đọc được tệp ke-hoach.docx: tệp có 1001 phần, Word chỉ ghi khoảng 20 (thêm một "
                     "phần cho mỗi ảnh); tệp bị hỏng, hoặc không phải tệp Word."]
    assert kilobytes < MEMORY_BOUND_KB, kilobytes


def test_word_file_too_large_to_be_a_plan(tmp_path: Path) -> None:
    with (tmp_path / "cu.doc").open("wb") as handle:  # sparse: nothing is written but the first bytes
        handle.write(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
        handle.truncate(101 * 2**20)
    lines, _ = run_import(tmp_path, "cu.doc")
    assert lines == ["Nhập cu.doc",
                     "  Lỗi: Không đọc được tệp cu.doc: tệp quá lớn (101 MB); một tệp Word kế hoạch, kể cả ảnh quét, "
                     "không quá 100 MB. Có lẽ đây không phải tệp kế hoạch."]


def test_doc_converted_by_libreoffice_to_a_bomb(tmp_path: Path) -> None:
    """What LibreOffice writes from a .doc is read with the same limits, and named as the .doc."""
    word_file(tmp_path / "bomb.docx", 600)
    tools = tmp_path / "bin"
    tools.mkdir()
    fake = tools / "soffice"  # soffice --headless --convert-to docx --outdir DIR FILE
    fake.write_text(f"#!/bin/sh\nwhile [ \"$1\" != --outdir ]; do shift; done\ncp '{tmp_path / 'bomb.docx'}' \"$2/$(basename \"$3\" .doc).docx\"\n", encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    (tmp_path / "cu.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    lines, kilobytes = run_import(tmp_path, "cu.doc", path=tools)
    assert lines == ["Nhập cu.doc", TEXT_TOO_BIG.format(name="cu.doc")]
    assert kilobytes < MEMORY_BOUND_KB, kilobytes
