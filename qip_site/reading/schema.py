"""The plan format: what a school file and a plan file may hold, as typed models.

Every text is kept as the document writes it ("as written"); values the site computes
(amounts, dates, standard numbers) are derived from that text in `model.py`, never typed twice.
Field names follow the glossary in the guide; descriptions are the editors' documentation
(they feed the JSON Schema that gives completion in editors).
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

from ..domain.years import Period, SchoolYear
from .names import level_in_name


def _paragraphs(value: Any) -> Any:
    """A cell or section body: one text, or a list of paragraphs. Empty means nothing."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return value


# What editors' tools are told (JSON Schema): the forgiving forms the validators accept.
_TEXT_OR_LIST = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}, {"type": "null"}]}
_SCHOOL_YEAR = {"type": "string", "pattern": r"^\s*\d{4}\s*[-–—/]\s*\d{4}\s*$", "examples": ["2024-2025"]}
_PERIOD = {"anyOf": [_SCHOOL_YEAR, {
    "type": "object", "additionalProperties": False, "required": ["from", "to"],
    "properties": {"from": _SCHOOL_YEAR, "to": _SCHOOL_YEAR},
}]}

Paragraphs = Annotated[list[str], BeforeValidator(_paragraphs), WithJsonSchema(_TEXT_OR_LIST)]


def _date(value: Any) -> Any:
    """Dates as editors write them: "2024-09-15", or the Vietnamese way "15/9/2024"; "" is none."""
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\s*", value)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                return value  # "31/2/2023": the error message quotes it as written
    return value


_DATE = {"type": "string", "pattern": r"^\s*(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})?\s*$",
         "examples": ["2024-09-15", "15/9/2024"]}
# Optional everywhere: a date the document or the editor may not give; "" counts as none.
DateField = Annotated[dt.date | None, BeforeValidator(_date), WithJsonSchema({"anyOf": [_DATE, {"type": "null"}]})]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Level(str, Enum):
    """School level; it decides which accreditation circular applies."""

    preschool = "preschool"
    primary = "primary"
    lower_secondary = "lower_secondary"
    upper_secondary = "upper_secondary"
    secondary = "secondary"  # a "trường trung học" whose grades the document does not state

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]


LEVEL_LABELS = {
    Level.preschool: "Mầm non",
    Level.primary: "Tiểu học",
    Level.lower_secondary: "Trung học cơ sở",
    Level.upper_secondary: "Trung học phổ thông",
    Level.secondary: "Trung học (THCS, THPT)",
}


# Levels named as editors say them ("Mầm non", "THCS", "trung hoc pho thong"): read as the importer reads
# a school's name (names.level_in_name). The JSON Schema lists the usual names.
LEVEL_NAMES = ["Mầm non", "Mẫu giáo", "Nhà trẻ", "Tiểu học", "Trung học cơ sở", "THCS", "Trung học phổ thông", "THPT",
               "Trung học"]


def level_value(value: Any) -> Any:
    """A level's value ("preschool", in any case) or its name in Vietnamese ("Mầm non") as the level's value;
    anything else as written (the validator refuses it)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.lower() in {level.value for level in Level}:
        return text.lower()
    return level_in_name(text) or value  # "Mầm non và Tiểu học": none (no one circular assesses both)


LevelField = Annotated[Level, BeforeValidator(level_value), WithJsonSchema(
    {"anyOf": [{"enum": [level.value for level in Level]}, {"enum": LEVEL_NAMES}]})]


class Place(_Strict):
    as_written: str | None = Field(
        None, description="Địa danh như văn bản ghi, ví dụ \"Quận 5\", \"Huyện Bình Chánh\"."
    )
    province: str | None = Field(
        None, description="Tỉnh/thành phố hiện nay (sau sắp xếp năm 2025), nếu biết."
    )
    commune: str | None = Field(None, description="Xã/phường hiện nay (sau sắp xếp năm 2025), nếu biết.")


class SchoolFile(_Strict):
    """`plans/<trường>/school.yml`: the school's facts, written once."""

    name: str | None = Field(
        None, description="Tên trường như văn bản ghi, ví dụ \"Trường Mầm non Thủy Tiên\". Bỏ trống nếu văn bản không ghi."
    )
    level: LevelField = Field(description="Cấp học: preschool, primary, lower_secondary, upper_secondary hoặc "
                                          "secondary; hoặc tên cấp học: Mầm non, Tiểu học, THCS, THPT, Trung học "
                                          "(trường nhiều cấp học).")
    managing_body: str | None = Field(None, description="Cơ quan chủ quản như văn bản ghi.")
    place: Place = Field(default_factory=Place, description="Địa danh của trường.")
    synthetic: bool = Field(False, description="true cho trường giả lập (DỮ LIỆU MẪU), chỉ dùng để thử nghiệm.")


