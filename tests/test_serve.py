"""The live preview: `mkdocs serve` shows an edited plan without a restart."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup
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


@contextlib.contextmanager
def previewing(project: Path, *args: str, log: Path | None = None) -> Iterator[str]:
    """`qip-site serve ARGS` running in `project` on a free port, what it prints going to `log` (the
    editor's terminal): yields its address, then stops it."""
    port = free_port()
    with open(log or os.devnull, "w", encoding="utf-8") as terminal:
        server = subprocess.Popen([sys.executable, "-m", "qip_site", "serve", *args, "-a", f"127.0.0.1:{port}"],
                                  cwd=project, env=ENV, stdout=terminal, stderr=terminal)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=20)


# Two schools: the one previewed, and another.
TWO_SCHOOLS = {
    "plans/mn-xem/school.yml": SCHOOL, "plans/mn-xem/2023-2024.yml": PLAN.format(title="BẢN ĐẦU"),
    "plans/mn-khac/school.yml": SCHOOL.replace("Xem Trước", "Khác"),
    "plans/mn-khac/2023-2024.yml": PLAN.format(title="TRƯỜNG KHÁC"),
}


def test_preview_reloads_when_a_plan_changes(tmp_path: Path) -> None:
    project = new_project(tmp_path / "preview")
    write_files(project, {"plans/mn-xem/school.yml": SCHOOL, "plans/mn-xem/2023-2024.yml": PLAN.format(title="BẢN ĐẦU")})
    with previewing(project) as address:
        url = address + "truong/mn-xem/ke-hoach-2023-2024/"
        assert wait_for(url, "BẢN ĐẦU"), "the preview did not start"
        # The preview has its search index too.
        assert '"languages"' in fetch(address + "pagefind/pagefind-entry.json")
        write_files(project, {"plans/mn-xem/2023-2024.yml": PLAN.format(title="BẢN ĐÃ SỬA")})
        assert wait_for(url, "BẢN ĐÃ SỬA"), "the preview did not pick up the edited plan"


def test_preview_of_one_school(tmp_path: Path) -> None:
    """`serve --school`: that school's pages only, still updated on an edit."""
    project = new_project(tmp_path / "one")
    write_files(project, TWO_SCHOOLS)
    assert run_cli("serve", "--school", "mn-khong-co", cwd=project).returncode == 1
    assert run_cli("serve", "--school", "../plans", cwd=project).returncode == 2
    with previewing(project, "--school", "mn-xem") as address:
        url = address + "truong/mn-xem/ke-hoach-2023-2024/"
        assert wait_for(url, "BẢN ĐẦU"), "the preview did not start"
        assert fetch(address + "truong/mn-khac/") == ""
        assert "Khác" not in fetch(address + "truong/")
        write_files(project, {"plans/mn-xem/2023-2024.yml": PLAN.format(title="BẢN ĐÃ SỬA")})
        assert wait_for(url, "BẢN ĐÃ SỬA"), "the preview did not pick up the edited plan"


def test_the_one_school_preview_never_narrows_a_build(tmp_path: Path) -> None:
    """The preview's setting (QIP_PREVIEW_SCHOOL, left in a shell) is read only by `serve`: a build
    still publishes every school."""
    project = new_project(tmp_path / "all")
    write_files(project, TWO_SCHOOLS)
    built = run_cli("build", cwd=project, env={**ENV, "QIP_PREVIEW_SCHOOL": "mn-xem"})
    assert built.returncode == 0, built.stderr
    for school in ("mn-xem", "mn-khac"):
        assert (project / "site" / "truong" / school / "ke-hoach-2023-2024" / "index.html").is_file(), school


ERROR_HEADING = "Các tệp kế hoạch có lỗi"
PAYLOAD = "<script>qipxss()</script>"


def get(url: str) -> tuple[int, str]:
    """Status and body, error pages included (urllib raises on a 404 but keeps its body)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")
    except OSError:
        return 0, ""


def wait_until(test, limit: float = 90) -> bool:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if test():
            return True
        time.sleep(0.5)
    return False


def test_preview_of_broken_plans_lists_the_errors(tmp_path: Path) -> None:
    """Every address answers with the Vietnamese error page while a plan is broken; the site comes back once fixed."""
    project = new_project(tmp_path / "loi")
    broken = PLAN.format(title="BẢN LỖI") + f'"{PAYLOAD}": 1\n'
    write_files(project, {"plans/mn-xem/school.yml": SCHOOL, "plans/mn-xem/2023-2024.yml": broken})
    checked = run_cli("check", "plans", cwd=project)
    assert checked.returncode == 1
    expected = checked.stderr.splitlines()  # the problem lines, then the count
    assert PAYLOAD in expected[0]
    log = tmp_path / "serve.log"
    with previewing(project, log=log) as address:
        base = address.rstrip("/")
        assert wait_until(lambda: ERROR_HEADING in get(base + "/")[1]), "the preview did not start"
        for path in ("/", "/truong/x/", "/truong/mn-xem/ke-hoach-2023-2024/", f"/{uuid.uuid4().hex}/khong-co.html"):
            status, body = get(base + path)
            assert status in (200, 404), path
            page = BeautifulSoup(body, "html.parser")
            assert page.find("html")["lang"] == "vi"
            assert page.find("h1").get_text() == ERROR_HEADING
            assert [li.get_text() for li in page.select("main li")] == expected[:-1], path
            assert page.select_one("main li + li") is None and page.select("main > p")[-1].get_text() == expected[-1]
            # The payload is text on the page, never markup.
            assert PAYLOAD not in body and "&lt;script&gt;qipxss()&lt;/script&gt;" in body
            assert not [s for s in page.find_all("script") if "qipxss" in s.get_text()]
        text = log.read_text(encoding="utf-8")
        assert expected[0] in text
        assert "Trang xem trước đang hiện danh sách lỗi thay cho trang web; sửa rồi lưu tệp, trang web sẽ tự hiện lại." \
            in text
        write_files(project, {"plans/mn-xem/2023-2024.yml": PLAN.format(title="BẢN ĐÃ SỬA")})
        assert wait_for(f"{base}/truong/mn-xem/ke-hoach-2023-2024/", "BẢN ĐÃ SỬA"), "the site did not come back"
        status, body = get(base + "/")
        assert status == 200 and ERROR_HEADING not in body
        assert get(f"{base}/{uuid.uuid4().hex}/")[0] == 404 and ERROR_HEADING not in get(f"{base}/khong-co/")[1]
        text = log.read_text(encoding="utf-8")
        assert "Đã hết lỗi trong các tệp kế hoạch: trang xem trước hiện lại trang web." in text
        assert "Traceback" not in text and "appear stuck" not in text
