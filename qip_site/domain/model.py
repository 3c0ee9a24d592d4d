"""The site's data once validated: schools, their plans, and what each plan commits to per year.

Plain objects over the validated file models (`schema.py`); everything here is derived from what
the files say, never typed twice: document number and date from the header lines, standard
numbers from the standard headings, amounts from the budget text, per-year views from `years`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from ..reading.names import slugify
from ..reading.schema import (
    CELL_FIELDS,
    Cells,
    Level,
    LevelGroup,
    Place,
    PlanFile,
    Result,
    ResultState,
    Row,
    SchoolFile,
    Standard,
    Status,
    YearItem,
)
from .catalogue import Circular, Criterion
from .history import FileHistory
from .money import Budget, parse_budget
from .years import Period, SchoolYear

NOT_STATED = "Không ghi trong văn bản"
# How to call a school whose document does not give its name.
SCHOOL_NOUNS = {
    Level.preschool: "Trường mầm non",
    Level.primary: "Trường tiểu học",
    Level.lower_secondary: "Trường trung học cơ sở",
    Level.upper_secondary: "Trường trung học phổ thông",
    Level.secondary: "Trường trung học",
}


@lru_cache(maxsize=65536)  # every sort of schools, plans and criteria asks again for the same names
def natural_key(text: str) -> tuple[tuple[int, str] | str, ...]:
    """Sort names as a reader expects: without regard to diacritics, "Số 9" before "Số 23"."""
    folded = slugify(text)
    # A run of digits by its value: its length without leading zeros, then its digits (any length, no int()).
    return tuple((len(part.lstrip("0")), part.lstrip("0")) if part.isdigit() else part
                 for part in re.split(r"(\d+)", folded))

_NUMBER_RE = re.compile(r"\s*+Số\s*+:?\s*+", re.IGNORECASE)  # possessive: spaces are never tried twice
_DATE_RE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})(?!\d)", re.IGNORECASE)
_STANDARD_RE = re.compile(r"Tiêu\s+chuẩn\s+(\d{1,9})(?!\d)", re.IGNORECASE)
# "Năm học 2024-2025 và các năm tiếp theo": the item goes on in the years after its own.
_CONTINUES_RE = re.compile(r"tiếp\s+theo", re.IGNORECASE)


def document_number(line: str | None) -> str | None:
    """"Số:  237/KH-MNTT" -> "237/KH-MNTT"."""
    if not line:
        return None
    match = _NUMBER_RE.match(line)
    rest = line[match.end():] if match else ""
    return (rest if match and "\n" not in rest.rstrip() else line).strip() or None


def document_date(line: str | None) -> dt.date | None:
    """"Bình Chánh, ngày 6 tháng 9 năm 2022" -> 2022-09-06; None when the line has no valid date."""
    match = _DATE_RE.search(line or "")
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def document_place(line: str | None) -> str | None:
    """"Quận 10, ngày 18 tháng 8 năm 2023" -> "Quận 10"."""
    if not line or "," not in line:
        return None
    return line.split(",", 1)[0].strip() or None


def standard_number(standard: Standard) -> int | None:
    if standard.number is not None:
        return standard.number
    match = _STANDARD_RE.search(standard.heading)
    return int(match.group(1)) if match else None


def joined(paragraphs: list[str]) -> str:
    return " ".join(p.strip() for p in paragraphs if p.strip())


@dataclass
class TableRow:
    """A row of a plan table with its place: level heading, standard, catalogue criterion."""

    row: Row
    path: tuple[str | int, ...]  # where the row stands in the plan file, for messages and edit links
    level: LevelGroup | None = None
    standard: Standard | None = None
    criterion: Criterion | None = None

    @property
    def standard_number(self) -> int | None:
        if self.standard is not None:
            return standard_number(self.standard)
        return self.criterion.standard if self.criterion else None

    @property
    def anchor(self) -> str:
        """A stable id for links to this row from other pages."""
        if self.row.code:
            return "tieu-chi-" + self.row.code.replace(".", "-")
        return "dong-" + "-".join(str(p + 1) for p in self.path if isinstance(p, int))

    @property
    def budget(self) -> Budget | None:
        return budget_of(self.row)

    @property
    def title(self) -> str | None:
        """What the row is about, as the document says: its criterion, else its area, else its code."""
        return (joined(self.row.criterion) or joined(self.row.area)
                or (f"Tiêu chí {self.row.code}" if self.row.code else None))

    @property
    def states_catalogue_title(self) -> bool:
        """True when the document's criterion text already holds the catalogue's title of the criterion
        (letter case aside): pages and search then do not add it again."""
        return self.criterion is not None and self.criterion.title.lower() in joined(self.row.criterion).lower()

    @property
    def states_catalogue_code(self) -> bool:
        """True when the row's title names its criterion's code as a word ("Tiêu chí 1.3: …"): a compact
        line then does not add it again."""
        if self.criterion is None:
            return False
        words = " " + (self.title or "").replace(":", " ").replace(",", " ") + " "
        return f" {self.criterion.code} " in words

    @property
    def result(self) -> Result | None:
        """What the editor recorded later about this row's commitment (never part of the approved text)."""
        return self.row.result

    def cells(self, name: str) -> list[str]:
        """A column's paragraphs as the document lays them out: the row's, then each year's."""
        return list(getattr(self.row, name)) + [p for item in self.row.years for p in getattr(item, name)]


