"""Vietnamese typed in legacy font encodings (TCVN3, VNI), found and converted to Unicode.

Before Unicode, Vietnamese was typed with 8-bit fonts that draw Vietnamese letters in place of
Latin-1 characters; school Word files still hold such text. Read as Unicode, it shows as
"Tr­êng" (TCVN3, fonts ".VnTime", ".VnTimeH") or "Tröôøng" (VNI, fonts "VNI-Times").

- TCVN3 (TCVN 5712:1993 VN3, the "ABC" fonts) gives each lowercase letter one character.
  Only the seven letters Ă Â Ê Ô Ơ Ư Đ have uppercase codes; capitals with a tone were typed
  with the lowercase codes in an uppercase font (.VnTimeH), which plain text cannot tell apart.
- VNI writes a letter as an ASCII vowel followed by a mark character ("oâ" = ô, "oá" = ố),
  except ơ ư đ (ô ö ñ) and the toned i and ỵ, which are single characters.

`detect` decides from words that only make sense as Vietnamese syllables in one encoding, so
that Unicode Vietnamese, English or French text is never taken for legacy text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

TCVN3 = "TCVN3"
VNI = "VNI"

# Unicode vowels by tone: none, sắc (acute), huyền (grave), hỏi (hook), ngã (tilde), nặng (dot).
_VOWELS = {
    "a": "aáàảãạ", "ă": "ăắằẳẵặ", "â": "âấầẩẫậ", "e": "eéèẻẽẹ", "ê": "êếềểễệ", "i": "iíìỉĩị",
    "o": "oóòỏõọ", "ô": "ôốồổỗộ", "ơ": "ơớờởỡợ", "u": "uúùủũụ", "ư": "ưứừửữự", "y": "yýỳỷỹỵ",
}

# TCVN3: the same six-tone order, one character each (as the bytes read in Windows-1252).
_TCVN3_VOWELS = {
    "a": "a¸µ¶·¹", "ă": "¨¾»¼½Æ", "â": "©ÊÇÈÉË", "e": "eÐÌÎÏÑ", "ê": "ªÕÒÓÔÖ", "i": "iÝ×ØÜÞ",
    "o": "oãßáâä", "ô": "«èåæçé", "ơ": "¬íêëìî", "u": "uóïñòô", "ư": "\xadøõö÷ù", "y": "yýúûüþ",
}
TCVN3_TO_UNICODE: dict[str, str] = {
    code: letter
    for base, codes in _TCVN3_VOWELS.items()
    for code, letter in zip(codes, _VOWELS[base])
    if code != letter
}
TCVN3_TO_UNICODE.update({"®": "đ", "¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ"})

# VNI: tone marks after a vowel (lowercase, uppercase), in the same order (none first).
_VNI_TONES = ("", "ùøûõï", "ÙØÛÕÏ")
_VNI_CIRCUMFLEX = ("âáàåãä", "ÂÁÀÅÃÄ")  # after a, e, o: â ấ ầ ẩ ẫ ậ
_VNI_BREVE = ("êéèúüë", "ÊÉÈÚÜË")  # after a: ă ắ ằ ẳ ẵ ặ


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}

    def add(lower: Sequence[str], upper: Sequence[str], letters: str) -> None:
        """`lower`/`upper`: the six VNI spellings of the six Unicode `letters` (lowercase); a string
        stands for six spellings of one character each."""
        for low, up, letter in zip(lower, upper, letters):
            table[low] = letter
            table[up] = letter.upper()

    for base in "aeouy":
        tones_low = [base] + [base + mark for mark in _VNI_TONES[1]]
        tones_up = [base.upper()] + [base.upper() + mark for mark in _VNI_TONES[2]]
        add(tones_low, tones_up, _VOWELS[base])
    for base, letter in (("a", "â"), ("e", "ê"), ("o", "ô")):
        add([base + m for m in _VNI_CIRCUMFLEX[0]], [base.upper() + m for m in _VNI_CIRCUMFLEX[1]], _VOWELS[letter])
    add(["a" + m for m in _VNI_BREVE[0]], ["A" + m for m in _VNI_BREVE[1]], _VOWELS["ă"])
    for code, letter in (("ô", "ơ"), ("ö", "ư")):
        add([code] + [code + m for m in _VNI_TONES[1]], [code.upper()] + [code.upper() + m for m in _VNI_TONES[2]],
            _VOWELS[letter])
    add("iíìæóò", "IÍÌÆÓÒ", _VOWELS["i"])
    table["î"], table["Î"] = "ỵ", "Ỵ"
    table["ñ"], table["Ñ"] = "đ", "Đ"
    # A capital typed before a lowercase mark ("Aù") is still that capital letter.
    for code, letter in list(table.items()):
        if len(code) == 2 and code[0].isupper() and code[1].isupper():
            table[code[0] + code[1].lower()] = letter
    return {code: letter for code, letter in table.items() if code != letter}


VNI_TO_UNICODE: dict[str, str] = _vni_table()
_VNI_RE = re.compile("|".join(re.escape(code) for code in sorted(VNI_TO_UNICODE, key=len, reverse=True)))


def convert(text: str, encoding: str) -> str:
    """`text` typed in `encoding` ("TCVN3" or "VNI"), as Unicode in NFC.

    TCVN3 capitals with a tone share their codes with the lowercase letters (the .VnTimeH fonts
    draw those codes as capitals), so they come out lowercase: "KÕ HO¹CH" gives "Kế HOạCH". Only
    Ă Â Ê Ô Ơ Ư Đ have uppercase codes of their own.
    """
    if encoding == TCVN3:
        out = "".join(TCVN3_TO_UNICODE.get(char, char) for char in text)
    elif encoding == VNI:
        out = _VNI_RE.sub(lambda m: VNI_TO_UNICODE[m.group()], text)
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}; expected {TCVN3!r} or {VNI!r}")
    return unicodedata.normalize("NFC", out)


# --- detection -------------------------------------------------------------------------------

_UNICODE_VIETNAMESE = set("".join(_VOWELS.values()) + "đ")
_UNICODE_VIETNAMESE |= {c.upper() for c in _UNICODE_VIETNAMESE}
# Vietnamese letters that no legacy text can hold (beyond Latin-1): proof of Unicode text.
_UNICODE_ONLY = {c for c in _UNICODE_VIETNAMESE if ord(c) > 0xFF}
# TCVN3 codes that are never a Vietnamese letter in Unicode text.
_TCVN3_MARKERS = {c for c in TCVN3_TO_UNICODE if c not in _UNICODE_VIETNAMESE}
# VNI spellings Unicode text never has. "oá", "oà", "oã" are left out: Unicode "hoá", "hoà",
# "hoãn" have them. ô (ơ) and the toned i are Unicode letters as well.
_VNI_MARKERS = {
    code for code in VNI_TO_UNICODE
    if not all(c in _UNICODE_VIETNAMESE or c.isascii() for c in code)
    or (len(code) == 2 and code.lower() not in ("oá", "oà", "oã"))
}
_VNI_MARKER_RE = re.compile("|".join(re.escape(code) for code in sorted(_VNI_MARKERS, key=len, reverse=True)))

_LEGACY_CHARS = set(TCVN3_TO_UNICODE) | {c for code in VNI_TO_UNICODE for c in code}
_LETTER_RE = re.compile(r"[^\W\d_]|[" + re.escape("".join(sorted(c for c in _LEGACY_CHARS if not c.isalpha()))) + "]")
_INITIALS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx]"
# Vowel groups: those ending in a glide take no final consonant; some need one ("ăn", "tiên").
_CLOSED = "iêu|yêu|oai|oay|oeo|uây|uôi|ươi|ươu|uya|uyu|ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|ưa|ưi|ưu"
_NEEDS_FINAL = "uyê|iê|yê|uô|ươ|oă|uâ|ă|â"
_OPEN = "oa|oe|oo|uê|uơ|uy|[aeêioôơuưy]"
_FINALS = "ch|nh|ng|[cmnpt]"
_SYLLABLE_RE = re.compile(
    rf"^(?:{_INITIALS})?(?:(?:{_CLOSED})|(?:{_NEEDS_FINAL})(?:{_FINALS})|(?:{_OPEN})(?:{_FINALS})?)$"
)
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _syllable(word: str) -> bool:
    """True when `word` (Unicode) is shaped like one Vietnamese syllable, with at most one tone."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(c in _TONE_MARKS for c in decomposed) > 1:
        return False
    toneless = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    return bool(_SYLLABLE_RE.match(toneless))


