"""A section's body: its paragraphs as content, short lead lines recognised as sub-headings."""

from __future__ import annotations

import re
from typing import Any

from .blocks import Para
from .text import words

_NUMBERED_RE = re.compile(r"^(\d+(?:\.\d+)*|[a-zđ])\s*[.)]\s*\S")
_FINAL_PUNCT = ".;:,!?…)"

TABLE_MARK = "table"  # where the plan table stands among a section's paragraphs


def section_content(items: list[Para | str]) -> tuple[list[Any], int]:
    """A section's paragraphs and sub-headings; and how many come after the plan table."""
    content: list[Any] = []
    after_table = 0
    seen_table = False
    for i, item in enumerate(items):
        if item == TABLE_MARK:
            seen_table = True
            continue
        following = items[i + 1] if i + 1 < len(items) else None
        following = following if isinstance(following, Para) else None
        content.append({"heading": item.text} if _subheading(item, following) else item.text)
        after_table += seen_table
    return content, after_table


def _subheading(para: Para, following: Para | None) -> bool:
    """"1. Mục đích:", "1. Lãnh đạo nhà trường" followed by body text: a sub-heading."""
    if following is None:
        return False
    text = para.text
    numbered = _NUMBERED_RE.match(text)
    count = words(text)
    if numbered and text.endswith(":") and count <= 15:
        return True
    ends_open = text[-1] not in _FINAL_PUNCT
    if numbered and ends_open and count <= 12:
        # A list of short numbered items ("1. Hiệu trưởng", "2. Phó hiệu trưởng") is not headings.
        next_numbered = _NUMBERED_RE.match(following.text)
        return not (next_numbered and following.text[-1] not in _FINAL_PUNCT and words(following.text) <= 12)
    if para.bold and ends_open and count <= 15 and not following.bold:
        return True
    return (not numbered and ends_open and count <= 8 and ":" not in text and text[0].isupper()
            and not text.startswith(("-", "+", "*", "•")) and words(following.text) > count + 4)


def section_out(section: dict[str, Any]) -> dict[str, Any]:
    """A section as written: heading, content, and "table: true" where the plan table stands."""
    out: dict[str, Any] = {"heading": section["heading"]}
    if section.get("content"):
        out["content"] = section["content"]
    if section.get("table"):
        out["table"] = True
    return out
