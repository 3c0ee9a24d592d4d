"""A character typed with Insert → Symbol (w:sym): its font and its code, in Unicode.

Word stores such a character by the code of the symbol font (Symbol, Wingdings), often moved to
U+F0xx. The signs plans use are turned into the Unicode character ("≥ 98%", "✓", "•"); a sign of
another font, or not listed, is read as nothing and counted (`Reader.unknown_symbols`) to be said.
LibreOffice (and so a converted .doc) writes the same signs as text, U+F0xx in a run of the symbol font:
`run_text` reads them the same way.
"""

from __future__ import annotations

from typing import Any

from .ooxml import w

_FONT_ATTRIBUTES = ("ascii", "hAnsi", "cs", "eastAsia")

# Code (low byte) -> Unicode, by font (lower case).
_FONTS = {
    "symbol": {0x2D: "−", 0xA3: "≤", 0xA5: "∞", 0xAB: "↔", 0xAC: "←", 0xAD: "↑", 0xAE: "→", 0xAF: "↓",
               0xB0: "°", 0xB1: "±", 0xB3: "≥", 0xB4: "×", 0xB7: "•", 0xB8: "÷", 0xB9: "≠", 0xBB: "≈",
               0xBC: "…", 0xD6: "√", 0xDB: "⇔", 0xDE: "⇒", 0xE0: "◊", 0xB2: "″", 0xA2: "′"},
    "wingdings": {0x6C: "●", 0x6E: "■", 0x6F: "□", 0x71: "❑", 0x75: "◆", 0x76: "❖", 0x9F: "•", 0xA7: "▪",
                  0xA8: "◻", 0xD8: "➢", 0xE0: "→", 0xE8: "➔", 0xF0: "⇨", 0xFB: "✗", 0xFC: "✓", 0xFE: "☑",
                  0x4A: "☺", 0x46: "☞"},
}


def symbol(node: Any) -> str:
    """The character of a w:sym node, or "" when it is not known."""
    font = (node.get(w("font")) or "").strip().lower()
    try:
        code = int(node.get(w("char")) or "", 16)
    except ValueError:
        return ""
    if not 0x20 <= code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return ""  # no character (a control, half of a pair, past Unicode): said as unknown
    if font not in _FONTS:
        return chr(code) if code < 0xE000 or code > 0xF8FF else ""
    return _FONTS[font].get(code & 0xFF if code >= 0xF000 else code, "")


def run_text(t: Any) -> tuple[str, int]:
    """The text of a w:t node as Word shows it, and the count of signs not known: a symbol font's sign stored
    as text (U+F020–U+F0FF) in Unicode, as `symbol` reads it; such a sign of a font not listed is nothing."""
    text = t.text or ""
    if not any("\uf020" <= c <= "\uf0ff" for c in text):
        return text, 0
    fonts = t.getparent().find(f"{w('rPr')}/{w('rFonts')}") if t.getparent() is not None else None
    names = [(fonts.get(w(a)) or "").strip().lower() for a in _FONT_ATTRIBUTES] if fonts is not None else []
    table = next((_FONTS[name] for name in names if name in _FONTS), {})
    out, unknown = [], 0
    for c in text:
        if "\uf020" <= c <= "\uf0ff":
            c = table.get(ord(c) & 0xFF, "")
            unknown += not c
        out.append(c)
    return "".join(out), unknown
