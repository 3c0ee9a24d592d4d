"""The outputs written by a second process while MkDocs writes the pages (qip_site/outputs/background.py,
the plugin's `parallel` option): the same site, the same messages, the same faults as in one process."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ENV, REPO, new_project, run_cli, write_files
from mkdocs.exceptions import PluginError

from qip_site.outputs import background

LOG = "mkdocs.plugins.qip"


def test_the_work_runs_in_another_process_and_its_messages_reach_the_parent_in_order(tmp_path: Path, caplog) -> None:
    def work() -> None:
        (tmp_path / "pid").write_text(str(os.getpid()))
        logging.getLogger(LOG).info("Đã ghi %d tệp của %s", 3, "trường")
        logging.getLogger(LOG).warning("cảnh báo: ô quá dài")
        logging.getLogger("PIL").info("một thư viện khác")

    with caplog.at_level(logging.INFO):
        running = background.start(work)
        running.wait()
    assert int((tmp_path / "pid").read_text()) not in (os.getpid(), 0)
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        (LOG, logging.INFO, "Đã ghi 3 tệp của trường"), (LOG, logging.WARNING, "cảnh báo: ô quá dài"),
        ("PIL", logging.INFO, "một thư viện khác")]


def test_what_the_work_raises_is_raised_by_the_parent() -> None:
    def work() -> None:
        raise PluginError("plans/a/2024-2025.yml: lỗi ở dòng 3")

    running = background.start(work)
    with pytest.raises(PluginError, match="^plans/a/2024-2025.yml: lỗi ở dòng 3$"):
        running.wait()

    class Local(Exception):  # a class pickle cannot find: its text still travels
        pass

    def unpicklable() -> None:
        raise Local("đĩa hết chỗ trống")

    running = background.start(unpicklable)
    with pytest.raises(RuntimeError, match="^đĩa hết chỗ trống$"):
        running.wait()


def test_a_child_that_dies_is_a_fault_in_vietnamese() -> None:
    running = background.start(lambda: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(RuntimeError, match="^Tiến trình phụ của lần dựng trang đã dừng bất thường"):
        running.wait()


def test_cancel_stops_the_child(tmp_path: Path) -> None:
    running = background.start(lambda: time.sleep(600))
    running.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(running.pid, os.WNOHANG)  # reaped: no such child any more


def _project(root: Path, parallel: bool) -> Path:
    """A copy of this project, its plans included, with the plugin's `parallel` option set."""
    project = new_project(root)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      plans_dir: plans\n", f"      plans_dir: plans\n      parallel: {str(parallel).lower()}\n", 1),
        encoding="utf-8")
    for path in (REPO / "plans").rglob("*"):
        if path.is_file():
            write_files(project, {f"plans/{path.relative_to(REPO / 'plans').as_posix()}": path.read_bytes()})
    return project


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_run_is_a_command_of_its_own(tmp_path: Path, capfd) -> None:
    def work() -> int:
        print("trang đã dựng")
        print("cảnh báo", file=sys.stderr)
        (tmp_path / "pid").write_text(str(os.getpid()))
        return 3

    assert background.run(work) == 3
    assert int((tmp_path / "pid").read_text()) not in (os.getpid(), 0)
    assert capfd.readouterr() == ("trang đã dựng\n", "cảnh báo\n")
    assert background.run(lambda: os.kill(os.getpid(), signal.SIGKILL)) == -signal.SIGKILL
    assert background.run(lambda: 1 // 0) == 1  # a fault that escapes: exit code 1, and no traceback
    assert capfd.readouterr() == ("", "")


def test_the_site_is_the_same_with_and_without_the_second_process(tmp_path: Path, monkeypatch) -> None:
    sites = {}
    for parallel in (False, True):
        project = _project(tmp_path / str(parallel), parallel)
        result = run_cli("build", cwd=project)
        assert result.returncode == 0, result.stderr
        sites[parallel] = _files(project / "site")
    assert sites[True].keys() == sites[False].keys()
    assert [name for name in sites[True] if sites[True][name] != sites[False][name]] == []
    # The outputs the second process writes are there: search, open data, feed, pictures.
    for name in ("pagefind/pagefind-entry.json", "du-lieu/du-lieu.zip", "feed.xml", "truong/mn-hoa-mi/chia-se.png",
                 "truong/mn-hoa-mi/du-lieu.zip", "robots.txt"):
        assert name in sites[True], name
    # Where there is no fork, `build` runs MkDocs in a new interpreter: the same site.
    project = _project(tmp_path / "no-fork", True)
    monkeypatch.setattr(background, "available", lambda: False)
    monkeypatch.chdir(project)
    from qip_site.commands.cli import main

    assert main(["build"]) == 0
    assert _files(project / "site") == sites[True]


# Every Python process of the build (qip-site build runs MkDocs in a child of its own) imports this first:
# the feed's writer fails as on a full disk. The second process, forked from MkDocs' one, has it too.
FULL_DISK = """
import errno
from qip_site.outputs import feed
def full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")
feed.atom_feed = full
"""


def test_a_full_disk_while_the_second_process_writes_keeps_the_old_site(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", True)
    write_files(project, {"site/index.html": "<p>trang đang chạy</p>"})
    write_files(tmp_path / "patch", {"sitecustomize.py": FULL_DISK})
    result = subprocess.run([sys.executable, "-m", "qip_site", "build"], cwd=project, capture_output=True, text=True,
                            env={**ENV, "PYTHONPATH": str(tmp_path / "patch")}, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.splitlines()[-1] == ("site: lỗi: đĩa hết chỗ trống khi ghi trang web; hãy giải "
                                              "phóng dung lượng rồi dựng lại. Trang web cũ (nếu có) được giữ nguyên.")
    assert _files(project / "site") == {"index.html": "<p>trang đang chạy</p>".encode()}
    assert [p.name for p in project.iterdir() if p.name.startswith((".site.new-", ".site.old-"))] == []
