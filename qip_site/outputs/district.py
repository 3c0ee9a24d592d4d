"""The district list of each school year as CSV (`nam-hoc/<năm học>/cong-khai/cong-khai-<năm học>.csv`).

The same facts as the district page (`domain.district`), one row per school: published or not, the
plans' numbers and dates, the deadline and the days past it. Written like the open data's CSV files
(UTF-8 with BOM, CRLF, every cell quoted, text cells guarded against formulas), under the open-data
switch: no open data, no CSV and no link to it.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from ..domain.district import DistrictYear, district_year, district_years
from ..domain.model import Plan, School, Site
from ..site import urls
from .opendata import guard

COLUMNS = ("Mã trường", "Tên trường", "Cấp học", "Tỉnh/thành phố", "Địa danh như văn bản ghi", "Năm học",
           "Tình trạng", "Kế hoạch", "Số, ký hiệu", "Ngày ban hành", "Ngày đăng", "Hạn công khai",
           "Số ngày quá hạn", "Địa chỉ")


def _text(value: str | None) -> str:
    return guard(unicodedata.normalize("NFC", value)) if value else ""


def _dates(plans: list[Plan], attribute: str) -> str:
    return "; ".join(getattr(p, attribute).isoformat() if getattr(p, attribute) else "" for p in plans)


def _row(view: DistrictYear, school: School, plans: list[Plan], site_url: str) -> list[str]:
    base = site_url.rstrip("/") + "/" if site_url else ""
    url = urls.school_year(school.slug, view.year) if plans else urls.school(school.slug)
    late = "" if plans or view.days_late is None else str(view.days_late)
    return [
        school.slug, _text(school.name), school.level.label, _text(school.place.province),
        _text(school.place.as_written), view.year.label, "đã công khai" if plans else "chưa công khai",
        "; ".join(p.period.plan_kind for p in plans), "; ".join(_text(p.number) for p in plans),
        _dates(plans, "date"), _dates(plans, "published"),
        view.deadline.isoformat() if view.deadline else "", late, base + url,
    ]


def district_csv(site: Site, view: DistrictYear, site_url: str = "") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in view.published:
        writer.writerow(_row(view, item.school, item.plans, site_url))
    for school in view.missing:
        writer.writerow(_row(view, school, [], site_url))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_district(site: Site, site_dir: Path, site_url: str = "") -> list[Path]:
    written = []
    for year in district_years(site):
        path = site_dir / urls.district_csv(year)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(district_csv(site, district_year(site, year), site_url))
        written.append(path)
    return written
