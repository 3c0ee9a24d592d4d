"""Money at a glance: the budgets a plan states, summed per standard and in total.

Only amounts the text states are summed (see `money.parse_budget`). A budget that names a source
of money without a sum ("Kinh phí dự án Quận") is listed, never guessed. An amount written "per
school year" ("3 triệu/NH") counts once for each school year the row covers. In a multi-year
plan, an amount written for a row the document does not split by year belongs to the whole
period: the school-year view lists it apart instead of inventing a share for the year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..reading.schema import Cells
from .model import Plan, TableRow, budget_of, joined, standard_number
from .money import Budget
from .years import SchoolYear


@dataclass(frozen=True)
class BudgetLine:
    """One budget cell: its row, what it says, the school year it belongs to (None: the row's own)."""

    row: TableRow
    budget: Budget
    year: SchoolYear | None = None
    times: int = 1  # school years an amount "per school year" is counted for

    @property
    def vnd(self) -> int:
        return (self.budget.vnd or 0) * self.times


@dataclass
class GroupTotal:
    """The amounts of one standard (or area) of the table."""

    label: str  # "Tiêu chuẩn 1"; the short name the chart shows
    heading: str  # the heading as the document writes it
    vnd: int = 0
    lines: list[BudgetLine] = field(default_factory=list)


@dataclass
class BudgetSummary:
    groups: list[GroupTotal]  # standards with at least one amount, in document order
    unpriced: list[BudgetLine]  # budgets that state no amount, listed as written
    whole_period: list[BudgetLine] = field(default_factory=list)  # a school-year view: amounts for the whole period

    @property
    def total(self) -> int:
        return sum(group.vnd for group in self.groups)

    @property
    def count(self) -> int:
        return sum(len(group.lines) for group in self.groups)

    @property
    def has_amounts(self) -> bool:
        return any(group.lines for group in self.groups)

    @property
    def empty(self) -> bool:
        return not (self.groups or self.unpriced or self.whole_period)


def _line(row: TableRow, cells: Cells, year: SchoolYear | None, times: int = 1) -> BudgetLine | None:
    budget = budget_of(cells)
    if budget is None:
        return None
    return BudgetLine(row, budget, year, times if budget.per_school_year else 1)


def plan_lines(plan: Plan) -> list[BudgetLine]:
    """Every budget cell of the plan: each row's own, then each of its per-year items."""
    years = len(plan.period.years)
    lines = []
    for row in plan.rows():
        lines.append(_line(row, row.row, None, years))
        lines.extend(_line(row, item, item.school_year) for item in row.row.years)
    return [line for line in lines if line is not None]


def year_lines(plan: Plan, year: SchoolYear) -> tuple[list[BudgetLine], list[BudgetLine]]:
    """(budgets of `year`, budgets for the whole period that the document does not split by year)."""
    of_year, whole = [], []
    for entry in plan.year_entries(year):
        own = _line(entry.row, entry.row.row, None)
        if own is not None:
            if plan.period.is_annual or own.budget.per_school_year or own.budget.vnd is None:
                of_year.append(own)
            elif own.budget.vnd:
                whole.append(own)
        for item in entry.items:
            line = _line(entry.row, item, item.school_year)
            # An item carried on from an earlier year ("… và các năm tiếp theo") counts again only
            # when its amount is per school year; otherwise its money belongs to its own year.
            if line is not None and (item.school_year == year or line.budget.per_school_year):
                of_year.append(line)
    return of_year, whole


def summarise(lines: list[BudgetLine], whole_period: list[BudgetLine] | None = None) -> BudgetSummary:
    groups: dict[tuple[str, str], GroupTotal] = {}
    unpriced = []
    for line in lines:
        if line.budget.vnd is None:
            unpriced.append(line)
            continue
        label, heading = _group_of(line.row)
        group = groups.setdefault((label, heading), GroupTotal(label, heading))
        group.vnd += line.vnd
        group.lines.append(line)
    return BudgetSummary(list(groups.values()), unpriced, whole_period or [])


def plan_summary(plan: Plan) -> BudgetSummary:
    return summarise(plan_lines(plan))


def year_summary(plan: Plan, year: SchoolYear) -> BudgetSummary:
    return summarise(*year_lines(plan, year))


def _group_of(row: TableRow) -> tuple[str, str]:
    if row.standard is not None:
        number = standard_number(row.standard)
        return (f"Tiêu chuẩn {number}" if number else row.standard.heading), row.standard.heading
    if row.criterion is not None:
        return f"Tiêu chuẩn {row.criterion.standard}", f"Tiêu chuẩn {row.criterion.standard}"
    area = joined(row.row.area)
    return (area or "Các dòng khác"), (area or "Các dòng khác")
