"""`qip-site pdf` (`make pdf`): print each plan whose PDF is not in `.cache/qip-pdf/` yet (outputs/pdf.py).

MkDocs builds the site with mkdocs.yml's settings (site_url included: the printed address is the
published one) into a temporary folder, in this process, with the plugin `printing`: every plan page's
key is worked out exactly as `qip-site build` works it out, and only the plan pages without a PDF are
built. Chromium prints them; the PDFs no plan page has any more are removed from the cache.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

from ..outputs.pdf import CACHE, PlanPdf, find_chromium, print_plans, prune

PROGRESS_EVERY = 25  # plans between two progress lines


def make_pdfs(config_file: Path) -> int:
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    if not config_file.is_file():
        print(f"Không có tệp cấu hình {config_file}.", file=sys.stderr)
        return 1
    chromium = find_chromium()
    if chromium is None:
        print("Không tìm thấy trình duyệt Chromium để in bản PDF: hãy chạy `make pdf` (cài Chromium của Debian nếu "
              "thiếu) hoặc cài gói chromium.", file=sys.stderr)
        return 1
    errors = _Errors()
    mkdocs_log = logging.getLogger("mkdocs")
    level, propagate = mkdocs_log.level, mkdocs_log.propagate
    # The temporary build's own messages are not the editor's: its errors (the plans') are said below.
    mkdocs_log.addHandler(errors)
    mkdocs_log.setLevel(logging.ERROR)
    mkdocs_log.propagate = False
    try:
        with tempfile.TemporaryDirectory(prefix="qip-pdf-") as folder:
            try:
                config = load_config(str(config_file), site_dir=folder)
            except ConfigurationError as error:
                print(f"{config_file}: lỗi: {error}", file=sys.stderr)
                return 1
            plugin = config.plugins.get("qip")
            if plugin is None or not plugin.config.outputs["pdf"]:
                print(f"Bản PDF đang tắt trong {config_file} (outputs: {{pdf: false}}): không in gì.")
                return 0
            plugin.printing = True
            from mkdocs.commands.build import build

            try:
                build(config)
            except Abort:
                print("\n".join(errors.lines), file=sys.stderr)
                print("Không in được bản PDF: hãy sửa các lỗi trên rồi chạy lại.", file=sys.stderr)
                return 1
            plans = plugin.pdf_plans.plans if plugin.pdf_plans else []
            missing = plugin.pdf_plans.missing if plugin.pdf_plans else []
            failed = print_plans(Path(folder), missing, chromium, _progress(len(missing))) if missing else []
    finally:
        mkdocs_log.removeHandler(errors)
        mkdocs_log.setLevel(level)
        mkdocs_log.propagate = propagate
    cache = Path(config.config_file_path).resolve().parent / CACHE
    removed = prune(cache, {entry.key for entry in plans})
    for entry, reason in failed:
        print(f"Không in được bản PDF của {entry.url}: {reason}", file=sys.stderr)
    print(f"Đã in {len(missing) - len(failed)} bản PDF mới; {len(plans) - len(missing)} kế hoạch đã có bản PDF không "
          f"đổi (thư mục {CACHE.as_posix()}/)" + (f"; đã xóa {removed} bản PDF cũ không còn dùng" if removed else "")
          + ".")
    return 1 if failed else 0


def _progress(total: int):
    def say(number: int, entry: PlanPdf) -> None:
        if number == 1 or number % PROGRESS_EVERY == 0:
            print(f"Đang in bản PDF {number}/{total}: {entry.url}", file=sys.stderr, flush=True)

    return say


class _Errors(logging.Handler):
    """The temporary build's error lines (a plan's errors), kept to be said once it stopped."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())
