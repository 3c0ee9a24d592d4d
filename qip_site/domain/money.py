"""Budgets: the cell's text as written, and the amount in VND where the text states one.

Schools write money many ways: "7.000.000", "30.000.000 đồng", "75.000.000 đ từ quỹ CMHS",
"3 triệu/NH", "150 triệu", "Kinh phí dự án Quận", "Không". Only what the text says is derived:
no amount is guessed from a text that names a source of money without a sum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel.numbers import format_decimal

# "7.000.000", "30.000.000", "300.000.000" or a plain "7000000": dots group thousands in Vietnamese.
_GROUPED = r"\d{1,3}(?:[.,\s]\d{3})+(?!\d)|\d+"
# Not a number inside a word or a code ("HK1", "1234/QĐ-UBND" is told below).
_AMOUNT_RE = re.compile(
    rf"(?<![\w.,/])(?P<number>{_GROUPED})(?:[.,](?P<fraction>\d{{1,2}}))?\s*"
    r"(?P<unit>tỷ|tỉ|triệu|tr\b|nghìn|ngàn|k\b|đồng|đ\b|vnđ|vnd)?",
    re.IGNORECASE,
)
_MULTIPLIERS = {"tỷ": 10**9, "tỉ": 10**9, "triệu": 10**6, "tr": 10**6, "nghìn": 10**3, "ngàn": 10**3, "k": 10**3}
# "3 triệu/NH", "5 triệu/năm học", "2 triệu mỗi năm": an amount for each school year.
_PER_YEAR_RE = re.compile(r"/\s*(?:nh|năm học|năm)\b|mỗi năm|hằng năm|hàng năm", re.IGNORECASE)
_NONE_RE = re.compile(r"^\s*(?:không|không có|0)\s*[.;]?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Budget:
    """A budget cell: `text` as written; `vnd` the amount when the text states one."""

    text: str
    vnd: int | None
    per_school_year: bool = False


def parse_budget(text: str) -> Budget:
    """Derive the amount in VND from a budget cell, or None when it states no sum.

    >>> parse_budget("7.000.000").vnd
    7000000
    >>> parse_budget("3 triệu/NH")
    Budget(text='3 triệu/NH', vnd=3000000, per_school_year=True)
    >>> parse_budget("Kinh phí dự án Quận").vnd is None
    True
    >>> parse_budget("Không").vnd
    0
    """
    if _NONE_RE.match(text):
        return Budget(text, 0)
    amounts = []
    for match in _AMOUNT_RE.finditer(text):
        unit = (match.group("unit") or "").lower()
        number, fraction = match.group("number"), match.group("fraction") or ""
        multiplier = _MULTIPLIERS.get(unit, 1)
        if multiplier > 1 and not fraction and re.fullmatch(r"\d{1,3},\d{3}", number):
            number, fraction = number.split(",")  # "1,255 triệu", "0,125 tỷ": the Vietnamese decimal comma
        digits = re.sub(r"[.,\s]", "", number)
        grouped = digits != number
        if not unit and not grouped and (len(digits) < 5 or text[match.end():].startswith("/")):
            # A bare number of a few digits ("02 cơ sở", "5 năm", "Dự toán 2025") or a document's number
            # ("1234/QĐ-UBND") is not money.
            continue
        if len(digits.lstrip("0")) > 15:
            continue  # a thousand thousand billion đồng: no plan's sum (and past Python's digits for a number)
        value = int(digits) * multiplier
        if fraction and multiplier > 1:
            value += int(fraction) * multiplier // 10 ** len(fraction)
        amounts.append(value)
    if len(amounts) != 1:
        # No sum, or several sums whose relation only a reader can tell.
        return Budget(text, None)
    return Budget(text, amounts[0], bool(_PER_YEAR_RE.search(text)))


def format_vnd(amount: int) -> str:
    """7000000 -> "7.000.000 đ", grouped the Vietnamese way (Babel's vi locale)."""
    return f"{format_number(amount)} đ"


def format_number(value: float, decimals: int = 0) -> str:
    """12345 -> "12.345"; 850.34 with one decimal -> "850,3" (Babel's vi locale)."""
    if type(value) is int and not decimals:  # most calls (amounts in đồng): Babel's result, 40 times faster
        return f"{value:,}".replace(",", ".")
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale="vi")