class Header(_Strict):
    """The two-column header block; every line as written, absent when the document has none."""

    managing_body: str | None = Field(None, description="Cơ quan chủ quản, ví dụ \"UBND HUYỆN BÌNH CHÁNH\".")
    school: str | None = Field(None, description="Tên trường ở đầu văn bản, ví dụ \"TRƯỜNG MN THỦY TIÊN\".")
    number: str | None = Field(None, description="Dòng số, ký hiệu như văn bản ghi, ví dụ \"Số: 237/KH-MNTT\".")
    national_name: str | None = Field(None, description="Quốc hiệu như văn bản ghi.")
    motto: str | None = Field(None, description="Tiêu ngữ như văn bản ghi.")
    place_date: str | None = Field(
        None, description="Địa danh, ngày tháng như văn bản ghi, ví dụ \"Bình Chánh, ngày 6 tháng 9 năm 2022\"."
    )
    date: DateField = Field(
        None, description="Ngày ban hành (2022-09-06 hoặc 6/9/2022) khi không đọc được từ dòng địa danh, ngày tháng."
    )


def _period(value: Any) -> Any:
    if isinstance(value, Period):
        return value
    if isinstance(value, dict):
        unknown = set(value) - {"from", "to"}
        if unknown:
            raise ValueError(f"khoảng năm học chỉ có hai trường \"from\" và \"to\", không có \"{sorted(unknown)[0]}\"")
        if "from" not in value or "to" not in value:
            raise ValueError("khoảng năm học cần cả \"from\" và \"to\", ví dụ from: 2022-2023, to: 2026-2027")
        first, last = SchoolYear.parse(value["from"]), SchoolYear.parse(value["to"])
        if last < first:
            raise ValueError(f"năm học cuối {last} đứng trước năm học đầu {first}")
        return Period(first, last)
    year = SchoolYear.parse(value)
    return Period(year, year)


def _school_year(value: Any) -> Any:
    return value if isinstance(value, SchoolYear) else SchoolYear.parse(value)


PeriodField = Annotated[Period, BeforeValidator(_period), WithJsonSchema(_PERIOD)]
SchoolYearField = Annotated[SchoolYear, BeforeValidator(_school_year), WithJsonSchema(_SCHOOL_YEAR)]


class Block(_Strict):
    """A sub-heading inside a section ("1. Mục đích:")."""

    heading: str = Field(description="Tiêu đề mục con như văn bản ghi.")


class Section(_Strict):
    """A numbered free section: heading, then paragraphs and sub-headings in order."""

    heading: str = Field(description="Tiêu đề mục như văn bản ghi, ví dụ \"I. MỤC ĐÍCH, YÊU CẦU\".")
    content: list[str | Block] = Field(
        default_factory=list,
        description="Các đoạn văn theo thứ tự; một mục con ghi là {heading: ...}. Gạch đầu dòng giữ nguyên dấu \"-\".",
    )
    table: bool = Field(False, description="true nếu bảng kế hoạch nằm ở cuối mục này.")

    @field_validator("content", mode="before")
    @classmethod
    def _content(cls, value: Any) -> Any:
        return _paragraphs(value)


