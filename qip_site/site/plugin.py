"""The MkDocs plugin: a thin shell that adds the generated pages as virtual files.

All the work is done by plain functions (`validate.load_site`, `render.render_site`); this file
only connects them to MkDocs' events, so the site could move to another engine.
"""

from __future__ import annotations

import gc
import logging
import os
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from ..outputs import AFTER_PAGES, OUTPUTS, Build, background, write_outputs
from ..outputs.host_limits import check_site
from ..outputs.icons import IconError, site_icons
from ..outputs.members import district_pages, member_site
from ..outputs.minify import collapse_whitespace
from ..outputs.og_image import HEIGHT, WIDTH, Card, card_for, cards
from ..outputs.opendata import DEFAULT_LICENCE, fill_licence
from ..outputs.pdf import CACHE as PDF_CACHE
from ..outputs.pdf import PdfPlans, copy_pdfs, fingerprint, missing_message
from ..outputs.reproducible import build_date
from ..outputs.robots import NO_SITE_URL
from ..reading.errors import PlanErrors
from ..reading.validate import load_site
from . import urls
from .cached_pages import NAME as CACHED_PAGES
from .cached_pages import attach as attach_page_cache
from .preview import error_page
from .render import render_site
from .render_cache import RenderCache
from .render_cache import folder_for as render_cache_folder
from .template_cache import COMPILED
from .theme_files import list_installed_once

log = logging.getLogger("mkdocs.plugins.qip")

OPEN_DATA_PAGE = "du-lieu.md"  # the hand-written page that explains the open data (docs/)


class OutputsConfig(base.Config):
    """Each output a build writes besides the pages, switched on (the default) or off."""

    search = c.Type(bool, default=True)
    """The search index (pagefind/, search/) and the search box in the header."""
    feed = c.Type(bool, default=True)
    """feed.xml, the Atom feed of the newest plans, and its link in every page's head."""
    open_data = c.Type(bool, default=True)
    """du-lieu/ (ke-hoach.xlsx, the JSON Schema, and du-lieu.zip with ke-hoach.json, ke-hoach.csv and the schema),
    each school's du-lieu.zip (its plans' ke-hoach.json and .csv) and ke-hoach.xlsx (a sheet per plan), the
    "Dữ liệu mở" page and the links to them."""
    share_images = c.Type(bool, default=True)
    """The picture a shared link shows (og:image, chia-se.png) for the site and each school (shown by the
    school's plan and school-year pages too), and its meta tags."""
    robots = c.Type(bool, default=True)
    """robots.txt: every page may be indexed; it names the sitemap when site_url is set."""
    pdf = c.Type(bool, default=True)
    """Each plan's PDF (ke-hoach.pdf, printed by `qip-site pdf` into .cache/qip-pdf/) and its link with its
    size on the plan page; a plan not printed yet has no link (outputs/pdf.py)."""


class MemberSitesConfig(base.Config):
    """A small site per school, built with the district's site (qip_site/outputs/members.py)."""

    schools = c.DictOfItems(c.Optional(c.Type(str)), default={})
    """School folders, each with the address its own site is served at ("" or nothing: the district's
    address + thanh-vien/<school>/), e.g. {mn-thuy-tien: "", th-le-dinh-chinh: https://kehoach.example.edu.vn/}."""
    district = c.Type(str, default="")
    """Who publishes the district site, as the members' link "Tìm trong tất cả các trường của …" names it."""


class PluginConfig(base.Config):
    plans_dir = c.Type(str, default="plans")
    """Folder holding one sub-folder per school (school.yml and plan files), relative to mkdocs.yml."""
    schools = c.ListOfItems(c.Type(str), default=[])
    """School folders to publish, e.g. [th-le-dinh-chinh]: one school's site from a district's
    plans. Empty (the default): every school in plans_dir, as a district or office site."""
    licence = c.Type(str, default=DEFAULT_LICENCE)
    """Licence of the open data (du-lieu/ and each school's du-lieu.zip; named in every JSON file), e.g. "CC BY 4.0"."""
    outputs = c.SubConfig(OutputsConfig)
    """Outputs to write, e.g. {feed: false}: each is on unless switched off."""
    icon = c.Type(str, default="")
    """The site's icon (browser tab, phone home screen): a PNG, JPEG or SVG inside the project,
    relative to mkdocs.yml, e.g. docs/assets/logo.png. Empty (the default): qip-site's icon."""
    original_max_mb = c.Type(int, default=20)
    """Largest signed original (PDF or scan beside a plan file) published, in MB; a bigger one stops the build."""
    member_sites = c.SubConfig(MemberSitesConfig)
    """Member sites: one small site per school listed, in site/thanh-vien/<school>/, from the same build."""
    cache = c.Type(bool, default=True)
    """Keep each generated page's final HTML in .cache/qip-pages/ and reuse it while nothing it depends on
    changed (outputs/page_cache.py), e.g. cache: false to build every page each time."""
    parallel = c.Type(bool, default=True)
    """Use a machine's second core (outputs/background.py): half of the schools' pages are rendered by a
    second process, and the search index, open data, feed and sharing pictures are written by one while
    MkDocs writes the pages, e.g. parallel: false to do everything in one process, in order. `mkdocs serve`
    and `qip-site pdf` always do."""


