"""Legacy Vietnamese font encodings (TCVN3, VNI): found where they are, and only there; converted."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from conftest import REPO

from qip_site.reading.legacy import TCVN3, VNI, convert, detect, legacy_to_unicode
from qip_site.reading.load import read_yaml

TCVN3_WORDS = {
    "Tr\xadêng": "Trường", "Gi¸o dôc": "Giáo dục", "KÕ ho¹ch": "Kế hoạch",
    "c¶i tiÕn chÊt l\xadîng": "cải tiến chất lượng", "§éi ngò": "Đội ngũ",
    "Phßng Gi¸o dôc vµ §µo t¹o": "Phòng Giáo dục và Đào tạo", "®· ®¹t ®\xadîc": "đã đạt được",
    "trÎ mÇm non": "trẻ mầm non", "tæ chuyªn m«n": "tổ chuyên môn", "nh÷ng n¨m häc tiÕp theo": "những năm học tiếp theo",
    "Së GD§T": "Sở GDĐT", "¡n uèng": "Ăn uống",
}
VNI_WORDS = {
    "Tröôøng": "Trường", "Giaùo duïc": "Giáo dục", "Keá hoaïch": "Kế hoạch",
    "caûi tieán chaát löôïng": "cải tiến chất lượng", "Ñoäi nguõ": "Đội ngũ",
    "Phoøng Giaùo duïc vaø Ñaøo taïo": "Phòng Giáo dục và Đào tạo", "ñaõ ñaït ñöôïc": "đã đạt được",
    "treû maàm non": "trẻ mầm non", "toå chuyeân moân": "tổ chuyên môn", "nhöõng naêm hoïc tieáp theo": "những năm học tiếp theo",
    "Sôû GDÑT": "Sở GDĐT", "KEÁ HOAÏCH": "KẾ HOẠCH", "TRÖÔØNG": "TRƯỜNG", "tænh Ñieän Bieân": "tỉnh Điện Biên",
    "naêm hoïc, ñaëc bieät, baèng": "năm học, đặc biệt, bằng", "quyõ, kyõ, thuûy": "quỹ, kỹ, thủy",
}


@pytest.mark.parametrize("legacy, unicode", TCVN3_WORDS.items())
def test_tcvn3_words(legacy: str, unicode: str) -> None:
    assert convert(legacy, TCVN3) == unicode
    assert legacy_to_unicode(legacy) == (unicode, TCVN3)


@pytest.mark.parametrize("legacy, unicode", VNI_WORDS.items())
def test_vni_words(legacy: str, unicode: str) -> None:
    assert convert(legacy, VNI) == unicode
    assert legacy_to_unicode(legacy) == (unicode, VNI)


# --- every letter, through reverse tables built here from the encodings' definitions ---------

TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # none, sắc, huyền, hỏi, ngã, nặng
BASES = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")
LOWER = [unicodedata.normalize("NFC", base + tone) for base in BASES for tone in TONES if base + tone not in "aeiouy"]
LOWER.append("đ")
LETTERS = LOWER + [letter.upper() for letter in LOWER]

# TCVN3 byte values (TCVN 5712:1993, VN3), by base letter in the order of TONES.
TCVN3_BYTES = {
    "a": (0x61, 0xB8, 0xB5, 0xB6, 0xB7, 0xB9), "ă": (0xA8, 0xBE, 0xBB, 0xBC, 0xBD, 0xC6),
    "â": (0xA9, 0xCA, 0xC7, 0xC8, 0xC9, 0xCB), "e": (0x65, 0xD0, 0xCC, 0xCE, 0xCF, 0xD1),
    "ê": (0xAA, 0xD5, 0xD2, 0xD3, 0xD4, 0xD6), "i": (0x69, 0xDD, 0xD7, 0xD8, 0xDC, 0xDE),
    "o": (0x6F, 0xE3, 0xDF, 0xE1, 0xE2, 0xE4), "ô": (0xAB, 0xE8, 0xE5, 0xE6, 0xE7, 0xE9),
    "ơ": (0xAC, 0xED, 0xEA, 0xEB, 0xEC, 0xEE), "u": (0x75, 0xF3, 0xEF, 0xF1, 0xF2, 0xF4),
    "ư": (0xAD, 0xF8, 0xF5, 0xF6, 0xF7, 0xF9), "y": (0x79, 0xFD, 0xFA, 0xFB, 0xFC, 0xFE),
}
TCVN3_UPPER = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}


def tcvn3_encode(letter: str) -> str:
    if letter in TCVN3_UPPER:
        return chr(TCVN3_UPPER[letter])
    if letter == "đ":
        return chr(0xAE)
    decomposed = unicodedata.normalize("NFD", letter)
    tone = next((t for t in TONES[1:] if t in decomposed), "")
    base = unicodedata.normalize("NFC", decomposed.replace(tone, "")) if tone else letter
    return chr(TCVN3_BYTES[base][TONES.index(tone)])


# VNI: the base ASCII vowel, then one mark for the tone, or one for the vowel's hat and tone together.
VNI_TONE = dict(zip(TONES, ("", "ù", "ø", "û", "õ", "ï")))
VNI_CIRCUMFLEX = dict(zip(TONES, ("â", "á", "à", "å", "ã", "ä")))
VNI_BREVE = dict(zip(TONES, ("ê", "é", "è", "ú", "ü", "ë")))
VNI_I = dict(zip(TONES, ("i", "í", "ì", "æ", "ó", "ò")))


def vni_encode(letter: str) -> str:
    if letter.isupper():
        return vni_encode(letter.lower()).upper()
    if letter == "đ":
        return "ñ"
    decomposed = unicodedata.normalize("NFD", letter)
    tone = next((t for t in TONES[1:] if t in decomposed), "")
    base = decomposed[0]
    if base == "i":
        return VNI_I[tone]
    if letter == "ỵ":
        return "î"
    if "\u031b" in decomposed:  # horn: ơ is "ô", ư is "ö"
        return {"o": "ô", "u": "ö"}[base] + VNI_TONE[tone]
    if "\u0302" in decomposed:
        return base + VNI_CIRCUMFLEX[tone]
    if "\u0306" in decomposed:
        return base + VNI_BREVE[tone]
    return base + VNI_TONE[tone]


def test_there_are_134_letters() -> None:
    assert len(LETTERS) == len(set(LETTERS)) == 134


@pytest.mark.parametrize("letter", LETTERS)
def test_vni_round_trip(letter: str) -> None:
    encoded = vni_encode(letter)
    assert convert(encoded, VNI) == letter
    assert convert(f"x{encoded}n", VNI) == f"x{letter}n"


@pytest.mark.parametrize("letter", LOWER + list(TCVN3_UPPER))
def test_tcvn3_round_trip(letter: str) -> None:
    encoded = tcvn3_encode(letter)
    assert convert(encoded, TCVN3) == letter
    assert convert(f"x{encoded}n", TCVN3) == f"x{letter}n"


def test_tcvn3_capitals_with_a_tone_come_out_lowercase() -> None:
    # .VnTimeH draws the lowercase codes as capitals; plain text cannot tell.
    assert convert("KÕ HO¹CH C¶I TIÕN", TCVN3) == "Kế HOạCH CảI TIếN"
    assert convert("§¤NG", TCVN3) == "ĐÔNG"


def test_vni_capital_before_a_lowercase_mark() -> None:
    assert convert("Aùnh saùng", VNI) == "Ánh sáng"


def test_output_is_nfc() -> None:
    for text in ("Tröôøng", "Tr\xadêng"):
        for encoding in (TCVN3, VNI):
            out = convert(text, encoding)
            assert out == unicodedata.normalize("NFC", out)


def test_unknown_encoding() -> None:
    with pytest.raises(ValueError):
        convert("abc", "VISCII")


# --- detection ---------------------------------------------------------------------------------

def _texts(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for key, value in node.items() for t in [str(key)] + _texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in _texts(value)]
    return []


PLAN_TEXTS = [t for file in sorted((REPO / "plans").glob("*/*.yml")) for t in _texts(read_yaml(file).data)]


def test_unicode_plan_texts_are_not_legacy() -> None:
    assert len(PLAN_TEXTS) > 1000
    assert [t for t in PLAN_TEXTS if detect(t) is not None] == []
    assert detect("\n".join(PLAN_TEXTS)) is None
    assert legacy_to_unicode(PLAN_TEXTS[5]) == (PLAN_TEXTS[5], None)


def test_unicode_decomposed_text_is_not_legacy() -> None:
    text = unicodedata.normalize("NFD", "\n".join(PLAN_TEXTS))
    assert detect(text) is None


@pytest.mark.parametrize("text", [
    "",
    "Quality improvement plan 2023-2024",
    "The school will improve teaching quality; budget: 7,000,000 VND.",
    "Où est la bibliothèque ? Une élève très naïve, Noël à Zoë.",
    "Größere Schüler, schön; ça va; señor; smörgåsbord; Ærø",
    "© 2023 « Bonjour » — § 5 ¶ 2 · 3 × 4 ÷ 2 ®",
    "hoá học, hoà bình, hoãn lại, thuý, quý",
    "HOÀ BÌNH, KHOÁ HỌC",
    "Café crème brûlée, résumé, naïveté, coöperation",
])
def test_not_legacy(text: str) -> None:
    assert detect(text) is None
    assert legacy_to_unicode(text) == (text, None)


TO_TCVN3 = {letter: tcvn3_encode(letter) for letter in LOWER}
TO_VNI = {letter: vni_encode(letter) for letter in LETTERS}


def as_tcvn3(text: str) -> str:
    """Unicode text as typed with the ABC fonts (capitals with a tone as .VnTimeH codes)."""
    return "".join(chr(TCVN3_UPPER[c]) if c in TCVN3_UPPER else TO_TCVN3.get(c.lower(), c) if c.lower() in TO_TCVN3
                   else c for c in text)


def as_vni(text: str) -> str:
    return "".join(TO_VNI.get(c, c) for c in text)


@pytest.mark.parametrize("file", sorted((REPO / "plans").glob("*/20*.yml")), ids=lambda f: f.parent.name)
def test_real_plans_typed_in_legacy_fonts_are_found_and_restored(file: Path) -> None:
    texts = _texts(read_yaml(file).data)
    document = "\n".join(texts)
    assert detect(as_vni(document)) == VNI
    assert legacy_to_unicode(as_vni(document)) == (document, VNI)
    assert detect(as_tcvn3(document)) == TCVN3
    restored, found = legacy_to_unicode(as_tcvn3(document))
    assert found == TCVN3
    # Capitals with a tone come back lowercase (.VnTimeH); everything else exactly.
    expected = "".join(c if c in TCVN3_UPPER or c.lower() not in TO_TCVN3 else c.lower() for c in document)
    assert restored == expected


def test_most_single_paragraphs_are_found() -> None:
    """One paragraph alone is enough, but for short ones (a number, an abbreviation)."""
    for encode, encoding in ((as_tcvn3, TCVN3), (as_vni, VNI)):
        legacy = [encode(t) for t in PLAN_TEXTS if encode(t) != t]
        found = [detect(t) for t in legacy]
        assert found.count(encoding) >= 0.95 * len(legacy), encoding
        assert found.count(TCVN3 if encoding == VNI else VNI) <= 2
        long = [t for t, f in zip(legacy, found) if len(t) > 40 and f != encoding]
        assert long == [], encoding


def test_mixed_encodings_are_not_decided() -> None:
    assert detect("Tr\xadêng häc vµ Tröôøng hoïc") is None
    assert detect(as_tcvn3("\n".join(PLAN_TEXTS[:200])) + "\n" + as_vni("\n".join(PLAN_TEXTS[200:400]))) is None
    # Unicode beside legacy text: converting the whole would spoil the Unicode part.
    assert detect("Trường học và Tr\xadêng häc") is None
    assert detect("Trường học và Tröôøng hoïc") is None


def test_a_short_paragraph_follows_the_documents_encoding() -> None:
    from qip_site.reading.legacy import legacy_to_unicode

    # Alone, this VNI line reads better as TCVN3; in a VNI document it is VNI.
    line = "Soá : 107/KH-LÑC"
    assert legacy_to_unicode(line, "VNI") == ("Số : 107/KH-LĐC", "VNI")
    # Unicode text in a legacy document is left alone.
    assert legacy_to_unicode("Trường Tiểu học", "VNI") == ("Trường Tiểu học", None)
