"""Values the site derives from what documents write: amounts, dates, numbers, school years, URLs."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import REPO
from pydantic import ValidationError

from qip_site.commands.scaffold import guess_level
from qip_site.domain.model import document_date, document_number, document_place
from qip_site.domain.money import format_vnd, parse_budget
from qip_site.domain.years import SchoolYear
from qip_site.reading.names import slugify
from qip_site.reading.schema import LEVEL_NAMES, Level, SchoolFile

BUDGETS = [
    ("7.000.000", 7_000_000, False),
    ("30.000.000 đồng", 30_000_000, False),
    ("75.000.000 đ từ quỹ CMHS và các mạnh thường quân", 75_000_000, False),
    ("3 triệu/NH", 3_000_000, True),
    ("150 triệu", 150_000_000, False),
    ("5 triệu", 5_000_000, False),
    ("1,5 tỷ", 1_500_000_000, False),
    ("2 triệu mỗi năm", 2_000_000, True),
    ("Kinh phí dự án Quận", None, False),
    ("Kinh phí do GV tự túc", None, False),
    ("Ngân sách nhà nước, Quỹ phát triển sự nghiệp.", None, False),
    ("Tu bổ 02 cơ sở", None, False),
    ("Không", 0, False),
    ("Không có", 0, False),
    ("5 triệu hoặc 7 triệu", None, False),  # two sums: only a reader can tell
    # The comma is the Vietnamese decimal mark before a unit; dots and several commas group thousands.
    ("1,255 triệu", 1_255_000, False),
    ("0,125 tỷ", 125_000_000, False),
    ("1.255 triệu", 1_255_000_000, False),
    ("1,255,000 đồng", 1_255_000, False),
    ("2 000 000 đồng", 2_000_000, False),
    ("5.000.000/năm", 5_000_000, True),
    ("500000", 500_000, False),
    # Numbers that are not sums: a decision's number, a term, a month, a year.
    ("Theo QĐ 1234/QĐ-UBND", None, False),
    ("Quỹ CMHS (HK1 2024)", None, False),
    ("12/2024", None, False),
    ("Dự toán 2025", None, False),
    ("Quỹ CMHS (HK1 2024): 5 triệu", 5_000_000, False),
    # Past any plan's sum, and past the digits Python turns into a number: no amount (and no failure).
    ("9" * 5000, None, False),
    ("9" * 4295 + " tỷ", None, False),
]


@pytest.mark.parametrize("text, vnd, per_year", BUDGETS)
def test_budget_amounts(text: str, vnd: int | None, per_year: bool) -> None:
    budget = parse_budget(text)
    assert budget.text == text
    assert budget.vnd == vnd
    assert budget.per_school_year is per_year


def test_vnd_written_the_vietnamese_way() -> None:
    assert format_vnd(7_000_000) == "7.000.000 đ"
    assert format_vnd(300_000_000) == "300.000.000 đ"


@pytest.mark.parametrize("line, expected", [
    ("Bình Chánh, ngày 6 tháng 9 năm  2022", dt.date(2022, 9, 6)),
    ("Quận 10, ngày 18 tháng 8 năm 2023", dt.date(2023, 8, 18)),
    ("Quận 5, ngày 16 tháng 10 năm 2023 ", dt.date(2023, 10, 16)),
    ("Quận 5, tháng 10 năm 2023", None),
    ("Quận 5, ngày 31 tháng 2 năm 2023", None),
    ("Quận 1, ngày 5 tháng 9 năm 20234", None),  # not 2023: unread, and said by check
])
def test_document_dates(line: str, expected: dt.date | None) -> None:
    assert document_date(line) == expected


def test_document_number_and_place() -> None:
    assert document_number("Số:  237/KH-MNTT") == "237/KH-MNTT"
    assert document_number("Số : 107/KH-LĐC") == "107/KH-LĐC"
    assert document_number("Số: 147/KH- MN1") == "147/KH- MN1"
    assert document_place("Quận 10, ngày 18 tháng 8 năm 2023") == "Quận 10"


@pytest.mark.parametrize("text", ["2023-2024", "2023 - 2024", "2023–2024", " 2023—2024 "])
def test_school_year_forms(text: str) -> None:
    assert SchoolYear.parse(text).label == "2023-2024"


@pytest.mark.parametrize("text", ["2023-2025", "2023", "năm 2023", "2024-2023"])
def test_bad_school_years(text: str) -> None:
    with pytest.raises(ValueError):
        SchoolYear.parse(text)


def test_slugs_fold_d_with_stroke() -> None:
    assert slugify("Trường Tiểu học Lê Đình Chinh") == "truong-tieu-hoc-le-dinh-chinh"
    assert slugify("Đồng Tháp ĐĂK LĂK") == "dong-thap-dak-lak"


# school.yml's level as editors write it: the value, in any case, or the level's name (the importer reads
# school names with the same rule, reading/names.py).
LEVELS = [("preschool", "preschool"), (" Primary ", "primary"), ("Mầm non", "preschool"), ("mam non", "preschool"),
          ("MẪU GIÁO", "preschool"), ("Nhà trẻ", "preschool"), ("MG", "preschool"), ("Tiểu học", "primary"),
          ("TH", "primary"), ("THCS", "lower_secondary"), ("trung hoc co so", "lower_secondary"),
          ("Trung học phổ thông", "upper_secondary"), ("thpt", "upper_secondary"), ("Trung học", "secondary"),
          ("TH&THCS", "secondary"), ("THCS và THPT", "secondary"), ("PTCS", "secondary")]


@pytest.mark.parametrize("text, level", LEVELS)
def test_levels_as_editors_name_them(text: str, level: str) -> None:
    assert SchoolFile.model_validate({"level": text}).level.value == level


@pytest.mark.parametrize("text", ["mam_non", "cấp 1", "kindergarten", "", "pre school", "Mầm non và Tiểu học"])
def test_words_that_name_no_level_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        SchoolFile.model_validate({"level": text})


def test_every_level_name_the_json_schema_offers_is_accepted() -> None:
    offered = json.loads((REPO / "qip_site" / "schema" / "school.schema.json").read_text(encoding="utf-8"))
    names = [name for choice in offered["properties"]["level"]["anyOf"] for name in choice["enum"]]
    assert set(LEVEL_NAMES) < set(names)
    for name in names:
        SchoolFile.model_validate({"level": name})


@pytest.mark.parametrize("slug, level", [("mg-hoa-sen", "preschool"), ("th-thcs-a", "secondary"),
                                         ("truong-thpt-b", "upper_secondary")])
def test_new_guesses_the_level_from_the_folder_by_the_same_rule(slug: str, level: str) -> None:
    assert guess_level(slug) is Level(level)


@pytest.mark.parametrize("name", ["", "   ", None])
def test_a_school_name_of_only_spaces_is_no_name(tmp_path, name) -> None:
    """What the pages, the open data and the search call the school: the placeholder, as for no name."""
    from qip_site.reading.validate import load_site

    folder = tmp_path / "plans" / "mn-a"
    folder.mkdir(parents=True)
    (folder / "school.yml").write_text(("" if name is None else f'name: "{name}"\n') + "level: preschool\n",
                                       encoding="utf-8")
    (folder / "2023-2024.yml").write_text('period: "2023-2024"\ntitle: [KẾ HOẠCH]\n', encoding="utf-8")
    site, _ = load_site(tmp_path / "plans", tmp_path)
    assert [school.name for school in site.schools] == ["Trường mầm non (tên không ghi trong văn bản)"]
