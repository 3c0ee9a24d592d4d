"""Every internal link of the built site leads somewhere: a file, and an element for its #fragment.

A static site has no server to answer a wrong address: a link to a missing page or to an anchor
no element carries fails silently for the reader. The checker reads every .html file of the
built site, resolves each `href` and `src` (relative or root-relative) against the page's own
address, and requires the target file (a folder means its index.html) and, for a fragment, an
element with that `id` (or an `<a name>`). External links (http, https, mailto, …) are not
followed.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import write_files

# Attributes that hold a link to be followed, on any element.
LINK_ATTRIBUTES = ("href", "src")


class _PageParser(HTMLParser):
    """One pass over a page: its links (attribute values) and the anchors it offers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in LINK_ATTRIBUTES:
                self.links.append(value)
            elif name == "id" or (name == "name" and tag == "a"):
                self.anchors.add(value)

    handle_startendtag = handle_starttag


def _parse(page: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


def _target(site: Path, page: str, path: str) -> str | None:
    """The site-relative file a link's path leads to from `page`, or None if it leaves the site."""
    if path.startswith("/"):
        joined = path.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(page), path)
    parts: list[str] = []
    for part in joined.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    target = "/".join(parts)
    if not target or path.endswith("/") or (site / target).is_dir():
        target = posixpath.join(target, "index.html") if target else "index.html"
    return target


def broken_links(site: Path) -> list[str]:
    """"page → link (why)" for every internal link of `site` that leads nowhere, in page order."""
    pages = {p.relative_to(site).as_posix(): _parse(p) for p in sorted(site.rglob("*.html"))}
    broken = []
    for page, parsed in pages.items():
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # http(s), mailto, data, javascript, //host: not this site's files
            path, fragment = unquote(parts.path), unquote(parts.fragment)
            if not path:
                target = page  # "#anchor" or "?query": this very page
            else:
                target = _target(site, page, path)
                if target is None:
                    broken.append(f"{page} → {link} (ra ngoài trang web)")
                    continue
                if not (site / target).is_file():
                    broken.append(f"{page} → {link} (không có tệp {target})")
                    continue
            if fragment and target.endswith(".html") and fragment not in pages[target].anchors:
                broken.append(f"{page} → {link} (không có #{fragment} trong {target})")
    return broken


def test_every_internal_link_of_the_site_resolves(seed_site: Path) -> None:
    broken = broken_links(seed_site)
    assert not broken, f"{len(broken)} liên kết hỏng:\n" + "\n".join(broken)


def test_checker_finds_missing_pages_and_anchors(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "index.html": (
            '<a href="a/">ok</a> <a href="a/#top">ok</a> <a href="#here">ok</a> <p id="here"></p>'
            '<a href="a/index.html#old"></a> <a href="missing/">x</a> <img src="/img/b.png">'
            '<a href="https://example.org/nowhere/">external</a> <a href="mailto:x@example.org">mail</a>'
            '<a href="../../etc/passwd">outside</a> <a href="a/%C4%91%E1%BB%8Bnh/#x">encoded</a>'
        ),
        "a/index.html": '<h1 id="top">A</h1><a name="legacy"></a><a href="../#here">ok</a><a href="#legacy">ok</a>',
        "a/định/index.html": '<p id="x"></p><link href="../../style.css"><script src="../app.js"></script>',
        "style.css": "",
    })
    assert broken_links(tmp_path) == [
        "a/định/index.html → ../app.js (không có tệp a/app.js)",
        "index.html → a/index.html#old (không có #old trong a/index.html)",
        "index.html → missing/ (không có tệp missing/index.html)",
        "index.html → /img/b.png (không có tệp img/b.png)",
        "index.html → ../../etc/passwd (ra ngoài trang web)",
    ]