# The canonical cell fields of a plan table, in the glossary's order, with their usual headings.
CELL_FIELDS = {
    "index": "TT",
    "criterion": "Tiêu chuẩn, tiêu chí",
    "area": "Lĩnh vực",
    "weakness": "Điểm yếu, hiện trạng",
    "target": "Kết quả cần đạt",
    "measures": "Biện pháp, công việc, giải pháp",
    "responsible": "Người phụ trách",
    "timeline": "Thời gian thực hiện",
    "budget": "Kinh phí",
    "support": "Điều kiện hỗ trợ",
    "note": "Ghi chú",
}


class Cells(_Strict):
    """The cells of one table row, each a text or a list of paragraphs, as written."""

    index: Paragraphs = Field(default_factory=list, description="Cột TT (số thứ tự) như văn bản ghi.")
    criterion: Paragraphs = Field(default_factory=list, description="Ô tiêu chí như văn bản ghi, ví dụ \"Tiêu chí 1.4\".")
    area: Paragraphs = Field(default_factory=list, description="Ô lĩnh vực như văn bản ghi.")
    weakness: Paragraphs = Field(default_factory=list, description="Điểm yếu, hiện trạng.")
    target: Paragraphs = Field(default_factory=list, description="Kết quả cần đạt, nội dung cải tiến.")
    measures: Paragraphs = Field(default_factory=list, description="Biện pháp, công việc, giải pháp.")
    responsible: Paragraphs = Field(default_factory=list, description="Người phụ trách, chủ trì và phối hợp.")
    timeline: Paragraphs = Field(default_factory=list, description="Thời gian thực hiện, như văn bản ghi.")
    budget: Paragraphs = Field(default_factory=list, description="Kinh phí như văn bản ghi; số tiền được tự tính.")
    support: Paragraphs = Field(default_factory=list, description="Điều kiện hỗ trợ, thực hiện.")
    note: Paragraphs = Field(default_factory=list, description="Ghi chú.")


class YearItem(Cells):
    """What a row does in one school year, where the document pairs actions and years one to one."""

    school_year: SchoolYearField = Field(description="Năm học của việc này, ví dụ \"2024-2025\".")


class ResultState(str, Enum):
    """How far a commitment of the plan has come; written by the editor later, never part of the approved text."""

    done = "đã thực hiện"
    ongoing = "đang thực hiện"
    not_done = "chưa thực hiện"
    adjusted = "điều chỉnh"

    @property
    def label(self) -> str:
        return self.value[:1].upper() + self.value[1:]


class Result(_Strict):
    """What became of one row's commitment: added beside the approved row, which stays word for word."""

    state: ResultState = Field(
        description="Tình trạng: \"đã thực hiện\", \"đang thực hiện\", \"chưa thực hiện\" hoặc \"điều chỉnh\"."
    )
    date: DateField = Field(None, description="Ngày ghi nhận kết quả, ví dụ 2025-05-20 hoặc 20/5/2025.")
    text: Paragraphs = Field(default_factory=list, description="Mô tả ngắn kết quả, ví dụ \"Đã sửa xong 4 phòng học\".")
    evidence: str | None = Field(
        None, description="Minh chứng (không bắt buộc): tên tệp PDF hoặc ảnh đặt cạnh tệp kế hoạch, ví dụ "
        "\"minh-chung-3-1.pdf\", hoặc một địa chỉ http:// hay https://."
    )


