"""The live preview: `mkdocs serve` shows an edited plan without a restart."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ENV, new_project, run_cli, write_files

SCHOOL = "name: Trường Mầm non Xem Trước\nlevel: preschool\n"
PLAN = "period: 2023-2024\ntitle: [\"{title}\"]\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, limit: float = 90) -> bool:
    # A generous limit: this checks that the change arrives, not how fast (`make bench` measures that).
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if text in fetch(url):
            return True
        time.sleep(0.5)
    return False


def test_preview_reloads_when_a_plan_changes(tmp_path: Path) -> None:
    project = new_project(tmp_path / "preview")
    write_files(project, {"plans/mn-xem/school.yml": SCHOOL, "plans/mn-xem/2023-2024.yml": PLAN.format(title="BẢN ĐẦU")})
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "qip_site", "serve", "-a", f"127.0.0.1:{port}"], cwd=project, env=ENV,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/truong/mn-xem/ke-hoach-2023-2024/"
        assert wait_for(url, "BẢN ĐẦU"), "the preview did not start"
        # The preview has its search index too.
        assert '"languages"' in fetch(f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json")
        write_files(project, {"plans/mn-xem/2023-2024.yml": PLAN.format(title="BẢN ĐÃ SỬA")})
        assert wait_for(url, "BẢN ĐÃ SỬA"), "the preview did not pick up the edited plan"
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_preview_of_one_school(tmp_path: Path) -> None:
    """`serve --school`: that school's pages only, still updated on an edit."""
    project = new_project(tmp_path / "one")
    write_files(project, {
        "plans/mn-xem/school.yml": SCHOOL, "plans/mn-xem/2023-2024.yml": PLAN.format(title="BẢN ĐẦU"),
        "plans/mn-khac/school.yml": SCHOOL.replace("Xem Trước", "Khác"),
        "plans/mn-khac/2023-2024.yml": PLAN.format(title="TRƯỜNG KHÁC"),
    })
    assert run_cli("serve", "--school", "mn-khong-co", cwd=project).returncode == 1
    assert run_cli("serve", "--school", "../plans", cwd=project).returncode == 2
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "qip_site", "serve", "--school", "mn-xem", "-a", f"127.0.0.1:{port}"], cwd=project,
        env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/truong/mn-xem/ke-hoach-2023-2024/"
        assert wait_for(url, "BẢN ĐẦU"), "the preview did not start"
        assert fetch(f"http://127.0.0.1:{port}/truong/mn-khac/") == ""
        assert "Khác" not in fetch(f"http://127.0.0.1:{port}/truong/")
        write_files(project, {"plans/mn-xem/2023-2024.yml": PLAN.format(title="BẢN ĐÃ SỬA")})
        assert wait_for(url, "BẢN ĐÃ SỬA"), "the preview did not pick up the edited plan"
    finally:
        server.terminate()
        server.wait(timeout=20)