def _has_vowel(word: str) -> bool:
    return any(c in "aeiouy" for c in unicodedata.normalize("NFD", word.lower()))


def _words(text: str) -> list[str]:
    """Runs of letters and legacy codes (TCVN3 uses "¸", "µ", "­" … inside words)."""
    words, current = [], []
    for char in text:
        if _LETTER_RE.match(char):
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def detect(text: str) -> str | None:
    """"TCVN3" or "VNI" when `text` is Vietnamese typed in that legacy encoding, else None.

    None for Unicode text (Vietnamese or not), plain ASCII, text that mixes encodings, and text
    too short or too odd to decide.
    """
    text = unicodedata.normalize("NFC", text)
    if text.isascii():
        return None
    # Words that read as Vietnamese in one encoding only; all-capital words count half, since
    # abbreviations ("QÑ", "GD§T") read as syllables by chance.
    evidence = {TCVN3: 0.0, VNI: 0.0}
    support = {TCVN3: 0, VNI: 0}  # words that read as Vietnamese in that encoding
    voiced = {TCVN3: 0, VNI: 0}  # words beyond ASCII with a vowel in that encoding (not "GD§T")
    for word in _words(text):
        if word.isascii() or (len(word) == 1 and not word.isalpha()):
            continue  # a lone "©", "«" or "·" is a symbol, not a letter
        if any(c in _UNICODE_ONLY for c in word):
            return None  # Unicode text, or a mix of Unicode and legacy text: not to be converted whole
        read = {encoding: convert(word, encoding) for encoding in evidence}
        fits = {encoding: _syllable(read[encoding]) for encoding in evidence}
        marked = {TCVN3: any(c in _TCVN3_MARKERS for c in word), VNI: bool(_VNI_MARKER_RE.search(word))}
        ascii_letters = [c for c in word if c.isascii() and c.isalpha()]
        weight = 0.5 if ascii_letters and all(c.isupper() for c in ascii_letters) else 1.0
        for encoding, other in ((TCVN3, VNI), (VNI, TCVN3)):
            support[encoding] += fits[encoding]
            voiced[encoding] += _has_vowel(read[encoding])
            if fits[encoding] and marked[encoding] and not fits[other]:
                evidence[encoding] += weight
    best, second = sorted(evidence, key=lambda encoding: evidence[encoding], reverse=True)
    if not evidence[best] or evidence[best] < 4 * evidence[second]:
        return None  # no legacy text, or both encodings: a mix the importer reports
    # Most words beyond ASCII must read as Vietnamese: "Où est la bibliothèque" is French.
    if support[best] < 0.6 * voiced[best]:
        return None
    return best


def legacy_to_unicode(text: str, document: str | None = None) -> tuple[str, str | None]:
    """(text in Unicode, the legacy encoding found) or (text unchanged, None) when not legacy.

    `document` is the encoding detected on the whole document, if any: a short paragraph
    ("Soá : 107/KH-LÑC") gives too little evidence alone, and may even read better in the other
    encoding, so a paragraph that has legacy characters and no Unicode-only letters follows it.
    """
    encoding = detect(text)
    if document and encoding != document and _looks_legacy(text):
        encoding = document
    if encoding is None:
        return text, None
    return convert(text, encoding), encoding


def _looks_legacy(text: str) -> bool:
    text = unicodedata.normalize("NFC", text)
    return not any(c in _UNICODE_ONLY for c in text) and any(c in _LEGACY_CHARS and not c.isascii() for c in text)
