"""Benchmarks (`make bench`, `make bench-search`): build synthetic sites and print a table.

Timings are measured here and only here; tests never assert on them.

    python tools/bench.py build [--plans 100 1000 5000]   # the full table of `make bench`
    python tools/bench.py search [--plans 1000 5000]      # bytes a first search transfers
    python tools/bench.py size [--plans 1000]             # where the site's bytes and files go

`build` measures, per size: the full `mkdocs build` (validation, pages, search index, open data),
its peak memory, the site's size, the median plan page gzipped, the bytes of a first search, and
the same generated Markdown built by plain MkDocs + Material (no qip plugin) for comparison; on
the 1,000-plan site, how long an edited plan takes to show in the preview. The machine is shared
(2 cores): our build is run twice and the faster run kept; any build whose process clearly got
less than a whole core is run again.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import gzip
import http.server
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
QUERIES = ["co so vat chat", "doi ngu giao vien", "mam non hoa sen", "Đội ngũ", "kinh phi"]
# `bench-search` also types what the search reads beyond the words (issue 14): a synonym, Telex
# leftovers, an amount, a typo (which fetches the site's words by their first letters).
SEARCH_QUERIES = [*QUERIES, "khu vui choi", "maamf non", "300 trieu", "giao vein"]


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


@dataclasses.dataclass
class Run:
    seconds: float  # wall clock
    cpu: float  # user + system, the process and its children (Pagefind)
    rss: int  # peak resident memory in bytes: the largest of the process and its children
    load: float  # 1-minute load average when the run ended


def run(command: list[str], cwd: Path) -> Run:
    """Run `command`, measured with wait4: its own resource use, not that of earlier runs."""
    start = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()  # read while it runs: a full pipe would stop the build
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{errors.decode(errors='replace')[-3000:]}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, os.getloadavg()[0])


def build_run(root: Path, config: str = "mkdocs.yml", site: str = "site") -> Run:
    return run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", site], root)


def cold_run(root: Path) -> Run:
    """A first build: without what earlier builds left in `.cache/` (pages, rendered schools, pictures)."""
    shutil.rmtree(root / ".cache", ignore_errors=True)
    return build_run(root)


def build(root: Path, config: str = "mkdocs.yml") -> float:
    return build_run(root, config).seconds


def steady(measure, runs: int = 1) -> Run:
    """The fastest of `runs` runs, and of one more when all of them were clearly disturbed.

    A run whose CPU time is well under its wall time waited for other people's processes (our
    build uses a second core for part of its work, so its CPU time is usually above its wall time);
    on this shared virtual machine even CPU time varies by ±10 % from run to run, so our own build
    is run twice, each time cold, and the faster run kept.
    """
    results = [measure() for _ in range(runs)]
    if all(r.cpu < 0.85 * r.seconds for r in results):
        r = results[-1]
        print(f"  (bị chen: CPU {r.cpu:.0f} s trên {r.seconds:.0f} s, tải {r.load:.1f}; đo lại)", file=sys.stderr)
        results.append(measure())
    return min(results, key=lambda r: r.seconds)


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


def site_size(site: Path) -> tuple[int, int]:
    """(bytes, files) of the built site: the sum of the files' sizes, what a host stores."""
    sizes = [p.stat().st_size for p in site.rglob("*") if p.is_file()]
    return sum(sizes), len(sizes)


# Where a site's bytes go (issue 15): the first pattern a file's path matches names its part.
SIZE_PARTS = [
    ("trang kế hoạch", r"truong/[^/]+/ke-hoach-[^/]+/(so-sanh/)?index\.html"),
    ("trang năm học của trường", r"truong/[^/]+/\d{4}-\d{4}/index\.html"),
    ("trang trường", r"truong/[^/]+/index\.html"),
    ("trang tiêu chí", r"tieu-chi/.*\.html"),
    ("trang khác", r".*\.html"),
    ("ảnh chia sẻ", r".*chia-se\.png"),
    ("tải về của kế hoạch, của trường", r"truong/.*\.(json|csv|xlsx|zip|pdf|docx?)"),
    ("dữ liệu mở toàn trang", r"(du-lieu|nam-hoc)/.*"),
    ("tìm kiếm", r"(search|search-words|pagefind)/.*|qip-search\.json"),
    ("giao diện (chữ, biểu tượng, mã)", r"assets/.*"),
    ("khác", r".*"),
]


