"""The editors' field reference (`guide/truong-du-lieu.md`), generated from the models in `schema.py`.

Like the JSON Schema (`json_schema.py`), it is made from the models and their Vietnamese field
descriptions, so it cannot drift from what `check` accepts: `qip-site schema` rewrites it and a
test checks that the committed file is current. One table per model, in the order a reader meets
them (each model right after the first one that holds it): field, required or not, its type in
plain words, and its description. The editor's guide (`guide/bien-tap.md`) explains and gives
examples; this file lists.
"""

from __future__ import annotations

import typing
from enum import Enum
from pathlib import Path
from types import NoneType, UnionType

from pydantic import BaseModel

from ..reading.schema import (
    Block,
    DateField,
    Header,
    Level,
    LevelField,
    LevelGroup,
    Paragraphs,
    PeriodField,
    Place,
    PlanFile,
    Result,
    Row,
    SchoolFile,
    SchoolYearField,
    Section,
    Signer,
    Standard,
    Status,
    Table,
    YearItem,
)

REFERENCE_FILE = Path(__file__).resolve().parents[2] / "guide" / "truong-du-lieu.md"

# Each model's table: its anchor (links from the guide use it) and its heading. A model the files
# may hold but that is missing here stops the generator (KeyError), so no field goes unlisted.
SECTIONS: dict[type[BaseModel], tuple[str, str]] = {
    SchoolFile: ("school-yml", "Tệp `school.yml`"),
    Place: ("place", "`place`: địa danh của trường"),
    PlanFile: ("tep-ke-hoach", "Tệp kế hoạch (`<năm học>.yml`)"),
    Header: ("header", "`header`: phần đầu văn bản"),
    Section: ("sections", "Mỗi mục trong `sections`"),
    Block: ("muc-con", "Mục con trong `content`"),
    Table: ("table", "`table`: bảng kế hoạch"),
    LevelGroup: ("levels", "Mỗi mức trong `table.levels`"),
    Standard: ("standards", "Mỗi tiêu chuẩn (`table.standards`, `levels[].standards`)"),
    Row: ("dong", "Mỗi dòng (`criteria`, `table.areas`)"),
    YearItem: ("years", "Mỗi việc trong `years`"),
    Result: ("result", "`result`: kết quả thực hiện của một dòng"),
    Signer: ("signer", "`signer`: người ký"),
    Status: ("status", "`status`: kế hoạch không còn hiệu lực"),
}

# The annotated types of schema.py, told in words (their forgiving forms, as editors may write them).
NAMED_TYPES = [
    (Paragraphs, "đoạn văn, hoặc danh sách đoạn văn"),
    (DateField, "ngày: `2024-09-15` hoặc `15/9/2024`"),
    (PeriodField, "năm học `\"2023-2024\"`, hoặc khoảng `{from: …, to: …}`"),
    (SchoolYearField, "năm học, ví dụ `\"2024-2025\"`"),
    (LevelField, "một trong: " + ", ".join(f"`{level.value}`" for level in Level) + "; hoặc tên cấp học"),
]
PLAIN_TYPES = {str: "chữ", bool: "`true` hoặc `false`", int: "số"}

INTRO = """\
<!-- Tệp này được tạo từ qip_site/reading/schema.py bằng lệnh `qip-site schema`; đừng sửa tay. -->
# Các trường dữ liệu

Mọi trường mà `school.yml` và tệp kế hoạch có thể ghi, với mô tả của từng trường (cũng là mô tả
trình soạn thảo hiện khi gõ). Tệp này được tạo tự động từ định dạng trong `qip_site/reading/schema.py`.
Cách chép văn bản, giải thích và ví dụ: xem [Hướng dẫn biên tập](bien-tap.md#dinh-dang-tep).

"Bắt buộc: **có**" là trường phải ghi. Trường khác bỏ trống (không ghi, hoặc ghi `null`) khi văn
bản không ghi.
"""


def _type_words(hint: object) -> str:
    """A field's type as editors read it, linking to the table of a nested model."""
    for named, words in NAMED_TYPES:
        if hint is named:
            return words
    if isinstance(hint, type) and hint in PLAIN_TYPES:
        return PLAIN_TYPES[hint]
    if isinstance(hint, type) and issubclass(hint, Enum):
        return "một trong: " + ", ".join(f"`{member.value}`" for member in hint)
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        anchor, heading = SECTIONS[hint]
        return f"khối (xem [{heading}](#{anchor}))"
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (UnionType, typing.Union):
        return " hoặc ".join(_type_words(arg) for arg in args if arg is not NoneType)
    if origin is list:
        return "danh sách, mỗi phần tử là " + _type_words(args[0])
    if origin is dict:
        return f"các cặp `tên: giá trị`, giá trị: {_type_words(args[1])}"
    raise TypeError(f"no words for the type {hint!r}: add it to fieldref.py")


def _models(model: type[BaseModel], seen: list[type[BaseModel]]) -> list[type[BaseModel]]:
    """`model` then the models its fields hold, depth first, each once."""
    if model in seen:
        return seen
    seen.append(model)
    for hint in typing.get_type_hints(model).values():
        for inner in _nested(hint):
            _models(inner, seen)
    return seen


def _nested(hint: object) -> list[type[BaseModel]]:
    if isinstance(hint, type):
        return [hint] if issubclass(hint, BaseModel) else []
    return [model for arg in typing.get_args(hint) for model in _nested(arg)]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _table(model: type[BaseModel]) -> str:
    anchor, heading = SECTIONS[model]
    hints = typing.get_type_hints(model, include_extras=True)
    lines = [f'<a id="{anchor}"></a>', f"## {heading}", "", "| Trường | Bắt buộc | Kiểu | Ý nghĩa |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        required = "**có**" if field.is_required() else "không"
        lines.append(f"| `{field.alias or name}` | {required} | {_cell(_type_words(hints[name]))} "
                     f"| {_cell(field.description or '—')} |")
    return "\n".join(lines) + "\n"


def field_reference() -> str:
    """The Markdown of `guide/truong-du-lieu.md`."""
    models: list[type[BaseModel]] = []
    for root in (SchoolFile, PlanFile):
        _models(root, models)
    contents = "\n".join(f"- [{SECTIONS[m][1]}](#{SECTIONS[m][0]})" for m in models)
    return "\n".join([INTRO, contents + "\n", *(_table(m) for m in models)])


def write_reference(path: Path = REFERENCE_FILE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(field_reference(), encoding="utf-8")
    return path
