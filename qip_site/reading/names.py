"""Names: the one home of the slug rule (folder and file names that are also addresses), of accent
folding ("Đội ngũ" → "doi ngu"), for every reader, writer and the search, and of the school levels
named in words ("Trường MN …", "THCS", "trung học phổ thông").

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


# A school level named in words, on folded text: the importer reads a school's name with these,
# `qip-site new` a folder's name, and school.yml's `level` may name the level so ("Mầm non", "THCS").
LEVEL_WORDS = {
    "preschool": ("mam non", "mn", "mau giao", "mg", "nha tre"),
    "primary": ("tieu hoc", "th"),
    "lower_secondary": ("thcs", "trung hoc co so"),
    "upper_secondary": ("thpt", "trung hoc pho thong"),
}
# A school of several levels: "phổ thông có nhiều cấp học", "PTCS" (phổ thông cơ sở: primary and lower
# secondary); also "trung học" and "phổ thông" alone (see level_in_name).
MULTI_LEVEL_WORDS = ("nhieu cap", "ptcs", "pho thong co so")
# Every word that names a kind of school, longest first (for an alternation in a larger pattern: the
# importer's "trường <kind>" in running text).
SCHOOL_KIND_WORDS = tuple(sorted({*(w for words in LEVEL_WORDS.values() for w in words), *MULTI_LEVEL_WORDS,
                                  "trung hoc", "pho thong"}, key=lambda w: (-len(w), w)))


def _words_re(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(rf"\b{word}\b" for word in words))


LEVEL_RULES = [(level, _words_re(words)) for level, words in LEVEL_WORDS.items()]
# "Phổ thông …" with no level named ("Trường Phổ thông Hermann Gmeiner") is a school of several levels too.
_MULTI_LEVEL_RE = re.compile(_words_re(MULTI_LEVEL_WORDS).pattern + r"|^(?:truong\s+)?pho thong\b(?!.*\b("
                             r"thcs|thpt|tieu hoc|th|trung hoc|mam non)\b)")


def level_in_name(name: str) -> str | None:
    """The level (a value of schema.Level) that a school's name, or a level's name, gives: "Trường MN Thủy
    Tiên", "mam non", "THCS" … A school of several levels ("TH&THCS", "THCS và THPT", "phổ thông có nhiều
    cấp học", "PTCS") is "secondary": Circular 18/2018 covers lower and upper secondary schools and
    "trường phổ thông có nhiều cấp học", and the schema has one level per school, which decides the circular
    (and so the criteria) of every row; "secondary" is the level whose circular is 18.
    A preschool named with another level ("Mầm non và Tiểu học") gives none: no one circular assesses both."""
    folded = _folded_name(name)
    found = levels_named(name)
    if "preschool" in found and len(found) > 1:
        return None
    if len(found) > 1 or _MULTI_LEVEL_RE.search(folded):
        return "secondary"
    if found:
        return found[0]
    return "secondary" if re.search(r"\btrung hoc\b", folded) else None


def levels_named(name: str) -> list[str]:
    """Every level that `name` names by its words ("TH&THCS": primary, lower_secondary)."""
    folded = _folded_name(name)
    return [level for level, pattern in LEVEL_RULES if pattern.search(folded)]


def _folded_name(name: str) -> str:
    return " ".join(fold(name).replace("-", " ").split())
