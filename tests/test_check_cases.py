"""Golden cases for `qip-site check`: one file per case, one test that runs them all.

A case file (tests/cases/check/*.case) holds the input files and the expected result:

    # what the case is about
    === plans/mn-a/school.yml
    name: Trường Mầm non A
    level: preschool
    === plans/mn-a/2023-2024.yml (crlf)
    ...
    === exit 1
    === stderr
    plans/mn-a/2023-2024.yml:3:1: lỗi: …

An input section may carry flags in parentheses: an encoding to write it in (`cp1258`, `cp1252`,
`latin-1`, `utf-16-le` …), `crlf`, `cr` (old Mac line ends), `bom`, `nfd` (decomposed Vietnamese), `hex` (the body is bytes
written in hexadecimal, for files that are not text), `dir` (a folder of that name) and `symlink`
(a symbolic link to the body's first line). `=== stdout` may follow too. Run with
QIP_UPDATE_GOLDEN=1 to rewrite the expected sections from the actual output, then review the diff.

Every case that fails `check` also fails `mkdocs build` with the same lines, and leaves the site
folder of a previous build as it was.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ENV, check_in_process, new_project, run_cli, write_files

CASES = sorted((Path(__file__).parent / "cases" / "check").glob("*.case"))
_SECTION = re.compile(r"^=== (\S+)(?: (?!\()(\S+))?(?: \(([^)]*)\))?$")
_LAYOUT_FLAGS = {"crlf", "cr", "bom", "nfd", "hex", "dir", "symlink"}


@dataclass(frozen=True)
class Special:
    """An input that is not a file's content: a folder, or a symbolic link to `target`."""

    kind: str
    target: str = ""


def parse_case(text: str):
    files: dict[str, str | bytes | Special] = {}
    expect: dict[str, object] = {"exit": 0, "stderr": [], "stdout": None}
    current: str | None = None
    flags: list[str] = []
    body: list[str] = []

    def close() -> None:
        if current is None:
            return
        if current == "stderr":
            expect["stderr"] = body[:]
        elif current == "stdout":
            expect["stdout"] = body[:]
        elif current != "exit":
            if "dir" in flags or "symlink" in flags:
                files[current] = Special("dir" if "dir" in flags else "symlink", body[0] if body else "")
                return
            if "hex" in flags:
                files[current] = bytes.fromhex("".join(body))
                return
            data = "\n".join(body) + "\n"
            if "nfd" in flags:
                data = unicodedata.normalize("NFD", data)
            if "crlf" in flags:
                data = data.replace("\n", "\r\n")
            if "cr" in flags:
                data = data.replace("\n", "\r")
            if "bom" in flags:
                data = "\ufeff" + data
            encoding = next((flag for flag in flags if flag not in _LAYOUT_FLAGS), None)
            files[current] = data.encode(codecs.lookup(encoding).name) if encoding else data

    for line in text.splitlines():
        match = _SECTION.match(line)
        if match:
            close()
            current, body = match.group(1), []
            flags = [f.strip() for f in (match.group(3) or "").split(",") if f.strip()]
            if current == "exit":
                expect["exit"] = int(match.group(2))
            continue
        if current is None:
            continue  # the case's description
        body.append(line)
    close()
    return files, expect


def write_case(root: Path, files: dict[str, str | bytes | Special]) -> None:
    write_files(root, {name: data for name, data in files.items() if not isinstance(data, Special)})
    for name, special in files.items():
        if isinstance(special, Special):
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if special.kind == "dir":
                path.mkdir()
            else:
                path.symlink_to(special.target)


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_check_case(case: Path, tmp_path: Path) -> None:
    files, expect = parse_case(case.read_text(encoding="utf-8"))
    write_case(tmp_path, files)
    (tmp_path / "plans").mkdir(exist_ok=True)
    result = check_in_process(tmp_path)
    stderr = result.stderr.splitlines()
    stdout = result.stdout.splitlines()
    if os.environ.get("QIP_UPDATE_GOLDEN"):
        _update(case, result.returncode, stderr, stdout if expect["stdout"] is not None else None)
        return
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == expect["exit"], result.stderr
    assert stderr == expect["stderr"]
    if expect["stdout"] is not None:
        assert stdout == expect["stdout"]


