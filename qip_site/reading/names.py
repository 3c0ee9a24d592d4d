"""Names: the one home of the slug rule (folder and file names that are also addresses) and of
accent folding ("Đội ngũ" → "doi ngu"), for every reader, writer and the search.

The browser folds queries the same way as `fold` (overrides/assets/javascripts/qip-search.js: NFD,
combining marks U+0300–U+036F dropped, đ → d, lower case).
"""

from __future__ import annotations

import re
import unicodedata

from slugify import slugify as _slugify

# A school folder or plan file name: lower-case ASCII letters and digits in groups joined by "-".
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MARKS_RE = re.compile(r"[\u0300-\u036f]")


def is_slug(name: str) -> bool:
    """Whether `name` may be a school folder or a plan file name as it is ("mn-thuy-tien")."""
    return bool(SLUG_RE.match(name))


def slugify(text: str) -> str:
    """"Trường Mầm non Đông Hòa" -> "truong-mam-non-dong-hoa" (python-slugify folds đ to d)."""
    return _slugify(text)


def fold(text: str) -> str:
    """"Đội ngũ GIÁO VIÊN" -> "doi ngu giao vien": no diacritics, "đ" as "d", lower case."""
    decomposed = unicodedata.normalize("NFD", text)
    return _MARKS_RE.sub("", decomposed).replace("đ", "d").replace("Đ", "D").lower()
