"""Check every plan file and build the site model, or report every problem at once.

load (YAML → plain data with positions) → validate (the format in `schema.py`, then checks
across fields and files) → model (`model.py`). Errors are collected over all files so an editor
sees them together; any error stops the build before anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any, Collection

from pydantic import BaseModel, ValidationError

from . import errors as E
from .catalogue import circular_for, load_catalogue
from .history import History, read_history
from .load import Loaded, problem_at, read_yaml
from .messages import EXAMPLES, translate
from .model import Original, Plan, School, Site, document_date
from .schema import CELL_FIELDS, PlanFile, SchoolFile

SCHOOL_FILE = "school.yml"
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE_RE = re.compile(r"^\d\.\d{1,2}$")
# "Thông tư số 17/2018/TT-BGDĐT", "Thông tư 17/2018": which accreditation circular a plan cites.
_CITED_RE = re.compile(r"Thông\s+tư\s+(?:số\s+)?(1[789])/2018", re.IGNORECASE)
# The signed original beside a plan file: a scan or the signed PDF, published as it is.
ORIGINAL_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png")
# Circular 09/2024/TT-BGDĐT, Article 15(2): published information stays online at least 5 years.
RETENTION_YEARS = 5
# `qip-site serve --school SLUG` sets this, in its own process only: the preview reads that one school.
PREVIEW_SCHOOL: str | None = None

def load_site(plans_dir: Path, root: Path | None = None, history: History | None = None,
              today: dt.date | None = None, only: Collection[str] = ()) -> tuple[Site, list[E.Problem]]:
    """Read all schools and plans under `plans_dir`; raise PlanErrors listing every error.

    `history` (from git, read here unless given) dates each plan and guards against deleting a
    published one; `today` is when the 5 years of retention are counted to. `only`, when
    given, limits the site to those school folders (one school's site from a district's plans).
    """
    root = root or plans_dir.parent
    if history is None:
        history = read_history(root, _relative(plans_dir, root)) if plans_dir.is_dir() else History()
    problems: list[E.Problem] = []
    schools: list[School] = []
    loaded: dict[str, Loaded] = {}  # plan file -> its positions, for checks across files
    if not plans_dir.is_dir():
        raise E.PlanErrors([E.MissingSchoolFileProblem(str(plans_dir), None, None, "", "không có thư mục kế hoạch.")])
    missing = sorted(name for name in only if not (plans_dir / name).is_dir())
    if missing:
        raise E.PlanErrors([E.MissingSchoolFileProblem(
            _relative(plans_dir / name, root), None, None, "",
            f"mkdocs.yml chọn đăng trường \"{name}\" (schools) nhưng không có thư mục này trong "
            f"{_relative(plans_dir, root)}/; hãy sửa tên cho đúng tên thư mục trường.",
            "plugins: [qip: {schools: [th-le-dinh-chinh]}]",
        ) for name in missing])
    for folder in sorted(p for p in plans_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
                         and PREVIEW_SCHOOL in (None, p.name) and (not only or p.name in only)):
        school = _load_school(folder, root, problems)
        if school is None:
            continue
        for file in sorted(folder.glob("*.y*ml")):
            if file.name != SCHOOL_FILE and file.suffix in (".yml", ".yaml"):
                plan = _load_plan(file, root, school, problems, loaded)
                if plan is not None:
                    plan.history = history.of(plan.file)
                    plan.original = _original(plan, file, loaded[plan.file], problems)
                    school.plans.append(plan)
        schools.append(school)
    for school in schools:
        _check_duplicates(school, loaded, problems)
        _check_statuses(school, loaded, problems)
    _check_retention(plans_dir, root, history, today or dt.date.today(), problems)
    if history.shallow:
        problems.append(E.ShallowHistoryWarning(
            _relative(plans_dir, root), None, None, "",
            "bản sao git thiếu lịch sử (shallow clone) nên ngày đăng và lịch sử thay đổi của kế hoạch có thể "
            "sai; hãy lấy toàn bộ lịch sử (git fetch --unshallow, hoặc fetch-depth: 0 trong GitHub Actions).",
        ))
    problems.sort(key=lambda p: (str(p.file), p.line or 0, p.column or 0))
    errors = [p for p in problems if not isinstance(p, E.Warning_)]
    if errors:
        # Warnings are shown with the errors, so that one run tells the editor everything.
        raise E.PlanErrors(errors, [p for p in problems if isinstance(p, E.Warning_)])
    return Site(schools, load_catalogue()), problems


def _relative(file: Path, root: Path) -> str:
    # The folder is resolved, not the file itself: a link is named as the editor sees it, even one
    # that is broken or loops.
    try:
        return (file.parent.resolve() / file.name).relative_to(root.resolve()).as_posix()
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
    if not _SLUG_RE.match(file.stem):
        # The file name is the plan's address ("ke-hoach-2022-2027/"): it must stay without diacritics.
        problems.append(E.InvalidValueProblem(
            _relative(file, root), None, None, "",
            f"tên tệp \"{file.name}\" được dùng làm địa chỉ trang web nên chỉ được có chữ thường không dấu, "
            "chữ số và dấu \"-\"; hãy đặt tên theo năm học của kế hoạch.",
            (_slug(file.stem) or "2024-2025") + ".yml",
        ))
        return None
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
            message, example = "tệp trống; school.yml cần ít nhất trường \"level\" (cấp học).", EXAMPLES["level"]
        else:
            message, example = "tệp trống; một kế hoạch cần ít nhất \"period\" và \"title\".", EXAMPLES["period"]
        problems.append(E.MissingFieldProblem(loaded.file, 1, 1, "", message, example))
        return None
    try:
        return model.model_validate(loaded.data)
    except ValidationError as exc:
        problems.extend(translate(exc, loaded, model))
        return None


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
        # Text in a cell whose column the table does not have would never be shown: say so.
        columns = plan.data.table.columns if plan.data.table else {}
        for cells, at in [(row, path)] + [(item, path + ("years", i)) for i, item in enumerate(row.years)]:
            for name in CELL_FIELDS:
                if getattr(cells, name) and name not in columns:
                    problems.append(problem_at(
                        loaded, E.UnknownFieldProblem, at + (name,),
                        f"ô \"{name}\" có nội dung nhưng bảng không có cột \"{name}\" nên nội dung sẽ không hiện; "
                        f"hãy thêm cột vào table.columns, hoặc chuyển nội dung sang đúng cột.",
                        key=True, example=f"columns: {{…, {name}: \"{CELL_FIELDS[name]}\"}}",
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
    """Two annual plans, or two multi-year plans, in force may not cover the same school year."""
    plans = school.active_plans
    for i, plan in enumerate(plans):
        for other in plans[:i]:
            if plan.period.kind != other.period.kind:
                continue
            shared = sorted(set(plan.period.years) & set(other.period.years))
            if shared:
                if plan.period.is_annual:
                    message = (f"tệp {other.file} cũng là kế hoạch năm học {shared[0]}; mỗi năm học chỉ có một "
                               "kế hoạch năm học có hiệu lực. Nếu kế hoạch này thay cho tệp kia, hãy đánh dấu tệp "
                               "kia là đã được thay thế (status); nếu ghi nhầm năm, hãy sửa \"period\".")
                else:
                    message = (f"tệp {other.file} cũng là kế hoạch nhiều năm có năm học {shared[0]}; các kế "
                               "hoạch nhiều năm của một trường không được trùng năm học. Hãy xóa một tệp, hoặc "
                               "sửa \"period\".")
                problems.append(problem_at(loaded[plan.file], E.DuplicatePlanProblem, ("period",), message))


def _original(plan: Plan, file: Path, loaded: Loaded, problems: list[E.Problem]) -> Original | None:
    """The signed original named in `original`, else the PDF or image of the same name as the plan."""
    named = (plan.data.original or "").strip()
    if named:
        candidate = file.parent / named
        if Path(named).name != named or candidate.suffix.lower() not in ORIGINAL_SUFFIXES:
            problems.append(problem_at(
                loaded, E.MissingOriginalProblem, ("original",),
                f"\"{named}\" phải là tên một tệp PDF hoặc ảnh ({', '.join(ORIGINAL_SUFFIXES)}) nằm cùng thư mục "
                "với tệp kế hoạch, không có đường dẫn.", example=f"original: \"{file.stem}.pdf\"",
            ))
            return None
        if not candidate.is_file():
            problems.append(problem_at(
                loaded, E.MissingOriginalProblem, ("original",),
                f"không thấy tệp \"{named}\" cạnh tệp kế hoạch (trong thư mục {file.parent.name}/).",
                example=f"original: \"{file.stem}.pdf\"",
            ))
            return None
    else:
        candidate = next((c for c in (file.with_suffix(s) for s in ORIGINAL_SUFFIXES) if c.is_file()), None)
        if candidate is None:
            if not plan.data.synthetic:
                problems.append(E.NoOriginalWarning(
                    loaded.file, None, None, "",
                    f"chưa có bản gốc đã ký (PDF hoặc ảnh) của kế hoạch; trang vẫn được đăng nhưng ghi là chưa có. "
                    f"Hãy đặt bản quét hoặc bản PDF đã ký cạnh tệp kế hoạch, tên {file.stem}.pdf.",
                ))
            return None
    relative = Path(plan.file).parent / candidate.name
    return Original(relative.as_posix(), candidate, candidate.stat().st_size)


def _check_statuses(school: School, loaded: dict[str, Loaded], problems: list[E.Problem]) -> None:
    """A superseded plan's `replaced_by` names another plan of the same school."""
    slugs = {plan.slug for plan in school.plans}
    for plan in school.plans:
        status = plan.data.status
        if status is None or status.replaced_by is None:
            continue
        if status.replaced_by == plan.slug or status.replaced_by not in slugs:
            others = ", ".join(sorted(slugs - {plan.slug})) or "chưa có"
            problems.append(problem_at(
                loaded[plan.file], E.InvalidValueProblem, ("status", "replaced_by"),
                f"không có kế hoạch \"{status.replaced_by}\" khác trong thư mục {school.slug}/ để thay thế kế "
                f"hoạch này; hãy ghi tên tệp (không có .yml) của kế hoạch thay thế. Các kế hoạch của trường: {others}.",
                example="replaced_by: \"2024-2025-dieu-chinh\"",
            ))


