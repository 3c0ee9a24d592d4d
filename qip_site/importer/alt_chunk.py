"""Content a Word file pulls in from another file (w:altChunk): an HTML page, a text file or another
Word file stored inside the .docx, shown by Word in place of the w:altChunk element. Programs that
write Word files from web forms use it; Word merges it into the text only when the file is saved again.

Its text is read line by line (an HTML block, a table cell, a line of the text file, a paragraph of
the Word file), for the reader and for the count of every text of the file alike: a Word file's body
with its footnotes and endnotes after it; its headers, footers and comments, like the main file's,
counted and said, not imported; hidden text (a Word file's Font → Hidden, an HTML element with
`hidden`, display:none or visibility:hidden in its style attribute or in a rule of its class) said,
not imported. Another kind of content cannot be read: the file is refused, with how to merge the
content by hand.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from typing import Any

from .notes import ImportFailed
from .ooxml import xpath
from .text import clean

_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_HTML = ("text/html", "application/xhtml+xml")
_TEXT = ("text/plain",)
_WORD = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
# HTML elements that end a line.
_BLOCKS = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
           "blockquote", "pre", "title", "section", "article", "header", "footer", "dt", "dd", "caption"}
UNREADABLE = ("tệp Word có phần nội dung nhúng từ tệp khác (altChunk, kiểu {kind}) không đọc được. Hãy mở tệp "
              "bằng Word và lưu lại (Tệp → Lưu thành → Word Document (.docx)): Word gộp phần đó vào văn bản; rồi "
              "nhập lại.")

NESTED = ("tệp Word có phần nội dung nhúng từ tệp khác (altChunk) mà chính phần đó lại nhúng tệp khác nữa; "
          "không đọc được. Hãy mở tệp bằng Word và lưu lại (Tệp → Lưu thành → Word Document (.docx)): Word gộp "
          "các phần đó vào văn bản; rồi nhập lại.")


def chunks(root: Any) -> list[Any]:
    return xpath(root, ".//w:altChunk")


# The kinds of lines the reader reads of a pulled-in file: a Word file's body, then its footnotes and endnotes.
READ = ("document", "footnotes", "endnotes")


def chunk_lines(document: Any, element: Any, kinds: tuple[str, ...] = READ) -> list[Any]:
    """The lines of text of one w:altChunk of the main document (source_text.SourceLine), cleaned and stripped,
    never empty, of the kinds asked: "document" its text, "hidden" its hidden text (a Word file's Font → Hidden,
    an HTML element hidden by `hidden` or its style's display:none, visibility:hidden); of a Word file also its
    footnotes and endnotes (after its body), its headers, footers and comments (to be said)."""
    from .source_text import SourceLine

    part = document.part.related_parts.get(element.get(_R_ID) or "")
    if part is None:
        return []  # a reference to nothing: Word shows nothing either
    kind = part.content_type.split(";")[0].strip().lower()
    blob = part.blob
    if kind in _WORD:
        return _word_lines(blob, kind, kinds)
    if kind in _HTML:
        shown, hidden = _html_text(_decode(blob))
    elif kind in _TEXT:
        shown, hidden = _decode(blob), ""
    else:
        raise ImportFailed(UNREADABLE.format(kind=kind or "không rõ"))
    return [SourceLine(name, line) for name, text in (("document", shown), ("hidden", hidden)) if name in kinds
            for line in _split(text)]


def _split(text: str) -> list[str]:
    return [" ".join(line.split()) for line in clean(text).split("\n") if line.strip()]


def _decode(blob: bytes) -> str:
    if blob.startswith(b"\xef\xbb\xbf"):
        return blob[3:].decode("utf-8", "replace")
    if blob.startswith((b"\xff\xfe", b"\xfe\xff")):
        return blob.decode("utf-16", "replace")
    declared = re.search(rb"charset\s*=\s*[\"']?([\w-]+)", blob[:4096], re.IGNORECASE)
    try:
        return blob.decode(declared.group(1).decode("ascii") if declared else "utf-8")
    except (LookupError, UnicodeDecodeError):
        return blob.decode("utf-8", "replace")


# HTML elements without an end tag.
_VOID = {"br", "img", "hr", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr", "param"}
_HIDDEN_STYLE_RE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse))\b",
                              re.IGNORECASE)


class _Text(HTMLParser):
    """The text of an HTML page, line by line: what a browser (and Word) shows, and apart what it hides."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.hidden_pieces: list[str] = []
        self.skipped = 0  # inside <script>, <style>, <template>: not text
        self.open: list[tuple[str, bool]] = []  # the open elements: (tag, hides its content)
        self.style = ""  # the text of the <style> elements read so far
        self.hidden_classes: set[str] = set()  # classes that a style rule hides (".nhap { display: none }")

    def _hiding(self) -> bool:
        return any(hides for _, hides in self.open)

    def _break(self) -> None:  # a line ends, in the text shown and in the text hidden alike
        self.pieces.append("\n")
        self.hidden_pieces.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self.skipped += 1
            return
        if tag in _BLOCKS:
            self._break()
        if tag not in _VOID:
            values = dict(attrs)
            hides = ("hidden" in values or bool(_HIDDEN_STYLE_RE.search(values.get("style") or ""))
                     or bool(self.hidden_classes & set((values.get("class") or "").split())))
            self.open.append((tag, hides))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self.skipped = max(0, self.skipped - 1)
            if tag == "style":
                self.hidden_classes = _hidden_classes(self.style)
            return
        if tag in _BLOCKS:
            self._break()
        # Close the element (and those left open inside it); an end tag without its start is ignored.
        for at in range(len(self.open) - 1, -1, -1):
            if self.open[at][0] == tag:
                del self.open[at:]
                break

    def handle_data(self, data: str) -> None:
        if self.lasttag == "style" and self.skipped:
            self.style += data
        if not self.skipped:
            (self.hidden_pieces if self._hiding() else self.pieces).append(re.sub(r"\s+", " ", data))


def _hidden_classes(style: str) -> set[str]:
    """The classes that rules of a style sheet hide: ".nhap, p.an { display: none }" -> {"nhap", "an"}."""
    out: set[str] = set()
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", style, flags=re.DOTALL)):
        if _HIDDEN_STYLE_RE.search(body):
            out.update(m.group(1) for m in (re.fullmatch(r"[\w-]*\.([\w-]+)", s.strip()) for s in selectors.split(","))
                       if m)
    return out


def _html_text(html: str) -> tuple[str, str]:
    """The text an HTML page shows, and the text it hides."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.pieces), "".join(parser.hidden_pieces)


def _word_lines(blob: bytes, kind: str, kinds: tuple[str, ...]) -> list[Any]:
    """The lines of a Word file inside the Word file, of `kinds`: checked as the file itself is (its parts unpack
    within the limits), and read without its own pulled-in contents, which would be read again and again if a
    file held itself."""
    import docx

    from .source_text import source_lines
    from .word_file import check_unpacked

    check_unpacked(io.BytesIO(blob), "nhúng (altChunk) trong tệp Word")
    try:
        inner = docx.Document(io.BytesIO(blob))
    except Exception:
        raise ImportFailed(UNREADABLE.format(kind=kind)) from None
    if chunks(inner.element):
        raise ImportFailed(NESTED)
    return source_lines(inner, kinds=kinds)
