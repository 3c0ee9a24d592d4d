"""WordprocessingML names and look-ups, shared by the reader and the numbering."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NS = {"w": W_NS, "mc": MC_NS}

_XPATHS: dict[str, Any] = {}


def xpath(node: Any, path: str) -> list[Any]:
    """lxml XPath with the w: and mc: prefixes (python-docx's own xpath knows no mc:)."""
    from lxml import etree

    if path not in _XPATHS:
        _XPATHS[path] = etree.XPath(path, namespaces=NS)
    return _XPATHS[path](node)


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def children(parent: Any, tag: str) -> Iterator[Any]:
    """`parent`'s children `tag` (w:tr of a table, w:tc of a row), also inside content controls (w:sdt) and
    custom XML (w:customXml) at any depth, as Word shows them: a form's repeating section wraps each row in
    two content controls."""
    for child in parent.iterchildren():
        if child.tag == w(tag):
            yield child
        elif child.tag == w("sdt"):
            content = child.find(w("sdtContent"))
            if content is not None:
                yield from children(content, tag)
        elif child.tag == w("customXml"):
            yield from children(child, tag)


def number(node: Any, attribute: str, default: int) -> int:
    """A whole number attribute (w:val of w:gridSpan …); `default` when it is missing or not a number."""
    try:
        return int(node.get(w(attribute), default)) if node is not None else default
    except ValueError:
        return default


def val(node: Any, tag: str) -> str | None:
    """The w:val of the child `tag`, or None without the child."""
    child = node.find(w(tag))
    return None if child is None else child.get(w("val"))


def style_elements(document: Any) -> dict[str, Any]:
    """The document's styles (w:style) by id; none when it has no styles part."""
    try:
        root = document.styles.element
    except Exception:  # no styles part
        return {}
    return {style.get(w("styleId")) or "": style for style in root.iterchildren(w("style"))}


def style_chain(styles: dict[str, Any], style_id: str | None) -> Iterator[Any]:
    """Style `style_id`, then the styles it is based on (w:basedOn), nearest first; a loop ends the chain."""
    seen: set[str] = set()
    while style_id and style_id not in seen and style_id in styles:
        seen.add(style_id)
        yield styles[style_id]
        style_id = val(styles[style_id], "basedOn")
