"""Text helpers every step uses: folding for recognising wordings, cleaning what Word holds, counting words."""

from __future__ import annotations

import re
import unicodedata

from ..reading import names, textrules

# A range of years as written, "2023-2024", "2024 – 2029", "2022/2027".
RANGE_RE = re.compile(r"(\d{4})\s*[-–—/]\s*(\d{4})")
ROMANS = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
          "XVI", "XVII", "XVIII", "XIX", "XX"}


def fold(text: str) -> str:
    """Lower case, no diacritics, "đ" as "d" (reading.names.fold), spaces collapsed: for recognising wordings."""
    return " ".join(names.fold(text).split())


def is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def has_word(text: str) -> bool:
    return any(c.isalnum() for c in text)


def words(text: str) -> int:
    return len(text.split())


def clean(text: str) -> str:
    """NFC, invisible characters removed, characters the plan loader refuses turned into spaces."""
    return textrules.clean(unicodedata.normalize("NFC", text))


def decoration(text: str) -> bool:
    """Lines drawn under the header: "-----", "___", "***", "---oOo---"."""
    return not has_word(re.sub(r"o\s*O\s*o", "", text)) and len(text) >= 2