def size_parts(site: Path) -> dict[str, tuple[int, int]]:
    """{part: (bytes, files)} of the built site, by SIZE_PARTS."""
    patterns = [(name, re.compile(pattern)) for name, pattern in SIZE_PARTS]
    out = {name: (0, 0) for name, _ in SIZE_PARTS}
    for path in site.rglob("*"):
        if path.is_file():
            relative = path.relative_to(site).as_posix()
            name = next(name for name, pattern in patterns if pattern.fullmatch(relative))
            size, files = out[name]
            out[name] = (size + path.stat().st_size, files + 1)
    return out


def print_size_parts(parts: dict[str, tuple[int, int]], plans: int) -> None:
    total = sum(size for size, _ in parts.values()), sum(files for _, files in parts.values())
    print(f"\n| {plans} kế hoạch: phần của trang web | tệp | MB | tệp / kế hoạch | KB / kế hoạch |")
    print("|---|---:|---:|---:|---:|")
    for name, (size, files) in [*parts.items(), ("**cả trang**", total)]:
        print(f"| {name} | {files} | {size / 1048576:.1f} | {files / plans:.2f} | {size / 1024 / plans:.1f} |")


def median_plan_page(site: Path) -> int:
    """Median gzipped size of the plan pages, /truong/<school>/ke-hoach-<period>/index.html."""
    return int(statistics.median(wire_size(p.read_bytes()) for p in site.glob("truong/*/ke-hoach-*/index.html")))


def dump_pages(root: Path, out: Path) -> None:
    """The generated Markdown of `root`'s plans as a docs folder (run in a child: see `baseline`)."""
    from qip_site.reading.validate import load_site
    from qip_site.site.render import render_site

    site, _ = load_site(root / "plans", root)
    for page in render_site(site):
        file = out / page.path
        if not file.exists():  # a hand-written page in docs/ wins, as in the plugin
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(page.text, encoding="utf-8")


BASELINE_CONFIG = """site_name: Kế hoạch cải tiến chất lượng giáo dục
docs_dir: docs
theme:
  name: material
  language: vi
  font: false
plugins:
  - search
nav:
  - Trang chủ: index.md
  - Các trường: truong/index.md
  - Năm học: nam-hoc/index.md
  - Tiêu chí: tieu-chi/index.md
  - Dữ liệu mở: du-lieu.md
  - Giới thiệu: gioi-thieu.md
validation:
  nav:
    omitted_files: ignore
  links:
    not_found: warn
    anchors: warn
markdown_extensions:
  - attr_list
  - qip_site.site.rawhtml  # as ours (mkdocs.yml): without it plain MkDocs is twice as slow (issue 15)
  - toc:
      permalink: true
"""


def baseline(root: Path) -> Path:
    """The same pages for plain MkDocs + Material: written Markdown, the default search, our menu.

    No qip plugin, no theme overrides, no Pagefind, no open data: what MkDocs would build from the
    Markdown alone. The menu is ours (six entries), not MkDocs' automatic one, which would list
    every page on every page."""
    project = root / "baseline"
    shutil.copytree(root / "docs", project / "docs", dirs_exist_ok=True)
    subprocess.run([sys.executable, __file__, "dump", str(root), str(project / "docs")], env=ENV, check=True)
    (project / "mkdocs.yml").write_text(BASELINE_CONFIG, encoding="utf-8")
    return project


def material_first_search(site: Path) -> int:
    """What Material's search fetches before a first result: its whole index and its worker, gzipped."""
    files = [site / "search" / "search_index.json", *site.glob("assets/javascripts/workers/search.*.min.js")]
    return sum(wire_size(f.read_bytes()) for f in files)


