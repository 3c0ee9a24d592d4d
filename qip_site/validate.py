"""Check every plan file and build the site model, or report every problem at once.

load (YAML → plain data with positions) → validate (the format in `schema.py`, then checks
across fields and files) → model (`model.py`). Errors are collected over all files so an editor
sees them together; any error stops the build before anything is written.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import get_close_matches
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from . import errors as E
from .catalogue import circular_for, load_catalogue
from .load import Loaded, problem_at, read_yaml
from .model import Plan, School, Site, document_date
from .schema import CELL_FIELDS, LEVEL_LABELS, PlanFile, SchoolFile
from .years import SchoolYear

SCHOOL_FILE = "school.yml"
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE_RE = re.compile(r"^\d\.\d{1,2}$")
# "Thông tư số 17/2018/TT-BGDĐT", "Thông tư 17/2018": which accreditation circular a plan cites.
_CITED_RE = re.compile(r"Thông\s+tư\s+(?:số\s+)?(1[789])/2018", re.IGNORECASE)

# Fields that take one text or a list of paragraphs.
_PARAGRAPHS = set(CELL_FIELDS) | {"title", "preamble", "closing", "recipients", "fragments", "content"}
_LEVELS = "; ".join(
    f"{level.value} ({'trường trung học không rõ THCS hay THPT' if level.value == 'secondary' else label})"
    for level, label in LEVEL_LABELS.items()
)
_RANGE_EXAMPLE = "period: {from: 2022-2023, to: 2026-2027}"
_EXAMPLES = {
    "period": "period: 2023-2024",
    "title": "title: [\"KẾ HOẠCH\", \"CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC\"]",
    "level": "level: preschool",
    "heading": "heading: \"I. MỤC ĐÍCH, YÊU CẦU\"",
    "columns": "columns: {index: TT, criterion: \"Tiêu chuẩn, tiêu chí\", measures: \"Biện pháp\"}",
    "school_year": "school_year: 2024-2025",
    "code": "code: \"1.4\"",
}


def load_site(plans_dir: Path, root: Path | None = None) -> tuple[Site, list[E.Problem]]:
    """Read all schools and plans under `plans_dir`; raise PlanErrors listing every error."""
    root = root or plans_dir.parent
    problems: list[E.Problem] = []
    schools: list[School] = []
    loaded: dict[str, Loaded] = {}  # plan file -> its positions, for checks across files
    if not plans_dir.is_dir():
        raise E.PlanErrors([E.MissingSchoolFileProblem(str(plans_dir), None, None, "", "không có thư mục kế hoạch.")])
    for folder in sorted(p for p in plans_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        school = _load_school(folder, root, problems)
        if school is None:
            continue
        for file in sorted(folder.glob("*.y*ml")):
            if file.name != SCHOOL_FILE and file.suffix in (".yml", ".yaml"):
                plan = _load_plan(file, root, school, problems, loaded)
                if plan is not None:
                    school.plans.append(plan)
        schools.append(school)
    for school in schools:
        _check_duplicates(school, loaded, problems)
    problems.sort(key=lambda p: (str(p.file), p.line or 0, p.column or 0))
    errors = [p for p in problems if not isinstance(p, E.Warning_)]
    if errors:
        # Warnings are shown with the errors, so that one run tells the editor everything.
        raise E.PlanErrors(errors, [p for p in problems if isinstance(p, E.Warning_)])
    return Site(schools, load_catalogue()), problems


def _relative(file: Path, root: Path) -> str:
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(file)


def _load_school(folder: Path, root: Path, problems: list[E.Problem]) -> School | None:
    file = folder / SCHOOL_FILE
    name = _relative(file, root)
    if not _SLUG_RE.match(folder.name):
        problems.append(E.InvalidValueProblem(
            _relative(folder, root), None, None, "",
            f"tên thư mục \"{folder.name}\" được dùng làm địa chỉ trang web nên chỉ được có chữ thường không dấu, "
            "chữ số và dấu \"-\"; hãy đổi tên thư mục (các kế hoạch trong thư mục chưa được kiểm tra).",
            _slug(folder.name) or "mn-thuy-tien",
        ))
        return None
    if not file.exists():
        problems.append(E.MissingSchoolFileProblem(
            name, None, None, "",
            "thư mục trường thiếu tệp school.yml (tên trường, cấp học, địa danh); các kế hoạch trong thư mục "
            "chưa được kiểm tra.",
            "name: \"Trường Mầm non Thủy Tiên\" / level: preschool",
        ))
        return None
    data = _validated(file, root, SchoolFile, problems)
    if data is None:
        return None
    return School(folder.name, name, data, circular_for(data.level))


def _slug(name: str) -> str:
    """"Mầm-Non-A" -> "mam-non-a": a folder name usable in addresses."""
    plain = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return "-".join(re.findall(r"[a-z0-9]+", plain))


def _load_plan(file: Path, root: Path, school: School, problems: list[E.Problem],
               loaded: dict[str, Loaded]) -> Plan | None:
    loaded_holder: list[Loaded] = []
    data = _validated(file, root, PlanFile, problems, loaded_holder)
    if data is None:
        return None
    plan = Plan(file.stem, _relative(file, root), data, school)
    loaded[plan.file] = loaded_holder[0]
    _check_plan(plan, loaded_holder[0], problems)
    return plan


def _validated(file: Path, root: Path, model: type[BaseModel], problems: list[E.Problem],
               keep: list[Loaded] | None = None) -> Any:
    try:
        loaded = read_yaml(file, _relative(file, root))
    except E.Problem as problem:
        problems.append(problem)
        return None
    if keep is not None:
        keep.append(loaded)
    if loaded.data is None:
        if model is SchoolFile:
            message, example = "tệp trống; school.yml cần ít nhất trường \"level\" (cấp học).", _EXAMPLES["level"]
        else:
            message, example = "tệp trống; một kế hoạch cần ít nhất \"period\" và \"title\".", _EXAMPLES["period"]
        problems.append(E.MissingFieldProblem(loaded.file, 1, 1, "", message, example))
        return None
    try:
        return model.model_validate(loaded.data)
    except ValidationError as exc:
        problems.extend(_translate(exc, loaded, model))
        return None


_TYPE_KINDS = ("string_type", "model_type", "dict_type", "list_type")


def _translate(exc: ValidationError, loaded: Loaded, model: type[BaseModel]) -> list[E.Problem]:
    """Pydantic's errors, one Vietnamese line each, without the noise of union alternatives."""
    errors = [(_data_path(error["loc"], loaded.data), error) for error in exc.errors()]
    # A misspelt key shows up twice: as unknown ("titel") and as missing ("title"). Report it once.
    suggested = {path[:-1] + (hint,) for path, error in errors
                 if error["type"] == "extra_forbidden" and (hint := _hint(model, path))}
    out: list[E.Problem] = []
    seen: set[tuple] = set()
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


