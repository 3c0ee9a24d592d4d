"""Print a plan page as a reader would (Chromium, Ctrl+P → PDF) and render its pages as PNG.

    python tools/print_sample.py [--page truong/th-le-dinh-chinh/ke-hoach-2023-2024/] [--out DIR]

Builds the site of plans/ into a temporary folder, serves it, prints the page with Debian's
Chromium to A4 PDF, then draws each PDF page as a PNG with pdftoppm (poppler-utils).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--page", default="truong/th-le-dinh-chinh/ke-hoach-2023-2024/")
    parser.add_argument("--out", default=str(REPO / "build" / "print"))
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if shutil.which("pdftoppm") is None:
        print("Cần pdftoppm: apt-get install poppler-utils", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "qip_site", "build", "-d", str(site)], cwd=REPO, check=True,
                       capture_output=True)
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

        handler = functools.partial(Quiet, directory=str(site))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        pdf = out / "ke-hoach.pdf"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium")
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{args.page}")
                page.pdf(path=str(pdf), prefer_css_page_size=True)
                browser.close()
        finally:
            httpd.shutdown()
    subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), str(pdf), str(out / "trang")], check=True)
    for png in sorted(out.glob("trang-*.png")):
        print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
