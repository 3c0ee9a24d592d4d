"""Check every plan file and build the site model, or report every problem at once.

load (YAML → plain data with positions) → validate (the format in `schema.py`, then checks
across fields and files) → model (`model.py`). Errors are collected over all files so an editor
sees them together; any error stops the build before anything is written.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Collection

from pydantic import BaseModel, ValidationError

from ..commands.scaffold import PLACEHOLDER, parse_years
from ..domain.catalogue import circular_for, load_catalogue
from ..domain.district import missing_plan_message, school_year_of
from ..domain.history import History, read_history
from ..domain.model import Original, Plan, School, Site, document_date
from . import errors as E
from .limits import MAX_NAME_CHARS, ORIGINAL_MAX_BYTES
from .load import FieldPath, Loaded, field_name, problem_at, read_yaml, size_text
from .messages import EXAMPLES, translate
from .names import is_slug, slugify
from .schema import CELL_FIELDS, PlanFile, SchoolFile

SCHOOL_FILE = "school.yml"
_CODE_RE = re.compile(r"^\d\.\d{1,2}$")
# "Thông tư số 17/2018/TT-BGDĐT", "Thông tư 17/2018": which accreditation circular a plan cites.
_CITED_RE = re.compile(r"Thông\s+tư\s+(?:số\s+)?(1[789])/2018", re.IGNORECASE)
# The signed original beside a plan file: a scan or the signed PDF, published as it is. Each kind
# by the first bytes every such file starts with, so that a renamed file is not published as one.
ORIGINAL_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png")
_ORIGINAL_KINDS = {".pdf": (b"%PDF-", "PDF"), ".jpg": (b"\xff\xd8\xff", "ảnh JPEG"),
                   ".jpeg": (b"\xff\xd8\xff", "ảnh JPEG"), ".png": (b"\x89PNG\r\n\x1a\n", "ảnh PNG")}
# "2024-2025", "2022-2027", "2024-2025-dieu-chinh": a plan file name that starts with its years.
_NAME_YEARS_RE = re.compile(r"^(\d{4}-\d{4})(?=-|$)")
# Editors' and tools' copies of a file, set aside on purpose: named (a warning) but never read.
_BACKUP_RE = re.compile(r"(~|\.(bak|old|orig|swp|swo|tmp))$|^#.*#$", re.IGNORECASE)
# A plan file saved with another extension or letter case: "2025-2026.YML", "2025-2026.yml.txt".
_PLAN_LIKE_RE = re.compile(r"\.ya?ml(\.|$)", re.IGNORECASE)
# Circular 09/2024/TT-BGDĐT, Article 15(2): published information stays online at least 5 years.
RETENTION_YEARS = 5

class UnsafeFileProblem(E.UnreadableFileProblem):
    """A link out of the project or into .git, or a signed original that is not what its name says."""


class NameProblem(E.InvalidValueProblem):
    """A file whose name would lose it: two files for one page, a plan saved as .YML, a name too long."""


class UnfilledProblem(E.MissingFieldProblem):
    """A scaffold written by `qip-site new` whose placeholders are still there."""


class MissingPlanWarning(E.PlanWarning):
    """A school with no plan in force for the current school year (the district page lists it too)."""


class UnusedFileWarning(E.PlanWarning):
    """A file or folder in plans/ that is neither read nor published (a backup, a Word file …)."""


def load_site(plans_dir: Path, root: Path | None = None, history: History | None = None,
              today: dt.date | None = None, only: Collection[str] = (),
              original_max_bytes: int = ORIGINAL_MAX_BYTES) -> tuple[Site, list[E.Problem]]:
    """Read all schools and plans under `plans_dir`; raise PlanErrors listing every error.

    `history` (from git, read here unless given) dates each plan and guards against deleting a
    published one; `today` is when the 5 years of retention are counted to. `only`, when
    given, limits the site to those school folders (one school's site from a district's plans).
    Only files inside `root` (the project: the folder of mkdocs.yml) are read, links included.
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
    for folder in _school_folders(plans_dir, root, only, problems):
        school = _load_school(folder, root, problems)
        if school is None:
            continue
        plan_files, originals = _folder_files(folder, root, problems)
        for file in plan_files:
            plan = _load_plan(file, root, school, problems, loaded)
            if plan is not None:
                plan.history = history.of(plan.file)
                plan.original = _original(plan, file, loaded[plan.file], originals, root, original_max_bytes,
                                          problems)
                plan.evidence = _evidence(plan, file, loaded[plan.file], root, original_max_bytes, problems)
                school.plans.append(plan)
        used = {file.stem for file in plan_files} | {(plan.data.original or "").strip() for plan in school.plans}
        # A result's evidence is named by its row (a faulty one is said there, not again as unused).
        used |= {row.result.evidence.strip() for plan in school.plans for row in plan.rows()
                 if row.result is not None and row.result.evidence}
        for original in originals:
            if original.stem not in used and original.name not in used:
                problems.append(UnusedFileWarning(
                    _relative(original, root), None, None, "",
                    "tệp PDF hoặc ảnh này không thuộc kế hoạch nào nên không được đăng; nếu là bản gốc đã ký của "
                    "một kế hoạch, hãy đặt tên giống tệp kế hoạch (2024-2025.yml và 2024-2025.pdf) hoặc ghi tên "
                    "tệp vào trường \"original\" của kế hoạch.",
                ))
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
    date = _build_date(root)
    if date is not None:
        _check_current_year(schools, date, problems)
    problems.sort(key=lambda p: (str(p.file), p.line or 0, p.column or 0))
    errors = [p for p in problems if not isinstance(p, E.PlanWarning)]
    if errors:
        # Warnings are shown with the errors, so that one run tells the editor everything.
        raise E.PlanErrors(errors, [p for p in problems if isinstance(p, E.PlanWarning)])
    return Site(schools, load_catalogue(), date), problems


