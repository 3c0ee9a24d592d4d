"""Word's automatic numbering ("I.", "1.", "a)", "-"): the labels the reader puts in front of paragraphs.

The labels are not in the paragraph text; they are counted here, in document order, from the
numbering definitions and the paragraph's (or its style's) numbering properties.
"""

from __future__ import annotations

import re
from typing import Any

from .ooxml import val, w


class Numbering:
    """Labels of Word's automatic numbering ("I.", "1.", "a)", "-"), which are not in the text."""

    def __init__(self, document: Any):
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) -> fmt, text, start
        self.counters: dict[str, list[int]] = {}
        self.styles: dict[str, tuple[str, int] | None] = {}
        self.document = document
        try:
            numbering = document.part.numbering_part.element
        except Exception:  # no numbering part
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in numbering.findall(w("abstractNum")):
            levels = {}
            for lvl in node.findall(w("lvl")):
                fmt, text, start = val(lvl, "numFmt") or "decimal", val(lvl, "lvlText") or "", val(lvl, "start")
                levels[int(lvl.get(w("ilvl"), "0"))] = (fmt, text, int(start or 1))
            abstract[node.get(w("abstractNumId"))] = levels
        for num in numbering.findall(w("num")):
            levels = abstract.get(val(num, "abstractNumId") or "", {})
            for ilvl, spec in levels.items():
                self.levels[(num.get(w("numId")), ilvl)] = spec

    def label(self, p: Any) -> str | None:
        num = self._num_pr(p)
        if num is None or (num[0], num[1]) not in self.levels:
            return None
        num_id, ilvl = num
        counts = self.counters.setdefault(num_id, [0] * 9)
        fmt, text, start = self.levels[(num_id, ilvl)]
        counts[ilvl] = start if counts[ilvl] == 0 else counts[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        if fmt == "bullet":
            return "•" if not text or any("\ue000" <= c <= "\uf8ff" for c in text) else text
        if fmt == "none":
            return None

        def level_text(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            spec = self.levels.get((num_id, k), ("decimal", "", 1))
            return format_number(max(counts[k], spec[2]), spec[0])

        return re.sub(r"%(\d)", level_text, text) or None

    def _num_pr(self, p: Any) -> tuple[str, int] | None:
        found = p.find(f"{w('pPr')}/{w('numPr')}")
        if found is not None:
            num_id, ilvl = val(found, "numId"), val(found, "ilvl")
            return (num_id, int(ilvl or 0)) if num_id and num_id != "0" else None
        style = p.find(f"{w('pPr')}/{w('pStyle')}")
        return self._style_num(style.get(w("val")) if style is not None else None)

    def _style_num(self, style_id: str | None, depth: int = 0) -> tuple[str, int] | None:
        if not style_id or depth > 10:
            return None
        if style_id not in self.styles:
            self.styles[style_id] = None
            try:
                styles = self.document.part.styles.element
            except Exception:
                return None
            for style in styles.findall(w("style")):
                if style.get(w("styleId")) == style_id:
                    found = style.find(f"{w('pPr')}/{w('numPr')}")
                    if found is not None and val(found, "numId") not in (None, "0"):
                        self.styles[style_id] = (val(found, "numId"), int(val(found, "ilvl") or 0))
                    elif style.find(w("basedOn")) is not None:
                        self.styles[style_id] = self._style_num(val(style, "basedOn"), depth + 1)
                    break
        return self.styles[style_id]


def format_number(n: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        out, values = "", [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        rest = n
        for value, letters in [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                               (50, "L"), (40, "XL")] + values:
            while rest >= value:
                out, rest = out + letters, rest - value
        return out if fmt == "upperRoman" else out.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)
