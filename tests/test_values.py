"""Values the site derives from what documents write: amounts, dates, numbers, school years, URLs."""

from __future__ import annotations

import datetime as dt

import pytest

from qip_site.domain.model import document_date, document_number, document_place
from qip_site.domain.money import format_vnd, parse_budget
from qip_site.domain.years import SchoolYear
from qip_site.reading.names import slugify

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
