"""The district list of each school year as CSV (`nam-hoc/<năm học>/cong-khai/cong-khai-<năm học>.csv`).

The same facts as the district page (`domain.district`), one row per school: published or not, the
plans' numbers and dates, the deadline and the days past it. Written like the open data's CSV files
(UTF-8 with BOM, CRLF, every cell quoted, text cells guarded against formulas), under the open-data
switch: no open data, no CSV and no link to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..domain.district import DistrictYear, district_year, district_years
from ..domain.model import Plan, School, Site
from ..site import urls
from .opendata import write_csv

COLUMNS = ("Mã trường", "Tên trường", "Cấp học", "Tỉnh/thành phố", "Địa danh như văn bản ghi", "Năm học",
           "Tình trạng", "Kế hoạch", "Số, ký hiệu", "Ngày ban hành", "Ngày đăng", "Hạn công khai",
           "Số ngày quá hạn", "Địa chỉ")


def _dates(plans: list[Plan], attribute: str) -> str:
    return "; ".join(getattr(p, attribute).isoformat() if getattr(p, attribute) else "" for p in plans)


def _row(view: DistrictYear, school: School, plans: list[Plan], site_url: str) -> dict[str, Any]:
    """One school's line, by column; the cells are written (and guarded) as the open data's are."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    url = urls.school_year(school.slug, view.year) if plans else urls.school(school.slug)
    return dict(zip(COLUMNS, [
        school.slug, school.name, school.level.label, school.place.province, school.place.as_written,
        view.year.label, "đã công khai" if plans else "chưa công khai",
        "; ".join(p.period.plan_kind for p in plans), "; ".join(p.number or "" for p in plans),
        _dates(plans, "date"), _dates(plans, "published"), view.deadline,
        None if plans else view.days_late, base + url,
    ]))


def district_rows(view: DistrictYear, site_url: str = "") -> list[dict[str, Any]]:
    """Published schools first, then those without a plan for the year."""
    return ([_row(view, item.school, item.plans, site_url) for item in view.published]
            + [_row(view, school, [], site_url) for school in view.missing])


def write_district(site: Site, site_dir: Path, site_url: str = "") -> list[Path]:
    return [write_csv(district_rows(district_year(site, year), site_url), site_dir / urls.district_csv(year), COLUMNS)
            for year in district_years(site)]
