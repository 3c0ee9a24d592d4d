"""School years ("2023-2024") and plan periods (one school year or a range of them)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Editors type the dash in many ways: "2023-2024", "2023 - 2024", "2023–2024", "2023—2024".
_YEAR_RE = re.compile(r"^\s*(\d{4})\s*[-–—/]\s*(\d{4})\s*$")


@dataclass(frozen=True, order=True)
class SchoolYear:
    """A Vietnamese school year, named by the calendar year it starts in."""

    start: int

    @classmethod
    def parse(cls, text: object) -> "SchoolYear":
        """Parse "2023-2024"; raise ValueError with a Vietnamese message otherwise."""
        if isinstance(text, int):
            example = text if 1945 <= text <= 2200 else 2024
            raise ValueError(
                f"năm học phải ghi đủ hai năm, ví dụ \"{example}-{example + 1}\", không phải \"{text}\""
            )
        match = _YEAR_RE.match(str(text))
        if not match:
            raise ValueError(f"\"{text}\" không phải năm học, hãy ghi như \"2024-2025\"")
        first, second = int(match.group(1)), int(match.group(2))
        if second == first - 1:
            raise ValueError(f"năm học \"{text}\" bị ghi ngược; năm đầu đứng trước, ví dụ \"{second}-{first}\"")
        if second != first + 1:
            raise ValueError(
                f"năm học \"{text}\" phải gồm hai năm liền nhau, ví dụ \"{first}-{first + 1}\""
            )
        if not 1945 <= first <= 2200:
            raise ValueError(f"năm học \"{text}\" nằm ngoài khoảng hợp lý (từ 1945-1946 đến 2200-2201)")
        return cls(first)

    @property
    def label(self) -> str:
        return f"{self.start}-{self.start + 1}"

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Period:
    """The school years a plan covers, first and last included."""

    first: SchoolYear
    last: SchoolYear

    @property
    def years(self) -> list[SchoolYear]:
        return [SchoolYear(y) for y in range(self.first.start, self.last.start + 1)]

    @property
    def is_annual(self) -> bool:
        return self.first == self.last

    @property
    def kind(self) -> str:
        """"annual" or "multi_year": two plans of the same kind may not share a year."""
        return "annual" if self.is_annual else "multi_year"

    def __contains__(self, year: SchoolYear) -> bool:
        return self.first <= year <= self.last

    @property
    def label(self) -> str:
        if self.is_annual:
            return f"Năm học {self.first}"
        return f"Từ năm học {self.first} đến năm học {self.last}"

    @property
    def phrase(self) -> str:
        """The label inside a sentence: "năm học 2023-2024", "từ năm học 2022-2023 đến năm học 2026-2027"."""
        return self.label[:1].lower() + self.label[1:]

    @property
    def span(self) -> str:
        """The years in short: "2023-2024", "2022-2023 đến 2026-2027" (search, open data)."""
        return self.first.label if self.is_annual else f"{self.first} đến {self.last}"

    @property
    def plan_kind(self) -> str:
        """What the plan is called on pages: "Kế hoạch năm học 2023-2024", "Kế hoạch 5 năm, 2022-2023 đến 2026-2027"."""
        if self.is_annual:
            return f"Kế hoạch năm học {self.first}"
        return f"Kế hoạch {len(self.years)} năm, {self.span}"

    @property
    def kind_name(self) -> str:
        """"Kế hoạch năm học" or "Kế hoạch nhiều năm" (the feed's titles)."""
        return "Kế hoạch năm học" if self.is_annual else "Kế hoạch nhiều năm"

    @property
    def slug(self) -> str:
        """The plan's short name in URLs: "2023-2024" or "2022-2027"."""
        if self.is_annual:
            return self.first.label
        return f"{self.first.start}-{self.last.start + 1}"
