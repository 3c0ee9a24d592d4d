"""The hostile-input corpus: what a hostile or careless editor may commit, one file per case.

A case (tests/cases/hostile/*.case) has the format of the golden check cases (see
test_check_cases.py): input sections, `=== exit N` and `=== stderr` for `qip-site check plans`.
Here the project is a copy of this site's set-up (mkdocs.yml, docs/, overrides/) and a section whose
path starts with `../` is written outside the project, where links may point.

Each case runs as an editor's change would, through the real commands:
1. `qip-site check plans`: the exit code and every stderr line as expected, no traceback;
2. the build over a previous site:
   - when check failed, MkDocs' build (in this process: it fails in milliseconds) fails too, says
     the same lines, and the previous site is left byte for byte (whatever `build` rejects, `check`
     reported);
   - when check passed, `qip-site build` succeeds (whatever `check` accepts, `build` builds), and nothing of the
     payload is live in the site: no element, attribute or script made from plan text (payloads carry
     the token `qipxss`), feed.xml is XML, every .json is JSON, every .csv is UTF-8;
3. in either case nothing leaked: the text QIPLEAK, which only files outside the project hold, is in
   no file of the site, nor in any message.
"""

from __future__ import annotations

import csv
import html
import io
import json
import logging
import re
import xml.dom.minidom
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import check_in_process, new_project, run_cli, write_files
from test_check_cases import parse_case, write_case

CASES = sorted((Path(__file__).parent / "cases" / "hostile").glob("*.case"))
TOKEN = "qipxss"
LEAK = "QIPLEAK"
OLD_SITE = {"index.html": "<p>trang đang chạy</p>".encode(), "truong/mn-a/index.html": b"cu"}
# A JSON-LD block's text.
_JSON_LD = re.compile(r"<script\b[^>]*\btype=[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script",
                      re.IGNORECASE | re.DOTALL)
# Attributes whose value a browser runs or loads.
_LIVE_ATTRIBUTES = re.compile(r"^(on.*|href|src|action|formaction|srcdoc|style|data)$", re.IGNORECASE)


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def live_payload(site: Path) -> list[str]:
    """Where plan text became markup, a script or a broken data file: empty when nothing did."""
    found = []
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(site).as_posix()
        data = path.read_bytes()
        if path.suffix == ".html":
            text = data.decode("utf-8")
            # Only a page whose text holds the token (its references decoded, any case: tag and
            # attribute names are case-blind) can have it in markup; every page's JSON-LD is read.
            if TOKEN not in html.unescape(text).lower():
                # No element, attribute or script can hold the token: only the JSON-LD is read (an HTML
                # parser ends a script's text at the first "</script", as this expression does).
                for data_block in _JSON_LD.findall(text):
                    try:
                        json.loads(data_block)
                    except ValueError:
                        found.append(f"{name}: JSON-LD is not JSON")
                continue
            page = BeautifulSoup(text, "html.parser")
            for element in page.find_all(True):
                if TOKEN in element.name:
                    found.append(f"{name}: element <{element.name}>")
                for attribute, value in element.attrs.items():
                    value = " ".join(value) if isinstance(value, list) else str(value)
                    if TOKEN in attribute:
                        found.append(f"{name}: attribute {attribute} on <{element.name}>")
                    elif TOKEN in value and _LIVE_ATTRIBUTES.match(attribute):
                        found.append(f"{name}: {attribute}={value!r} on <{element.name}>")
                if element.name == "script" and TOKEN in element.get_text() \
                        and element.get("type") != "application/ld+json":
                    found.append(f"{name}: script runs plan text")
                if element.name == "script" and element.get("type") == "application/ld+json":
                    try:
                        json.loads(element.get_text())
                    except ValueError:
                        found.append(f"{name}: JSON-LD is not JSON")
        elif path.suffix == ".xml":
            try:
                xml.dom.minidom.parseString(data)
            except Exception as error:  # noqa: BLE001 - any parse failure is the finding
                found.append(f"{name}: not XML ({error})")
        elif path.suffix == ".json":
            try:
                json.loads(data.decode("utf-8"))
            except ValueError as error:
                found.append(f"{name}: not JSON ({error})")
        elif path.suffix == ".csv":
            try:
                list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
            except (ValueError, csv.Error) as error:
                found.append(f"{name}: not CSV ({error})")
    return found


def write_hostile_case(tmp_path: Path, files: dict) -> Path:
    """The project at tmp_path/project; `../x` sections land in tmp_path."""
    project = new_project(tmp_path / "project")
    write_case(project, files)
    return project


