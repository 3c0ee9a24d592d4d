"""Benchmarks (`make bench`, `make bench-search`): build synthetic sites and print a table.

Timings are measured here and only here; tests never assert on them.

    python tools/bench.py search [--plans 1000 5000]   # bytes a first search transfers
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
QUERIES = ["co so vat chat", "doi ngu giao vien", "mam non hoa sen", "Đội ngũ", "kinh phi"]


def generate(root: Path, plans: int, seed: int = 1) -> int:
    """A project in `root` with about `plans` synthetic plans (schools × 5 school years)."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml",):
        shutil.copy(REPO / name, root / name)
    for name in ("docs", "overrides"):
        shutil.copytree(REPO / name, root / name, dirs_exist_ok=True)
    schools = max(1, round(plans / 4.4))  # the generator writes about 4.4 plans per school over 5 years
    out = subprocess.run([sys.executable, "-m", "qip_site", "demo", "--schools", str(schools), "--years", "5",
                          "--seed", str(seed), "--out", str(root / "plans"), "--from", str(REPO / "plans")],
                         env=ENV, capture_output=True, text=True, check=True).stdout
    return int(out.split("trường, ")[1].split(" ")[0])


def build(root: Path, config: str = "mkdocs.yml") -> float:
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", "site"], cwd=root, env=ENV,
                   check=True, capture_output=True)
    return time.monotonic() - start


def wire_size(body: bytes) -> int:
    """Bytes on the wire: Pagefind's files are gzip already; text is served gzipped."""
    return len(body) if body[:2] == b"\x1f\x8b" else len(gzip.compress(body, 9))


SERVED: list[str] = []  # paths the test server sent, in order: every request, the workers' too


@contextlib.contextmanager
def serve(directory: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def send_head(self):
            SERVED.append(self.path)
            return super().send_head()

    handler = functools.partial(Quiet, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


def first_search_bytes(site: Path, query: str) -> tuple[int, int]:
    """(bytes, requests) a fresh browser transfers from typing `query` until results show.

    Sizes are those of the files the requests fetch, as a server sends them gzipped."""
    from urllib.parse import unquote, urlparse

    from playwright.sync_api import sync_playwright

    with serve(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 360, "height": 740})
        page.goto(url)
        page.wait_for_load_state("networkidle")
        SERVED.clear()
        page.click("label.md-header__button[for=__search]")
        page.wait_for_function("document.activeElement && document.activeElement.id === 'qip-search-input'")
        page.keyboard.type(query)
        page.wait_for_function("document.querySelector('[data-qip-status]').textContent.includes('kết quả')",
                               timeout=120000)
        # The first screen of results is on the page: every request it needed has been answered.
        page.wait_for_function("document.querySelectorAll('.qip-search__item').length > 0 || "
                               "document.querySelector('[data-qip-status]').textContent.includes('Không tìm thấy')")
        page.wait_for_load_state("networkidle")
        fetched = list(SERVED)
        browser.close()
    total = 0
    for address in fetched:
        path = site / unquote(urlparse(address).path).lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if path.is_file():
            size = wire_size(path.read_bytes())
            total += size
            if os.environ.get("QIP_BENCH_VERBOSE"):
                print(f"  {size:>8} {path.relative_to(site)}", file=sys.stderr)
    return total, len(fetched)


def material_index(root: Path) -> tuple[int, int]:
    """Material's own search index for the same pages: (bytes, gzipped bytes)."""
    config = (root / "mkdocs.yml").read_text(encoding="utf-8").replace("  - qip:", "  - search\n  - qip:")
    (root / "mkdocs-material-search.yml").write_text(config, encoding="utf-8")
    build(root, "mkdocs-material-search.yml")
    index = (root / "site" / "search" / "search_index.json").read_bytes()
    return len(index), len(gzip.compress(index, 9))


def search(sizes: list[int]) -> None:
    rows = []
    for plans in sizes:
        with tempfile.TemporaryDirectory(prefix="qip-bench-") as tmp:
            root = Path(tmp)
            count = generate(root, plans)
            seconds = build(root)
            measured = {q: first_search_bytes(root / "site", q) for q in QUERIES}
            raw, gz = material_index(root)
            rows.append((count, seconds, measured, raw, gz))
    print()
    print("| kế hoạch | dựng (s) | truy vấn | byte lần tìm đầu (gzip) | yêu cầu | chỉ mục Material (gzip) |")
    print("|---:|---:|---|---:|---:|---:|")
    for count, seconds, measured, raw, gz in rows:
        for query, (size, requests) in measured.items():
            print(f"| {count} | {seconds:.0f} | {query} | {size / 1024:.0f} KB | {requests} | "
                  f"{raw / 1048576:.1f} MB ({gz / 1048576:.1f} MB) |")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="what", required=True)
    s = sub.add_parser("search")
    s.add_argument("--plans", type=int, nargs="+", default=[1000])
    args = parser.parse_args()
    if args.what == "search":
        search(args.plans)


if __name__ == "__main__":
    main()
