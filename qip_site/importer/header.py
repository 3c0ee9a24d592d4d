"""The header block: its lines placed into header fields (managing body, school, number, national name, motto,
place and date); the lines that fit no field are handed back to go to the preamble."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .notes import Notes, quote
from .text import decoration, fold, is_upper, words

# On folded text.
_NATIONAL_RE = re.compile(r"cong hoa xa hoi chu nghia")
_MOTTO_RE = re.compile(r"doc lap.*hanh phuc")
_NUMBER_RE = re.compile(r"^so\s*(?::|\.\s*\d|\d|/)")
# "ngày 5 tháng 9 năm 2024", "ngày    tháng 9 năm 2024" (the day left blank), "ngày 05.9.2024", "ngày 05/09/2024".
_PLACE_DATE_RE = re.compile(r"\bngay\b(?:.*\bthang\b.*\bnam\b|\s*\d{1,2}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{4}\b)")
_SHORT_DATE_RE = re.compile(r"\bngay\s*(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})\b")
_SCHOOL_RE = re.compile(r"^truong\b")

FIELD_LABELS = {
    "managing_body": "cơ quan chủ quản", "school": "tên trường", "number": "số văn bản",
    "national_name": "quốc hiệu", "motto": "tiêu ngữ", "place_date": "địa danh, ngày tháng",
}
ORDER = ["managing_body", "school", "number", "national_name", "motto", "place_date"]


def header_kind(text: str) -> str | None:
    """The header field a line is by its own wording (managing body and school's second line aside)."""
    folded = fold(text)
    if _NATIONAL_RE.search(folded):
        return "national_name"
    if _MOTTO_RE.search(folded):
        return "motto"
    if _NUMBER_RE.match(folded) and words(text) <= 8:
        return "number"
    if _PLACE_DATE_RE.search(folded) and words(text) <= 16:
        return "place_date"
    if _SCHOOL_RE.match(folded) and words(text) <= 12:
        return "school"
    return None


def _wrapped(kind: str, above: str, text: str) -> bool:
    """Whether `text` is the end of the national name or of the date broken off the line above."""
    folded, before = fold(text), fold(above)
    if kind == "national_name":
        return folded in ("viet nam", "nam") and not before.endswith("viet nam")
    return bool(re.fullmatch(r"(?:nam\s*)?\d{4}\s*\.?", folded)) and not re.search(r"\d{4}\W*$", before)


def header_like(lines: list[str]) -> bool:
    return any(header_kind(line) in ("national_name", "motto", "number", "place_date") for line in lines)


def read_header(items: list[tuple[str, str | None]], notes: Notes) -> tuple[dict[str, Any], list[str]]:
    """The header fields from (line, column) items; and the lines that fit none."""
    fields: dict[str, list[str]] = {}
    unplaced: list[str] = []
    last = None
    for text, col in items:
        if decoration(text):
            notes.skip_decoration(text)
            continue
        kind = header_kind(text)
        if kind is None and last is not None and last in ("national_name", "place_date") and _wrapped(
                last, fields[last][-1], text):
            kind = last  # the national name or the date broken by a narrow column: "… CHỦ NGHĨA" / "VIỆT NAM"
        if kind is None and col != "R" and is_upper(text):
            if last == "school" and "number" not in fields:
                kind = "school"  # the school's name on two lines
            elif "school" not in fields and "number" not in fields:
                kind = "managing_body"
        if kind is None or (kind in fields and kind != last):
            unplaced.append(text)
            last = None
            continue
        fields.setdefault(kind, []).append(text)
        last = kind
    header: dict[str, Any] = {k: "\n".join(fields[k]) for k in ORDER if k in fields}
    for kind, lines in fields.items():
        if len(lines) > 1:
            notes.warn(f"Dòng {FIELD_LABELS[kind]} ghi trên {len(lines)} dòng, đã giữ các dòng trong "
                       f"header.{kind}: {quote(' / '.join(lines))}")
    day = _SHORT_DATE_RE.search(fold(header.get("place_date", "")))
    if day:
        try:
            header["date"] = dt.date(int(day.group(3)), int(day.group(2)), int(day.group(1)))
        except ValueError:
            pass  # no such day: the check says the date cannot be read
        else:
            notes.warn(f"Ngày ban hành viết bằng số {quote(day.group(0).split(None, 1)[1], 20)} được ghi thêm vào "
                       f"header.date: {header['date']}; hãy kiểm tra.")
    return header, unplaced
