"""The data of the comparison page (`so-sanh/`): small files the browser fetches for the schools chosen.

- `so-sanh/truong.json`: every school (slug, name, level, place, school years, its page and the
  address of its file), to choose from;
- `truong/<school>/so-sanh.json`: one school's years, each per standard: the number of
  commitments, the amounts stated as figures, the recorded results, and the rows themselves;
- `so-sanh/so-sanh.js`: the page's script (`site/compare.js`), which draws them with textContent only.

Every figure comes from the model (`domain.summary`), as on the school-year pages. Written under the
open-data switch, like the other data files: with open data off, the page is not built either.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..domain.model import School, Site, joined
from ..domain.money import format_vnd
from ..domain.summary import school_year_results, school_year_summary, year_standards
from ..domain.years import SchoolYear
from ..site import urls

SCRIPT = Path(__file__).parents[1] / "site" / "compare.js"


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def school_index(site: Site) -> list[dict[str, Any]]:
    return [{"slug": s.slug, "name": s.name, "level": s.level.label, "place": s.place_label or "",
             "years": [y.label for y in s.years], "synthetic": s.synthetic, "url": urls.school(s.slug),
             "data": urls.compare_data(s.slug)}
            for s in sorted(site.schools, key=lambda s: s.sort_key)]


def school_year_data(school: School, year: SchoolYear) -> dict[str, Any]:
    tally = school_year_results(school, year)
    standards = []
    for view in year_standards(school, year):
        results = view.results
        standards.append({
            "key": view.key, "label": view.label, "order": list(view.order), "count": len(view.entries),
            "vnd": view.vnd, "amount": format_vnd(view.vnd) if view.vnd else None,
            "done": results.done, "recorded": results.recorded,
            "rows": [{
                "title": entry.row.title or "Dòng không ghi tiêu chí",
                "text": joined(entry.cells("measures")) or joined(entry.cells("target")),
                "budget": joined(entry.cells("budget")),
                "result": entry.row.result.state.value if entry.row.result else None,
                "url": urls.plan(school.slug, plan.slug) + "#" + entry.row.anchor,
            } for plan, entry in view.entries],
        })
    return {
        "slug": school.slug, "name": school.name, "year": year.label, "url": urls.school_year(school.slug, year),
        "summary": school_year_summary(school, year), "results": tally.text, "done": tally.done,
        "total": tally.total, "plans": [plan.period.plan_kind for plan in school.plans_for(year)],
        "standards": standards, "synthetic": school.synthetic,
    }


def write_compare(site: Site, site_dir: Path) -> None:
    if not site.schools:
        return  # no school, no comparison page (render.py) and nothing for it
    (site_dir / urls.COMPARE).mkdir(parents=True, exist_ok=True)
    (site_dir / urls.COMPARE_INDEX).write_text(_dumps(school_index(site)), encoding="utf-8")
    (site_dir / urls.COMPARE_SCRIPT).write_bytes(SCRIPT.read_bytes())
    for school in site.schools:
        path = site_dir / urls.compare_data(school.slug)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_dumps({year.label: school_year_data(school, year) for year in school.years}),
                        encoding="utf-8")