def signed_by(plan_text: str, marker: str) -> str:
    """A plan file's text edited as an editor would: `marker` added to its signer's name."""
    edited, count = re.subn(r"(\nsigner:\n(?:  .*\n)*?  name: )(.*)", rf"\g<1>\g<2> {marker}", plan_text, count=1)
    assert count == 1, "no signer name to edit"
    return edited


def first_plan(root: Path) -> tuple[str, Path]:
    """A school and one of its plan files, the first in order."""
    school = min(p for p in (root / "plans").iterdir() if p.is_dir())
    return school.name, min(p for p in school.glob("*.yml") if p.name != "school.yml")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def preview_seconds(root: Path, school: str | None, edits: int = 3) -> list[float]:
    """Seconds from saving an edited plan file to the edit showing in a browser on the preview.

    `qip-site serve` (the whole site) or `qip-site serve --school`; the page reloads by itself
    (MkDocs' live reload), as it would for an editor."""
    from playwright.sync_api import sync_playwright

    slug, plan = first_plan(root)
    original = plan.read_text(encoding="utf-8")
    port = free_port()
    command = [sys.executable, "-m", "qip_site", "serve", "-a", f"127.0.0.1:{port}"] + (["--school", school] if school
                                                                                         else [])
    server = subprocess.Popen(command, cwd=root, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/truong/{slug}/ke-hoach-{plan.stem}/"
    times = []
    try:
        import urllib.request

        deadline = time.monotonic() + 900
        while True:  # the first build
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the preview did not start: {' '.join(command)}")
            time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(url)
            for number in range(1, edits + 1):
                marker = f"QIPBENCH{number}"
                edited = signed_by(original, marker)
                time.sleep(1.5)  # the watcher's quiet time after the last change
                start = time.monotonic()
                plan.write_text(edited, encoding="utf-8")
                page.wait_for_function(f"document.body && document.body.textContent.includes('{marker}')",
                                       polling=50, timeout=900_000)
                times.append(time.monotonic() - start)
            browser.close()
    finally:
        plan.write_text(original, encoding="utf-8")
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return times


@dataclasses.dataclass
class Measured:
    plans: int
    ours: Run
    plain: Run | None  # None: not measured at this size (--baseline-max)
    ours_size: tuple[int, int]
    plain_size: tuple[int, int]
    ours_page: int
    plain_page: int
    ours_search: int | None  # the largest over QUERIES; None: not measured
    plain_search: int | None
    rebuild: float  # seconds to build again after one plan is edited


def edited_rebuild(root: Path) -> float:
    """Seconds to build again after one plan file is edited (its signer's name), as a push would."""
    _, plan = first_plan(root)
    original = plan.read_text(encoding="utf-8")
    plan.write_text(signed_by(original, "QIPBENCH"), encoding="utf-8")
    try:
        return build(root)
    finally:
        plan.write_text(original, encoding="utf-8")


def measure(plans: int, tmp: Path, searches: bool, previews: dict, baseline_max: int) -> Measured:
    root = tmp / f"p{plans}"
    print(f"{plans} kế hoạch: tạo dữ liệu giả lập…", file=sys.stderr)
    count = generate(root, plans)
    print(f"{count} kế hoạch: dựng bằng qip-site…", file=sys.stderr)
    # Twice up to 5,000 plans (a run varies by ±10 %); once above, where one run takes 20 minutes.
    ours = steady(lambda: cold_run(root), runs=2 if plans <= 5000 else 1)
    site = root / "site"
    ours_search = max(first_search_bytes(site, q)[0] for q in QUERIES) if searches else None
    ours_size, ours_page = site_size(site), median_plan_page(site)
    print_size_parts(size_parts(site), count)
    print(f"{count} kế hoạch: sửa một kế hoạch rồi dựng lại…", file=sys.stderr)
    rebuild = edited_rebuild(root)
    if plans <= baseline_max:
        print(f"{count} kế hoạch: dựng bằng MkDocs + Material thuần…", file=sys.stderr)
        project = baseline(root)
        plain: Run | None = steady(lambda: build_run(project))
        plain_size, plain_page = site_size(project / "site"), median_plan_page(project / "site")
        plain_search: int | None = material_first_search(project / "site")
        shutil.rmtree(project)
    else:  # plain MkDocs' own search index grows past an hour's build here: not measured
        plain, plain_size, plain_page, plain_search = None, (0, 0), 0, None
    result = Measured(count, ours, plain, ours_size, plain_size, ours_page, plain_page, ours_search, plain_search,
                      rebuild)
    if previews.get("plans") == plans:
        print(f"{count} kế hoạch: đo thời gian xem trước…", file=sys.stderr)
        slug, _ = first_plan(root)
        previews["count"] = count
        previews["school"] = preview_seconds(root, slug)
        previews["whole"] = preview_seconds(root, None, edits=1)
    shutil.rmtree(root)
    return result


def report(rows: list[Measured], previews: dict) -> None:
    def ratio(a: float | None, b: float | None) -> str:
        return f"{a / b:.2f}×" if a is not None and b else "–"

    def kb(n: int | None) -> str:
        return "–" if n is None else f"{n / 1024:.0f}"

    print()
    print("| kế hoạch | bản dựng | dựng (s) | CPU (s) | bộ nhớ đỉnh (MB) | trang web (MB; tệp) "
          "| tệp / kế hoạch | KB / kế hoạch | trang kế hoạch, trung vị gzip (KB) | lần tìm đầu (KB) "
          "| sửa 1 kế hoạch → dựng lại (s) |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        for name, run_, size, page, search_, rebuild in (
            ("qip-site", r.ours, r.ours_size, r.ours_page, r.ours_search, f"{r.rebuild:.1f}"),
            ("MkDocs + Material thuần", r.plain, r.plain_size, r.plain_page, r.plain_search, "–"),
        ):
            if run_ is None:
                print(f"| {r.plans} | {name} | không đo | | | | | | | | |")
                continue
            print(f"| {r.plans} | {name} | {run_.seconds:.1f} | {run_.cpu:.1f} | {run_.rss / 1048576:.0f} "
                  f"| {size[0] / 1048576:.1f}; {size[1]} | {size[1] / r.plans:.1f} | {size[0] / 1024 / r.plans:.0f} "
                  f"| {page / 1024:.1f} | {kb(search_)} | {rebuild} |")
        if r.plain is not None:
            print(f"| {r.plans} | tỉ lệ qip/thuần | {ratio(r.ours.seconds, r.plain.seconds)} "
                  f"| {ratio(r.ours.cpu, r.plain.cpu)} | {ratio(r.ours.rss, r.plain.rss)} "
                  f"| {ratio(r.ours_size[0], r.plain_size[0])} | | | {ratio(r.ours_page, r.plain_page)} "
                  f"| {ratio(r.ours_search, r.plain_search)} | |")
    if previews.get("school"):
        print()
        print(f"| xem trước, trang {previews['count']} kế hoạch | sửa tệp → thấy trong trình duyệt (s) |")
        print("|---|---:|")
        school = previews["school"]
        print(f"| `qip-site serve --school <trường>` | {statistics.median(school):.1f} "
              f"(trung vị {len(school)} lần: {', '.join(f'{t:.1f}' for t in school)}) |")
        print(f"| `qip-site serve` (cả trang) | {previews['whole'][0]:.1f} |")
    print()
    print("Mục tiêu (máy 2 nhân):")
    thousand = min(rows, key=lambda r: abs(r.plans - 1000))
    five = min(rows, key=lambda r: abs(r.plans - 5000))

    def target(ok: bool, text: str) -> None:
        print(f"- {'ĐẠT' if ok else 'CHƯA ĐẠT'}: {text}")

    if abs(thousand.plans - 1000) < 100:
        t = thousand.ours.seconds
        target(t <= 60, f"{thousand.plans} kế hoạch dựng trong {t:.1f} s ≤ 60 s (còn dư {60 - t:.1f} s)"
               if t <= 60 else f"{thousand.plans} kế hoạch dựng trong {t:.1f} s > 60 s")
        if five is not thousand and abs(five.plans - 5000) < 500:
            factor = five.ours.seconds / t
            target(factor <= 5.5, f"{five.plans} kế hoạch dựng trong {five.ours.seconds:.1f} s = {factor:.2f} × "
                   f"thời gian của {thousand.plans} kế hoạch (mục tiêu ≤ 5.5×, tức ≤ {5.5 * t:.0f} s)")
    if len(rows) > 1:
        pages = [r.ours_page for r in rows]
        spread = max(pages) / min(pages)
        target(spread <= 1.1, "trang kế hoạch (trung vị, gzip) không lớn lên theo số kế hoạch: "
               + ", ".join(f"{r.ours_page / 1024:.1f} KB ({r.plans})" for r in rows)
               + f"; lớn nhất / nhỏ nhất = {spread:.3f} (mục tiêu ≤ 1.10)")
    province = min(rows, key=lambda r: abs(r.plans - 12000))
    if abs(province.plans - 12000) < 1200:  # issue 15's targets for a province
        r = province
        target(r.ours.seconds <= 300, f"{r.plans} kế hoạch dựng trong {r.ours.seconds:.0f} s (mục tiêu ≤ 300 s)")
        target(r.ours.rss <= 2 * 1024 ** 3, f"bộ nhớ đỉnh {r.ours.rss / 1048576:.0f} MB (mục tiêu ≤ 2.048 MB)")
        target(r.rebuild <= 10, f"sửa một kế hoạch → dựng lại trong {r.rebuild:.0f} s (mục tiêu ≤ 10 s)")
    for r in rows[-1:]:
        files, kb_ = r.ours_size[1] / r.plans, r.ours_size[0] / 1024 / r.plans
        target(files <= 5 and kb_ <= 70, f"{r.plans} kế hoạch: {files:.1f} tệp và {kb_:.0f} KB mỗi kế hoạch "
               "(mục tiêu ≤ 5 tệp và ≤ 70 KB, để 12.000 kế hoạch vừa 1 GB và 200.000 tệp)")
    if previews.get("school"):
        t = statistics.median(previews["school"])
        target(t <= 5, f"xem trước trên trang {previews['count']} kế hoạch: sửa một kế hoạch → thấy sau {t:.1f} s "
               f"với `qip-site serve --school` (mục tiêu ≤ 5 s); `qip-site serve` cả trang: "
               f"{previews['whole'][0]:.1f} s")


def bench(sizes: list[int], searches: bool, preview_at: int | None, baseline_max: int) -> None:
    rows = []
    previews: dict = {"plans": preview_at}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="qip-bench-") as tmp:
        for plans in sizes:
            rows.append(measure(plans, Path(tmp), searches, previews, baseline_max))
    report(rows, previews)
    print(f"\n(đo ngày {time.strftime('%d/%m/%Y')}, {os.cpu_count()} nhân, "
          f"bench chạy {(time.monotonic() - started) / 60:.0f} phút)")


