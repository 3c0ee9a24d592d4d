"""Plain-language summaries of what a school commits to, computed from the data, never written by hand.

One or two Vietnamese sentences per school-year page (and per plan page): how many things the
school commits to, in how many standards, where most of them are, and the money the plans state
as figures. Every number in them comes from the model (`Plan.year_entries`, `budgets`); when the
plans state no amount, the sentence says so instead of giving a total.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .budgets import BudgetSummary, plan_summary, year_lines, year_summary
from .model import Plan, ResultTally, School, TableRow, YearEntry
from .money import format_vnd
from .years import SchoolYear


def _standard_name(row: TableRow, plan: Plan) -> tuple[int | str, str] | None:
    """(key, how the sentence names the standard) for a row, or None for a row under no standard."""
    number = row.standard_number
    if number is not None:
        title = next((s.title for s in plan.school.circular.standards if s.number == number), None)
        return number, f"Tiêu chuẩn {number}" + (f" ({title})" if title else "")
    if row.standard is not None:
        return row.standard.heading, row.standard.heading
    return None


def _commitments(rows: Iterable[tuple[TableRow, Plan]], count: int) -> str:
    """"18 việc ở 5 tiêu chuẩn, nhiều nhất ở Tiêu chuẩn 3 (…) với 6 việc"."""
    per_standard: Counter[int | str] = Counter()
    names: dict[int | str, str] = {}
    for row, plan in rows:
        named = _standard_name(row, plan)
        if named is not None:
            per_standard[named[0]] += 1
            names.setdefault(*named)
    text = f"{count} việc"
    in_standards = sum(per_standard.values())
    if not per_standard:
        return text
    if len(per_standard) == 1:
        key = next(iter(per_standard))
        where = f"ở {names[key]}"
    else:
        where = f"ở {len(per_standard)} tiêu chuẩn"
    text += f" {where}" if in_standards == count else f", trong đó {in_standards} việc {where}"
    if len(per_standard) > 1:
        most = max(per_standard.values())
        leaders = [key for key, n in per_standard.items() if n == most]
        if len(leaders) == len(per_standard):
            text += f", mỗi tiêu chuẩn {most} việc"
        elif len(leaders) == 1:
            text += f", nhiều nhất ở {names[leaders[0]]} với {most} việc"
        else:
            text += f", nhiều nhất ở {_listed(leaders, names)}, mỗi tiêu chuẩn {most} việc"
    return text


def _listed(keys: list[int | str], names: dict[int | str, str]) -> str:
    """"Tiêu chuẩn 1, 3 và 5" (numbers only, since several titles would make the sentence unreadable)."""
    shown = [str(key) for key in keys if isinstance(key, int)]
    text = "Tiêu chuẩn " + (", ".join(shown[:-1]) + " và " + shown[-1] if len(shown) > 1 else "".join(shown))
    headings = [names[key] for key in keys if not isinstance(key, int)]
    parts = ([text] if shown else []) + headings
    return ", ".join(parts[:-1]) + " và " + parts[-1] if len(parts) > 1 else parts[0]


def _money(summaries: list[BudgetSummary], scope: str) -> str:
    """What the plans state as money: a total of the amounts written as figures, or that there is none."""
    whole = sum(line.vnd for summary in summaries for line in summary.whole_period)
    if any(summary.has_amounts for summary in summaries):
        text = f"tổng kinh phí ghi bằng số {scope} {format_vnd(sum(s.total for s in summaries))}"
        if whole:
            text += f"; ngoài ra {format_vnd(whole)} ghi cho cả giai đoạn của kế hoạch nhiều năm, không chia theo năm"
        return text
    if whole:
        return f"kinh phí ghi bằng số {format_vnd(whole)} cho cả giai đoạn của kế hoạch nhiều năm, không chia theo năm"
    return "kế hoạch không ghi kinh phí bằng số"


def _plans_phrase(plans: list[Plan]) -> str:
    kinds = [plan.period.plan_kind[:1].lower() + plan.period.plan_kind[1:] for plan in plans]
    if len(plans) == 1:
        return "" if plans[0].period.is_annual else f"theo {kinds[0]}, "
    return f"theo {len(plans)} kế hoạch ({'; '.join(kinds)}), "


def school_year_summary(school: School, year: SchoolYear) -> str:
    """The school-year page's summary, e.g. "Năm học 2024-2025, trường cam kết 18 việc ở 5 tiêu chuẩn, …"."""
    plans = school.plans_for(year)
    rows = [(entry.row, plan) for plan in plans for entry in plan.year_entries(year)]
    lead = f"Năm học {year}, {_plans_phrase(plans)}"
    if not rows:
        return lead + "kế hoạch không ghi việc nào cho năm học này."
    money = _money([year_summary(plan, year) for plan in plans], "cho năm học này")
    return f"{lead}trường cam kết {_commitments(rows, len(rows))}; {money}."


def plan_summary_text(plan: Plan) -> str:
    """The plan page's summary: the whole plan's commitments and the money it states as figures."""
    rows = [(row, plan) for row in plan.rows()]
    lead = f"{plan.period.label}, " if plan.period.is_annual else f"{plan.period.plan_kind}: "
    if not rows:
        return lead + "bảng kế hoạch không có dòng nào."
    money = _money([plan_summary(plan)], "trong kế hoạch")
    return f"{lead}trường cam kết {_commitments(rows, len(rows))}; {money}."


def school_year_results(school: School, year: SchoolYear) -> ResultTally:
    """The recorded results of what the school's plans commit to in `year`."""
    return ResultTally.of([entry.row for plan in school.plans_for(year) for entry in plan.year_entries(year)])


@dataclass
class StandardView:
    """One standard (or the rows under none) of a school's year, for side-by-side comparison."""

    key: str  # "1" … "5", a heading as written, or "" for rows under no standard
    label: str  # "Tiêu chuẩn 1 (Tổ chức và quản lý nhà trường)", or "Các dòng khác"
    entries: list[tuple[Plan, YearEntry]] = field(default_factory=list)
    vnd: int = 0  # the amounts stated as figures for the year (budgets.year_summary), whole-period ones aside

    @property
    def results(self) -> ResultTally:
        return ResultTally.of([entry.row for _, entry in self.entries])

    @property
    def order(self) -> tuple[int, int, str]:
        """Where the standard stands, across schools too: numbered standards in order, then
        headings as written, then the rows under no standard."""
        numbered = re.fullmatch(r"[0-9]{1,9}", self.key)  # not "①", "²" (digits to isdigit, not to int)
        return (0, int(self.key), "") if numbered else (1 if self.key else 2, 0, self.key)


def year_standards(school: School, year: SchoolYear) -> list[StandardView]:
    """What the school commits to in `year`, per standard in the catalogue's order, rows under no standard last."""
    views: dict[str, StandardView] = {}

    def view_of(row: TableRow, plan: Plan) -> StandardView:
        named = _standard_name(row, plan)
        key, label = (str(named[0]), named[1]) if named else ("", "Các dòng khác")
        return views.setdefault(key, StandardView(key, label))

    for plan in school.plans_for(year):
        for entry in plan.year_entries(year):
            view_of(entry.row, plan).entries.append((plan, entry))
        of_year, _ = year_lines(plan, year)  # amounts for the whole period are not the year's
        for line in of_year:
            if line.budget.vnd is not None:
                view_of(line.row, plan).vnd += line.vnd

    return sorted(views.values(), key=lambda view: view.order)
