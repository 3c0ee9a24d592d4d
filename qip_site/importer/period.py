"""The plan's school years, from the title; else guessed from the file name, the text or the date."""

from __future__ import annotations

import re
from collections import Counter

from ..domain.years import Period, SchoolYear
from .notes import ImportFailed, Notes
from .parser import Parsed
from .text import RANGE_RE, fold


def plan_period(parsed: Parsed, file_stem: str, notes: Notes) -> Period:
    """From the title; else guessed (from the file name, the text, the date), and said so."""
    period = find_period(parsed.data["title"])
    if period is not None:
        ranges = _ranges(" ".join(parsed.data["title"]))
        if _several(ranges):
            notes.warn(f"Tên văn bản ghi nhiều khoảng năm ({', '.join(f'{a}-{b}' for a, b in dict.fromkeys(ranges))}); "
                       f"đã lấy period {period.slug}, hãy sửa period nếu sai.")
        return period
    guesses = [
        (lambda: _period_of(_ranges(file_stem)), "tên tệp"),
        (lambda: period_from_text(parsed.source_lines), "các dòng \"năm học …\" trong văn bản"),
        (lambda: period_from_date(parsed.data.get("header", {}).get("place_date")), "ngày ban hành"),
    ]
    for guess, source in guesses:
        period = guess()
        if period is not None:
            notes.warn(f"Không xác định được năm học từ tên văn bản; đã đoán period {period.slug} từ {source}, "
                       "hãy sửa period nếu sai.")
            return period
    raise ImportFailed("Không xác định được năm học của kế hoạch nên chưa ghi tệp. Hãy dùng --out "
                       "plans/<trường>/<năm học>.yml (ví dụ 2024-2025.yml), hoặc đặt năm học vào tên tệp Word.")


def find_period(title: list[str]) -> Period | None:
    """From "Năm học 2023 - 2024", "TỪ NĂM HỌC 2022-2023 ĐẾN HẾT NĂM HỌC 2026-2027", "(2024 – 2029)". A title
    that names other years beside a school year ("(Theo kết quả tự đánh giá giai đoạn 2019-2024)", "Năm học
    2024-2025"): the school year."""
    text = " ".join(title)
    ranges = _ranges(text)
    if _several(ranges):
        named = _school_years(text)
        if named:
            return Period(SchoolYear(named[0]), SchoolYear(named[0]))
    return _period_of(ranges)


_SCHOOL_YEAR_RE = re.compile(r"nam hoc\s*:?\s*(\d{4})\s*[-–—/]\s*(\d{4})")  # on folded text


def _school_years(text: str) -> list[int]:
    """The first years of the school years `text` names ("Năm học: 2023 - 2024", "NĂM HỌC 2023–2024"), in order."""
    return [a for a, b in _ranges(text, _SCHOOL_YEAR_RE) if b == a + 1]


def _ranges(text: str, pattern: re.Pattern[str] = RANGE_RE) -> list[tuple[int, int]]:
    """The ranges of years `text` names ("2023 - 2024"), in order, those that may be a plan's."""
    found = [(int(a), int(b)) for a, b in pattern.findall(fold(text))]
    return [(a, b) for a, b in found if 1945 <= a < b <= 2200]


def _several(ranges: list[tuple[int, int]]) -> bool:
    """Whether the ranges name other years than one plan's (a cycle beside a school year), not its first and
    last school years."""
    return len(set(ranges)) > 1 and not _from_to(ranges)


def _from_to(ranges: list[tuple[int, int]]) -> bool:
    """Whether the first two ranges are two school years, the first and the last of a plan ("từ năm học
    2022-2023 đến năm học 2026-2027")."""
    return len(ranges) >= 2 and all(b == a + 1 for a, b in ranges[:2]) and ranges[1][0] > ranges[0][0]


def _period_of(ranges: list[tuple[int, int]]) -> Period | None:
    """The period the ranges (`_ranges`) give: the first two school years "from … to", else the first range."""
    if not ranges:
        return None
    if _from_to(ranges):
        return Period(SchoolYear(ranges[0][0]), SchoolYear(ranges[1][0]))
    a, b = ranges[0]
    return Period(SchoolYear(a), SchoolYear(a if b == a + 1 else b - 1))


def period_from_text(texts: list[str]) -> Period | None:
    """The school year the text names most often ("năm học 2023-2024")."""
    counts = Counter(year for text in texts for year in _school_years(text))
    if not counts:
        return None
    year = counts.most_common(1)[0][0]
    return Period(SchoolYear(year), SchoolYear(year))


def period_from_date(place_date: str | None) -> Period | None:
    from ..domain.model import document_date

    date = document_date(place_date) if place_date else None
    if date is None:
        return None
    start = date.year if date.month >= 7 else date.year - 1  # a school year starts in August/September
    return Period(SchoolYear(start), SchoolYear(start))