class Row(Cells):
    """One row of the plan table: a criterion (or an area) and its cells."""

    code: str | None = Field(
        None, description="Mã tiêu chí theo thông tư, ví dụ \"1.4\". Bỏ trống khi văn bản không ghi rõ."
    )
    years: list[YearItem] = Field(
        default_factory=list,
        description="Việc theo từng năm học, chỉ khi văn bản ghi mỗi việc với một năm học.",
    )
    incomplete: bool = Field(
        False, description="true khi văn bản nguồn không đầy đủ (ô bị mất, chỉ còn mảnh chữ)."
    )
    fragments: Paragraphs = Field(
        default_factory=list, description="Mảnh chữ của dòng không đầy đủ mà không xác định được ô."
    )
    result: Result | None = Field(
        None, description="Kết quả thực hiện việc của dòng này (không bắt buộc), ghi trong và sau năm học; nội dung "
        "đã phê duyệt ở các ô khác giữ nguyên từng chữ."
    )

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value: Any) -> Any:
        # "1.10" typed as a YAML number would read 1.1: ask for quotes rather than guess.
        if isinstance(value, float):
            raise ValueError(f"mã tiêu chí phải đặt trong dấu ngoặc kép, ví dụ code: \"{value}\"")
        return value


class Standard(_Strict):
    """A standard's heading row and the criteria under it."""

    index: str | None = Field(None, description="Cột TT của dòng tiêu chuẩn như văn bản ghi.")
    heading: str = Field(description="Dòng tiêu chuẩn như văn bản ghi, ví dụ \"Tiêu chuẩn 1: Tổ chức và quản lý nhà trường\".")
    number: int | None = Field(None, description="Số tiêu chuẩn (1–5) khi tiêu đề không ghi \"Tiêu chuẩn N\".")
    criteria: list[Row] = Field(default_factory=list, description="Các dòng tiêu chí của tiêu chuẩn.")


class LevelGroup(_Strict):
    """A level heading row ("MỨC 1, 2, 3", "MỨC 4: Không có") and the standards under it."""

    heading: str = Field(description="Dòng mức như văn bản ghi.")
    standards: list[Standard] = Field(default_factory=list, description="Các tiêu chuẩn của mức, theo thứ tự văn bản.")


class Table(_Strict):
    """The plan table: its own column headings, then rows grouped by level and standard, or by area."""

    columns: dict[str, str | None] = Field(
        description="Các cột theo thứ tự: trường chuẩn (index, criterion, area, weakness, target, measures, "
        "responsible, timeline, budget, support, note) → tiêu đề cột như văn bản ghi; để trống (null) khi văn "
        "bản nguồn mất dòng tiêu đề (trang web hiện tên chuẩn của cột)."
    )
    levels: list[LevelGroup] = Field(default_factory=list, description="Nhóm theo mức (MỨC 1, 2, 3 …).")
    standards: list[Standard] = Field(default_factory=list, description="Nhóm theo tiêu chuẩn, khi không có dòng mức.")
    areas: list[Row] = Field(default_factory=list, description="Các dòng theo lĩnh vực, khi kế hoạch không theo tiêu chí.")

    @field_validator("columns")
    @classmethod
    def _known_columns(cls, value: dict[str, str | None]) -> dict[str, str | None]:
        for key in value:
            if key not in CELL_FIELDS:
                raise ValueError(_unknown_column(key))
        return value

    @model_validator(mode="after")
    def _one_grouping(self) -> "Table":
        used = [name for name in ("levels", "standards", "areas") if getattr(self, name)]
        if len(used) > 1:
            raise ValueError(f"bảng chỉ dùng một cách nhóm, nhưng có cả {' và '.join(used)}")
        return self


def _unknown_column(key: str) -> str:
    from difflib import get_close_matches

    hint = get_close_matches(key, list(CELL_FIELDS), n=1)
    did_you_mean = f" Có phải ý bạn là \"{hint[0]}\"?" if hint else ""
    return f"cột \"{key}\" không phải trường chuẩn.{did_you_mean} Các trường: {', '.join(CELL_FIELDS)}"