def material_index(root: Path) -> tuple[int, int]:
    """Material's own search index for the same pages: (bytes, gzipped bytes)."""
    config = (root / "mkdocs.yml").read_text(encoding="utf-8").replace("  - qip:", "  - search\n  - qip:")
    (root / "mkdocs-material-search.yml").write_text(config, encoding="utf-8")
    build(root, "mkdocs-material-search.yml")
    index = (root / "site" / "search" / "search_index.json").read_bytes()
    return len(index), len(gzip.compress(index, 9))


def search(sizes: list[int], material: bool) -> None:
    """Print the first-search table (every query at every size), and write its summary, one line
    per size, into the README between the bench-search markers."""
    rows = []
    for plans in sizes:
        with tempfile.TemporaryDirectory(prefix="qip-bench-") as tmp:
            root = Path(tmp)
            count = generate(root, plans)
            seconds = build(root)
            measured = {q: first_search_bytes(root / "site", q) for q in SEARCH_QUERIES}
            # Material's own index means a second, slow build (minutes at 5,000 plans): on request.
            raw, gz = material_index(root) if material else (None, None)
            rows.append((count, seconds, measured, raw, gz))
    print()
    print("| kế hoạch | dựng (s) | truy vấn | byte lần tìm đầu (gzip) | yêu cầu | chỉ mục Material (gzip) |")
    print("|---:|---:|---|---:|---:|---:|")
    for count, seconds, measured, raw, gz in rows:
        index = f"{raw / 1048576:.1f} MB ({gz / 1048576:.1f} MB)" if raw is not None else "không đo"
        for query, (size, requests) in measured.items():
            print(f"| {count} | {seconds:.0f} | {query} | {size / 1024:.0f} KB | {requests} | {index} |")
    summary = [
        "| kế hoạch | lần tìm đầu lớn nhất (gzip) | nhỏ nhất | số yêu cầu | giới hạn 200 KB ở 5.000 kế hoạch |",
        "|---:|---:|---:|---:|---|",
    ]
    for count, _, measured, _, _ in rows:
        sizes_ = [size for size, _ in measured.values()]
        largest = max(sizes_)
        query = next(q for q, (size, _) in measured.items() if size == largest)
        requests = max(r for _, r in measured.values())
        verdict = ("đạt" if largest <= 200 * 1024 else "VƯỢT") if count >= 4500 else "—"
        summary.append(f"| {count:,} | {largest / 1024:.0f} KB («{query}») | {min(sizes_) / 1024:.0f} KB "
                       f"| ≤ {requests} | {verdict} |".replace(",", "."))
    summary.append("")
    summary.append(f"*Đo bằng `make bench-search` ngày {time.strftime('%d/%m/%Y')} trên máy {os.cpu_count()} nhân, "
                   f"{len(SEARCH_QUERIES)} truy vấn mỗi cỡ.*")
    write_readme_table("\n".join(summary))
    print("\n" + "\n".join(summary))