def mkdocs_build_errors(project: Path, caplog, fails: bool = True) -> str:
    """Run MkDocs' build of `project` into its site/ (strict, as `qip-site build` does) and return
    what it logged as errors and warnings; it must fail, or with `fails=False` succeed."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    caplog.clear()
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"), strict=True)
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        if fails:
            with pytest.raises(Abort):
                build(config)
        else:
            build(config)
    return "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_hostile_case(case: Path, tmp_path: Path, caplog) -> None:
    files, expect = parse_case(case.read_text(encoding="utf-8"))
    project = write_hostile_case(tmp_path, files)
    checked = check_in_process(project)
    stderr = checked.stderr.splitlines()
    if __import__("os").environ.get("QIP_UPDATE_GOLDEN"):
        from test_check_cases import _update

        _update(case, checked.returncode, stderr, None)
        return
    assert "Traceback" not in checked.stderr, checked.stderr
    assert checked.returncode == expect["exit"], checked.stderr
    assert stderr == expect["stderr"]
    assert LEAK not in checked.stdout + checked.stderr

    write_files(project / "site", OLD_SITE)
    if expect["exit"] != 0 and case.stem.startswith("fault-"):
        # Faults of the site folder are `qip-site build`'s own: run it.
        built = run_cli("build", cwd=project)
        assert built.returncode == 1 and "Traceback" not in built.stderr, built.stderr
        problems = [line for line in expect["stderr"] if ": lỗi: " in line]
        assert problems and all(line in built.stderr for line in problems), built.stderr
        assert site_files(project / "site") == OLD_SITE
    elif expect["exit"] != 0:
        # The build's own MkDocs run, in this process (a failing one takes milliseconds; how
        # `qip-site build` reports a failing MkDocs run is tested in test_build_faults.py).
        said = mkdocs_build_errors(project, caplog)
        assert "Traceback" not in said and LEAK not in said
        problems = [line for line in expect["stderr"] if ": lỗi: " in line]
        assert problems and all(line in said.splitlines() for line in problems), said
        assert site_files(project / "site") == OLD_SITE
    elif case.stem.startswith("fault-"):
        built = run_cli("build", cwd=project)
        assert "Traceback" not in built.stderr and LEAK not in built.stdout + built.stderr, built.stderr
        assert built.returncode == 0, built.stderr
    else:
        # MkDocs' build as `qip-site build` runs it (--strict), in this process.
        said = mkdocs_build_errors(project, caplog, fails=False)
        assert not said and LEAK not in said, said
    if expect["exit"] == 0:
        site = site_files(project / "site")
        assert site != OLD_SITE and "index.html" in site
        assert live_payload(project / "site") == []
        assert not [name for name, data in site.items() if LEAK.encode() in data]
        # A text ending in "qipend" was published whole: nothing after it was cut.
        if any(isinstance(data, str) and "qipend" in data for data in files.values()):
            assert any(b"qipend" in data for name, data in site.items() if name.endswith(".html"))
    assert not list(project.glob(".site.new-*")) + list(project.glob(".site.old*")), "leftovers of the build"


def test_corpus_covers_every_class() -> None:
    """At least 80 cases, and each class of the issue has its own (by file-name prefix)."""
    assert len(CASES) >= 80, len(CASES)
    prefixes = {case.stem.split("-")[0] for case in CASES}
    assert {"text", "path", "resource", "lost", "agree", "fault"} <= prefixes, prefixes


def test_runner_sees_a_live_payload(tmp_path: Path) -> None:
    """The scanner itself: a page with a planted script, handler or broken feed is reported."""
    write_files(tmp_path, {
        "a.html": f"<p>ok</p><script>{TOKEN}()</script><img src=x onerror={TOKEN}()><{TOKEN}x>",
        "b.html": f'<script type="application/ld+json">{{"name": "<script>{TOKEN}"}}</script>',
        "feed.xml": "<feed><title>a\ufffe</title>",
        "d.json": "{",
        "e.html": '<p>ok</p><script type="application/ld+json">{"name": "a</script>',  # no token, broken JSON-LD
        # The token only as a character reference, or in capitals: still found.
        "c.html": f'<p>ok</p><a href="javascript:&#113;{TOKEN[1:]}()">x</a><{TOKEN.upper()}Y>',
    })
    found = live_payload(tmp_path)
    assert any("script runs" in f for f in found) and any("onerror" in f for f in found)
    assert any("element <qipxssx>" in f for f in found)
    assert any("feed.xml: not XML" in f for f in found) and any("d.json: not JSON" in f for f in found)
    assert "c.html: href='javascript:qipxss()' on <a>" in found and "c.html: element <qipxssy>" in found, found
    assert not any(f.startswith("b.html") for f in found)
    assert "e.html: JSON-LD is not JSON" in found