def _problems(loaded: Loaded, model: type[BaseModel], path: tuple, error: dict) -> list[E.Problem]:
    kind, value = error["type"], error.get("input")
    last = path[-1] if path else ""
    example = _EXAMPLES.get(str(last))
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
    if kind == "enum":
        return [problem_at(loaded, E.InvalidValueProblem, path,
                           f"không có cấp học \"{value}\"; hãy chọn một trong: {_LEVELS}.", example=example)]
    if kind.startswith("date"):
        return [problem_at(loaded, E.WrongTypeProblem, path,
                           f"{_found(value)} không phải ngày; hãy ghi theo dạng năm-tháng-ngày.",
                           example=f"{last}: 2023-08-18")]
    if kind.startswith("bool"):
        return [problem_at(loaded, E.WrongTypeProblem, path,
                           f"phải là true hoặc false, nhưng đang là {_found(value)}.",
                           example=f"{last}: true")]
    if not path and kind in ("model_type", "dict_type"):
        message = f"tệp phải là một khối các trường (ví dụ \"period:\", \"title:\"), không phải {_found(value)}."
        return [problem_at(loaded, E.WrongTypeProblem, path, message)]
    wants_text = kind.startswith("string") or (kind.startswith("list") and last in _PARAGRAPHS)
    if wants_text and isinstance(value, (int, float)) and not isinstance(value, bool):
        # `index: 1`, `criterion: 1.4`: YAML reads a bare number as a number, not as the text written.
        written = f"{last}: \"{value}\"" if isinstance(last, str) else f"- \"{value}\""
        if last == "code":
            written = _EXAMPLES["code"]
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


def _value_problems(loaded: Loaded, model: type[BaseModel], path: tuple, value: Any) -> list[E.Problem]:
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
        sections = data.get("sections") if isinstance(data.get("sections"), list) else []
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


def _period_part(value: dict) -> tuple:
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


def _hint(model: type[BaseModel], path: tuple) -> str | None:
    """The allowed key closest to the unknown key at the end of `path`, if one is close."""
    hint = get_close_matches(str(path[-1]), _allowed_fields(model, path[:-1]), n=1, cutoff=0.6) if path else []
    return hint[0] if hint else None


def _found(value: Any) -> str:
    """What the editor wrote, in words: `chữ "có"`, `số 2023`, `một danh sách` …"""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"số {value}"
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