def _update(case: Path, code: int, stderr: list[str], stdout: list[str] | None) -> None:
    text = case.read_text(encoding="utf-8")
    head = text.split("\n=== exit", 1)[0].rstrip("\n")
    parts = [head, f"=== exit {code}", "=== stderr", *stderr]
    if stdout is not None:
        parts += ["=== stdout", *stdout]
    case.write_text("\n".join(parts) + "\n", encoding="utf-8")


@pytest.mark.parametrize("case", CASES + sorted((Path(__file__).parent / "cases" / "hostile").glob("*.case")),
                         ids=lambda path: path.stem)
def test_case_file_is_well_formed(case: Path) -> None:
    """Each case says what it is about, writes at least one file and expects a verdict that fits it:
    a failing case lists its errors and counts them; a passing one lists none."""
    text = case.read_text(encoding="utf-8")
    assert text.startswith("# ") and len(text.split("\n", 1)[0]) > 10, "first line: what the case is about"
    files, expect = parse_case(text)
    assert files and "=== exit " in text
    errors = [line for line in expect["stderr"] if ": lỗi: " in line]
    if expect["exit"] == 0:
        assert not errors, errors
    else:
        assert errors and re.match(rf"Có {len(errors)} lỗi( và \d+ cảnh báo)? trong các tệp kế hoạch\.$",
                                   expect["stderr"][-1]), expect["stderr"]


FAILING = [case for case in CASES if parse_case(case.read_text(encoding="utf-8"))[1]["exit"] != 0]