def budget_in(paragraphs: list[str]) -> Budget | None:
    """What a budget cell's paragraphs say, read once here for every output; None for an empty cell."""
    text = joined(paragraphs)
    return parse_budget(text) if text else None


def budget_of(cells: Cells) -> Budget | None:
    return budget_in(cells.budget)


@dataclass
class TableBlock:
    """A part of the plan table, in document order: a level heading (rows empty), a standard with its
    rows, or rows under no standard (level and standard None)."""

    level: LevelGroup | None = None
    standard: Standard | None = None
    rows: list[TableRow] = field(default_factory=list)


@dataclass
class YearEntry:
    """What one table row commits to in one school year."""

    row: TableRow
    items: list[YearItem]  # the per-year items of that year; empty when the row is not split by year

    @property
    def whole(self) -> bool:
        """True when the document gives the row's content for its whole period, not by year."""
        return not self.row.row.years

    def cells(self, name: str) -> list[str]:
        return list(getattr(self.row.row, name)) + [p for item in self.items for p in getattr(item, name)]


@dataclass(frozen=True)
class Original:
    """The signed original kept beside the plan file (a PDF or an image), published as it is."""

    file: str  # "plans/th-le-dinh-chinh/2023-2024.pdf", relative to the project root
    path: Path  # where it is on disk
    size: int  # bytes

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    @property
    def kind(self) -> str:
        return "PDF" if self.suffix == ".pdf" else "Ảnh " + self.suffix.lstrip(".").upper()


@dataclass(frozen=True)
class ResultTally:
    """How many commitments have which recorded result: "12/18 việc đã thực hiện"."""

    total: int
    states: dict[ResultState, int]

    @classmethod
    def of(cls, rows: list[TableRow]) -> "ResultTally":
        states = {state: 0 for state in ResultState}
        for row in rows:
            if row.result is not None:
                states[row.result.state] += 1
        return cls(len(rows), states)

    @property
    def done(self) -> int:
        return self.states[ResultState.done]

    @property
    def recorded(self) -> int:
        return sum(self.states.values())

    @property
    def text(self) -> str:
        """"12/18 việc đã thực hiện (3 đang thực hiện, 1 điều chỉnh; 2 việc chưa ghi kết quả)"."""
        if not self.recorded:
            return f"chưa ghi cho việc nào trong {self.total} việc."
        others = [f"{n} việc {state.value}" for state, n in self.states.items() if n and state is not ResultState.done]
        missing = self.total - self.recorded
        if missing:
            others.append(f"{missing} việc chưa ghi kết quả")
        return f"{self.done}/{self.total} việc đã thực hiện" + (f" ({', '.join(others)})" if others else "") + "."