def _build_date(root: Path) -> dt.date | None:
    """The build's reproducible date (SOURCE_DATE_EPOCH, else HEAD's commit date); None without either."""
    from ..domain.build_date import NO_DATE, build_date

    date = build_date(root)
    return None if date == NO_DATE else date


def _check_current_year(schools: list[School], today: dt.date, problems: list[E.Problem]) -> None:
    """A school without a plan in force for the current school year: one warning each (it is still built)."""
    year = school_year_of(today)
    for school in schools:
        if not school.plans_for(year):
            problems.append(MissingPlanWarning(school.file, None, None, "", missing_plan_message(school, year, today)))


def _relative(file: Path, root: Path) -> str:
    # The folder is resolved, not the file itself: a link is named as the editor sees it, even one
    # that is broken or loops.
    try:
        return (file.parent.resolve() / file.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(file)


def _unsafe(path: Path, root: Path) -> str | None:
    """Why `path` may not be read although it exists: it leads out of the project or into .git (a link,
    or a link to a folder above it), or it is neither a regular file nor a folder. None when it is
    fine, or when it does not exist (a broken link): the caller says what is missing.

    A link that stays inside the project is followed (a school folder shared under two names).
    """
    try:
        real = path.resolve(strict=True)
        mode = real.stat().st_mode
    except (OSError, RuntimeError):  # missing, broken or looping: not read, and said by the caller
        return None
    project = root.resolve()
    hop = f" (symlink) tới \"{os.readlink(path)}\"" if path.is_symlink() else ""
    if not real.is_relative_to(project):
        return (f"đây là một liên kết{hop} dẫn ra ngoài thư mục dự án; chỉ những gì nằm trong dự án mới được "
                "đọc và đăng (một liên kết ra ngoài có thể làm lộ tệp của máy chủ). Hãy thay liên kết bằng chính "
                "tệp hoặc thư mục.")
    if real.is_relative_to(project / ".git"):
        return (f"đây là một liên kết{hop} dẫn vào thư mục .git (kho của git, có thể chứa mật khẩu và khóa truy "
                "cập); không được đọc hay đăng gì từ đó. Hãy thay liên kết bằng chính tệp.")
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "đây không phải một tệp thường (mà là một ống dẫn, ổ đĩa hay thiết bị); hãy xóa nó khỏi thư mục."
    return None


def _school_folders(plans_dir: Path, root: Path, only: Collection[str], problems: list[E.Problem]) -> list[Path]:
    """The school folders to read; what else stands in plans/ is named, never skipped in silence.

    Names starting with "." or "_" are set aside on purpose (hidden files, "_nhap/" drafts).
    """
    folders = []
    for entry in sorted(plans_dir.iterdir()):
        if entry.name.startswith((".", "_")) or (only and entry.name not in only):
            continue
        name = _relative(entry, root)
        reason = _unsafe(entry, root)
        if reason:
            problems.append(UnsafeFileProblem(name, None, None, "", reason))
        elif entry.is_dir():
            folders.append(entry)
        elif entry.is_symlink():
            problems.append(E.UnreadableFileProblem(
                name, None, None, "",
                f"đây là một liên kết (symlink) tới \"{os.readlink(entry)}\", nơi không có gì (hoặc liên kết trỏ "
                "vòng quanh); hãy thay liên kết bằng chính thư mục của trường.",
            ))
        elif _PLAN_LIKE_RE.search(entry.name):
            problems.append(NameProblem(
                name, None, None, "",
                "tệp kế hoạch phải nằm trong thư mục của một trường, cạnh tệp school.yml; tệp ở đây không được "
                "đọc. Hãy chuyển tệp vào thư mục của trường.", f"plans/mn-thuy-tien/{entry.name}",
            ))
        else:
            problems.append(UnusedFileWarning(
                name, None, None, "",
                "thư mục plans/ chỉ chứa các thư mục trường; tệp này không được đọc và không được đăng.",
            ))
    return folders


def _folder_files(folder: Path, root: Path, problems: list[E.Problem]) -> tuple[list[Path], list[Path]]:
    """A school folder's plan files and signed originals; every other file is named with why it is not read.

    Hidden files (".gitkeep", ".DS_Store") are left out in silence.
    """
    plans: dict[str, Path] = {}
    originals = []
    for entry in sorted(folder.iterdir()):
        name = entry.name
        if name.startswith(".") or name == SCHOOL_FILE or (name.startswith("_") and entry.is_dir()):
            continue
        shown = _relative(entry, root)
        if entry.suffix in (".yml", ".yaml") and entry.stem.lower() != "school":
            other = plans.setdefault(entry.stem, entry)
            if other is not entry:
                # x.yml and x.yaml would be one page: the .yml (the documented name) is read, the other named.
                kept, dropped = (entry, other) if entry.suffix == ".yml" else (other, entry)
                plans[entry.stem] = kept
                problems.append(NameProblem(
                    _relative(dropped, root), None, None, "",
                    f"tệp {kept.name} cũng tên {entry.stem} nên hai tệp là cùng một trang (ke-hoach-{entry.stem}/) và "
                    "một tệp sẽ bị mất; tệp này không được đọc. Hãy gộp hai tệp làm một, hoặc đổi tên một tệp.",
                ))
        elif _BACKUP_RE.search(name):
            problems.append(UnusedFileWarning(
                shown, None, None, "",
                "tệp sao lưu (của trình soạn thảo hoặc bản chép cũ) không được đọc và không được đăng; nếu không "
                "cần nữa, hãy xóa tệp.",
            ))
        elif entry.stem.lower() == "school" and _PLAN_LIKE_RE.search(name):
            problems.append(NameProblem(
                shown, None, None, "",
                f"tệp thông tin trường phải có tên đúng là {SCHOOL_FILE} (chữ thường, đuôi .yml); tệp này không "
                "được đọc. Hãy đổi tên tệp.", SCHOOL_FILE,
            ))
        elif entry.suffix.lower() in ORIGINAL_SUFFIXES:
            originals.append(entry)
        elif plan_like := _PLAN_LIKE_RE.search(name):
            stem = name[:plan_like.start()]
            problems.append(NameProblem(
                shown, None, None, "",
                f"tệp kế hoạch phải có đuôi .yml viết thường; tệp \"{name}\" không được đọc nên kế hoạch sẽ không "
                "được đăng. Hãy đổi tên tệp.", f"{stem}.yml",
            ))
        elif entry.is_dir():
            problems.append(UnusedFileWarning(
                shown, None, None, "",
                "thư mục con trong thư mục trường không được đọc; kế hoạch phải nằm ngay trong thư mục trường, "
                "cạnh school.yml. Nếu cố ý để riêng, hãy đặt tên thư mục bắt đầu bằng \"_\" (ví dụ _cu).",
            ))
        else:
            problems.append(UnusedFileWarning(
                shown, None, None, "",
                f"tệp này không được đọc và không được đăng: thư mục trường chỉ chứa {SCHOOL_FILE}, các tệp kế "
                f"hoạch (.yml) và bản gốc đã ký ({', '.join(ORIGINAL_SUFFIXES)}).",
            ))
    return list(plans.values()), originals


def _load_school(folder: Path, root: Path, problems: list[E.Problem]) -> School | None:
    file = folder / SCHOOL_FILE
    name = _relative(file, root)
    if not is_slug(folder.name):
        problems.append(E.InvalidValueProblem(
            _relative(folder, root), None, None, "",
            f"tên thư mục \"{folder.name}\" được dùng làm địa chỉ trang web nên chỉ được có chữ thường không dấu, "
            "chữ số và dấu \"-\"; hãy đổi tên thư mục (các kế hoạch trong thư mục chưa được kiểm tra).",
            slugify(folder.name) or "mn-thuy-tien",
        ))
        return None
    if _too_long(folder, root, problems):
        return None
    reason = _unsafe(file, root)
    if reason:
        problems.append(UnsafeFileProblem(name, None, None, "", reason))
        return None
    if not file.exists():
        near = next((e for e in sorted(folder.iterdir()) if e.name.lower() in ("school.yml", "school.yaml")), None)
        if near is not None:  # "School.yml", "school.yaml": named in _folder_files; never read
            problems.append(NameProblem(
                _relative(near, root), None, None, "",
                f"tệp thông tin trường phải có tên đúng là {SCHOOL_FILE} (chữ thường, đuôi .yml); các kế hoạch trong "
                "thư mục chưa được kiểm tra. Hãy đổi tên tệp.", SCHOOL_FILE,
            ))
            return None
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


def _too_long(path: Path, root: Path, problems: list[E.Problem]) -> bool:
    """A folder or file name too long to be part of an address and of the site's file names."""
    stem = path.name if path.is_dir() else path.stem
    if len(stem) <= MAX_NAME_CHARS:
        return False
    short = stem[:MAX_NAME_CHARS + 1].rsplit("-", 1)[0][:MAX_NAME_CHARS].strip("-")
    kind = "thư mục" if path.is_dir() else "tệp"
    problems.append(NameProblem(
        _relative(path, root), None, None, "",
        f"tên {kind} dài {len(stem)} ký tự; tên được dùng làm địa chỉ trang web và tên tệp của trang nên không "
        f"được quá {MAX_NAME_CHARS} ký tự. Hãy đặt tên ngắn hơn (tên trường viết tắt, hoặc năm học của kế hoạch).",
        short + ("" if path.is_dir() else path.suffix),
    ))
    return True


def _load_plan(file: Path, root: Path, school: School, problems: list[E.Problem],
               loaded: dict[str, Loaded]) -> Plan | None:
    if not is_slug(file.stem):
        # The file name is the plan's address ("ke-hoach-2022-2027/"): it must stay without diacritics.
        problems.append(E.InvalidValueProblem(
            _relative(file, root), None, None, "",
            f"tên tệp \"{file.name}\" được dùng làm địa chỉ trang web nên chỉ được có chữ thường không dấu, "
            "chữ số và dấu \"-\"; hãy đặt tên theo năm học của kế hoạch.",
            (slugify(file.stem) or "2024-2025") + ".yml",
        ))
        return None
    if _too_long(file, root, problems):
        return None
    reason = _unsafe(file, root)
    if reason:  # never read: a YAML error would quote the file it leads to
        problems.append(UnsafeFileProblem(_relative(file, root), None, None, "", reason))
        return None
    loaded_holder: list[Loaded] = []
    data = _validated(file, root, PlanFile, problems, loaded_holder)
    if data is None:
        return None
    plan = Plan(file.stem, _relative(file, root), data, school)
    loaded[plan.file] = loaded_holder[0]
    _check_plan(plan, loaded_holder[0], problems)
    _check_name_years(plan, loaded_holder[0], problems)
    return plan


def _check_name_years(plan: Plan, loaded: Loaded, problems: list[E.Problem]) -> None:
    """A file named by school years ("2025-2026.yml", "2022-2027-dieu-chinh.yml") holds a plan of those years."""
    match = _NAME_YEARS_RE.match(plan.slug)
    if not match:
        return
    try:
        named = parse_years(match.group(1))
    except ValueError:  # "2025-2025": not years, just a name
        return
    if named != plan.period:
        problems.append(problem_at(
            loaded, E.InvalidValueProblem, ("period",),
            f"tên tệp {Path(plan.file).name} cho biết {named.phrase}, nhưng \"period\" ghi "
            f"{plan.period.phrase}; tên tệp là địa chỉ trang của kế hoạch nên hai nơi phải khớp. Hãy sửa "
            f"\"period\" cho đúng văn bản, hoặc đổi tên tệp thành {plan.period.slug}{plan.slug[match.end():]}.yml.",
        ))


def _validated(file: Path, root: Path, model: type[BaseModel], problems: list[E.Problem],
               keep: list[Loaded] | None = None) -> Any:
    try:
        loaded = read_yaml(file, _relative(file, root))
    except E.Problem as problem:
        problems.append(problem)
        return None
    problems.extend(loaded.warnings)
    if keep is not None:
        keep.append(loaded)
    _check_filled(loaded, problems)
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


def _check_filled(loaded: Loaded, problems: list[E.Problem]) -> None:
    """A file from `qip-site new` whose placeholders are still there would publish an empty plan."""
    unfilled = [path for path, text in _texts(loaded.data, ()) if text.strip() == PLACEHOLDER]
    if not unfilled:
        return
    shown = 8  # enough to find them; the line of the first is given
    names = ", ".join(field_name(path) for path in unfilled[:shown])
    if len(unfilled) > shown:
        names += f" và {len(unfilled) - shown} chỗ khác"
    problems.append(problem_at(
        loaded, UnfilledProblem, unfilled[0],
        f"tệp còn {len(unfilled)} chỗ chưa điền, vẫn ghi \"{PLACEHOLDER}\" như lệnh qip-site new tạo ra: {names}. "
        "Hãy thay mỗi chỗ bằng nội dung văn bản, đúng từng chữ, hoặc bằng \"\" nếu văn bản không ghi "
        "(không tự điền).",
    ))


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
                problems.append(problem_at(
                    loaded, E.YearOutsidePeriodProblem, path + ("years", index, "school_year"),
                    f"năm học {item.school_year} nằm ngoài thời gian của kế hoạch ({plan.period.phrase}).",
                ))
    header = plan.data.header
    if header.place_date and header.place_date.strip() != PLACEHOLDER and header.date is None \
            and document_date(header.place_date) is None:
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


def _texts(node: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
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


def _original(plan: Plan, file: Path, loaded: Loaded, originals: list[Path], root: Path, max_bytes: int,
              problems: list[E.Problem]) -> Original | None:
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
        if not os.path.lexists(candidate):
            problems.append(problem_at(
                loaded, E.MissingOriginalProblem, ("original",),
                f"không thấy tệp \"{named}\" cạnh tệp kế hoạch (trong thư mục {file.parent.name}/).",
                example=f"original: \"{file.stem}.pdf\"",
            ))
            return None
    else:
        # ".PDF", ".JPG" as scanners write them are found too; two of them would leave one unpublished.
        found = [c for c in originals if c.stem == file.stem]
        if len(found) > 1:
            problems.append(NameProblem(
                loaded.file, None, None, "",
                f"có {len(found)} tệp bản gốc cho kế hoạch này ({', '.join(c.name for c in found)}) nhưng chỉ một "
                "tệp được đăng; hãy giữ một tệp, hoặc ghi tên tệp được đăng vào trường \"original\".",
                f"original: \"{next((c for c in found if c.suffix.lower() == '.pdf'), found[0]).name}\"",
            ))
            return None
        if not found:
            if not plan.synthetic:
                problems.append(E.NoOriginalWarning(
                    loaded.file, None, None, "",
                    f"chưa có bản gốc đã ký (PDF hoặc ảnh) của kế hoạch; trang vẫn được đăng nhưng ghi là chưa có. "
                    f"Hãy đặt bản quét hoặc bản PDF đã ký cạnh tệp kế hoạch, tên {file.stem}.pdf.",
                ))
            return None
        candidate = found[0]
    reason = _original_fault(candidate, root, max_bytes)
    if reason:
        # Named as the editor sees it; never a word of what the file holds.
        problems.append(UnsafeFileProblem(_relative(candidate, root), None, None, "", reason))
        return None
    relative = Path(plan.file).parent / candidate.name
    return Original(relative.as_posix(), candidate, candidate.stat().st_size)


# A result's evidence: a web address, or a file beside the plan whose name is also its address.
_URL_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_EVIDENCE_NAME_RE = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")


def _evidence(plan: Plan, file: Path, loaded: Loaded, root: Path, max_bytes: int,
              problems: list[E.Problem]) -> dict[str, Original]:
    """The evidence files the rows' results name, checked like the signed original; web addresses http(s) only."""
    found: dict[str, Original] = {}
    example = "evidence: \"minh-chung-3-1.pdf\""
    for table_row in plan.rows():
        result = table_row.result
        named = (result.evidence or "").strip() if result is not None else ""
        if not named:
            continue
        at = table_row.path + ("result", "evidence")
        if _URL_SCHEME_RE.match(named):
            problem = _url_fault(named)
            if problem:
                problems.append(problem_at(loaded, E.InvalidValueProblem, at, problem,
                                           example="evidence: \"https://truong.edu.vn/minh-chung.pdf\""))
            continue
        candidate = file.parent / named
        if Path(named).name != named or candidate.suffix not in ORIGINAL_SUFFIXES:
            problems.append(problem_at(
                loaded, E.InvalidValueProblem, at,
                f"minh chứng \"{named}\" phải là một địa chỉ http:// hay https://, hoặc tên một tệp PDF hoặc ảnh "
                f"({', '.join(ORIGINAL_SUFFIXES)}, đuôi viết thường) nằm cùng thư mục với tệp kế hoạch, không có "
                "đường dẫn.", example=example))
            continue
        if not _EVIDENCE_NAME_RE.match(candidate.stem):
            problems.append(problem_at(
                loaded, E.InvalidValueProblem, at,
                f"tên tệp minh chứng \"{named}\" được dùng làm địa chỉ trên trang web nên chỉ được có chữ thường "
                "không dấu, chữ số và dấu \"-\"; hãy đổi tên tệp.",
                example=f"evidence: \"{slugify(candidate.stem) or 'minh-chung'}{candidate.suffix}\""))
            continue
        if not os.path.lexists(candidate):
            problems.append(problem_at(
                loaded, E.MissingOriginalProblem, at,
                f"không thấy tệp minh chứng \"{named}\" cạnh tệp kế hoạch (trong thư mục {file.parent.name}/).",
                example=example))
            continue
        reason = _original_fault(candidate, root, max_bytes, what="minh chứng")
        if reason:
            problems.append(problem_at(loaded, UnsafeFileProblem, at, f"tệp minh chứng \"{named}\": {reason}"))
            continue
        relative = Path(plan.file).parent / candidate.name
        found[named] = Original(relative.as_posix(), candidate, candidate.stat().st_size)
    return found


def _url_fault(url: str) -> str | None:
    """Why `url` may not be linked as evidence: only http(s) addresses with a host, nothing hidden in them."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https"):
        return (f"địa chỉ minh chứng \"{url}\" phải bắt đầu bằng http:// hoặc https:// (các loại địa chỉ khác có "
                "thể chạy mã hoặc mở tệp trên máy người đọc).")
    if not parts.hostname or any(c.isspace() for c in url) or "@" in parts.netloc:
        return (f"địa chỉ minh chứng \"{url}\" không đúng dạng: cần tên miền sau http:// hoặc https://, không có "
                "khoảng trắng hay tên đăng nhập.")
    return None


def _original_fault(file: Path, root: Path, max_bytes: int, what: str = "bản gốc") -> str | None:
    """Why `file` may not be published as a signed original (or a result's evidence, `what`): where it
    leads, its size, or its kind."""
    reason = _unsafe(file, root)
    if reason:
        return reason
    signed = "bản gốc đã ký" if what == "bản gốc" else what
    if not file.is_file():
        if file.is_symlink():
            return (f"{what} là một liên kết (symlink) tới \"{os.readlink(file)}\", nơi không có tệp nào (hoặc "
                    f"liên kết trỏ vòng quanh); hãy thay liên kết bằng chính tệp {what}.")
        return f"{what} phải là một tệp PDF hoặc ảnh, không phải một thư mục."
    size = file.stat().st_size
    magic, kind = _ORIGINAL_KINDS[file.suffix.lower()]
    if size == 0:
        return f"tệp trống (0 byte), không phải {kind}; hãy chép lại {signed} vào đây."
    if size > max_bytes:
        return (f"tệp quá lớn ({size_text(size)}); {what} đăng trên trang không được quá {size_text(max_bytes)} (giới hạn "
                "original_max_mb trong mkdocs.yml), để người đọc tải được. Hãy quét lại ở độ phân giải 150-200 "
                "dpi, hoặc nén tệp PDF.")
    with file.open("rb") as stream:
        head = stream.read(16)
    if head.startswith(magic):
        return None
    actual = next((label for start, label in _ORIGINAL_KINDS.values() if head.startswith(start)), None)
    if actual:
        extension = next(s for s, (_, label) in _ORIGINAL_KINDS.items() if label == actual)
        return f"tệp có đuôi {file.suffix} nhưng là {actual}; hãy đổi đuôi tệp thành {extension}."
    return (f"tệp có đuôi {file.suffix} nhưng không phải {kind} (có lẽ là một tệp khác được đổi tên); hãy lưu hoặc "
            f"quét lại {signed} thành {kind}.")


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