class Signer(_Strict):
    position: str | None = Field(None, description="Chức vụ người ký, ví dụ \"HIỆU TRƯỞNG\".")
    note: str | None = Field(None, description="Ghi chú dưới chức vụ, ví dụ \"(Đã ký)\".")
    name: str | None = Field(None, description="Họ tên người ký.")


class State(str, Enum):
    """What became of a published plan that no longer applies (it stays online, marked so)."""

    superseded = "superseded"  # replaced by another plan (an amended one, usually)
    withdrawn = "withdrawn"  # cancelled by the school or its managing body


STATE_LABELS = {State.superseded: "Đã được thay thế", State.withdrawn: "Đã thu hồi"}


class Status(_Strict):
    """A plan no longer in force: why, since when, and what replaces it. The page stays online."""

    state: State = Field(description="superseded (đã được thay thế) hoặc withdrawn (đã thu hồi).")
    date: DateField = Field(None, description="Ngày thay thế hoặc thu hồi, ví dụ 2024-09-15 hoặc 15/9/2024.")
    reason: str = Field(description="Lý do, ví dụ \"Thay bằng kế hoạch điều chỉnh số 12/KH-MN ngày 15/9/2024.\"")
    replaced_by: str | None = Field(
        None, description="Tên tệp (không có .yml) của kế hoạch thay thế trong cùng thư mục trường, ví dụ \"2024-2025-dieu-chinh\"."
    )

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


class PlanFile(_Strict):
    """`plans/<trường>/<năm>.yml`: one plan document, as written."""

    period: PeriodField = Field(
        description="Năm học của kế hoạch: \"2023-2024\", hoặc {from: 2022-2023, to: 2026-2027} cho kế hoạch nhiều năm."
    )
    header: Header = Field(default_factory=Header, description="Phần đầu văn bản (hai cột).")
    title: Paragraphs = Field(description="Các dòng tên văn bản và trích yếu như văn bản ghi.")
    preamble: Paragraphs = Field(default_factory=list, description="Các đoạn trước mục I (ví dụ các dòng \"Căn cứ …\").")
    sections: list[Section] = Field(default_factory=list, description="Các mục đánh số La Mã, theo thứ tự.")
    table: Table | None = Field(None, description="Bảng kế hoạch.")
    closing: Paragraphs = Field(default_factory=list, description="Câu kết (\"Trên đây là …\").")
    recipients: Paragraphs = Field(
        default_factory=list, description="Các dòng dưới \"Nơi nhận:\" như văn bản ghi (giữ dấu \"-\")."
    )
    signer: Signer = Field(default_factory=Signer, description="Người ký.")
    synthetic: bool = Field(
        False, description="true cho kế hoạch giả lập (DỮ LIỆU MẪU): trang web đánh dấu rõ, không phải văn bản thật."
    )
    published: DateField = Field(
        None, description="Ngày đăng lên trang web. Bỏ trống: ngày của lần commit đầu tiên đưa tệp này vào git."
    )
    original: str | None = Field(
        None, description="Tên tệp bản gốc đã ký (PDF hoặc ảnh) đặt cạnh tệp kế hoạch, ví dụ \"2023-2024.pdf\". "
        "Bỏ trống: tự tìm tệp cùng tên với tệp kế hoạch (.pdf, .jpg, .jpeg, .png)."
    )
    status: Status | None = Field(
        None, description="Chỉ ghi khi kế hoạch không còn hiệu lực: đã được thay thế hoặc đã thu hồi (trang vẫn giữ)."
    )

    @model_validator(mode="after")
    def _table_placed(self) -> "PlanFile":
        placed = [s for s in self.sections if s.table]
        if self.table is not None and len(placed) != 1:
            raise ValueError(
                "cần đúng một mục có \"table: true\" để đặt bảng kế hoạch"
                + (f", đang có {len(placed)}" if placed else "")
            )
        if self.table is None and placed:
            raise ValueError("mục có \"table: true\" nhưng kế hoạch không có \"table\"")
        return self
