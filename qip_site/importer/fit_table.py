"""The table fitted to the school and the period: criteria the school's circular lacks lose their
code; a row naming a criterion by its title only ("Hội đồng trường và các hội đồng khác", without
"1.2") gets the code of the circular's criterion of that title (said); in a plan over several school
years, a row's paragraphs are paired with their years."""

from __future__ import annotations

import re
from typing import Any

from ..domain.years import Period, SchoolYear
from .notes import Notes, quote
from .school import level_label
from .table_rows import standard_number
from .text import fold, has_word

_YEAR_LINE_RE = re.compile(r"^nam hoc\s*(\d{4})\s*[-–—/]\s*(\d{4})")  # on folded text
_LABEL_RE = re.compile(r"^(?:tieu\s*chi|tc)\s*[:.\-–]?\s*")  # "Tiêu chí: …" before a title


def fit_table(table: dict[str, Any], level: str | None, period: Period, notes: Notes) -> None:
    """Codes the school's circular does not have are left out (the check would refuse them); years paired."""
    from ..domain.catalogue import circular_for
    from ..reading.schema import Level

    criteria = circular_for(Level(level)).criteria if level else {}
    if criteria:
        _codes_from_titles(table, criteria, notes)
    for row in _all_rows(table):
        code = row.get("code")
        if code and criteria and code not in criteria:
            del row["code"]
            notes.warn(f"Tiêu chí {code} không có trong thông tư của cấp {level_label(level)}; đã bỏ trống "
                       "mã tiêu chí (code) của dòng, hãy kiểm tra.")
        if not period.is_annual:
            split_years(row, period)


def split_years(row: dict[str, Any], period: Period) -> bool:
    """Pair each content paragraph with one "Năm học YYYY-YYYY" timeline paragraph, if the cell says so.

    Only when, after a leading "* Kế hoạch…" paragraph, the counts are equal and every timeline
    paragraph names a school year of the plan, in order; otherwise the cells are kept whole.
    """
    content_field = "measures" if "measures" in row else "target" if "target" in row else None
    timeline = row.get("timeline") or []
    if content_field is None or len(timeline) < 2:
        return False
    content = list(row[content_field])
    lead = content[:1] if content and content[0].lstrip().startswith("*") else []
    rest = content[len(lead):]
    groups: list[list[str]] = []
    years: list[SchoolYear] = []
    for text in timeline:
        match = _YEAR_LINE_RE.match(fold(text))
        if match and int(match.group(2)) == int(match.group(1)) + 1:
            groups.append([text])
            years.append(SchoolYear(int(match.group(1))))
        elif groups and not has_word(text):
            groups[-1].append(text)  # a stray mark ("`") stays with the year above it
        else:
            return False
    if len(groups) != len(rest) or any(y not in period for y in years) or years != sorted(set(years)):
        return False
    items = [{"school_year": year.label, "timeline": lines, content_field: [text]}
             for year, lines, text in zip(years, groups, rest, strict=True)]
    rebuilt: dict[str, Any] = {}
    for key, value in row.items():
        if key == content_field:
            if lead:
                rebuilt[key] = lead
            rebuilt["years"] = items
        elif key != "timeline":
            rebuilt[key] = value
    row.clear()
    row.update(rebuilt)
    return True


def _title_key(text: str) -> str:
    """A criterion's title for comparing: folded, without what is in brackets, letters and digits only."""
    return re.sub(r"[^a-z0-9]+", "", re.sub(r"\([^)]*\)", "", fold(text)))


def _codes_from_titles(table: dict[str, Any], criteria: dict[str, Any], notes: Notes) -> None:
    """A row without a code whose criterion cell is the circular's title of one criterion (of its standard, when
    the standard's heading gives its number): that criterion's code, said."""
    by_title: dict[str, list[Any]] = {}
    for criterion in criteria.values():
        by_title.setdefault(_title_key(criterion.title), []).append(criterion)
    standards = table.get("standards", []) + [s for g in table.get("levels", []) for s in g.get("standards", [])]
    for standard in standards:
        number = standard.get("number") or standard_number(str(standard.get("heading") or ""))
        for row in standard.get("criteria", []):
            value = row.get("criterion")
            text = " ".join(value) if isinstance(value, list) else value
            if row.get("code") or not isinstance(text, str):
                continue
            found = [c for c in by_title.get(_title_key(_LABEL_RE.sub("", fold(text))), [])
                     if number is None or c.standard == number]
            if len(found) == 1 and found[0].code not in {r.get("code") for r in standard.get("criteria", [])}:
                coded = {"code": found[0].code, **row}  # the code first, as the reader writes it
                row.clear()
                row.update(coded)
                notes.warn(f"Dòng {quote(text, 60)} ghi tên tiêu chí mà không ghi mã: được ghi mã {found[0].code} "
                           "theo tên tiêu chí trong thông tư; hãy kiểm tra.")


def _all_rows(table: dict[str, Any]) -> list[dict[str, Any]]:
    rows = list(table.get("areas", []))
    for standard in table.get("standards", []) + [s for g in table.get("levels", []) for s in g.get("standards", [])]:
        rows.extend(standard.get("criteria", []))
    return rows
