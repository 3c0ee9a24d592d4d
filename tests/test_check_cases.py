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

An input section may carry flags in parentheses: `cp1258` (write it in that encoding), `crlf`,
`bom`, `nfd` (decomposed Vietnamese). `=== stdout` may follow too. Run with QIP_UPDATE_GOLDEN=1
to rewrite the expected sections from the actual output, then review the diff.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest

from conftest import run_cli, write_files

CASES = sorted((Path(__file__).parent / "cases" / "check").glob("*.case"))
_SECTION = re.compile(r"^=== (\S+)(?: (?!\()(\S+))?(?: \(([^)]*)\))?$")


def parse_case(text: str):
    files: dict[str, str | bytes] = {}
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
            data = "\n".join(body) + "\n"
            if "nfd" in flags:
                data = unicodedata.normalize("NFD", data)
            if "crlf" in flags:
                data = data.replace("\n", "\r\n")
            if "bom" in flags:
                data = "\ufeff" + data
            files[current] = data.encode(flags[0]) if flags and flags[0].startswith("cp") else data

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


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_check_case(case: Path, tmp_path: Path) -> None:
    files, expect = parse_case(case.read_text(encoding="utf-8"))
    write_files(tmp_path, files)
    (tmp_path / "plans").mkdir(exist_ok=True)
    result = run_cli("check", "plans", cwd=tmp_path)
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


def test_cases_exist() -> None:
    assert len(CASES) >= 15
