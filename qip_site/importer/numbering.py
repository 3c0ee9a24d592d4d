"""Word's automatic numbering ("I.", "1.", "a)", "-"): the labels the reader puts in front of paragraphs.

The labels are not in the paragraph text; they are counted here, in document order, as Word counts
them (ECMA-376 §17.9):

- a paragraph is numbered by its own numbering properties or by its style's (a numbering instance,
  `w:num`, and a level); its own `w:numId="0"` turns the style's numbering off;
- an instance points to an abstract definition (`w:abstractNum`), directly or through a numbering
  style (`w:numStyleLink`); the instances of one definition share one running count, so a list
  continues across them, unless an instance restarts a level (`w:lvlOverride`/`w:startOverride`)
  the first time it is used there; an override may also redefine a level (`w:lvl`);
- a level restarts after any higher level is used, or as its `w:lvlRestart` says (0: never);
- a level's text (`w:lvlText`, "%1.%2.") shows each level's number in that level's format, all in
  Arabic numerals when the level is "legal" (`w:isLgl`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .ooxml import style_chain, style_elements, val, w

LEVELS = 9  # levels 0 to 8, as Word has
MAX_START = 32767  # the largest start value Word takes (a file may say more: it is held to this)


@dataclass(frozen=True)
class Level:
    """One level of a numbering definition."""

    fmt: str = "decimal"  # w:numFmt: decimal, upperRoman, lowerLetter, bullet, none…
    text: str = ""  # w:lvlText: "%1.", "%1.%2", "-"
    start: int = 1
    restart: int | None = None  # w:lvlRestart: restarts after a use of a level up to this one (1-based); 0: never
    legal: bool = False  # w:isLgl: every level's number in Arabic numerals
    style: str | None = None  # w:pStyle: the paragraph style this level belongs to


@dataclass
class Instance:
    """A `w:num`: the abstract definition it counts with, and what it overrides."""

    abstract: str
    levels: dict[int, Level]
    starts: dict[int, int]  # w:startOverride by level: where the count restarts on first use


class Numbering:
    """Labels of Word's automatic numbering ("I.", "1.", "a)", "-"), which are not in the text."""

    def __init__(self, document: Any):
        self.instances: dict[str, Instance] = {}
        self.counters: dict[str, list[int]] = {}  # by abstract definition: shared by its instances
        self.used: set[tuple[str, int]] = set()  # (numId, level) already used: overrides apply once
        self.styles: dict[str | None, tuple[str | None, int | None]] = {}  # style id -> numId, level (inherited)
        self.style_nodes = style_elements(document)
        try:
            numbering = document.part.numbering_part.element
        except Exception:  # no numbering part
            return
        abstract = {node.get(w("abstractNumId")): node for node in numbering.findall(w("abstractNum"))}
        nums = {node.get(w("numId")): node for node in numbering.findall(w("num"))}
        for num_id, node in nums.items():
            definition = self._definition(val(node, "abstractNumId"), abstract, nums)
            if definition is None:
                continue
            key, levels = definition
            starts = {}
            for override in node.findall(w("lvlOverride")):
                ilvl = _int(override.get(w("ilvl")), -1)
                if not 0 <= ilvl < LEVELS:
                    continue
                start = val(override, "startOverride")
                if start is not None:
                    starts[ilvl] = _start(start)
                redefined = override.find(w("lvl"))
                if redefined is not None:
                    levels[ilvl] = _level(redefined)
            self.instances[num_id] = Instance(key, levels, starts)

    def _definition(self, abstract_id: str | None, abstract: dict, nums: dict, depth: int = 0
                    ) -> tuple[str, dict[int, Level]] | None:
        """The abstract definition's id and levels, following a numbering style's link to the definition
        that holds the levels."""
        node = abstract.get(abstract_id)
        if node is None or depth > 5:
            return None
        link = val(node, "numStyleLink")
        if link is not None and not node.findall(w("lvl")):
            style = self.style_nodes.get(link)
            num_pr = style.find(f"{w('pPr')}/{w('numPr')}") if style is not None else None
            num = nums.get(val(num_pr, "numId")) if num_pr is not None else None
            linked = val(num, "abstractNumId") if num is not None else None
            return None if linked is None else self._definition(linked, abstract, nums, depth + 1)
        levels = {_int(lvl.get(w("ilvl")), -1): lvl for lvl in node.findall(w("lvl"))}
        return str(abstract_id), {ilvl: _level(lvl) for ilvl, lvl in levels.items() if 0 <= ilvl < LEVELS}

    def label(self, p: Any) -> str | None:
        """The label Word shows in front of paragraph `p` (counted: call once per paragraph, in order)."""
        found = self._num_pr(p)
        if found is None:
            return None
        num_id, ilvl = found
        instance = self.instances[num_id]
        if ilvl not in instance.levels:
            return None
        counts = self.counters.setdefault(instance.abstract, [0] * LEVELS)
        level = instance.levels[ilvl]
        if (num_id, ilvl) not in self.used and ilvl in instance.starts:
            counts[ilvl] = instance.starts[ilvl]
        else:
            counts[ilvl] = level.start if counts[ilvl] == 0 else counts[ilvl] + 1
        self.used.add((num_id, ilvl))
        for deeper in range(ilvl + 1, LEVELS):
            restart = instance.levels.get(deeper, Level()).restart
            if restart is None or (restart and ilvl < restart):
                counts[deeper] = 0
        if level.fmt == "bullet":
            return "•" if not level.text or any("\ue000" <= c <= "\uf8ff" for c in level.text) else level.text
        if level.fmt == "none":
            return None

        def level_text(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            shown = instance.levels.get(k, Level())
            number = counts[k] or shown.start
            return format_number(number, "decimal" if level.legal and shown.fmt != "bullet" else shown.fmt)

        return re.sub(r"%([1-9])", level_text, level.text) or None

    def _num_pr(self, p: Any) -> tuple[str, int] | None:
        """The paragraph's numbering instance and level: its own, else its style's (level from the
        paragraph, the style, or the definition's level for that style)."""
        num_id: str | None = None
        ilvl: int | None = None
        own = p.find(f"{w('pPr')}/{w('numPr')}")
        if own is not None:
            num_id, ilvl = val(own, "numId"), _int(val(own, "ilvl"), None)
        style_node = p.find(f"{w('pPr')}/{w('pStyle')}")
        style = style_node.get(w("val")) if style_node is not None else None
        if num_id is None:
            num_id, style_ilvl = self._style_num(style)
            ilvl = style_ilvl if ilvl is None else ilvl
        if not num_id or num_id == "0" or num_id not in self.instances:
            return None
        if ilvl is None:
            levels = self.instances[num_id].levels
            ilvl = next((k for k, level in sorted(levels.items()) if style and level.style == style), 0)
        return num_id, ilvl

    def _style_num(self, style_id: str | None) -> tuple[str | None, int | None]:
        """The numbering a paragraph style gives: the nearest instance and the nearest level along the
        styles it is based on."""
        if style_id not in self.styles:
            found = [node for style in style_chain(self.style_nodes, style_id)
                     if (node := style.find(f"{w('pPr')}/{w('numPr')}")) is not None]
            num_id = next((num for node in found if (num := val(node, "numId"))), None)
            ilvl = next((level for node in found if (level := _int(val(node, "ilvl"), None)) is not None), None)
            self.styles[style_id] = (num_id, ilvl)
        return self.styles[style_id]


def _level(lvl: Any) -> Level:
    restart = val(lvl, "lvlRestart")
    legal = lvl.find(w("isLgl"))
    return Level(
        fmt=val(lvl, "numFmt") or "decimal",
        text=val(lvl, "lvlText") or "",
        start=_start(val(lvl, "start")),
        restart=None if restart is None else _int(restart, None),
        legal=legal is not None and legal.get(w("val")) not in ("0", "false", "off"),
        style=val(lvl, "pStyle"),
    )


def _start(text: str | None) -> int:
    return min(max(_int(text, 1), 0), MAX_START)


def _int(text: str | None, default: Any) -> Any:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def format_number(n: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        out, rest = "", n
        for value, letters in [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                               (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]:
            while rest >= value:
                out, rest = out + letters, rest - value
        return out if fmt == "upperRoman" else out.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        if n < 1:
            return str(n)
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)
