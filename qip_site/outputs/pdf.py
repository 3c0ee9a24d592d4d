"""Each plan as a PDF file, for a school to attach on its own website: the plan page printed by
Chromium, so the PDF is the print view itself (Decree 30 layout, Tinos, provenance block: the one
print stylesheet, `@media print` in qip.css), with its title and author set and its text selectable.

- `qip-site pdf` (`make pdf`; commands/pdf.py) builds the site into a temporary folder, with every plan
  page's key worked out (`PdfPlans`), serves it on 127.0.0.1 and prints the plan pages whose key has no
  PDF in `.cache/qip-pdf/` yet (`print_plans`), then sets their metadata (`set_metadata`).
- `qip-site build` (the plugin, switch `outputs: {pdf: …}`) looks each plan's key up in that folder:
  a plan whose PDF is there gets the link, with its size, and the file (`copy_pdfs`, ke-hoach.pdf
  in the plan page's folder); one without gets no link, and the build says how many (`missing_message`).
- The key (`PdfPlans.find`) is a sha256 of the plan page as rendered without its PDF link (what our
  templates made of it: its text, the provenance dates, the address under site_url, the plan's status)
  and of `fingerprint`: the theme folder (its templates, CSS, fonts, scripts), mkdocs.yml, this file and
  the versions of qip-site, MkDocs and Material. An unchanged plan is not printed again; a changed one
  gets a new key. Not in the key: Chromium's version (a browser update would print every plan again for
  the same page).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import io
import os
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from importlib.metadata import version
from pathlib import Path

from ..domain.model import Plan
from ..site import urls
from .sitedir import store

CACHE = Path(".cache") / "qip-pdf"  # under the project folder
# Chromium as `qip-site pdf` and the tests start it; host names other than 127.0.0.1 do not resolve: a
# printed page (or a tested one) fetches nothing from elsewhere.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
PAGE_TIMEOUT_MS = 60_000  # one plan page, loaded and printed


@dataclass(frozen=True)
class PlanPdf:
    """One plan's PDF: where its page is, its key and file in the cache, and what its metadata says."""

    url: str  # the plan page, site-relative: "truong/x/ke-hoach-2024-2025/"
    key: str
    path: Path  # the PDF in the cache: CACHE/<key>.pdf
    title: str  # the plan's title and its school years
    author: str  # the school
    download: str  # the name it is saved under: "ke-hoach-x-2024-2025.pdf"
    created: date | None = None  # published on the site
    modified: date | None = None  # last updated
    size: int = 0  # bytes, once found in the cache
    name: str = urls.plan_pdf_name()  # in the plan page's folder: "ke-hoach.pdf"


def fingerprint(paths: Iterable[Path]) -> str:
    """What every printed page depends on besides its own text: these files and folders (the theme,
    mkdocs.yml), this file, and the versions of qip-site, MkDocs and Material."""
    from .. import __version__

    digest = hashlib.sha256()
    for part in (__version__, version("mkdocs"), version("mkdocs-material")):
        digest.update(part.encode() + b"\0")
    digest.update(Path(__file__).read_bytes())
    for path in paths:
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                digest.update(file.relative_to(path).as_posix().encode() + b"\0" + file.read_bytes())
        elif path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class PdfPlans:
    """The plans' PDFs of one build. The renderer gives `find` each plan page without its link."""

    def __init__(self, cache: Path, base: str, linked: bool = True):
        self.cache = cache
        self.base = base  # fingerprint(…)
        self.linked = linked  # False while `qip-site pdf` builds the pages it prints: keys only, no link
        self.plans: list[PlanPdf] = []  # every plan page rendered, in order
        self.found: list[PlanPdf] = []  # those whose PDF is in the cache (linked builds)

    def find(self, plan: Plan, text: str) -> PlanPdf | None:
        key = hashlib.sha256((self.base + "\0" + text).encode("utf-8")).hexdigest()[:40]
        title = " ".join((plan.title or plan.period.plan_kind).split())
        entry = PlanPdf(
            url=urls.plan(plan.school.slug, plan.slug), key=key, path=self.cache / f"{key}.pdf",
            title=f"{title} ({plan.period.label})" + (" – DỮ LIỆU MẪU" if plan.synthetic else ""),
            author=plan.school.name, download=urls.download_name(urls.plan_pdf_name(), plan.school.slug, plan.slug),
            created=plan.published, modified=plan.last_updated,
        )
        self.plans.append(entry)
        if not self.linked:
            return None
        try:
            entry = replace(entry, size=entry.path.stat().st_size)
        except FileNotFoundError:
            return None
        self.found.append(entry)
        return entry

    @property
    def missing(self) -> list[PlanPdf]:
        return [entry for entry in self.plans if not entry.path.is_file()]