@dataclass
class Plan:
    slug: str  # the file's stem: "2022-2027"
    file: str  # "plans/mn-thuy-tien/2022-2027.yml"
    data: PlanFile
    school: "School" = field(repr=False)
    history: FileHistory | None = None  # from git; None outside a checkout or before the first commit
    original: Original | None = None
    evidence: dict[str, Original] = field(default_factory=dict)  # result evidence files, by the name written

    @property
    def results(self) -> ResultTally:
        """The recorded results of the plan's rows (each row is one commitment)."""
        return ResultTally.of(self.rows())

    def year_results(self, year: SchoolYear) -> ResultTally:
        return ResultTally.of([entry.row for entry in self.year_entries(year)])

    @property
    def synthetic(self) -> bool:
        """Made by `qip-site demo` (the plan or its school says so): every page showing it says DỮ LIỆU MẪU."""
        return bool(self.data.synthetic or self.school.synthetic)

    @property
    def active(self) -> bool:
        """False once the plan is marked superseded or withdrawn: its page stays, marked so."""
        return self.data.status is None

    @property
    def status(self) -> Status | None:
        """Superseded or withdrawn (label, date, reason, replacement), or None while in force."""
        return self.data.status

    @property
    def disclosure_basis(self) -> str:
        """The clause of TT 09/2024 that requires publishing this plan: Article 6 for preschools,
        Article 8 for the other levels, clause 3 in both."""
        article = 6 if self.school.level is Level.preschool else 8
        return f"Thông tư 09/2024/TT-BGDĐT, Điều {article} khoản 3"

    @property
    def published_is_first_commit(self) -> bool:
        """True when the plan file gives no publication date, so `published` is the first commit's day."""
        return self.data.published is None and self.published is not None

    @property
    def published(self) -> dt.date | None:
        """The date written in the plan file, else the day of the commit that first added it."""
        if self.data.published:
            return self.data.published
        added = self.history.added if self.history else None
        return added.date() if added else None

    @property
    def last_updated(self) -> dt.date | None:
        changed = self.history.last_changed if self.history else None
        return changed.date() if changed else None

    @property
    def replaced_by(self) -> "Plan | None":
        status = self.data.status
        if status is None or not status.replaced_by:
            return None
        return next((p for p in self.school.plans if p.slug == status.replaced_by), None)

    @property
    def period(self) -> Period:
        return self.data.period

    @property
    def number(self) -> str | None:
        return document_number(self.data.header.number)

    @property
    def date(self) -> dt.date | None:
        return self.data.header.date or document_date(self.data.header.place_date)

    @property
    def place(self) -> str | None:
        return document_place(self.data.header.place_date)

    @property
    def title(self) -> str:
        return joined(self.data.title)

    @property
    def columns(self) -> list[tuple[str, str]]:
        """(field, heading) in the document's column order; the glossary name where the heading is lost."""
        table = self.data.table
        if table is None:
            return []
        return [(name, heading or CELL_FIELDS[name]) for name, heading in table.columns.items()]

    def rows(self) -> list[TableRow]:
        """Every row of the plan table, in document order (computed once: every output reads these)."""
        return [row for block in self.table_blocks for row in block.rows]

    @cached_property
    def table_blocks(self) -> list[TableBlock]:
        """The plan table as the document lays it out: level headings, standards with their rows, then
        rows under no standard. Templates present these; they do not group rows themselves."""
        table = self.data.table
        if table is None:
            return []
        criteria = self.school.circular.criteria
        blocks: list[TableBlock] = []

        def standard_block(standard: Standard, group: LevelGroup | None, path: tuple[str | int, ...]) -> TableBlock:
            return TableBlock(group, standard, [
                TableRow(row, path + ("criteria", ri), group, standard, criteria.get(row.code or ""))
                for ri, row in enumerate(standard.criteria)])

        for li, group in enumerate(table.levels):
            blocks.append(TableBlock(level=group))
            blocks.extend(standard_block(standard, group, ("table", "levels", li, "standards", si))
                          for si, standard in enumerate(group.standards))
        blocks.extend(standard_block(standard, None, ("table", "standards", si))
                      for si, standard in enumerate(table.standards))
        if table.areas:
            blocks.append(TableBlock(rows=[TableRow(row, ("table", "areas", ai), None, None, criteria.get(row.code or ""))
                                           for ai, row in enumerate(table.areas)]))
        return blocks

    def actions_per_year(self) -> list[tuple[SchoolYear, int]]:
        """How many per-year items the document gives each school year; empty when it splits no row by year."""
        counts = {year: 0 for year in self.period.years}
        for table_row in self.rows():
            for item in table_row.row.years:
                if item.school_year in counts:
                    counts[item.school_year] += 1
        return list(counts.items()) if any(counts.values()) else []

    def whole_period_rows(self) -> int:
        """Rows the document does not split by year: they apply to the whole period."""
        return sum(1 for table_row in self.rows() if not table_row.row.years)

    def year_entries(self, year: SchoolYear) -> list[YearEntry]:
        """What the plan commits to in `year`: rows split by year give that year's items (and
        earlier items written "… và các năm tiếp theo"); rows not split by year apply to every year."""
        if year not in self.period:
            return []
        entries = []
        for table_row in self.rows():
            if not table_row.row.years:
                entries.append(YearEntry(table_row, []))
                continue
            items = [
                item for item in table_row.row.years
                if item.school_year == year
                or (item.school_year < year and _CONTINUES_RE.search(joined(item.timeline)))
            ]
            if items:
                entries.append(YearEntry(table_row, items))
        return entries


