"""`qip-site build` when the file system misbehaves: one Vietnamese line, exit 1, the old site kept.

Each fault is made for real: builds at once, a full disk (a small tmpfs), a read-only disk (the
tmpfs remounted read-only), a file where the site folder should be, a killed build. Mounting needs
root; without it those tests are skipped, saying why.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ENV, REPO, new_project, run_cli, write_files

from qip_site.outputs import sitedir

SCHOOL = "name: Trường Mầm non Lỗi Đĩa\nlevel: preschool\n"
PLAN = "period: 2023-2024\ntitle: [\"KẾ HOẠCH THỬ\"]\n"
OLD_SITE = {"index.html": "<p>trang đang chạy</p>".encode(), "truong/index.html": b"cu"}
KEPT = "Trang web cũ (nếu có) được giữ nguyên."


def project_with_old_site(root: Path, site: Path | None = None) -> tuple[Path, Path]:
    project = new_project(root)
    write_files(project, {"plans/mn-loi/school.yml": SCHOOL, "plans/mn-loi/2023-2024.yml": PLAN})
    site = site or project / "site"
    write_files(site, OLD_SITE)
    return project, site


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith((".site.new-", ".site.old-")))


def assert_one_fault(result: subprocess.CompletedProcess, line: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.splitlines()[-1] == line, result.stderr
    # No English error of MkDocs around it: the fault is told once.
    assert "ERROR" not in result.stderr and "Error" not in result.stdout + result.stderr, result.stderr


@pytest.fixture
def tmpfs(tmp_path: Path):
    """A mount point for a tmpfs of a given size: `mount(size)`; unmounted at the end."""
    point = tmp_path / "disk"
    point.mkdir()
    mounted = []

    def mount(size: str) -> Path:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_a_broken_plan_still_stops_the_build(tmp_path: Path) -> None:
    """Unlike the preview (tests/test_serve.py), `build` fails on plan errors and keeps the old site."""
    project, site = project_with_old_site(tmp_path / "p")
    write_files(project, {"plans/mn-loi/2023-2024.yml": PLAN + "titel: x\n"})
    result = run_cli("build", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert 'plans/mn-loi/2023-2024.yml:3:1: lỗi: trường "titel"' in result.stderr
    assert result.stderr.splitlines()[-1] == "Dựng trang thất bại; trang web cũ (nếu có) được giữ nguyên."
    assert files_of(site) == OLD_SITE and leftovers(project) == []


def test_full_disk(tmp_path: Path, tmpfs) -> None:
    # 2 MB: the old site fits, the new one (about 5 MB of theme, pages and search index) does not.
    disk = tmpfs("2m")
    project, site = project_with_old_site(tmp_path / "p", disk / "site")
    result = run_cli("build", "-d", str(site), cwd=project)
    assert_one_fault(result, f"{site}: lỗi: đĩa hết chỗ trống khi ghi trang web; hãy giải phóng dung lượng rồi "
                             f"dựng lại. {KEPT}")
    assert files_of(site) == OLD_SITE
    assert leftovers(disk) == []


def test_read_only_disk(tmp_path: Path, tmpfs) -> None:
    disk = tmpfs("20m")
    project, site = project_with_old_site(tmp_path / "p", disk / "site")
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    result = run_cli("build", "-d", str(site), cwd=project)
    assert_one_fault(result, f"{site}: lỗi: thư mục nằm trên ổ đĩa chỉ đọc (read-only), không ghi được trang web. "
                             f"{KEPT}")
    assert files_of(site) == OLD_SITE


def test_target_is_a_file(tmp_path: Path) -> None:
    project, _ = project_with_old_site(tmp_path / "p")
    (project / "ra").write_bytes(b"not a folder")
    result = run_cli("build", "-d", "ra", cwd=project)
    assert_one_fault(result, "ra: lỗi: đây là một tệp, không phải thư mục; hãy đổi tên hoặc xóa tệp này, hay chọn "
                             "thư mục khác (-d). Tệp được giữ nguyên.")
    assert (project / "ra").read_bytes() == b"not a folder"


def test_parent_cannot_be_created(tmp_path: Path) -> None:
    project, _ = project_with_old_site(tmp_path / "p")
    (project / "ra").write_bytes(b"not a folder")
    result = run_cli("build", "-d", "ra/site", cwd=project)
    assert_one_fault(result, f"ra/site: lỗi: không tạo được thư mục {project / 'ra'}: trên đường dẫn có một tệp trùng "
                             "tên với thư mục cần tạo.")


def test_missing_parent_is_created_and_site_is_readable_by_a_web_server(tmp_path: Path) -> None:
    """Folders 0755 and files 0644, even under a strict umask (tempfile makes its folder 0700)."""
    project, _ = project_with_old_site(tmp_path / "p")
    result = subprocess.run([sys.executable, "-m", "qip_site", "build", "-d", "www/moi/site"], cwd=project, env=ENV,
                            capture_output=True, text=True, timeout=300, preexec_fn=lambda: os.umask(0o077))
    assert result.returncode == 0, result.stderr
    site = project / "www" / "moi" / "site"
    assert (site / "truong/mn-loi/ke-hoach-2023-2024/index.html").is_file()
    modes = {p.relative_to(site).as_posix(): p.stat().st_mode & 0o7777 for p in [site, *site.rglob("*")]}
    wrong = {name: oct(mode) for name, mode in modes.items()
             if mode != (0o755 if (site / name).is_dir() else 0o644)}
    assert wrong == {}
    assert leftovers(site.parent) == []


def test_three_builds_at_once(tmp_path: Path) -> None:
    """They take turns (a lock beside the site): all succeed, and nothing is left beside the site."""
    project, site = project_with_old_site(tmp_path / "p")
    builds = [subprocess.Popen([sys.executable, "-m", "qip_site", "build"], cwd=project, env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [build.communicate(timeout=600) for build in builds]
    for build, (out, err) in zip(builds, outputs):
        assert build.returncode == 0, err
        assert "Traceback" not in err
        assert out.strip() == f"Đã dựng trang web vào {site}."
    assert sum("Đang chờ một lần dựng trang khác vào site xong…" in err for _, err in outputs) >= 1
    assert (site / "truong/mn-loi/ke-hoach-2023-2024/index.html").is_file()
    assert leftovers(project) == []


def test_a_build_waits_for_the_one_holding_the_lock(tmp_path: Path) -> None:
    project, site = project_with_old_site(tmp_path / "p")
    with open(project / ".site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        build = subprocess.Popen([sys.executable, "-m", "qip_site", "build"], cwd=project, env=ENV,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            ready, _, _ = select.select([build.stderr], [], [], 120)
            assert ready, "the build neither waited nor said so"
            assert build.stderr.readline() == "Đang chờ một lần dựng trang khác vào site xong…\n"
            assert files_of(site) == OLD_SITE  # nothing done while waiting
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    out, err = build.communicate(timeout=300)
    assert build.returncode == 0, err
    assert (site / "truong/mn-loi/ke-hoach-2023-2024/index.html").is_file()


def test_a_build_refuses_after_the_bounded_wait(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_files(site, OLD_SITE)
    with open(tmp_path / ".site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with pytest.raises(sitedir.SiteFault) as fault:
            with sitedir.staging_folder(site, wait=0):
                pass
    assert str(fault.value) == (f"{site}: lỗi: một lần dựng trang khác vào thư mục này vẫn chưa xong sau 0 phút chờ; "
                                f"hãy chờ nó xong hoặc dừng nó rồi dựng lại. {KEPT}")
    assert files_of(site) == OLD_SITE and leftovers(tmp_path) == []


def test_a_killed_build_leaves_nothing_the_next_one_keeps(tmp_path: Path) -> None:
    project, site = project_with_old_site(tmp_path / "p")
    build = subprocess.Popen([sys.executable, "-m", "qip_site", "build"], cwd=project, env=ENV,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        end = time.monotonic() + 120
        while not any((project / name / "assets").exists() for name in leftovers(project)):
            assert time.monotonic() < end and build.poll() is None, "the build never wrote its staging folder"
            time.sleep(0.05)
    finally:
        os.killpg(build.pid, signal.SIGKILL)  # the whole build, as Ctrl-C or a cancelled CI job does
        build.wait(timeout=20)
    assert leftovers(project) != [] and files_of(site) == OLD_SITE
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert leftovers(project) == []
    assert (site / "truong/mn-loi/ke-hoach-2023-2024/index.html").is_file()


@pytest.mark.parametrize("name", [".site.new-abc123", ".site.old-x1", ".site.lock"])
def test_git_ignores_what_builds_leave(name: str) -> None:
    ignored = subprocess.run(["git", "check-ignore", "--no-index", "-q", name], cwd=REPO)
    assert ignored.returncode == 0, f"{name} is not in .gitignore"
