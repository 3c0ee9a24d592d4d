"""A school's own pages as our templates render them, kept between builds (issue 15): an unchanged school
is not rendered again. Pure: no MkDocs here; the plugin hands `render_site` a `RenderCache`.

- Which pages: the school page, its school-year pages, its plan pages and their version comparisons
  (`Renderer.school_pages`). Their templates read nothing outside the school: not the `site` object,
  no other school, no build date (tests/test_page_cache.py checks the templates for `site.`).
- `school_key`: a sha256 of the package fingerprint (qip-site's version and every file of the qip_site
  package: templates, catalogue, code; `page_cache.package_fingerprint`), of the renderer's settings
  (outputs switches, site_url, site_name, licence, the member site being built, whether plan pages
  get a PDF link), of every file under the school's folder in plans/ and of each plan's signed original
  and evidence files (path, size and sha256 of the bytes), and of the git history the pages show
  (each plan file's commits: ids, dates, messages, names, changes; and its original's).
- Not frozen: a plan page is stored with its two slots (`render.PDF_SLOT`, `render.DATA_SIZE_SLOT`)
  in place; they are filled after, on a cached page as on a fresh one (the PDF is looked up in
  .cache/qip-pdf/ by the page's text, the size is the school's data zip's).
- Storage: `<key>.json` in `.cache/qip-render/site/` (a member site's: `thanh-vien/<school>/`), written
  whole or not at all, starting with a sha256 of the rest: an entry cut short or altered is never
  used (its school is rendered again). `prune` removes what a full build did not use.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..domain.history import FileHistory
from ..domain.model import School
from ..outputs.page_cache import canonical, package_fingerprint, prune_folder, prune_members, read_sealed, store_sealed

CACHE = Path(".cache") / "qip-render"  # under the project folder
MEMBERS = "thanh-vien"  # member sites' entries: CACHE/thanh-vien/<school>/; the district's: CACHE/site/
SUFFIX = ".json"


def folder_for(root: Path, member: str | None) -> Path:
    """The entries of one site: the district's (member None) or a member site's."""
    return root / CACHE / (f"{MEMBERS}/{member}" if member else "site")


def _history(history: FileHistory | None) -> Any:
    """What a plan's pages show from git, as plain data (the versions are read from these commits)."""
    if history is None:
        return None
    return {"path": history.path, "added": history.added, "deleted_in": history.deleted_in,
            "revisions": [dataclasses.asdict(revision) for revision in history.revisions],
            "originals": [_history(original) for original in history.originals]}


def _file(path: Path, root: Path) -> list[Any]:
    try:
        name = path.relative_to(root).as_posix()
    except ValueError:
        name = str(path)
    data = path.read_bytes()
    return [name, len(data), hashlib.sha256(data).hexdigest()]


def school_key(school: School, root: Path, fingerprint: str, settings: Any) -> str:
    """The key of a school's own pages (see the module's docstring)."""
    paths = {path for path in (root / school.file).parent.rglob("*") if path.is_file()}
    for plan in school.plans:
        paths.update(attached.path for attached in (plan.original, *plan.evidence.values()) if attached is not None)
    inputs = {"settings": settings, "school": school.file, "files": [_file(path, root) for path in sorted(paths)],
              "history": {plan.file: _history(plan.history) for plan in school.plans}}
    return hashlib.sha256(fingerprint.encode() + b"\0" + canonical(inputs)).hexdigest()


class RenderCache:
    """The entries of one site in `folder`: `<key>.json` = sha256 of the body, a line break, the body (the
    pages as a JSON list: path, text, source, metadata, and the plan file a plan page is of)."""

    def __init__(self, folder: Path, root: Path):
        self.folder = folder
        self.root = root
        self.used: set[str] = set()  # keys found or stored by this build
        self.hits = 0  # schools whose pages came from the cache
        self.rendered = 0  # schools rendered (and stored)
        self.corrupt = 0  # entries found cut short or altered
        self._fingerprint: str | None = None

    def key(self, school: School, settings: Any) -> str:
        if self._fingerprint is None:  # once per build
            self._fingerprint = package_fingerprint()
        return school_key(school, self.root, self._fingerprint, settings)

    def path(self, key: str) -> Path:
        return self.folder / f"{key}{SUFFIX}"

    def get(self, key: str) -> list[dict[str, Any]] | None:
        """The pages stored under `key`; None when absent, unreadable or corrupt."""
        try:
            body = read_sealed(self.path(key))
            if body is None:
                return None
            pages = json.loads(body)
            if not isinstance(pages, list) or not all(isinstance(page, dict) for page in pages):
                raise ValueError
        except ValueError:
            self.corrupt += 1
            return None
        self.used.add(key)
        self.hits += 1
        return pages

    def put(self, key: str, pages: list[dict[str, Any]]) -> None:
        self.rendered += 1
        body = json.dumps(pages, ensure_ascii=False, separators=(",", ":")).encode("utf-8", errors="surrogatepass")
        if json.loads(body) != pages:
            return  # something JSON does not give back as it was (a tuple…): rendered each time, never wrong
        store_sealed(self.path(key), body)
        self.used.add(key)

    def prune(self, members: Iterable[str] | None = None) -> int:
        """Remove every file of the folder this build did not use; with `members` (the district's build),
        also the folders of member sites no longer listed. How many entries were removed."""
        removed = prune_folder(self.folder, {f"{key}{SUFFIX}" for key in self.used})
        if members is not None:
            prune_members(self.root / CACHE / MEMBERS, members)
        return removed

    def report(self) -> list[str]:
        """What the build says of the cache, in Vietnamese."""
        lines = []
        if self.corrupt:
            lines.append(f"{self.corrupt} bản lưu sẵn trong {self.folder} bị hỏng (thiếu hoặc sai nội dung): "
                         "không dùng, đã dựng lại trang của các trường đó.")
        if self.hits:
            lines.append(f"Dùng lại trang của {self.hits} trường đã dựng ở lần trước (lưu trong {CACHE.as_posix()}/), "
                         f"dựng mới trang của {self.rendered} trường.")
        return lines
