"""Which characters a plan's text may hold: the one rule every reader (YAML loader, Word importer) applies.

A text is published word for word on pages, in the feed, the open data and the search index. Some
characters must never get there:

- refused (an error naming the field): control characters other than tab and line feed (C0, DEL,
  C1, and the Unicode line and paragraph separators), noncharacters (U+FDD0–U+FDEF and the last two
  code points of every plane, such as U+FFFE and U+FFFF: XML and some browsers refuse them), lone
  surrogates (halves of a pair, not characters: they cannot be written as UTF-8), and the
  bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which make text
  show in another order than it is written and can hide what a page says;
- removed, with a warning naming them: invisible characters a paste from Word or a web page brings
  (zero-width spaces, word joiners, soft hyphens, byte-order marks, direction marks), which change
  nothing a reader sees but break search and copying. The zero-width joiner and non-joiner stay:
  they make one emoji of several (👩‍🏫) and shape some scripts.
"""

from __future__ import annotations

import re

_CONTROL = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029"
_NONCHARACTER = "\ufdd0-\ufdef" + "".join(chr(plane * 0x10000 + last) for plane in range(17) for last in (0xFFFE, 0xFFFF))
_SURROGATE = r"\ud800-\udfff"
_BIDI = r"\u202a-\u202e\u2066-\u2069"
CONTROL_RE = re.compile(f"[{_CONTROL}]")
REFUSED_RE = re.compile(f"[{_CONTROL}{_NONCHARACTER}{_SURROGATE}{_BIDI}]")

# Invisible characters removed from text, with the name an editor is told.
INVISIBLE = {
    "\u200b": "khoảng trắng độ rộng 0",
    "\u2060": "ký tự nối từ vô hình",
    "\u180e": "ký tự phân cách vô hình",
    "\u00ad": "gạch nối mềm",
    "\ufeff": "dấu BOM",
    "\u200e": "dấu hướng chữ trái sang phải",
    "\u200f": "dấu hướng chữ phải sang trái",
}
INVISIBLE_RE = re.compile("[" + "".join(INVISIBLE) + "]")


def code(char: str) -> str:
    """"\\u00ad" -> "U+00AD"."""
    return f"U+{ord(char):04X}"


def kind(char: str) -> tuple[str, str]:
    """What a refused character is and why it may not stay, in Vietnamese: the words of the error."""
    if CONTROL_RE.match(char):
        return f"ký tự điều khiển vô hình {code(char)}", ""
    if re.match(f"[{_SURROGATE}]", char):
        return f"nửa cặp mã thay thế {code(char)}", "đây không phải một chữ và không ghi được bằng UTF-8"
    if re.match(f"[{_BIDI}]", char):
        return (f"ký tự đảo hướng chữ {code(char)}",
                "nó làm chữ hiện sai thứ tự và có thể che giấu nội dung thật")
    return f"ký tự không dùng được {code(char)}", "đây là mã Unicode không phải chữ, trang web và XML không nhận"


def join_surrogate_pairs(text: str) -> str:
    """"\\ud83d\\ude00" (an emoji as a JSON tool escapes it, read by YAML as two halves) -> "😀".

    Only whole pairs are joined; a lone half stays, for REFUSED_RE to find.
    """
    if not re.search(f"[{_SURROGATE}]", text):
        return text
    return re.sub("[\ud800-\udbff][\udc00-\udfff]",
                  lambda m: m.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"), text)


def strip_invisible(text: str) -> tuple[str, list[str]]:
    """`text` without invisible characters, and the names of those removed ("U+200B khoảng trắng …")."""
    found = INVISIBLE_RE.findall(text)
    if not found:
        return text, []
    names = [f"{code(c)} {INVISIBLE[c]}" for c in dict.fromkeys(found)]
    return INVISIBLE_RE.sub("", text), names


def clean(text: str, replacement: str = " ") -> str:
    """Text that is not a plan's (a commit message, a Word file's run): the rule applied without asking,
    refused characters replaced, invisible ones removed."""
    return REFUSED_RE.sub(replacement, INVISIBLE_RE.sub("", join_surrogate_pairs(text)))


def escape(char: str) -> str:
    """A character as YAML writes it in double quotes: "\\uffff", "\\U0010ffff"."""
    return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"


def printable(text: str) -> str:
    """`text` safe to print on one terminal line: refused and invisible characters as escapes."""
    return re.sub(f"[{_CONTROL}{_NONCHARACTER}{_SURROGATE}{_BIDI}{''.join(INVISIBLE)}]",
                  lambda m: escape(m.group()), text)