README_START, README_END = "<!-- bench-search:start -->", "<!-- bench-search:end -->"


def write_readme_table(table: str) -> None:
    """Replace what stands between the README's bench-search markers with `table`."""
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        print(f"README.md thiếu hai dấu {README_START} … {README_END}: bảng chỉ in ra đây.", file=sys.stderr)
        return
    head, rest = text.split(README_START, 1)
    tail = rest.split(README_END, 1)[1]
    readme.write_text(f"{head}{README_START}\n{table}\n{README_END}{tail}", encoding="utf-8")
    print(f"Đã ghi bảng vào {readme.name}.", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="what", required=True)
    b = sub.add_parser("build", help="the table of `make bench`")
    b.add_argument("--plans", type=int, nargs="+", default=[100, 1000, 5000, 12000])
    b.add_argument("--baseline-max", type=int, default=5000, help="plain MkDocs + Material only up to this size")
    b.add_argument("--no-search", action="store_true", help="skip the first-search bytes (no Chromium)")
    b.add_argument("--preview-at", type=int, default=1000, help="plans of the site the preview is timed on (0: none)")
    s = sub.add_parser("search")
    s.add_argument("--plans", type=int, nargs="+", default=[1000])
    s.add_argument("--material", action="store_true", help="also build with Material's search for its index size")
    z = sub.add_parser("size", help="where the bytes and files of a synthetic site go")
    z.add_argument("--plans", type=int, nargs="+", default=[1000])
    d = sub.add_parser("dump")
    d.add_argument("root", type=Path)
    d.add_argument("out", type=Path)
    args = parser.parse_args()
    if args.what == "build":
        bench(args.plans, not args.no_search, args.preview_at if args.preview_at in args.plans else None,
              args.baseline_max)
    elif args.what == "search":
        search(args.plans, args.material)
    elif args.what == "size":
        for plans in args.plans:
            with tempfile.TemporaryDirectory(prefix="qip-bench-") as tmp:
                count = generate(Path(tmp), plans)
                build(Path(tmp))
                print_size_parts(size_parts(Path(tmp) / "site"), count)
    elif args.what == "dump":
        dump_pages(args.root, args.out)


if __name__ == "__main__":
    main()