@dataclass
class School:
    slug: str  # the folder name: "mn-thuy-tien"
    file: str  # "plans/mn-thuy-tien/school.yml"
    data: SchoolFile
    circular: Circular
    plans: list[Plan] = field(default_factory=list)

    @property
    def name(self) -> str:
        if self.data.name and self.data.name.strip():
            return self.data.name
        return f"{SCHOOL_NOUNS[self.data.level]} (tên không ghi trong văn bản)"  # none, or only spaces

    @property
    def sort_key(self) -> tuple[tuple[int, str] | str, ...]:
        return natural_key(self.name)

    @property
    def managing_body(self) -> str | None:
        return self.data.managing_body

    @property
    def place(self) -> Place:
        """Where the school is: as the document writes it, and today's province and commune."""
        return self.data.place

    @property
    def place_label(self) -> str | None:
        """Where the school is in one phrase: as the document writes it, else its province."""
        return self.data.place.as_written or self.data.place.province

    @property
    def synthetic(self) -> bool:
        return bool(self.data.synthetic)

    @property
    def level(self) -> Level:
        return self.data.level

    @property
    def active_plans(self) -> list[Plan]:
        return [plan for plan in self.plans if plan.active]

    @property
    def years(self) -> list[SchoolYear]:
        """The school years some plan in force covers: each gets a school-year page."""
        return sorted({y for plan in self.active_plans for y in plan.period.years})

    def plans_for(self, year: SchoolYear) -> list[Plan]:
        """Plans in force in `year`, annual first, then multi-year: both show on the school-year page.
        Superseded and withdrawn plans keep their own pages but no longer speak for a year."""
        return sorted((p for p in self.active_plans if year in p.period),
                      key=lambda p: (not p.period.is_annual, p.slug))


@dataclass
class Site:
    schools: list[School]
    circulars: tuple[Circular, ...]
    # The build's reproducible date (SOURCE_DATE_EPOCH, else HEAD's commit date); None when neither is
    # known. The district pages count days to it and `check` names the current school year from it.
    build_date: dt.date | None = None

    @property
    def plans(self) -> list[Plan]:
        return [plan for school in self.schools for plan in school.plans]

    @property
    def synthetic(self) -> bool:
        """Some school or plan of the site is synthetic: every page of the site says so."""
        return any(school.synthetic for school in self.schools) or any(p.synthetic for p in self.plans)

    @property
    def years(self) -> list[SchoolYear]:
        return sorted({y for school in self.schools for y in school.years})