# `qip-site serve --school SLUG` sets it in its own process: the preview reads that one school (serve only).
PREVIEW_ENV = "QIP_PREVIEW_SCHOOL"


class QipPlugin(BasePlugin[PluginConfig]):
    serving = False  # `mkdocs serve` (on_startup): plan errors become the preview's error page
    broken: PlanErrors | None = None  # the errors of the last load, while serving
    page_meta: dict[str, dict] = {}  # each generated page's metadata (on_files), by source path
    share_cards: dict[str, Card] = {}  # each page's sharing picture (on_files), by page URL
    icons: dict[str, bytes] = {}  # the icon files (on_config), by their path in the site
    pdf_plans: PdfPlans | None = None  # the plans' PDFs of the last build (on_files), when the pdf output is on
    printing = False  # set by `qip-site pdf`: keys only, no PDF linked, only the plan pages to print are built
    member: urls.Member | None = None  # the member site being built (on_config; qip_site/outputs/members.py)
    background: background.Background | None = None  # the outputs being written beside the pages (on_files)
    release = False  # drop each generated page's text once written (on_config: when no other plugin may read it)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent
        self.plans_dir = (self.root / self.config.plans_dir).resolve()
        if config.site_url and not urls.is_public_address(config.site_url):  # every page's links start with it
            raise PluginError(f"mkdocs.yml: lỗi: site_url: địa chỉ \"{config.site_url}\" phải là địa chỉ web đầy đủ, "
                              "chỉ gồm chữ, số và các dấu của địa chỉ web, ví dụ https://kehoach.truong.edu.vn/.")
        self.member = member_site(self.config, config, self.plans_dir)
        # The theme shows the search box and the feed's link only for outputs that are written.
        self.outputs = {name: bool(self.config.outputs[name]) for name in OUTPUTS}
        self.outputs["pdf"] = bool(self.config.outputs["pdf"])  # copied in on_post_build, not an OUTPUTS writer
        config.extra["qip_outputs"] = self.outputs
        if not self.outputs["open_data"] and config.nav:
            config.nav = [item for item in config.nav if not (isinstance(item, dict) and OPEN_DATA_PAGE in item.values())]
        # The favicon and the phone's app icon: qip-site's, or the picture `icon:` names.
        try:
            self.icons, favicon, touch_icon = site_icons(self.root, self.config.icon)
        except IconError as error:
            raise PluginError(str(error)) from None
        config.theme["favicon"] = favicon
        config.extra["qip_apple_touch_icon"] = touch_icon
        list_installed_once(config.theme)  # Material's 14,000 icons walked once per process, not each build
        if self.config.cache and not self.printing:
            attach_page_cache(self, config)  # generated pages' HTML from .cache/qip-pages/ (cached_pages.py)
        # A generated page's text and HTML are dropped once it is written (on_post_page), unless another
        # plugin may read them later (Material's search, a blog…).
        self.release = not [name for name in config.plugins if name not in ("qip", CACHED_PAGES)]
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        # Validate before MkDocs cleans site_dir: a broken plan stops the build with nothing written.
        # Loading makes a few million objects that all live until the end of the build, and almost
        # no garbage: the cyclic collector would only scan the growing heap again and again.
        gc.disable()
        try:
            preview = os.environ.get(PREVIEW_ENV) if self.serving else None
            self.site, problems = load_site(self.plans_dir, self.root, only=[preview] if preview else self.config.schools,
                                              original_max_bytes=self.config.original_max_mb * 1024 * 1024)
        except PlanErrors as errors:
            if not self.serving:
                raise PluginError(str(errors)) from None
            # The preview goes on: every address shows these errors (on_files) until they are fixed.
            self.broken = errors
            log.error(f"{errors}\nTrang xem trước đang hiện danh sách lỗi thay cho trang web; sửa rồi lưu tệp, "
                      "trang web sẽ tự hiện lại.")
            return
        finally:
            gc.enable()
        if self.broken is not None:
            self.broken = None
            log.info("Đã hết lỗi trong các tệp kế hoạch: trang xem trước hiện lại trang web.")
        # A site holding synthetic plans says so on every page, lists and indexes included.
        config.extra["qip_synthetic"] = self.site.synthetic
        for warning in problems if self.member is None else ():  # a member's were said by the district's build
            # INFO, not WARNING: doubtful content is still published, and --strict must not fail on it.
            log.info(str(warning))
        # The plans stay alive for the whole build: keep the cyclic garbage collector from scanning
        # them again at every full collection, which made 5,000 plans cost more than 5 × 1,000.
        gc.freeze()

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.broken is not None:
            return self._error_files(config)
        docs_dir = Path(config.docs_dir).resolve()
        # Each generated page's metadata, as data: handed to its Page object in on_page_markdown.
        self.page_meta = {}
        if not self.outputs["open_data"]:
            page = files.get_file_from_path(OPEN_DATA_PAGE)
            if page is not None:
                files.remove(page)
        district_only = district_pages(self.site) if self.member else set()
        self.pdf_plans = None
        if self.outputs["pdf"] and self.member is None:  # a member site's pages have their own address: no PDF yet
            theme = [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
            # Our templates are in each page's text already; the theme's are not.
            inputs = [*theme, Path(config.config_file_path),
                      *(docs_dir / css for css in config.extra_css if (docs_dir / css).is_file())]
            self.pdf_plans = PdfPlans(self.root / PDF_CACHE, fingerprint(inputs), linked=not self.printing)
        # A school's own pages from .cache/qip-render/ while nothing they show changed (render_cache.py).
        render_cache = None
        if self.config.cache and not self.printing:
            member = self.member.school if self.member else None
            render_cache = RenderCache(render_cache_folder(self.root, member), self.root)
        # Half of the schools to render are rendered by a second process (outputs/background.py).
        beside = background.start if self._parallel() else None
        for page in render_site(self.site, self.outputs, config.site_url or "",
                                pdf=self.pdf_plans.find if self.pdf_plans else None, licence=self.config.licence,
                                cache=render_cache, beside=beside):
            if page.source is None and page.path in district_only:
                continue  # a member site: its school's page is its home; the district has the others
            existing = files.get_file_from_path(page.path)
            if existing is not None:
                # A hand-written page in docs/ wins over a generated one of the same path.
                continue
            file = File.generated(config, page.path, content=page.text)
            self.page_meta[file.src_uri] = page.meta
            if page.source:
                # The edit link opens the plan file the page comes from, not a Markdown file.
                file.edit_uri = Path(os.path.relpath(self.root / page.source, docs_dir)).as_posix()
            files.append(file)
        if render_cache is not None:
            for line in render_cache.report():
                log.info(line)
            if not self.serving:  # the preview's entries (its own address) are dropped by the next full build
                render_cache.prune(None if self.member else self.config.member_sites.schools)
        for path, data in self.icons.items():
            files.append(File.generated(config, path, content=data))
        if self.printing and self.pdf_plans is not None:
            # `qip-site pdf` prints the plan pages without a PDF: only they are built, with the theme's files.
            keep = {urls.source_path(entry.url) for entry in self.pdf_plans.missing}
            for file in list(files.documentation_pages()):
                if file.src_uri not in keep:
                    files.remove(file)
            return files
        # The sharing pictures the pages name (written after the build, by the share_images output).
        self.share_cards = {}
        if self.outputs["share_images"]:
            self.share_cards = {card.url: card for card in cards(self.site, config.site_name)}
        for plan in self.site.plans:
            if plan.original is not None:
                # The signed original is published as it is, beside the plan's page.
                path = urls.original(plan.school.slug, plan.slug, plan.original.suffix)
                files.append(File.generated(config, path, abs_src_path=str(plan.original.path)))
            for name, evidence in plan.evidence.items():
                # A result's evidence file, checked like the signed original, published beside the plan's page.
                path = urls.evidence(plan.school.slug, plan.slug, name)
                files.append(File.generated(config, path, abs_src_path=str(evidence.path)))
        if self._parallel():
            # MkDocs has cleaned site_dir: the outputs that need only the plans are written now, by a second
            # process, while this one builds the pages; on_post_build waits for them.
            build, enabled = self._build(config), self.config.outputs
            build.site_dir.mkdir(parents=True, exist_ok=True)  # MkDocs makes it with its first file: maybe later
            self.background = background.start(
                lambda: write_outputs(build, enabled, only=set(OUTPUTS) - AFTER_PAGES))
        return files

    def _parallel(self) -> bool:
        return self.config.parallel and not self.serving and not self.printing and background.available()

    def _build(self, config: MkDocsConfig) -> Build:
        return Build(self.site, Path(config.site_dir), config.site_name, config.site_url or "", self.config.licence,
                     Path(self.config.plans_dir).as_posix().rstrip("/") + "/", self.root)

    def on_page_markdown(self, markdown: str, page, config: MkDocsConfig, files: Files) -> str:
        meta = self.page_meta.get(page.file.src_uri)
        if meta is not None:
            # The text has no front matter: the metadata is the renderer's, as Python data.
            page.meta = dict(meta)
        # The open-data page states the licence set in mkdocs.yml.
        if page.file.src_uri == OPEN_DATA_PAGE:
            return fill_licence(markdown, self.config.licence)
        return markdown

    def on_page_context(self, context, page, config: MkDocsConfig, nav):
        # schema.org URLs are written site-relative; on the page they must resolve from where it is.
        if page.meta.get("jsonld"):
            page.meta["jsonld"] = urls.resolve(page.meta["jsonld"], page.url, config.site_url or "")
        # A school or plan page shows its own picture when shared; any other, the nearest above it.
        card = card_for(page.url, self.share_cards)
        if card is not None:
            address = urls.resolve({"url": card.path}, page.url, config.site_url or "")["url"]
            page.meta["share_image"] = {"url": address, "alt": card.alt, "width": WIDTH, "height": HEIGHT}
        return context

    def on_env(self, env, config: MkDocsConfig, files: Files):
        env.bytecode_cache = COMPILED  # the theme's templates compiled once (template_cache)
        if self.broken is not None:
            return env  # the preview's error page only: no plans
        # Every page is read and converted now, and stays so until the end of the build: the same.
        gc.freeze()
        # MkDocs dates every page (sitemap lastmod, sitemap.xml.gz) with the clock; use git's date.
        date = build_date(self.root, (plan.date for plan in self.site.plans)).isoformat()
        for file in files.documentation_pages():
            if file.page is not None:
                file.page.update_date = date
        return env

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.broken is not None:
            return  # the preview's error page only: no plans
        if self.printing:
            gc.unfreeze()
            return  # `qip-site pdf`: the plan pages to print are all it needs
        if self.background is not None:
            running, self.background = self.background, None
            running.wait()  # its messages, then its fault if any
            write_outputs(self._build(config), self.config.outputs, only=AFTER_PAGES)
        else:
            write_outputs(self._build(config), self.config.outputs)
        if self.pdf_plans is not None:
            copy_pdfs(self.pdf_plans.found, Path(config.site_dir))
            missing = len(self.pdf_plans.plans) - len(self.pdf_plans.found)
            if missing and not self.serving:
                # INFO, like the plans' warnings: the site is right, only these links wait for `make pdf`.
                log.info(missing_message(missing, len(self.pdf_plans.plans)))
        if not config.site_url and not self.serving and self.member is None:
            # INFO, like the plans' warnings: a local build without an address is normal, and --strict must pass.
            log.info(NO_SITE_URL)
        if not self.serving and self.member is None and not self.config.member_sites.schools:
            # Every file is written: near a host's limit, say so (INFO, like the plans' warnings: --strict passes).
            # With member sites, members.py measures the whole site once they are built too.
            for line in check_site(Path(config.site_dir)):
                log.info(line)
        gc.unfreeze()  # what the build held may go now (`mkdocs serve` builds again and again)

    def on_build_error(self, error: Exception) -> None:
        if self.background is not None:
            self.background.cancel()  # the staging folder is dropped: nothing may write into it any more
            self.background = None
        gc.unfreeze()

    def _error_files(self, config: MkDocsConfig) -> Files:
        """The preview of broken plans: the error page at / (and, by on_post_template, as 404.html)."""
        config.nav = None  # no menu of pages that are not built (MkDocs would warn about each)
        return Files([File.generated(config, "index.html", content=error_page(self.broken))])

    def on_post_page(self, output: str, page, config: MkDocsConfig) -> str:
        if self.release and not self.serving and page.file.src_uri in self.page_meta:
            # MkDocs keeps every page until the end of the build; what it writes is `output`, and what it
            # still reads (anchors and links, for its link check; the page cache too) is kept. A
            # province's pages no longer all stay in memory at once (issue 15).
            page.markdown, page.content = None, None
            page.file.content_string = ""
        # The theme's indentation and blank lines, which no browser shows (outputs/minify.py). Before the
        # page cache's on_post_page (priority -100), which stores what this returns.
        return collapse_whitespace(output)

    def on_post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        # The preview answers every unknown address with 404.html: the error page too, while broken.
        if self.broken is not None and template_name == "404.html":
            return error_page(self.broken)
        return collapse_whitespace(output) if template_name == "404.html" else output

    def on_serve(self, server, config: MkDocsConfig, builder):
        # `mkdocs serve` rebuilds when a plan file changes, not only when docs/ does.
        server.watch(str(self.plans_dir))
        return server