def copy_pdfs(found: Iterable[PlanPdf], site_dir: Path) -> None:
    """Each PDF found into its plan's folder (a hard link when the cache is on the same disk: no copy)."""
    for entry in found:
        target = site_dir / entry.url / entry.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        try:
            os.link(entry.path, target)
        except OSError:
            shutil.copyfile(entry.path, target)


def missing_message(missing: int, total: int) -> str:
    """The build's one line when plans have no PDF yet (INFO: the site is right, only their link is missing)."""
    return (f"Chưa có bản PDF của {missing}/{total} kế hoạch (kế hoạch mới, hoặc đã sửa từ lần in trước), nên trang "
            "của các kế hoạch đó chưa có liên kết tải bản PDF. Chạy `make pdf` (hoặc `qip-site pdf`) rồi dựng lại "
            "trang để có bản PDF.")


def set_metadata(data: bytes, entry: PlanPdf) -> bytes:
    """Chromium's PDF with our metadata: title and author, Vietnamese, the site's dates (not the clock's:
    the same page gives the same bytes), the title shown by viewers instead of the file name."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.metadata = None  # Chromium's: the page's <title>, its user agent as Creator, the clock's dates
    info = {"/Title": entry.title, "/Author": entry.author, "/Subject": "Kế hoạch cải tiến chất lượng giáo dục",
            "/Creator": "qip-site"}
    if entry.created:
        info["/CreationDate"] = f"D:{entry.created:%Y%m%d}"
    if entry.modified:
        info["/ModDate"] = f"D:{entry.modified:%Y%m%d}"
    writer.add_metadata(info)
    writer.root_object[NameObject("/Lang")] = TextStringObject("vi")
    writer.create_viewer_preferences().display_doctitle = True
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def served(folder: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[str]:
    """`folder` served on a free port of 127.0.0.1, as a static host would (for Chromium only, and the
    tests): yields its address."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def find_chromium() -> str | None:
    """Debian's Chromium (`make chromium`), or the one on PATH (GitHub's runners have /usr/bin/chromium)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def print_plans(site_dir: Path, plans: list[PlanPdf], chromium: str,
                progress: Callable[[int, PlanPdf], None] = lambda n, entry: None) -> list[tuple[PlanPdf, str]]:
    """Print each plan page of the site built in `site_dir` into its cache file, as a reader's browser
    prints it (A4, the page's own @page rules, no browser header or footer). Returns the plans that
    could not be printed, each with the reason; the others are stored whole or not at all."""
    from playwright.sync_api import Error, sync_playwright

    failed: list[tuple[PlanPdf, str]] = []
    with served(site_dir) as address, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        page.emulate_media(media="print")  # the print fonts load with the page
        for number, entry in enumerate(plans, start=1):
            progress(number, entry)
            try:
                response = page.goto(address + entry.url)
                if response is None or response.status != 200:
                    failed.append((entry, f"trang trả về mã {response.status if response else '?'}"))
                    continue
                page.evaluate("document.fonts.ready.then(() => true)")
                data = page.pdf(prefer_css_page_size=True, display_header_footer=False)
            except Error as error:
                failed.append((entry, str(error).splitlines()[0]))
                continue
            entry.path.parent.mkdir(parents=True, exist_ok=True)
            store(entry.path, set_metadata(data, entry))
        browser.close()
    return failed


def prune(cache: Path, keep: set[str]) -> int:
    """Remove the cache's PDFs no plan page has now (their plan changed, or left the site): the count."""
    removed = 0
    for path in cache.glob("*.pdf") if cache.is_dir() else ():
        if path.stem not in keep:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
