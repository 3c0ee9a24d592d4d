"""The page cache's MkDocs side (the cache itself: outputs/page_cache.py), added by the qip plugin.

A generated page that is not in the nav (no previous/next link, no active menu item: its HTML
depends on nothing but its own inputs and the site's) is looked up under its key. When its final
HTML is in the cache, the page stays in MkDocs' files (the sitemap, the link checks and every
reader of the page list see it as before), but its Markdown is empty and its template is an empty
one, so neither Python-Markdown nor Material renders it; its cached HTML replaces the output in
`on_post_page`, with the anchors it holds, and MkDocs writes it. Every other generated page is built
as usual, and its output, as the last plugin sees it (priority -100: after every other plugin,
the minifier included), is stored under its key.

Its own plugin object, so that its `on_post_page` sits beside the qip plugin's and not in it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import ChoiceLoader, DictLoader, Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..outputs.og_image import card_for
from ..outputs.page_cache import CACHE, PageCache, page_key, prune_members, site_fingerprint

if TYPE_CHECKING:
    from .plugin import QipPlugin

log = logging.getLogger("mkdocs.plugins.qip")

NAME = "qip-page-cache"  # its name among the plugins
TEMPLATE = "qip-cached-page.html"  # the empty template of a page whose HTML comes from the cache
MEMBERS = "thanh-vien"  # member sites' entries: CACHE/thanh-vien/<school>/; the district's: CACHE/site/
# The settings a page's HTML may read (through the theme's templates), as the build resolved them.
SETTINGS = ("site_name", "site_url", "site_description", "site_author", "copyright", "repo_url", "repo_name",
            "edit_uri", "edit_uri_template", "use_directory_urls", "extra", "extra_css", "extra_javascript",
            "markdown_extensions", "mdx_configs", "nav")


def attach(qip: QipPlugin, config: MkDocsConfig) -> None:
    """Add the page cache to this build, as its own plugin object: its on_post_page then runs after
    every other plugin's. Not with another plugin than qip (Material's search, a blog…): such a plugin
    may read every page's content, which a page taken from the cache does not have."""
    if NAME in config.plugins:
        return
    others = [name for name in config.plugins if name != "qip"]
    if others:
        log.info(f"Không dùng lại các trang đã dựng ({CACHE.as_posix()}/) vì mkdocs.yml có thêm plugin "
                 f"{', '.join(others)}, có thể cần nội dung của mọi trang: mọi trang được dựng lại.")
        return
    config.plugins[NAME] = CachedPages(qip)


class CachedPages(BasePlugin):  # no options: the qip plugin's `cache` switches it
    def __init__(self, qip: QipPlugin):
        super().__init__()
        self.qip = qip
        self.keys: dict[str, str] = {}  # key of each page that may come from the cache, by source path
        self.hits: dict[str, list[str]] = {}  # pages taken from the cache (their anchors), by source path
        self.cache: PageCache | None = None

    @event_priority(-100)
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        qip = self.qip
        self.keys, self.hits, self.cache = {}, {}, None
        if qip.broken is not None:
            return nav  # the preview's error page only
        folder = qip.root / CACHE / (f"{MEMBERS}/{qip.member.school}" if qip.member else "site")
        self.cache = PageCache(folder)
        theme = [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
        settings = {"config": {name: config.get(name) for name in SETTINGS}, "theme": dict(config.theme),
                    "qip": dict(qip.config), "nav": self._nav(nav.items, qip.page_meta)}
        fingerprint = site_fingerprint(theme, Path(config.config_file_path), settings)
        in_nav = {page.file.src_uri for page in nav.pages}
        site_url = config.site_url or ""
        for src, meta in qip.page_meta.items():
            file = files.get_file_from_path(src)
            if file is None or src in in_nav:
                continue
            card = card_for(file.url, qip.share_cards)
            self.keys[src] = page_key(fingerprint, path=src, url=file.url, text=file.content_string, meta=meta,
                                      edit_uri=file.edit_uri, share=card and [card.path, card.alt, site_url])
        return nav

    @staticmethod
    def _nav(items: list, page_meta: dict[str, dict]) -> list[Any]:
        """The nav as every page shows it: titles and addresses; a page without a title in mkdocs.yml
        takes its own (read from its text), so its text counts then."""
        out: list[Any] = []
        for item in items:
            entry: dict[str, Any] = {"title": item.title, "url": getattr(item, "url", None)}
            if item.is_page and item.title is None:
                entry["text"] = item.file.content_string
                entry["meta"] = page_meta.get(item.file.src_uri)
            if item.children:
                entry["children"] = CachedPages._nav(item.children, page_meta)
            out.append(entry)
        return out

    @event_priority(-100)
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        key = self.keys.get(page.file.src_uri)
        found = self.cache.get(key) if key is not None and self.cache is not None else None
        if found is None:
            return markdown  # built, and stored in on_post_page
        self.hits[page.file.src_uri] = found[1]
        page.meta = {"template": TEMPLATE}
        return ""

    @event_priority(-100)
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        anchors = self.hits.get(page.file.src_uri)
        if anchors is not None:
            page.present_anchor_ids = set(anchors)  # what other pages' links to it are checked against
        return html

    @event_priority(-100)
    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        if self.hits:
            env.loader = ChoiceLoader([DictLoader({TEMPLATE: ""}), env.loader])
        return env

    @event_priority(-100)
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        src = page.file.src_uri
        key = self.keys.get(src)
        if key is None or self.cache is None:
            return output
        if src in self.hits:
            found = self.cache.get(key)
            if found is None:
                raise PluginError(f"{self.cache.path(key)}: lỗi: bản lưu sẵn của trang {page.file.url} bị xóa hoặc "
                                  "bị sửa trong lúc đang dựng trang web; hãy dựng lại.")
            return found[0].decode("utf-8")
        # What MkDocs writes, byte for byte.
        self.cache.put(key, output.encode("utf-8", errors="xmlcharrefreplace"), page.present_anchor_ids or ())
        return output

    def on_post_build(self, config: MkDocsConfig) -> None:
        cache = self.cache
        if cache is None:
            return
        if cache.corrupt:
            log.info(f"{cache.corrupt} trang lưu sẵn trong {cache.folder} bị hỏng (thiếu hoặc sai nội dung): "
                     "không dùng, đã dựng lại các trang đó.")
        if self.hits:
            log.info(f"Dùng lại {len(self.hits)} trang đã dựng ở lần trước (lưu trong {CACHE.as_posix()}/), "
                     f"dựng mới {len(self.keys) - len(self.hits)} trang.")
        if self.qip.serving:
            return  # the preview's pages (their own address) are dropped by the next full build
        cache.prune()
        if self.qip.member is None:
            # Entries of member sites no longer listed in member_sites.
            prune_members(self.qip.root / CACHE / MEMBERS, self.qip.config.member_sites.schools)
