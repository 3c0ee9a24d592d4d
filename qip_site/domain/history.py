"""What git knows about the plan files: when each was added and changed, by which commits, and what
each commit changed in the plan.

The publishing workflows clone with full history, so a plan's "published" date defaults to the
commit that first added its file, and "last updated" is the last commit that changed it. Renames
(`git mv`) are followed, so moving a file keeps its history. Outside a git checkout, or for a
file never committed, there is no history and the page says so rather than invent a date.

Each version of a plan is described from its data (`describe`: the plan file at that commit
against the one before, read with the project's loader), never from the commit message, which
a hosting site often writes for the editor ("Update 2024-2025.yml"): a message is shown beside
the description only when a person wrote it in Vietnamese (`Revision.note`).
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import weakref
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

from ..reading import textrules
from .money import format_vnd, parse_budget

# The signed original beside a plan file: the same name with one of these suffixes (see validate.py).
ORIGINAL_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png")
FAULTY = "Bản này có lỗi, không so sánh được"
# What hosting sites write when the editor types no message (GitHub, GitLab, in English or Vietnamese).
_HOST_DEFAULT_RE = re.compile(
    r"^(update|create|add|delete|remove|rename|upload|edit|replace|merge|revert|initial commit)\b"
    r"|^(cập nhật|tạo|thêm|xóa|xoá|tải lên) tệp \S+\.\w+$", re.IGNORECASE)
# Letters only Vietnamese spells with (tone marks, ă â đ ê ô ơ ư): an English message has none.
_VIETNAMESE_RE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
                            r"ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ]")


@dataclass(frozen=True)
class Revision:
    """One commit that changed a file: its date, the first line of its message, the file's name
    in that commit and how the commit changed it (git's A, M, D or R)."""

    commit: str
    date: dt.datetime
    message: str
    path: str = ""
    status: str = "M"

    @property
    def note(self) -> str | None:
        """The message, when a person wrote it in Vietnamese; None for a host's default or English."""
        return note_of(self.message)


def note_of(message: str) -> str | None:
    text = message.strip()
    if not _VIETNAMESE_RE.search(text) or _HOST_DEFAULT_RE.match(text):
        return None
    return text


@dataclass
class Version:
    """A plan file as one commit left it: what changed since the version before, in Vietnamese."""

    commit: str
    date: dt.datetime
    changes: list[str]
    note: str | None = None  # the commit message, when a person wrote it in Vietnamese
    data: Any = None  # the plan's plain data; None when this version cannot be read or is only its original
    faulty: bool = False  # the file could not be read or did not follow the format at this commit


@dataclass
class FileHistory:
    """A file's revisions, newest first, under the name the file has now."""

    path: str
    revisions: list[Revision] = field(default_factory=list)
    added: dt.datetime | None = None  # the commit that first added the file (None if history is cut)
    deleted_in: str | None = None  # the commit that deleted it, when that is its newest change
    originals: list[FileHistory] = field(default_factory=list)  # the signed original's files beside it
    store: _Store | None = field(default=None, repr=False, compare=False)

    @property
    def last_changed(self) -> dt.datetime | None:
        return self.revisions[0].date if self.revisions else None

    @cached_property
    def versions(self) -> list[Version]:
        """Every version of the plan, newest first, each described against the one before it.

        A commit that adds, replaces or removes the signed original beside the plan is a version
        too. The file is read at each commit only when there is a version to compare it with."""
        events: dict[str, tuple[dt.datetime, str, list[str]]] = {}  # commit -> date, message, texts
        for original in self.originals:
            for change in original.revisions:
                text = {"A": "Thêm bản gốc đã ký", "D": "Xóa bản gốc đã ký"}.get(change.status[:1], "Thay bản gốc đã ký")
                events.setdefault(change.commit, (change.date, change.message, []))[2].append(text)
        own = {revision.commit: revision for revision in self.revisions}
        rank = {revision.commit: -n for n, revision in enumerate(self.revisions)}  # git's order where dates tie
        order = sorted({*events, *own}, key=lambda c: (own[c].date if c in own else events[c][0], rank.get(c, 0)))
        versions: list[Version] = []
        before: Any = None  # the plan's data in the version before
        state = "none"  # the plan file in the version before: "none" (not there), "ok" or "faulty"
        for commit in order:
            revision = own.get(commit)
            if revision is None:
                # Only the original changed: the plan's data is the version before's.
                date, message, texts = events[commit]
                versions.append(Version(commit, date, texts, note_of(message), before, state == "faulty"))
                continue
            texts = events.get(commit, (revision.date, "", []))[2]
            if revision.status.startswith("D"):
                versions.append(Version(commit, revision.date, ["Xóa tệp kế hoạch", *texts], revision.note))
                before, state = None, "none"
                continue
            store = self.store if len(order) > 1 else None  # a single version is compared with nothing
            data, ok = store.plan(commit, revision.path) if store else (None, True)
            if not ok:
                changes = [FAULTY]
            elif state == "none":
                changes = ["Tạo kế hoạch"]
            elif state == "faulty":
                changes = ["Sửa lỗi của bản trước"]
            else:
                changes = describe(before, data)
            versions.append(Version(commit, revision.date, changes + texts, revision.note, data, not ok))
            before, state = data, ("ok" if ok else "faulty")
        return versions[::-1]


@dataclass
class History:
    files: dict[str, FileHistory] = field(default_factory=dict)  # by path relative to the project root
    shallow: bool = False  # a shallow clone: the oldest dates are not the real ones

    def of(self, path: str) -> FileHistory | None:
        return self.files.get(path)


class _Store:
    """Plan files as they were at a commit, from one `git cat-file --batch` process for the whole
    site, started when first needed and ended with the history."""

    def __init__(self, root: Path, prefix: str):
        self.root = root
        self.prefix = prefix  # the project's folder inside the repository ("" at its top)
        self.process: subprocess.Popen[bytes] | None = None
        self.cache: dict[tuple[str, str], tuple[Any, bool]] = {}

    def blob(self, commit: str, path: str) -> bytes | None:
        name = self.prefix + path
        if "\n" in name:
            return None
        if self.process is None:
            try:
                self.process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=self.root,
                                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            except OSError:
                return None
            weakref.finalize(self, _end, self.process)
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(f"{commit}:{name}\n".encode())
            self.process.stdin.flush()
            header = self.process.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                return None
            data = self.process.stdout.read(int(header[2]))
            self.process.stdout.read(1)
            return data
        except (OSError, ValueError):
            return None

    def plan(self, commit: str, path: str) -> tuple[Any, bool]:
        """The plan's plain data at `commit` and whether it could be read and followed the format."""
        key = (commit, path)
        if key not in self.cache:
            self.cache[key] = _read_plan(self.blob(commit, path), PurePosixPath(path).name)
        return self.cache[key]


def _end(process: subprocess.Popen[bytes]) -> None:
    if process.stdin:
        process.stdin.close()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def _read_plan(raw: bytes | None, name: str) -> tuple[Any, bool]:
    """A plan file's bytes through the project's loader and format: (plain data, True), or (None, False)."""
    from pydantic import ValidationError

    from ..reading.errors import Problem
    from ..reading.load import read_yaml_bytes
    from ..reading.schema import PlanFile

    if raw is None:
        return None, False
    try:
        data = read_yaml_bytes(raw, name).data
        PlanFile.model_validate(data)
    except (Problem, ValidationError, ValueError, TypeError):
        return None, False
    return data, True


def _git(root: Path, *args: str) -> str | None:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, encoding="utf-8",
                              errors="replace", timeout=120, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def read_history(root: Path, folder: str = "plans") -> History:
    """Every file's history under `folder`, from one `git log` pass (newest commit first)."""
    # --relative: paths relative to the project root even when it is a sub-folder of the repository.
    log = _git(root, "-c", "core.quotepath=off", "log", "--relative", "-M", "--name-status",
               "--format=%x00%H%x00%cI%x00%s", "--", folder)
    if not log:
        return History()
    history = History(shallow=(_git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true")
    store = _Store(root, (_git(root, "rev-parse", "--show-prefix") or "").strip())
    later_name: dict[str, str] = {}  # an old name -> the file's name now, learnt from renames
    records = log.split("\x00")[1:]
    for commit, date, rest in zip(records[0::3], records[1::3], records[2::3]):
        message, _, changes = rest.partition("\n")
        when = dt.datetime.fromisoformat(date.strip())
        # A commit message may be published on the plan's page: it obeys the rule of plan text.
        message = textrules.clean(message).strip()
        for line in changes.splitlines():
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            status, path = parts[0], parts[-1]
            current = later_name.get(path, path)
            if status.startswith("R") and len(parts) == 3:
                later_name[parts[1]] = current  # before this commit, the file had the old name
            entry = history.files.get(current)
            if entry is None:
                entry = history.files[current] = FileHistory(current, deleted_in=commit if status == "D" else None,
                                                             store=store)
            if not entry.revisions or entry.revisions[-1].commit != commit:
                entry.revisions.append(Revision(commit, when, message, path, status))
            if status.startswith("A"):
                entry.added = when  # walking back in time: the oldest add wins
    for path, entry in history.files.items():
        stem, suffix = path.rsplit(".", 1) if "." in path else (path, "")
        if suffix == "yml":
            entry.originals = [f for s in ORIGINAL_SUFFIXES if (f := history.files.get(stem + s)) is not None]
    return history


# What changed between two versions of a plan: pure functions over plain data (dicts, lists, texts).

_HEADER = {"managing_body": "cơ quan chủ quản", "school": "tên trường", "number": "số, ký hiệu",
           "national_name": "quốc hiệu", "motto": "tiêu ngữ", "place_date": "địa danh, ngày tháng",
           "date": "ngày ban hành"}
_CELLS = {"index": "số thứ tự", "criterion": "ô tiêu chí", "area": "lĩnh vực", "weakness": "điểm yếu",
          "target": "kết quả cần đạt", "measures": "biện pháp", "responsible": "người phụ trách",
          "timeline": "thời gian", "budget": "kinh phí", "support": "điều kiện hỗ trợ", "note": "ghi chú",
          "years": "việc theo năm học", "fragments": "mảnh chữ", "incomplete": "đánh dấu không đầy đủ"}
_STATES = {"superseded": "đã được thay thế", "withdrawn": "đã thu hồi"}
SHORT = 60  # a changed text this long or shorter is quoted, old → new; a longer one is named only
_ROMAN_RE = re.compile(r"^\s*([IVXLC]+)\s*[.:/-]")


def _texts(value: Any) -> list[str]:
    """A text field (a string or a list of paragraphs) as its paragraphs."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if not isinstance(v, dict)]
    return [str(value).strip()]


def _text(value: Any) -> str:
    return " ".join(_texts(value))


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _quoted(old: str, new: str) -> str:
    return f"“{old}” → “{new}”" if old else f"thêm “{new}”" if new else f"bỏ “{old}”"


def _change(label: str, old: Any, new: Any, money: bool = False) -> str:
    """"kinh phí 7.000.000 → 9.000.000 đ", "người ký “A” → “B”", or the label alone for long texts."""
    before, after = _text(old), _text(new)
    if money:
        a, b = parse_budget(before).vnd if before else None, parse_budget(after).vnd if after else None
        if a is not None and b is not None:
            return f"{label} {format_vnd(a)[:-2]} → {format_vnd(b)}"
    if len(before) <= SHORT and len(after) <= SHORT:
        return f"{label} {_quoted(before, after)}"
    return label


def _period(value: Any) -> str:
    if isinstance(value, dict):
        return f"{value.get('from')} đến {value.get('to')}"
    return str(value)


def _section_name(section: dict[str, Any], number: int) -> str:
    match = _ROMAN_RE.match(_text(section.get("heading")))
    return f"mục {match.group(1)}" if match else f"mục thứ {number}"


def _count(number: int, what: str) -> str:
    return f"{number} {what}"


def _row_key(row: dict[str, Any]) -> str:
    code = row.get("code")
    if code:
        return f"tiêu chí {code}"
    text = _text(row.get("criterion")) or _text(row.get("area")) or _text(row.get("index"))
    return f"dòng “{text[:SHORT]}”" if text else "dòng không có tên"


def _rows(table: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The table's rows grouped by what names them (criterion code, else their first cell), in order."""
    rows = [r for g in _list(table.get("levels")) for s in _list(_dict(g).get("standards"))
            for r in _list(_dict(s).get("criteria"))]
    rows += [r for s in _list(table.get("standards")) for r in _list(_dict(s).get("criteria"))]
    rows += _list(table.get("areas"))
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if isinstance(row, dict):
            out.setdefault(_row_key(row), []).append(row)
    return out


def _standards(table: dict[str, Any]) -> list[str]:
    found = [_text(_dict(s).get("heading")) for g in _list(table.get("levels")) for s in _list(_dict(g).get("standards"))]
    return found + [_text(_dict(s).get("heading")) for s in _list(table.get("standards"))]


def _paragraph_changes(old: list[Any], new: list[Any]) -> list[str]:
    """"thêm 2 đoạn", "sửa 1 đoạn", "bỏ 1 đoạn": paragraphs and sub-headings compared in order."""
    def text(item: Any) -> str:
        return _text(item.get("heading")) if isinstance(item, dict) else _text(item)

    a, b = [text(x) for x in old], [text(x) for x in new]
    from difflib import SequenceMatcher

    added = removed = edited = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "replace":
            edited += min(i2 - i1, j2 - j1)
            added += max(0, (j2 - j1) - (i2 - i1))
            removed += max(0, (i2 - i1) - (j2 - j1))
        elif tag == "insert":
            added += j2 - j1
        elif tag == "delete":
            removed += i2 - i1
    return [f"{verb} {n} đoạn" for verb, n in (("thêm", added), ("sửa", edited), ("bỏ", removed)) if n]


def describe(old: Any, new: Any) -> list[str]:
    """What changed from plan `old` to plan `new` (plain data as loaded), in Vietnamese sentences,
    in the document's order; `old` None: the plan was created."""
    if old is None:
        return ["Tạo kế hoạch"]
    old, new = _dict(old), _dict(new)
    out: list[str] = []
    if old.get("period") != new.get("period"):
        out.append(f"Sửa năm học: {_period(old.get('period'))} → {_period(new.get('period'))}")
    header_old, header_new = _dict(old.get("header")), _dict(new.get("header"))
    for key, label in _HEADER.items():
        if header_old.get(key) != header_new.get(key):
            out.append("Sửa phần đầu văn bản: " + _change(label, header_old.get(key), header_new.get(key)))
    if _texts(old.get("title")) != _texts(new.get("title")):
        out.append("Sửa tên kế hoạch")
    if _texts(old.get("preamble")) != _texts(new.get("preamble")):
        out.append("Sửa phần mở đầu: " + ", ".join(_paragraph_changes(_list(old.get("preamble")) or _texts(old.get("preamble")),
                                                                       _list(new.get("preamble")) or _texts(new.get("preamble")))))
    sections_old, sections_new = _list(old.get("sections")), _list(new.get("sections"))
    table_section = "bảng kế hoạch"
    for number in range(1, max(len(sections_old), len(sections_new)) + 1):
        a = _dict(sections_old[number - 1]) if number <= len(sections_old) else None
        b = _dict(sections_new[number - 1]) if number <= len(sections_new) else None
        name = _section_name(b if b is not None else a or {}, number)
        if (b or {}).get("table"):
            table_section = name
        if a is None:
            out.append(f"Thêm {name}: {_text(_dict(b).get('heading'))}")
        elif b is None:
            out.append(f"Xóa {name}: {_text(a.get('heading'))}")
        else:
            if _text(a.get("heading")) != _text(b.get("heading")):
                out.append(f"Sửa tên {name}: " + _change("", a.get("heading"), b.get("heading")).strip())
            content = _paragraph_changes(_list(a.get("content")) or _texts(a.get("content")),
                                         _list(b.get("content")) or _texts(b.get("content")))
            if content:
                out.append(f"Sửa {name}: " + ", ".join(content))
    out += _table_changes(_dict(old.get("table")), _dict(new.get("table")), table_section)
    for key, label in (("closing", "Sửa câu kết"), ("recipients", "Sửa nơi nhận")):
        if _texts(old.get(key)) != _texts(new.get(key)):
            out.append(label)
    signer_old, signer_new = _dict(old.get("signer")), _dict(new.get("signer"))
    for key, label in (("name", "người ký"), ("position", "chức vụ người ký"), ("note", "ghi chú dưới chức vụ")):
        if signer_old.get(key) != signer_new.get(key):
            out.append("Sửa " + _change(label, signer_old.get(key), signer_new.get(key)))
    if old.get("published") != new.get("published"):
        out.append("Sửa " + _change("ngày đăng", old.get("published"), new.get("published")))
    if old.get("original") != new.get("original"):
        out.append("Thêm bản gốc đã ký" if not old.get("original") else
                   "Bỏ tên tệp bản gốc đã ký" if not new.get("original") else "Đổi tệp bản gốc đã ký")
    status_old, status_new = _dict(old.get("status")), _dict(new.get("status"))
    if status_old != status_new:
        state = _STATES.get(str(status_new.get("state")), "")
        out.append(f"Đánh dấu kế hoạch {state}" if status_new and status_new.get("state") != status_old.get("state")
                   else "Bỏ đánh dấu: kế hoạch có hiệu lực trở lại" if not status_new else "Sửa ghi chú tình trạng kế hoạch")
    if bool(old.get("synthetic")) != bool(new.get("synthetic")):
        out.append("Đánh dấu dữ liệu mẫu" if new.get("synthetic") else "Bỏ đánh dấu dữ liệu mẫu")
    return out or ["Không đổi nội dung văn bản (chỉ sửa cách ghi trong tệp)"]


def _table_changes(old: dict[str, Any], new: dict[str, Any], where: str) -> list[str]:
    out: list[str] = []
    if not old and not new:
        return out
    if not old:
        return [f"Thêm bảng kế hoạch ở {where}"]
    if not new:
        return [f"Xóa bảng kế hoạch ở {where}"]
    columns_old, columns_new = _dict(old.get("columns")), _dict(new.get("columns"))
    for key in columns_new:
        if key not in columns_old:
            out.append(f"Thêm cột “{columns_new[key] or _CELLS.get(key, key)}” ở {where}")
        elif columns_old[key] != columns_new[key]:
            out.append(f"Sửa tiêu đề cột ở {where}: " + _change("", columns_old[key], columns_new[key]).strip())
    for key in columns_old:
        if key not in columns_new:
            out.append(f"Xóa cột “{columns_old[key] or _CELLS.get(key, key)}” ở {where}")
    standards_old, standards_new = _standards(old), _standards(new)
    if standards_old != standards_new:
        added = [s for s in standards_new if s not in standards_old]
        removed = [s for s in standards_old if s not in standards_new]
        out += [f"Thêm dòng tiêu chuẩn ở {where}: {s}" for s in added]
        out += [f"Xóa dòng tiêu chuẩn ở {where}: {s}" for s in removed]
    rows_old, rows_new = _rows(old), _rows(new)
    for key in [*rows_new, *(k for k in rows_old if k not in rows_new)]:
        a, b = rows_old.get(key, []), rows_new.get(key, [])
        if len(b) > len(a):
            out.append(f"Thêm {_count(len(b) - len(a), 'dòng')} ở {key}")
        elif len(a) > len(b):
            out.append(f"Xóa {_count(len(a) - len(b), 'dòng')} ở {key}")
        for row_old, row_new in zip(a, b):
            changed = [_change(label, row_old.get(name), row_new.get(name), money=name == "budget")
                       if name not in ("years", "incomplete") else label
                       for name, label in _CELLS.items() if row_old.get(name) != row_new.get(name)]
            if changed:
                out.append(f"Sửa {where}, {key}: " + "; ".join(changed))
            result = _result_change(row_old.get("result"), row_new.get("result"))
            if result:
                out.append(result.format(where=f"{where}, {key}"))
    return out


_RESULT_FIELDS = {"date": "ngày", "text": "mô tả", "evidence": "minh chứng"}


def _result_change(old: Any, new: Any) -> str | None:
    """A row's result (written by the school after the plan was issued) added, changed or removed:
    a sentence with `{where}` left to fill, or None when it is the same."""
    if old == new:
        return None
    if not old:
        return "Ghi kết quả {where}: " + _result_summary(new)
    if not new:
        return "Xóa kết quả {where}"
    old, new = _dict(old), _dict(new)
    if old.get("state") != new.get("state"):
        return f"Sửa kết quả {{where}}: {old.get('state')} → {_result_summary(new)}"
    fields = [label for key, label in _RESULT_FIELDS.items() if old.get(key) != new.get(key)]
    return "Sửa kết quả {where}: " + ", ".join(fields)


def _result_summary(result: Any) -> str:
    result = _dict(result)
    date = result.get("date")
    when = f"{date:%d/%m/%Y}" if isinstance(date, dt.date) else str(date or "")
    return str(result.get("state")) + (f", ngày {when}" if when else "")


def parts(data: Any) -> list[tuple[str, str, list[str]]]:
    """A plan's data as the parts a reader compares between two versions, in document order:
    (key, Vietnamese label, paragraphs). A key names the same part in every version: a field, a
    section by its number, a table row by its criterion (and its rank among rows of that criterion)."""
    data = _dict(data)
    out: list[tuple[str, str, list[str]]] = []

    def add(key: str, label: str, value: Any) -> None:
        texts = [t for t in _texts(value) if t]
        if texts:
            out.append((key, label, texts))

    add("period", "Năm học", _period(data["period"]) if "period" in data else None)
    header = _dict(data.get("header"))
    for key, label in _HEADER.items():
        add(f"header.{key}", f"Phần đầu văn bản: {label}", header.get(key))
    add("title", "Tên kế hoạch", data.get("title"))
    add("preamble", "Phần mở đầu", data.get("preamble"))
    table_section = "Bảng kế hoạch"
    for number, section in enumerate(_list(data.get("sections")), start=1):
        section = _dict(section)
        name = _section_name(section, number)
        paragraphs = [_text(_dict(item).get("heading")) if isinstance(item, dict) else _text(item)
                      for item in _list(section.get("content")) or _texts(section.get("content"))]
        add(f"section.{name}", name[:1].upper() + name[1:], [_text(section.get("heading")), *paragraphs])
        if section.get("table"):
            table_section = name[:1].upper() + name[1:]
    table = _dict(data.get("table"))
    columns = _dict(table.get("columns"))
    if columns:
        add("table.columns", f"{table_section}: các cột", [str(v or _CELLS.get(k, k)) for k, v in columns.items()])
    for n, heading in enumerate(_standards(table), start=1):
        add(f"table.standard.{n}", f"{table_section}: dòng tiêu chuẩn {n}", heading)
    for key, rows in _rows(table).items():
        for n, row in enumerate(rows, start=1):
            label = f"{table_section}, {key}" + (f" (dòng {n})" if len(rows) > 1 else "")
            cells = [f"{columns.get(name) or _CELLS[name]}: {text}" for name in _CELLS
                     if name not in ("years", "incomplete", "fragments") for text in _texts(row.get(name)) if text]
            for item in _list(row.get("years")):
                item = _dict(item)
                cells += [f"Năm học {item.get('school_year')}, {columns.get(name) or _CELLS[name]}: {text}"
                          for name in _CELLS if name in item for text in _texts(item.get(name)) if text]
            cells += [f"Mảnh chữ: {text}" for text in _texts(row.get("fragments")) if text]
            if row.get("result"):
                result = _dict(row.get("result"))
                cells += [f"Kết quả: {_result_summary(result)}"] + [f"Kết quả, {label}: {text}" for key, label in
                                                                    _RESULT_FIELDS.items() if key != "date"
                                                                    for text in _texts(result.get(key)) if text]
            add(f"row.{key}.{n}", label, cells)
    add("closing", "Câu kết", data.get("closing"))
    add("recipients", "Nơi nhận", data.get("recipients"))
    signer = _dict(data.get("signer"))
    add("signer", "Người ký", [t for key in ("position", "note", "name") for t in _texts(signer.get(key))])
    add("published", "Ngày đăng", str(data["published"]) if data.get("published") else None)
    add("original", "Tệp bản gốc đã ký", data.get("original"))
    status = _dict(data.get("status"))
    if status:
        add("status", "Tình trạng", [_STATES.get(str(status.get("state")), str(status.get("state"))),
                                     *_texts(status.get("reason"))])
    return out
