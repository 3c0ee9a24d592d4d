"""The README and the guides: every relative link leads to a file, and every #anchor to a heading."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO

DOCS = [REPO / "README.md", *sorted((REPO / "guide").glob("*.md"))]
LINK = re.compile(r"\[(?:[^\]]|\][^(])*?\]\(([^)\s]+)\)")  # [text](target); text may hold `code`
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)


def prose(text: str) -> str:
    """The text without fenced code blocks and inline code: links there are examples, not links."""
    return re.sub(r"`[^`\n]*`", "", FENCE.sub("", text))


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|<[^>]+>", "", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    explicit = set(re.findall(r'<a id="([^"]+)"></a>', text))
    return explicit | {github_slug(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.M)}


def links(path: Path) -> list[str]:
    return [t for t in LINK.findall(prose(path.read_text(encoding="utf-8")))
            if not re.match(r"[a-z]+:", t)]  # https:, mailto: … are not checked here


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_relative_links_and_anchors_resolve(doc: Path) -> None:
    assert links(doc), "no link found: the pattern is broken"
    for target in links(doc):
        file, _, anchor = target.partition("#")
        dest = (doc.parent / file).resolve() if file else doc
        assert dest.exists(), f"{doc.name}: {target}: no such file"
        if anchor:
            assert anchor in anchors(dest), f"{doc.name}: {target}: no such heading or anchor"


def test_every_explicit_anchor_is_used_once() -> None:
    for doc in DOCS:
        found = re.findall(r'<a id="([^"]+)"></a>', doc.read_text(encoding="utf-8"))
        assert len(found) == len(set(found)), doc.name


def test_the_checker_sees_a_broken_anchor(tmp_path: Path) -> None:
    page = tmp_path / "a.md"
    page.write_text('<a id="co"></a>\n## Có\n\n[x](#co) [y](#khong) `[z](#code)`\n```\n[w](#fence)\n```\n',
                    encoding="utf-8")
    assert links(page) == ["#co", "#khong"]
    assert anchors(page) == {"co", "có"}
    assert github_slug("1. Bắt đầu `nhanh`") == "1-bắt-đầu-nhanh"
