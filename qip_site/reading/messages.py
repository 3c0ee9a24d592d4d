"""Pydantic's validation errors, told to editors: one Vietnamese line each, at the right place.

Pydantic reports where a value breaks the format in its own terms (union alternatives, English
messages). This module maps each error back to the key or value in the file, says what was found
and what is expected, and gives an example of what is right.
"""

from __future__ import annotations

import datetime as dt
import re
from difflib import get_close_matches
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..domain.years import SchoolYear
from . import errors as E
from .load import FieldPath, Loaded, problem_at
from .schema import CELL_FIELDS, LEVEL_LABELS, STATE_LABELS, PlanFile, ResultState

# Fields that take one text or a list of paragraphs.
_PARAGRAPHS = set(CELL_FIELDS) | {"title", "preamble", "closing", "recipients", "fragments", "content"}
_LEVELS = "; ".join(
    f"{level.value} ({'trường trung học không rõ THCS hay THPT' if level.value == 'secondary' else label})"
    for level, label in LEVEL_LABELS.items()
)
_STATES = "; ".join(f"{state.value} ({label.lower()})" for state, label in STATE_LABELS.items())
_RESULT_STATES = ", ".join(f"\"{state.value}\"" for state in ResultState)
_RANGE_EXAMPLE = "period: {from: 2022-2023, to: 2026-2027}"
EXAMPLES = {
    "period": "period: 2023-2024",
    "title": "title: [\"KẾ HOẠCH\", \"CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC\"]",
    "level": "level: preschool",
    "heading": "heading: \"I. MỤC ĐÍCH, YÊU CẦU\"",
    "columns": "columns: {index: TT, criterion: \"Tiêu chuẩn, tiêu chí\", measures: \"Biện pháp\"}",
    "school_year": "school_year: 2024-2025",
    "code": "code: \"1.4\"",
    "state": "status: {state: superseded, date: 2024-09-15, reason: \"Thay bằng kế hoạch điều chỉnh\"}",
    "reason": "reason: \"Thay bằng kế hoạch điều chỉnh số 12/KH-MN ngày 15/9/2024.\"",
    "result": "result: {state: đã thực hiện, date: 20/5/2025, text: \"Đã sửa xong 4 phòng học\"}",
}


_TYPE_KINDS = ("string_type", "model_type", "dict_type", "list_type")


def translate(exc: ValidationError, loaded: Loaded, model: type[BaseModel]) -> list[E.Problem]:
    """Pydantic's errors, one Vietnamese line each, without the noise of union alternatives."""
    errors = [(_data_path(error["loc"], loaded.data), error) for error in exc.errors()]
    # A misspelt key shows up twice: as unknown ("titel") and as missing ("title"). Report it once.
    suggested = {path[:-1] + (hint,) for path, error in errors
                 if error["type"] == "extra_forbidden" and (hint := _hint(model, path))}
    out: list[E.Problem] = []
    seen: set[tuple[FieldPath, bool]] = set()
    for path, error in errors:
        kind = error["type"]
        # A sub-heading ({heading: …}) where a text may also stand: its own errors say more than "not a text".
        if kind == "string_type" and any(len(other) > len(path) and other[:len(path)] == path for other, _ in errors):
            continue
        key = (path, kind in _TYPE_KINDS)
        if key in seen or (kind == "missing" and path in suggested):
            continue
        seen.add(key)
        out.extend(_problems(loaded, model, path, error))
    return sorted(out, key=lambda p: (p.line or 0, p.column or 0))


