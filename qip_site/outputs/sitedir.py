"""The site folder: one build at a time, built beside it, swapped in only when the build succeeded.

`qip-site build` holds a lock (`.site.lock` beside `site/`), removes what killed builds left
(`.site.new-*`, `.site.old-*`), builds into a fresh `.site.new-*`, sets the modes a web server
running as another user needs (folders 0755, files 0644) and swaps the folders. Any fault of the
file system (full disk, read-only disk, no permission, a file where the folder should be) is told in
one Vietnamese line, and the previous site stays as it was.

MkDocs builds in a child process (`python -m qip_site.outputs.sitedir SITE MKDOCS-ARGS…`, see `child`),
which tells its own file-system faults in the same one line instead of a traceback.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

# How long a build waits for another build of the same site to finish: a 5,000-plan site builds in
# about two minutes (guide/developer.md, `make bench`), so a build still holding the lock after 15 minutes is stuck.
LOCK_WAIT = 15 * 60
# The child's exit code when it has already told the fault in one line (MkDocs uses 1 and 2).
FAULT_EXIT = 3
KEPT = "Trang web cũ (nếu có) được giữ nguyên."

_REASONS = {
    errno.ENOSPC: "đĩa hết chỗ trống khi ghi trang web; hãy giải phóng dung lượng rồi dựng lại",
    errno.EDQUOT: "đã dùng hết hạn mức dung lượng đĩa khi ghi trang web; hãy giải phóng dung lượng rồi dựng lại",
    errno.EROFS: "thư mục nằm trên ổ đĩa chỉ đọc (read-only), không ghi được trang web",
    errno.EACCES: "không có quyền ghi vào thư mục chứa trang web",
    errno.EPERM: "không có quyền ghi vào thư mục chứa trang web",
}


class SiteFault(Exception):
    """A fault of the site folder, already worded as the one Vietnamese line to print."""


def store(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all: a killed build, or two at once, never leave half a file (the
    caches of sharing pictures and PDFs)."""
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    part.write_bytes(data)
    part.replace(path)


def fault_line(site_dir: Path | str, error: BaseException) -> str:
    """The one line that tells `error`, met while building `site_dir`."""
    if isinstance(error, SiteFault):
        return str(error)
    return f"{site_dir}: lỗi: {_reason(site_dir, error)}. {KEPT}"


def _reason(site_dir: Path | str, error: BaseException) -> str:
    if isinstance(error, OSError) and error.errno in _REASONS:
        return _REASONS[error.errno]
    if isinstance(error, OSError) and error.errno:
        return f"lỗi hệ thống khi ghi trang web (mã {errno.errorcode.get(error.errno, error.errno)})"
    if _disk_full(Path(site_dir)):
        # A helper program (Pagefind) that met a full disk fails in its own way (truncated output).
        return _REASONS[errno.ENOSPC]
    # Only the kind of error: its text may quote a file that is not a plan.
    return (f"lỗi không mong đợi khi dựng trang ({type(error).__name__}); hãy báo cho người phụ trách kỹ thuật, "
            "kèm lệnh đã chạy (đặt QIP_DEBUG=1 để xem chi tiết)")


def _disk_full(site_dir: Path) -> bool:
    try:
        return shutil.disk_usage(site_dir.resolve().parent).free < 1 << 20  # under 1 MB: nothing fits
    except OSError:
        return False


def _names(site_dir: Path) -> tuple[Path, str, str]:
    """The lock file, and the name prefixes of staging and old folders, beside `site_dir`."""
    return site_dir.with_name(f".{site_dir.name}.lock"), f".{site_dir.name}.new-", f".{site_dir.name}.old-"


@contextmanager
def staging_folder(site_dir: Path, wait: float = LOCK_WAIT) -> Iterator[Path]:
    """Hold the site's lock and give an empty staging folder beside it; removed on the way out.

    Every OSError met inside (here or in the caller's block) leaves as a SiteFault with its line.
    """
    target = site_dir.resolve()
    if target.exists() and not target.is_dir():
        raise SiteFault(f"{site_dir}: lỗi: đây là một tệp, không phải thư mục; hãy đổi tên hoặc xóa tệp này, "
                        f"hay chọn thư mục khác (-d). Tệp được giữ nguyên.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        if error.errno in (errno.ENOTDIR, errno.EEXIST):
            reason = "trên đường dẫn có một tệp trùng tên với thư mục cần tạo"
        else:
            reason = _reason(site_dir, error)
        raise SiteFault(f"{site_dir}: lỗi: không tạo được thư mục {target.parent}: {reason}.") from None
    lock, new, old = _names(target)
    try:
        with _locked(lock, site_dir, wait):
            for name in os.listdir(target.parent):
                if name.startswith((new, old)) or name == old.rstrip("-"):
                    # Only a build holding the lock writes these: whatever is there, a killed build left
                    # (".site.old" without a suffix: what earlier versions of qip-site named it).
                    shutil.rmtree(target.parent / name, ignore_errors=True)
            staging = Path(tempfile.mkdtemp(prefix=new, dir=target.parent))
            try:
                yield staging
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except OSError as error:
        raise SiteFault(fault_line(site_dir, error)) from None


@contextmanager
def _locked(lock: Path, site_dir: Path, wait: float) -> Iterator[None]:
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise SiteFault(f"{site_dir}: lỗi: một lần dựng trang khác vào thư mục này vẫn chưa xong sau "
                                    f"{round(wait / 60)} phút chờ; hãy chờ nó xong hoặc dừng nó rồi dựng lại. "
                                    f"{KEPT}") from None
                if not told:
                    print(f"Đang chờ một lần dựng trang khác vào {site_dir} xong…", file=sys.stderr, flush=True)
                    told = True
                time.sleep(0.2)
        yield  # the lock goes with the file descriptor, also when the process is killed
    finally:
        os.close(fd)


def publish(staging: Path, site_dir: Path) -> None:
    """Make `staging` readable by everyone, then put it in place of `site_dir`."""
    _readable(staging)
    target = site_dir.resolve()
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=_names(target)[2], dir=target.parent))
        target.rename(old / "site")
    try:
        staging.rename(target)
    except OSError:
        if old is not None:
            (old / "site").rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _readable(root: Path) -> None:
    """Folders 0755 and files 0644, whatever the umask and tempfile's 0700."""
    os.chmod(root, 0o755)
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISDIR(mode):
                os.chmod(path, 0o755)
            elif stat.S_ISREG(mode):
                os.chmod(path, 0o644)


# MkDocs logs a page's error before raising it; an OSError is told by `child` instead, in Vietnamese.
_PAGE_OS_ERROR = re.compile(r"Error (reading|building) page '.*': \[Errno \d+\]")


def child(argv: list[str]) -> int:
    """`python -m qip_site.outputs.sitedir SITE MKDOCS-BUILD-ARGS…`: MkDocs' build, faults told in one line."""
    site_dir, args = argv[0], argv[1:]
    from mkdocs.__main__ import cli

    logging.getLogger("mkdocs.commands.build").addFilter(
        lambda record: not _PAGE_OS_ERROR.match(str(record.msg)))
    try:
        cli.main(["build", *args], prog_name="mkdocs")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 1
    except Exception as error:  # noqa: BLE001 - every fault is told in one line, never a traceback
        if os.environ.get("QIP_DEBUG"):
            raise
        print(fault_line(site_dir, error), file=sys.stderr)
        return FAULT_EXIT
    return 0


if __name__ == "__main__":
    sys.exit(child(sys.argv[1:]))