@pytest.mark.parametrize("case", FAILING, ids=lambda path: path.stem)
def test_failing_case_stops_mkdocs_build_and_keeps_the_site(case: Path, tmp_path: Path, caplog) -> None:
    """`mkdocs build` (run in this process: a failing one takes milliseconds) says what `check` says."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    files, expect = parse_case(case.read_text(encoding="utf-8"))
    project = new_project(tmp_path / "project")
    write_case(project, files)
    old_site = {"index.html": b"<p>trang \xc4\x91ang ch\xe1\xba\xa1y</p>", "truong/mn-a/index.html": b"cu"}
    write_files(project / "site", old_site)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    with caplog.at_level(logging.ERROR, logger="mkdocs"), pytest.raises(Abort):
        build(config)
    said = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(said) == 1 and "Traceback" not in said[0]
    assert said[0].splitlines() == expect["stderr"]
    assert {p.relative_to(project / "site").as_posix(): p.read_bytes()
            for p in (project / "site").rglob("*") if p.is_file()} == old_site


# Runs a command and writes its peak memory to a file: from a small Python, so the figure is the
# command's own, not that of this test process (a child of a big process starts with its pages).
_MEASURE = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[2:]).returncode; "
            "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
            "sys.exit(code)")


def run_measured(command: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess, int]:
    """Run `command`; also return its peak memory (kilobytes, Linux). Timings belong to `make bench`."""
    peak = cwd / ".peak-memory"
    result = subprocess.run([sys.executable, "-c", _MEASURE, str(peak), *command], cwd=cwd, env=ENV,
                            capture_output=True, text=True, timeout=300)
    kilobytes = int(peak.read_text())
    peak.unlink()
    return result, kilobytes


def test_ten_megabyte_plan_is_refused_at_once(tmp_path: Path) -> None:
    """A plan of 10 MB (a real plan's rows, 50,000 of them) is not a plan: refused by its size, never read."""
    project = new_project(tmp_path / "project")
    row = ('    - index: "{n}"\n      area: "Lĩnh vực {n}: Cơ sở vật chất"\n      measures:\n        - "- Tham mưu, đề '
           'xuất phân bổ chỉ tiêu tuyển sinh phù hợp với điều kiện của nhà trường."\n      budget: "{n} triệu"\n')
    head = ("period: 2023-2024\ntitle: [KẾ HOẠCH]\nsections:\n  - heading: III. NỘI DUNG\n    table: true\n"
            "table:\n  columns: {index: TT, area: Lĩnh vực, measures: Biện pháp, budget: Kinh phí}\n  areas:\n")
    parts, size, n = [head], len(head.encode()), 0
    while size < 10 * 2**20 - 1000:
        n += 1
        parts.append(row.format(n=n))
        size += len(parts[-1].encode())
    parts.append("#" * (10 * 2**20 - size - 1) + "\n")  # exactly 10 MB
    write_files(project, {"plans/mn-a/school.yml": "name: Trường Mầm non A\nlevel: preschool\n",
                          "plans/mn-a/2023-2024.yml": "".join(parts)})
    assert (project / "plans/mn-a/2023-2024.yml").stat().st_size == 10 * 2**20
    old_site = {"index.html": b"<p>trang cu</p>"}
    write_files(project / "site", old_site)

    checked, kilobytes = run_measured([sys.executable, "-m", "qip_site", "check", "plans"], project)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert checked.stderr.splitlines() == [
        "plans/mn-a/2023-2024.yml:1:1: lỗi: tệp quá lớn (10 MB); một tệp kế hoạch không được quá 2 MB (kế hoạch 5 "
        "năm đầy đủ chỉ khoảng 50 KB). Có lẽ đây không phải tệp kế hoạch, hoặc nội dung bị dán lặp lại nhiều lần.",
        "Có 1 lỗi trong các tệp kế hoạch.",
    ]
    # Python's start-up and imports only: the file is never read into memory.
    assert kilobytes < 150_000, kilobytes
    for command in ([sys.executable, "-m", "mkdocs", "build", "-d", "site"],
                    [sys.executable, "-m", "qip_site", "build", "-d", "site"]):
        built = subprocess.run(command, cwd=project, env=ENV, capture_output=True, text=True, timeout=300)
        assert built.returncode != 0 and "Traceback" not in built.stderr
        assert "plans/mn-a/2023-2024.yml:1:1: lỗi: tệp quá lớn" in built.stderr
        assert {p.relative_to(project / "site").as_posix(): p.read_bytes()
                for p in (project / "site").rglob("*") if p.is_file()} == old_site
    assert not list(project.glob(".site.new-*")) + list(project.glob(".site.old*"))  # .site.lock stays (ignored)


def test_plan_just_under_the_size_limit_is_checked(tmp_path: Path) -> None:
    """The limit leaves room: a plan of 1.9 MB (6,000 rows) is read and accepted."""
    row = ('    - index: "{n}"\n      area: "Lĩnh vực {n}"\n      measures:\n        - "- Tham mưu, đề xuất phân '
           'bổ chỉ tiêu tuyển sinh phù hợp với điều kiện thực tế của nhà trường."\n'
           '        - "- Biên chế đều học sinh các lớp, bảo đảm sĩ số theo quy định."\n      budget: "{n} triệu"\n')
    head = ("period: 2023-2024\ntitle: [KẾ HOẠCH]\nsections:\n  - heading: III. NỘI DUNG\n    table: true\n"
            "table:\n  columns: {index: TT, area: Lĩnh vực, measures: Biện pháp, budget: Kinh phí}\n  areas:\n")
    text = head + "".join(row.format(n=n) for n in range(1, 6000))
    assert 1.8 * 2**20 < len(text.encode()) < 2 * 2**20
    write_files(tmp_path, {"plans/mn-a/school.yml": "name: Trường Mầm non A\nlevel: preschool\n",
                           "plans/mn-a/2023-2024.yml": text})
    checked = run_cli("check", "plans", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "Đã kiểm tra 1 trường, 1 kế hoạch: không có lỗi" in checked.stdout


@pytest.mark.parametrize("nesting", [
    "title: " + "[" * 200_000 + "]" * 200_000,
    "title: " + "{a: " * 100_000 + "x" + "}" * 100_000,
    "title:\n  " + "- " * 200_000 + "x",
    "title: " + '["]", ' * 100_000 + "]" * 100_000,  # closing brackets inside quotes are text
], ids=["brackets", "braces", "dashes", "quoted-closers"])
def test_nesting_deep_enough_to_crash_libyaml_is_refused(tmp_path: Path, nesting: str) -> None:
    """libyaml's reader recurses in C: 100,000 levels crash the process. The depth is counted first."""
    write_files(tmp_path, {"plans/mn-a/school.yml": "name: Trường Mầm non A\nlevel: preschool\n",
                           "plans/mn-a/2023-2024.yml": "period: 2023-2024\n" + nesting + "\n"})
    checked, _ = run_measured([sys.executable, "-m", "qip_site", "check", "plans"], tmp_path)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    lines = checked.stderr.splitlines()
    assert len(lines) == 2 and lines[1] == "Có 1 lỗi trong các tệp kế hoạch.", lines
    assert re.match(r'plans/mn-a/2023-2024\.yml:[23]:\d+: lỗi: trường "title": các khối lồng nhau quá sâu \(hơn 40 mức\)',
                    lines[0]), lines[0]
