"""Every text of a Word file, read from its package (not through the reader): what the count of
"nothing lost" starts from.

Every part that holds text a reader of the document sees: the document itself (its text boxes
once), the footnotes, the endnotes, the comments, the headers and the footers. A paragraph's
text is its w:t nodes (w:tab and w:br as spaces and line breaks, w:noBreakHyphen as "-", w:sym as
its sign: symbols), except hidden text (Font → Hidden, on the run or through its style: hidden; lines of their
own kind, "hidden", said and not imported, in comments and in a Word file pulled in too), deleted text (w:delText, w:del, w:moveFrom: the copy is where it was moved to), the number
Word computes in a page-number field of a header or footer, and the second copy of a text box (Word
writes a text box twice, in mc:Choice and again in mc:Fallback for old readers: the Fallback counts
only when no Choice holds text). The glossary (building blocks, not
shown in the document) is not read. Content pulled in from another file (w:altChunk) is read by
alt_chunk, every kind of its lines counted as the main file's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .alt_chunk import chunk_lines, chunks
from .hidden import HiddenText
from .ooxml import w, xpath
from .symbols import run_text, symbol
from .text import clean

_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
# The parts read, by their content type, in the order their lines are counted.
PART_KINDS = {
    "document": (_WML + "document.main+xml", _WML + "template.main+xml",
                 "application/vnd.ms-word.document.macroEnabled.main+xml",
                 "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"),
    "footnotes": (_WML + "footnotes+xml",),
    "endnotes": (_WML + "endnotes+xml",),
    "header": (_WML + "header+xml",),
    "footer": (_WML + "footer+xml",),
    "comments": (_WML + "comments+xml",),
}
PART_NAMES = {"document": "thân văn bản", "footnotes": "chú thích cuối trang", "endnotes": "chú thích cuối văn bản",
              "header": "đầu trang", "footer": "chân trang", "comments": "nhận xét (comment)"}
# Fields whose result Word computes for each page: not typed text.
_PAGE_FIELD_RE = re.compile(r"^\s*(PAGE|NUMPAGES|SECTIONPAGES)\b", re.IGNORECASE)
# A text node a reader does not see: deleted, moved away, or the Fallback copy of what a Choice holds.
HIDDEN = ("ancestor::w:del or ancestor::w:moveFrom"
           " or ancestor::mc:Fallback[../mc:Choice[.//w:t or .//w:txbxContent]]")
# The kinds of lines read: the parts', and the hidden text of any of them ("hidden": said, not imported).
KINDS = (*PART_KINDS, "hidden")


@dataclass
class SourceLine:
    part: str  # a key of PART_KINDS
    text: str  # one line of a paragraph, cleaned, stripped, never empty
    author: str = ""  # a comment's author


def parts(document: Any) -> list[tuple[str, Any]]:
    """(kind, root element) of every part that holds text, in the order of PART_KINDS."""
    kinds = {content_type: kind for kind, types in PART_KINDS.items() for content_type in types}
    found: list[tuple[str, str, Any]] = []
    for part in document.part.package.iter_parts():
        kind = kinds.get(part.content_type)
        if kind is not None:
            found.append((kind, str(part.partname), _element(part)))
    order = list(PART_KINDS)
    return [(kind, root) for kind, _, root in sorted(found, key=lambda f: (order.index(f[0]), f[1]))
            if root is not None]


def part_elements(document: Any, kind: str) -> list[Any]:
    return [root for k, root in parts(document) if k == kind]


def _element(part: Any) -> Any:
    element = getattr(part, "element", None)
    if element is not None:
        return element
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        return etree.fromstring(part.blob, parser)
    except etree.XMLSyntaxError:
        return None


def source_lines(document: Any, convert: Callable[[str], str] = lambda text: text,
                 kinds: tuple[str, ...] = KINDS) -> list[SourceLine]:
    """Every line of text of the Word file (of the parts of `kinds`), part by part; `convert` is applied to
    each paragraph (the reader's conversion from legacy encodings) before it is split into lines."""
    out: list[SourceLine] = []
    hidden = HiddenText(document)
    for kind, root in parts(document):
        if kind not in kinds and not (kind == "document" and "hidden" in kinds):
            continue
        if kind == "comments":
            for comment in root.iter(w("comment")):
                author = comment.get(w("author")) or ""
                for p in xpath(comment, ".//w:p"):
                    out.extend(SourceLine(kind, line, author) for line in _lines(p, convert, kind, hidden))
                    if "hidden" in kinds:
                        out.extend(SourceLine("hidden", line) for line in _hidden_lines(p, hidden))
            continue
        if kind == "document" and root is document.element:
            for chunk in chunks(root):  # every kind of line of the file pulled in, as the main file's
                out.extend(chunk_lines(document, chunk, kinds))
        for p in xpath(root, ".//w:p"):
            if kind in ("footnotes", "endnotes") and xpath(p, "ancestor::w:footnote[@w:type] | ancestor::w:endnote[@w:type]"):
                continue  # the separator lines Word draws above the notes
            if kind in kinds:
                out.extend(SourceLine(kind, line) for line in _lines(p, convert, kind, hidden))
            if "hidden" in kinds:
                out.extend(SourceLine("hidden", line) for line in _hidden_lines(p, hidden))
    return out


def _hidden_lines(p: Any, hidden: HiddenText) -> list[str]:
    """The text of paragraph `p` formatted as hidden: not part of the document as Word shows it."""
    nodes = [t for t in xpath(p, f".//w:r/w:t[not({HIDDEN})]")
             if xpath(t, "ancestor::w:p[1]")[0] is p and hidden(t.getparent())]
    text = clean("".join(t.text or "" for t in nodes))
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def paragraph_text(p: Any, kind: str, hidden: HiddenText) -> str:
    """The text of one paragraph (its own runs: a text box's paragraphs inside it are paragraphs of their own)."""
    pieces: list[str] = []
    fields: list[list[Any]] = []  # open complex fields: [instruction, showing its result]
    header_like = kind in ("header", "footer")
    for node in _own_nodes(p, hidden):
        tag = node.tag
        if tag == w("fldChar"):
            char = node.get(w("fldCharType"))
            if char == "begin":
                fields.append(["", False])
            elif char == "separate" and fields:
                fields[-1][1] = True
            elif char == "end" and fields:
                fields.pop()
        elif tag == w("instrText") and fields and not fields[-1][1]:
            fields[-1][0] += node.text or ""
        elif tag == w("t"):
            if not (header_like and _page_number(node, fields)):
                pieces.append(run_text(node)[0])
        elif tag in (w("tab"), w("ptab")):
            pieces.append("\t")
        elif tag in (w("br"), w("cr")):
            pieces.append("\n")
        elif tag == w("noBreakHyphen"):
            pieces.append("-")
        elif tag == w("sym"):
            pieces.append(symbol(node))
    return "".join(pieces)


def _page_number(t: Any, fields: list[list[Any]]) -> bool:
    """Whether a text node shows the result of a page-number field (complex or simple)."""
    if any(shown and _PAGE_FIELD_RE.match(instruction) for instruction, shown in fields):
        return True
    return any(_PAGE_FIELD_RE.match(f.get(w("instr")) or "") for f in xpath(t, "ancestor::w:fldSimple"))


def _own_nodes(p: Any, hidden: HiddenText) -> list[Any]:
    """The run content of paragraph `p` in document order, without what belongs to a paragraph inside it
    (a text box) or what a reader does not see."""
    nodes = xpath(p, f".//w:r/*[not({HIDDEN})]")
    return [n for n in nodes if xpath(n, "ancestor::w:p[1]")[0] is p and not hidden(n.getparent())]


def _lines(p: Any, convert: Callable[[str], str], kind: str, hidden: HiddenText) -> list[str]:
    if xpath(p, HIDDEN):
        return []  # a paragraph of a text box's second copy, or inside deleted text
    text = paragraph_text(p, kind, hidden)
    if not text.strip():
        return []
    text = clean(convert(text))
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]