def _problems(loaded: Loaded, model: type[BaseModel], path: FieldPath, error: ErrorDetails) -> list[E.Problem]:
    kind, value = error["type"], error.get("input")
    last = path[-1] if path else ""
    example = EXAMPLES.get(str(last))
    if len(path) > 1 and path[-2] == "result" and last == "state":
        example = EXAMPLES["result"]  # not the example of a plan's status, which has a "state" too
    if kind == "extra_forbidden":
        hint = _hint(model, path)
        allowed = _allowed_fields(model, path[:-1])
        message = f"không có trường \"{last}\" ở đây."
        if hint:
            message += f" Có phải ý bạn là \"{hint}\"?"
        elif allowed:
            message += f" Các trường được dùng ở đây: {', '.join(allowed)}."
        return [problem_at(loaded, E.UnknownFieldProblem, path, message, key=True)]
    if kind == "missing":
        message = f"thiếu trường bắt buộc \"{last}\"."
        if last == "level":
            message += f" Các cấp học: {_LEVELS}."
        return [problem_at(loaded, E.MissingFieldProblem, path, message, example=example)]
    if kind in ("value_error", "assertion_error"):
        special = _value_problems(loaded, model, path, value)
        if special:
            return special
        message = str(error.get("ctx", {}).get("error", error["msg"])).rstrip(".") + "."
        at_key = value is None  # an empty value has no place of its own: point at its key
        if value is None:
            message = "đang để trống; hãy ghi giá trị."
        if last == "period" and isinstance(value, dict):
            path, example = _period_part(value), _RANGE_EXAMPLE
        elif last == "period" and re.fullmatch(r"\s*\d{4}\s*-\s*\d{4}\s*", str(value)):
            first, second = (int(y) for y in re.findall(r"\d{4}", str(value)))
            if second > first + 1:
                message += (f" Nếu là kế hoạch nhiều năm, hãy ghi period: {{from: {first}-{first + 1}, "
                            f"to: {second - 1}-{second}}}.")
        if "ví dụ" in message:
            example = None  # the message already shows the right form
        return [problem_at(loaded, E.InvalidValueProblem, path, message, key=at_key, example=example)]
    if kind == "enum" and len(path) > 1 and path[-2] == "result":
        return [problem_at(loaded, E.InvalidValueProblem, path,
                           f"{_not_a_choice('tình trạng thực hiện', value)}; hãy chọn một trong: {_RESULT_STATES}.",
                           example=EXAMPLES["result"])]
    if kind == "enum" and last == "state":
        return [problem_at(loaded, E.InvalidValueProblem, path,
                           f"{_not_a_choice('tình trạng', value)}; hãy chọn một trong: {_STATES}.",
                           example=EXAMPLES["state"])]
    if kind == "enum":
        return [problem_at(loaded, E.InvalidValueProblem, path,
                           f"{_not_a_choice('cấp học', value)}; hãy chọn một trong: {_LEVELS}.", example=example)]
    if kind.startswith("date"):
        return [problem_at(loaded, E.WrongTypeProblem, path,
                           f"{_found(value)} không phải ngày; hãy ghi năm-tháng-ngày hoặc ngày/tháng/năm.",
                           example=f"{last}: 2023-08-18")]
    if kind.startswith("bool"):
        return [problem_at(loaded, E.WrongTypeProblem, path,
                           f"phải là true hoặc false, nhưng đang là {_found(value)}.",
                           example=f"{last}: true")]
    if not path and kind in ("model_type", "dict_type"):
        message = f"tệp phải là một khối các trường (ví dụ \"period:\", \"title:\"), không phải {_found(value)}."
        return [problem_at(loaded, E.WrongTypeProblem, path, message)]
    wants_text = kind.startswith("string") or (kind.startswith("list") and last in _PARAGRAPHS)
    if wants_text and isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
        # `index: 1`, `criterion: 1.4`, `place_date: 2023-09-01`: YAML reads a bare number or date as
        # a number or a date, not as the text written.
        written = f"{last}: \"{value}\"" if isinstance(last, str) else f"- \"{value}\""
        if last == "code":
            written = EXAMPLES["code"]
        return [problem_at(loaded, E.WrongTypeProblem, path,
                           f"phải là chữ, nhưng đang là {_found(value)}; hãy đặt trong dấu ngoặc kép.",
                           example=written)]
    if kind.startswith("list") and last in _PARAGRAPHS:
        expected = "một đoạn văn hoặc một danh sách các đoạn văn"
    else:
        expected = _expected(kind)
    message = f"phải là {expected}, nhưng đang là {_found(value)}."
    if kind.startswith("string") and isinstance(value, list):
        message = message[:-1] + "; hãy ghi thành một dòng."
    return [problem_at(loaded, E.WrongTypeProblem, path, message, example=example)]


