"""The final HTML of generated pages, kept between builds under a key of everything that decides it.

A rebuild then runs MkDocs and Material only for the pages whose inputs changed (issue 15). The
plugin's side is `site/cached_pages.py`; this module knows nothing of MkDocs.

- `site_fingerprint`: what every page depends on besides its own inputs: qip-site's version and
  every file of the qip_site package (our templates, the catalogue, the plugin and whatever
  post-processes a page), the versions of MkDocs, Material and the Markdown libraries, the theme
  folder (overrides/), mkdocs.yml's bytes and the settings as the build resolved them (site_url,
  config.extra after the plugin's on_config and on_pre_build, the theme, the nav with its titles).
- `page_key`: a sha256 of the fingerprint and of the page's own inputs: its generated text (what the
  plan, its school, the catalogue and our templates put on it), its metadata, its URL, its edit link
  and its sharing picture.
- `PageCache`: one file per key, `<key>.html` in `.cache/qip-pages/<site>/`, written whole or not at
  all, holding a sha256 of its body: an entry cut short or altered is never published (`get` gives
  None and the page is built again). `prune` removes the entries a full build did not use.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .sitedir import store

CACHE = Path(".cache") / "qip-pages"  # under the project folder
SUFFIX = ".html"
PACKAGE = Path(__file__).resolve().parents[1]  # qip_site/
# The libraries whose code shapes a page's HTML (their versions are in the key; their files are not
# read: Material alone has thousands of icons).
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "pygments", "babel")


def _plain(value: Any) -> Any:
    """`value` as JSON data in a fixed order (sets sorted, unknown objects as their text)."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def canonical(value: Any) -> bytes:
    """The same bytes for the same data, whatever the order of its dictionaries."""
    return json.dumps(_plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _files(folder: Path) -> Iterable[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts)


def package_fingerprint() -> str:
    """qip-site's version and every file of the qip_site package (templates, catalogue, code): what our
    own rendering depends on besides its inputs (also the render cache's, site/render_cache.py)."""
    from .. import __version__

    digest = hashlib.sha256(canonical(__version__))
    for path in _files(PACKAGE):
        digest.update(b"\0" + path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def site_fingerprint(theme_dirs: Iterable[Path], config_file: Path, settings: Any) -> str:
    """What every cached page depends on besides its own inputs (see the module's docstring)."""
    digest = hashlib.sha256(package_fingerprint().encode())
    digest.update(canonical([_version(name) for name in LIBRARIES]))
    for folder in theme_dirs:
        for path in _files(folder):
            digest.update(b"\0" + path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(b"\0" + config_file.read_bytes() + b"\0" + canonical(settings))
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def page_key(fingerprint: str, *, path: str, url: str, text: str, meta: Mapping[str, Any], edit_uri: str | None,
             share: Any = None) -> str:
    """The key of one page's final HTML."""
    inputs = canonical({"path": path, "url": url, "meta": meta, "edit_uri": edit_uri, "share": share})
    digest = hashlib.sha256(fingerprint.encode() + b"\0" + inputs + b"\0")
    digest.update(text.encode("utf-8", errors="surrogatepass"))
    return digest.hexdigest()


class PageCache:
    """The entries of one site in `folder`: `<key>.html` = sha256 of the body, a line break, the body.
    The body is the anchors the page holds (a JSON line: MkDocs checks links to them) and its HTML."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.used: set[str] = set()  # keys found or stored by this build
        self.corrupt = 0  # entries found cut short or altered

    def path(self, key: str) -> Path:
        return self.folder / f"{key}{SUFFIX}"

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def get(self, key: str) -> tuple[bytes, list[str]] | None:
        """The HTML bytes and anchors stored under `key`; None when absent, unreadable or corrupt."""
        try:
            body = read_sealed(self.path(key))
            if body is None:
                return None
            anchors, newline, html = body.partition(b"\n")
            if not newline:
                raise ValueError
            found = json.loads(anchors)
        except ValueError:
            self.corrupt += 1
            return None
        self.used.add(key)
        return html, [str(anchor) for anchor in found]

    def put(self, key: str, html: bytes, anchors: Iterable[str]) -> None:
        body = json.dumps(sorted(anchors), ensure_ascii=False).encode("utf-8") + b"\n" + html
        store_sealed(self.path(key), body)
        self.used.add(key)

    def prune(self) -> int:
        """Remove every file of the folder this build did not use (old keys, parts a killed build
        left); how many were removed."""
        return prune_folder(self.folder, {f"{key}{SUFFIX}" for key in self.used})


# Entries of both caches (this one and site/render_cache.py): a sha256 of the body, a line break, the body.
def store_sealed(path: Path, body: bytes) -> None:
    """Write `body` with its checksum, whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    store(path, hashlib.sha256(body).hexdigest().encode() + b"\n" + body)


def read_sealed(path: Path) -> bytes | None:
    """The body stored in `path`; None when there is none (or it cannot be read). ValueError when its
    checksum does not match: an entry cut short or altered is never used."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    checksum, newline, body = data.partition(b"\n")
    if not newline or hashlib.sha256(body).hexdigest().encode() != checksum:
        raise ValueError(f"{path}: damaged")
    return body


def prune_folder(folder: Path, keep: set[str]) -> int:
    """Remove the files of `folder` not named in `keep`; how many were removed."""
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        if name not in keep:
            try:
                (folder / name).unlink()
                removed += 1
            except OSError:
                pass  # a folder, or gone already: nothing of ours
    return removed


def prune_members(folder: Path, listed: Iterable[str]) -> None:
    """Remove the entries of member sites (one folder each in `folder`) no longer listed."""
    keep = set(listed)
    if folder.is_dir():
        for member in folder.iterdir():
            if member.name not in keep:
                shutil.rmtree(member, ignore_errors=True)
