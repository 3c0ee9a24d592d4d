"""Content a Word file pulls in from another file (w:altChunk): an HTML page, a text file or another
Word file stored inside the .docx, shown by Word in place of the w:altChunk element. Programs that
write Word files from web forms use it; Word merges it into the text only when the file is saved again.

Its text is read line by line (an HTML block, a table cell, a line of the text file, a paragraph of
the Word file), for the reader and for the count of every text of the file alike. Another kind of
content cannot be read: the file is refused, with how to merge the content by hand.
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


def chunk_lines(document: Any, element: Any) -> list[str]:
    """The lines of text of one w:altChunk of the main document, cleaned and stripped, never empty."""
    part = document.part.related_parts.get(element.get(_R_ID) or "")
    if part is None:
        return []  # a reference to nothing: Word shows nothing either
    kind = part.content_type.split(";")[0].strip().lower()
    blob = part.blob
    if kind in _HTML:
        text = _html_text(_decode(blob))
    elif kind in _TEXT:
        text = _decode(blob)
    elif kind in _WORD:
        text = _word_text(blob, kind)
    else:
        raise ImportFailed(UNREADABLE.format(kind=kind or "không rõ"))
    return [" ".join(line.split()) for line in clean(text).split("\n") if line.strip()]


def chunk_hidden_lines(document: Any, element: Any) -> list[str]:
    """The hidden text (Font → Hidden) of a Word file pulled in by one w:altChunk: not shown, to be said."""
    part = document.part.related_parts.get(element.get(_R_ID) or "")
    if part is None or part.content_type.split(";")[0].strip().lower() not in _WORD:
        return []
    return _word_lines(part.blob, part.content_type, ("hidden",))


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


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.hidden = 0  # inside <script>, <style>, <head>'s non-text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self.hidden += 1
        elif tag in _BLOCKS:
            self.pieces.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.pieces.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.pieces.append(re.sub(r"\s+", " ", data))


def _html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.pieces)


def _word_text(blob: bytes, kind: str) -> str:
    """The text of a Word file inside the Word file: checked as the file itself is (its parts unpack
    within the limits), and read without its own pulled-in contents, which would be read again and
    again if a file held itself; its hidden text apart (chunk_hidden_lines)."""
    return "\n".join(_word_lines(blob, kind, ("document",)))


def _word_lines(blob: bytes, kind: str, kinds: tuple[str, ...]) -> list[str]:
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
    return [line.text for line in source_lines(inner, kinds=kinds)]