def _data_path(loc: tuple, data: Any) -> tuple:
    """Pydantic's location without the names it gives to union alternatives ("str", "Block")."""
    path: list = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(part, str) and part in ("str", "Block", "function-before[_paragraphs(), list[str]]") or (
            isinstance(part, str) and (part[:1].isupper() or "[" in part)
        ):
            continue  # a union member's or validator's name, not a key
        else:
            path.append(part)
            node = None
    return tuple(path)


def _allowed_fields(model: type[BaseModel], path: tuple) -> list[str]:
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


def _check_plan(plan: Plan, loaded: Loaded, problems: list[E.Problem]) -> None:
    """Checks across fields: criteria against the catalogue, years against the period, citations."""
    circular = plan.school.circular
    for table_row in plan.rows():
        row, path = table_row.row, table_row.path
        if row.code is not None:
            if not _CODE_RE.match(row.code):
                problems.append(problem_at(
                    loaded, E.InvalidValueProblem, path + ("code",),
                    f"mã tiêu chí \"{row.code}\" không đúng dạng: mã gồm số tiêu chuẩn, dấu chấm, rồi số tiêu chí.",
                    example="code: \"1.4\"",
                ))
            elif table_row.criterion is None:
                problems.append(problem_at(
                    loaded, E.UnknownCriterionProblem, path + ("code",), _unknown_criterion(row.code, plan),
                ))
        for index, item in enumerate(row.years):
            if item.school_year not in plan.period:
                label = plan.period.label
                problems.append(problem_at(
                    loaded, E.YearOutsidePeriodProblem, path + ("years", index, "school_year"),
                    f"năm học {item.school_year} nằm ngoài thời gian của kế hoạch "
                    f"({label[:1].lower() + label[1:]}).",
                ))
    header = plan.data.header
    if header.place_date and header.date is None and document_date(header.place_date) is None:
        problems.append(problem_at(
            loaded, E.UnreadableDateWarning, ("header", "place_date"),
            f"không đọc được ngày ban hành từ \"{header.place_date}\" (cần đủ ngày, tháng, năm); trang sẽ ghi "
            "ngày ban hành là \"Không ghi trong văn bản\". Nếu biết ngày, hãy thêm trường \"date\" vào header.",
            example="date: 2023-10-16",
        ))
    for path, text in _texts(loaded.data, ()):
        for match in _CITED_RE.finditer(text):
            if f"{match.group(1)}/2018" != circular.short_number:
                problems.append(problem_at(
                    loaded, E.CircularMismatchWarning, path,
                    f"văn bản dẫn Thông tư {match.group(1)}/2018, nhưng trường cấp {plan.school.level.label} "
                    f"được đánh giá theo {circular.short_title}; nội dung vẫn được đăng như văn bản ghi.",
                ))


def _texts(node: Any, path: tuple):
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, path + (index,))


def _unknown_criterion(code: str, plan: Plan) -> str:
    """Why `code` is not a criterion of the school's circular, and where it does exist."""
    circular = plan.school.circular
    standard = code.split(".")[0]
    same = [c for c in circular.criteria if c.split(".")[0] == standard]
    message = f"{circular.short_title} (cấp {plan.school.level.label}) không có tiêu chí {code}; " + (
        f"tiêu chuẩn {standard} chỉ có các tiêu chí {', '.join(same)}." if same
        else f"thông tư chỉ có tiêu chuẩn 1 đến {len(circular.standards)}."
    )
    others = [c.short_title for c in load_catalogue() if c is not circular and code in c.criteria]
    if others:
        message += (f" Tiêu chí {code} có trong {' và '.join(others)}: nếu cấp học ghi sai, "
                    "hãy sửa \"level\" trong school.yml.")
    return message


def _check_duplicates(school: School, loaded: dict[str, Loaded], problems: list[E.Problem]) -> None:
    """Two annual plans, or two multi-year plans, may not cover the same school year."""
    for i, plan in enumerate(school.plans):
        for other in school.plans[:i]:
            if plan.period.kind != other.period.kind:
                continue
            shared = sorted(set(plan.period.years) & set(other.period.years))
            if shared:
                if plan.period.is_annual:
                    message = (f"tệp {other.file} cũng là kế hoạch năm học {shared[0]}; mỗi năm học chỉ có một "
                               "kế hoạch năm học. Hãy xóa một trong hai tệp, hoặc sửa \"period\" nếu ghi nhầm năm.")
                else:
                    message = (f"tệp {other.file} cũng là kế hoạch nhiều năm có năm học {shared[0]}; các kế "
                               "hoạch nhiều năm của một trường không được trùng năm học. Hãy xóa một tệp, hoặc "
                               "sửa \"period\".")
                problems.append(problem_at(loaded[plan.file], E.DuplicatePlanProblem, ("period",), message))