def _value_problems(loaded: Loaded, model: type[BaseModel], path: FieldPath, value: Any) -> list[E.Problem]:
    """Value errors that the format raises for a whole block, located at the key that causes them."""
    data = loaded.data
    if path and path[-1] == "columns" and isinstance(value, dict):
        out = []
        for key in value:
            if key not in CELL_FIELDS:
                hint = get_close_matches(str(key), list(CELL_FIELDS), n=1)
                message = f"không có cột \"{key}\"." + (
                    f" Có phải ý bạn là \"{hint[0]}\"?" if hint else
                    " Các cột: " + ", ".join(f"{name} ({heading})" for name, heading in CELL_FIELDS.items()) + ".")
                out.append(problem_at(loaded, E.UnknownFieldProblem, path + (key,), message, key=True))
        return out
    if path and path[-1] == "code" and isinstance(value, float):
        misread = ""
        if str(value) != repr(float(value)):  # 1.10 read as 1.1
            misread = f"; không có ngoặc kép, {value} bị đọc thành số {float(value)!r}"
        return [problem_at(loaded, E.InvalidValueProblem, path,
                           f"mã tiêu chí phải đặt trong dấu ngoặc kép{misread}.", example=f"code: \"{value}\"")]
    if path == ("table",) and isinstance(value, dict):
        used = [name for name in ("levels", "standards", "areas") if value.get(name)]
        if len(used) > 1:
            return [problem_at(loaded, E.InvalidValueProblem, path + (used[1],),
                               f"bảng chỉ dùng một cách nhóm các dòng, nhưng có cả \"{used[0]}\" và \"{used[1]}\"; "
                               "hãy giữ một cách.", key=True)]
    if model is PlanFile and not path and isinstance(data, dict):
        sections = data.get("sections")
        if not isinstance(sections, list):
            sections = []
        placed = [i for i, s in enumerate(sections) if isinstance(s, dict) and s.get("table") is True]
        if len(placed) > 1:
            return [problem_at(loaded, E.InvalidValueProblem, ("sections", placed[1], "table"),
                               f"mục {placed[0] + 1} cũng có \"table: true\"; bảng kế hoạch chỉ được đặt ở một "
                               "mục: hãy xóa \"table: true\" ở một trong hai mục.", key=True)]
        if placed and data.get("table") is None:
            return [problem_at(loaded, E.InvalidValueProblem, ("sections", placed[0], "table"),
                               "mục này có \"table: true\" nhưng kế hoạch không có bảng (\"table:\"); hãy xóa "
                               "dòng này hoặc thêm bảng.", key=True)]
        if not placed and data.get("table") is not None:
            return [problem_at(loaded, E.InvalidValueProblem, ("table",),
                               "bảng kế hoạch chưa được đặt vào mục nào; hãy thêm dòng \"table: true\" dưới "
                               "\"heading\" của mục chứa bảng (thường là mục \"III. NỘI DUNG KẾ HOẠCH\").", key=True)]
    return []


def _period_part(value: dict[str, Any]) -> FieldPath:
    """The key of a {from:, to:} period that is wrong: an unknown key, an unreadable year, or "to"."""
    unknown = [key for key in value if key not in ("from", "to")]
    if unknown:
        return ("period", unknown[0])
    for key in ("from", "to"):
        if key not in value:
            return ("period",)
        try:
            SchoolYear.parse(value[key])
        except ValueError:
            return ("period", key)
    return ("period", "to")


def _hint(model: type[BaseModel], path: FieldPath) -> str | None:
    """The allowed key closest to the unknown key at the end of `path`, if one is close."""
    hint = get_close_matches(str(path[-1]), _allowed_fields(model, path[:-1]), n=1, cutoff=0.6) if path else []
    return hint[0] if hint else None


def _not_a_choice(what: str, value: Any) -> str:
    """`không có cấp học "x"`; for a list or a block, what was written instead of one choice."""
    if isinstance(value, (list, dict)):
        return f"chỉ ghi một {what}, nhưng đang là {_found(value)}"
    return f"không có {what} \"{value}\""


def _found(value: Any) -> str:
    """What the editor wrote, in words: `chữ "có"`, `số 2023`, `một danh sách` …"""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"số {value}"
    if isinstance(value, dt.date):
        return f"ngày {value.isoformat()}"
    if isinstance(value, str):
        return f"chữ \"{value if len(value) <= 40 else value[:40] + '…'}\""
    if value is None:
        return "trống"
    if isinstance(value, list):
        return "một danh sách"
    if isinstance(value, dict):
        return "một khối trường (tên: giá trị)"
    return "một giá trị khác"


def _expected(kind: str) -> str:
    if kind.startswith("string"):
        return "một đoạn văn (chữ)"
    if kind.startswith("list"):
        return "một danh sách (mỗi phần tử bắt đầu bằng \"- \")"
    if kind.startswith(("model", "dict")):
        return "một khối trường (tên: giá trị)"
    if kind.startswith("int"):
        return "một số nguyên"
    return "một giá trị khác"


def _data_path(loc: tuple[int | str, ...], data: Any) -> FieldPath:
    """Pydantic's location without the names it gives to union alternatives ("str", "Block")."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(part, str) and (part == "str" or part[:1].isupper() or "[" in part):
            continue  # a union member's or validator's name, not a key
        else:
            path.append(part)
            node = None
    return tuple(path)


def _allowed_fields(model: type[BaseModel], path: FieldPath) -> list[str]:
    """The keys allowed at `path` (a path to a mapping) in the format."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            current = _item_type(current)
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = _unwrap(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [info.alias or name for name, info in current.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    for arg in (get_args(annotation) or ()):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    origin = get_origin(annotation)
    if origin is list:
        return annotation
    return annotation


def _item_type(annotation: Any) -> Any:
    for arg in get_args(annotation) or ():
        inner = _unwrap(arg)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    return annotation
