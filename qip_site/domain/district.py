"""The district at a glance: per school year, which schools have published their plan and which have not.

Every school with a `school.yml` is listed. The reference day is the build's date (SOURCE_DATE_EPOCH,
else HEAD's commit date: `domain.build_date`), never the clock, so two builds of one
commit agree; without either there is no reference day and no day is counted.

The deadline is a reading, not a stated rule: Circular 09/2024/TT-BGDĐT (in force 19/07/2024),
Article 15(1)(a), has institutions publish their disclosure contents before 30 June each year and
update them within 10 working days of a change; it sets no deadline of its own for the quality
improvement plan (../shared/reference/regulations.md, section 2.2). The page takes 30 June at the
end of the school year and says that this is a reading. For school years whose 30 June came before
the circular was in force there is no deadline here at all: the page says so instead of inventing one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .catalogue import Circular, Criterion
from .model import Plan, School, Site
from .years import SchoolYear

IN_FORCE = dt.date(2024, 7, 19)  # Circular 09/2024/TT-BGDĐT takes effect
BASIS = "Thông tư 09/2024/TT-BGDĐT, Điều 15 khoản 1"


def school_year_of(day: dt.date) -> SchoolYear:
    """The school year a day falls in, counted from 1 September ("05/12/2026" -> 2026-2027)."""
    return SchoolYear(day.year if day.month >= 9 else day.year - 1)


def deadline(year: SchoolYear) -> dt.date | None:
    """30 June at the end of `year` under the reading above; None where TT 09/2024 was not yet in force."""
    day = dt.date(year.start + 1, 6, 30)
    return day if day >= IN_FORCE else None


@dataclass(frozen=True)
class Published:
    school: School
    plans: list[Plan]  # the plans in force that cover the year, annual first


@dataclass(frozen=True)
class DistrictYear:
    """One school year across the district: published and missing schools, and the deadline."""

    year: SchoolYear
    published: list[Published]
    missing: list[School]
    today: dt.date | None  # the build's date; None without git or SOURCE_DATE_EPOCH
    deadline: dt.date | None

    @property
    def days_late(self) -> int | None:
        """Days from the deadline to the build's date; None when either is unknown or not yet passed."""
        if self.today is None or self.deadline is None or self.today <= self.deadline:
            return None
        return (self.today - self.deadline).days

    @property
    def days_left(self) -> int | None:
        """Days still to the deadline (0 on the day itself); None when unknown or passed."""
        if self.today is None or self.deadline is None or self.today > self.deadline:
            return None
        return (self.deadline - self.today).days

    @property
    def lateness(self) -> str:
        """What the missing schools' rows say about the deadline, in words."""
        if self.deadline is None:
            return "Không xác định (chưa có hạn theo Thông tư 09/2024)"
        if self.today is None:
            return f"Hạn {self.deadline:%d/%m/%Y}; không tính được số ngày (bản dựng không có ngày)"
        if self.days_late is not None:
            return f"Quá hạn {self.days_late} ngày"
        return f"Chưa đến hạn (còn {self.days_left} ngày)"

    @property
    def deadline_sentence(self) -> str:
        """`check`'s words on the deadline, for a school that has not published (needs `today`)."""
        if self.deadline is None:
            return "năm học này chưa có hạn công khai theo Thông tư 09/2024."
        reading = f"hạn công khai theo cách hiểu {BASIS} (trước 30/6 hằng năm) là {self.deadline:%d/%m/%Y}"
        if self.days_late is not None:
            return f"{reading}, đã quá {self.days_late} ngày."
        return f"{reading}, còn {self.days_left} ngày."

    @property
    def current(self) -> bool:
        return self.today is not None and school_year_of(self.today) == self.year


def district_year(site: Site, year: SchoolYear) -> DistrictYear:
    schools = sorted(site.schools, key=lambda s: s.sort_key)
    published = [Published(s, s.plans_for(year)) for s in schools if s.plans_for(year)]
    missing = [s for s in schools if not s.plans_for(year)]
    return DistrictYear(year, published, missing, site.build_date, deadline(year))


def district_years(site: Site) -> list[SchoolYear]:
    """The school years that get a district page: every year some plan covers, and the current one."""
    years = set(site.years)
    if site.build_date is not None and site.schools:
        years.add(school_year_of(site.build_date))
    return sorted(years)


def missing_plan_message(school: School, year: SchoolYear, today: dt.date) -> str:
    """`check`'s warning for a school without a plan for the current school year (one line, Vietnamese)."""
    status = DistrictYear(year, [], [], today, deadline(year)).deadline_sentence
    return (f"trường chưa công khai kế hoạch cải tiến chất lượng nào cho năm học {year} (năm học hiện tại, tính "
            f"theo ngày của bản dựng {today:%d/%m/%Y}); {status} Nếu đã có kế hoạch, hãy thêm tệp kế hoạch "
            f"vào thư mục {school.slug}/ (qip-site new --school {school.slug} --years {year}).")


def weak_criteria(site: Site, circular: Circular, limit: int = 10) -> tuple[int, list[tuple[Criterion, int]]]:
    """(schools assessed under `circular`, the criteria most of them plan to improve with how many schools
    each): a criterion counts for a school when one of its plans in force has a row for it."""
    schools = [s for s in site.schools if s.circular.slug == circular.slug]
    counts: dict[str, set[str]] = {}
    for school in schools:
        for plan in school.active_plans:
            for row in plan.rows():
                if row.criterion is not None:
                    counts.setdefault(row.criterion.code, set()).add(school.slug)
    ranked = sorted(counts.items(), key=lambda item: (-len(item[1]), [int(p) for p in item[0].split(".")]))
    return len(schools), [(circular.criteria[code], len(slugs)) for code, slugs in ranked[:limit]]