def _check_retention(plans_dir: Path, root: Path, history: History, today: dt.date,
                     problems: list[E.Problem]) -> None:
    """A plan file that git saw published must stay until its 5 years online are over."""
    for path, file_history in history.files.items():
        name = Path(path)
        if name.name == SCHOOL_FILE or name.suffix not in (".yml", ".yaml") or (root / path).exists():
            continue
        added = file_history.added.date() if file_history.added else None
        if added is not None and _add_years(added, RETENTION_YEARS) <= today:
            continue
        since = f" từ {added:%d/%m/%Y}" if added else ""
        restore = f"{file_history.deleted_in[:10]}~1" if file_history.deleted_in else "HEAD"
        problems.append(E.DeletedPlanProblem(
            path, None, None, "",
            f"kế hoạch này đã được đăng công khai{since} nhưng tệp đã bị xóa. Văn bản công khai phải giữ trên "
            f"trang ít nhất {RETENTION_YEARS} năm (Thông tư 09/2024/TT-BGDĐT, Điều 15). Hãy khôi phục tệp "
            f"(git checkout {restore} -- {path}) rồi đánh dấu kế hoạch đã được thay thế hoặc đã thu hồi; "
            "trang của kế hoạch sẽ được giữ và ghi rõ tình trạng.",
            EXAMPLES["state"],
        ))


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
