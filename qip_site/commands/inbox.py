"""`qip-site inbox`: publish with nothing but a web browser.

Editors upload the approved Word file (and the signed PDF) into the inbox folder `tai-len/` with the
hosting site's "Add file → Upload files"; that upload is a push, and the publishing jobs run this
command first. Each file in the inbox is imported with the importer (`import_file`), into the school
named by the sub-folder it was uploaded to (`tai-len/<school>/file.docx`), else by a file-name hint
(`<school>__anything.docx`), else by the document's own header. A PDF uploaded beside a Word file
(same name, or the only pair in a school's sub-folder) becomes the plan's signed original,
`plans/<school>/<plan>.pdf`; a PDF alone is imported and is its own signed original.

All or nothing: the whole site is checked as `qip-site check` does, and only when every upload is
imported and no file written has an error are the plan files committed (by a bot identity) and the
uploads deleted from the inbox in the same commit (they stay in git history). Otherwise every file
written is removed, nothing is committed, the uploads stay where they are and the exit code is 1,
so that the job stops before deploying and the site online is kept. Either way a Vietnamese summary
in Markdown goes to $GITHUB_STEP_SUMMARY (when set), to --summary FILE (when given) and to stdout:
each file, what was written, each import warning and check problem, and how to fix it in the
browser. Text from uploads (file names, document text quoted in messages) is escaped there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from ..importer.command import WORD_SUFFIXES
from ..reading import errors as E
from ..reading.names import is_slug
from ..reading.textrules import printable

INBOX = "tai-len"
HINT = "__"  # "<school>__anything.docx": the school's folder name before the double underscore
LEFT_ALONE = ("README.md",)  # the inbox's own files, never imported (hidden files neither)
BOT_NAME = "qip-site-bot"
BOT_EMAIL = "qip-site-bot@noreply.invalid"  # .invalid: a name no mail server has
HEADING = "## Nhập kế hoạch từ thư mục tai-len/"
NO_SCHOOL = "no-school"  # a failure's reason: the document names no school, nor does the upload's place
# A job summary holds at most 1 MiB (GitHub); a plan file generated is shown up to this many characters.
DRAFT_MAX_CHARS = 200_000


@dataclass
class Upload:
    """One uploaded document, and what became of it."""

    source: Path  # relative to the project root
    school: str | None = None
    original: Path | None = None  # the signed PDF uploaded with it (relative), or the source itself
    failure: str = ""  # why it was not imported (Vietnamese)
    tip: str = ""  # how to fix that in the browser
    written: list[Path] = field(default_factory=list)  # relative
    import_warnings: list[str] = field(default_factory=list)
    problems: list[E.Problem] = field(default_factory=list)  # the check's, on the files written
    drafts: dict[Path, str] = field(default_factory=dict)  # files written then removed: their text

    @property
    def errors(self) -> list[E.Problem]:
        return [p for p in self.problems if not isinstance(p, E.PlanWarning)]


def run_inbox(inbox: Path, plans: Path, summary: Path | None = None, echo: Callable[[str], Any] = print) -> int:
    """Import, check and commit what is in `inbox`; 0 when done or nothing to do, 1 when anything failed."""
    root = Path.cwd().resolve()
    inbox, plans = (root / inbox).resolve(), (root / plans).resolve()
    if not inbox.is_dir():
        echo(f"Không có thư mục {inbox.relative_to(root).as_posix()}/; không có gì để nhập.")
        return 0
    uploads, extras = _collect(inbox, root)
    if not uploads and not extras:
        echo(f"Thư mục {inbox.relative_to(root).as_posix()}/ không có tệp mới; không có gì để nhập.")
        return 0
    if _git(root, "rev-parse", "--is-inside-work-tree").returncode != 0:
        echo("Lệnh inbox cần chạy trong thư mục của kho git (nó ghi một commit); không có gì bị thay đổi.")
        return 1
    before = _files(plans)
    written: set[Path] = set()  # the plan files of this run: two uploads of one plan are told
    for upload in uploads:
        if not upload.failure:
            _import(upload, root, plans, written, echo)
    _check(uploads, root, plans)
    done = bool(uploads) and not extras and all(not u.failure and not u.errors for u in uploads)
    commit = ""
    if done:
        commit, fault = _commit(uploads, root, inbox)
        if fault:
            echo(fault)
            done = False
            uploads[0].failure = uploads[0].failure or fault
    if not done:
        _roll_back(uploads, root, plans, before)
    text = _summary(uploads, extras, done, commit)
    echo("")
    echo(text)
    for path in filter(None, [Path(os.environ["GITHUB_STEP_SUMMARY"]) if os.environ.get("GITHUB_STEP_SUMMARY")
                              else None, summary]):
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    return 0 if done else 1


# --- which files, which school --------------------------------------------------------------------

def _collect(inbox: Path, root: Path) -> tuple[list[Upload], list[Upload]]:
    """The documents to import, and the files that cannot be (wrong kind, wrong place) as failures."""
    uploads: list[Upload] = []
    extras: list[Upload] = []
    folders: list[tuple[Path, str | None]] = [(inbox, None)]
    for entry in sorted(inbox.iterdir()):
        if entry.name.startswith(".") or (entry.is_file() and entry.name in LEFT_ALONE):
            continue
        if entry.is_dir():
            folders.append((entry, entry.name))
    for folder, school in folders:
        documents: list[Path] = []
        for entry in sorted(folder.iterdir()):
            relative = entry.relative_to(root)
            if entry.name.startswith(".") or (folder == inbox and (entry.is_dir() or entry.name in LEFT_ALONE)):
                continue
            if entry.is_symlink():  # only a push by git can make one; never followed out of the inbox
                extras.append(Upload(relative, failure="tệp là một liên kết (symlink), không phải tệp tải lên.",
                                     tip="Xóa liên kết này khỏi kho và tải lên chính tệp văn bản."))
            elif entry.is_dir():
                extras.append(Upload(relative, failure="thư mục con trong thư mục của trường không được đọc.",
                                     tip=f"Đặt tệp ngay trong {INBOX}/ hoặc {INBOX}/<tên-thư-mục-trường>/."))
            elif entry.suffix.lower() not in WORD_SUFFIXES:
                extras.append(Upload(relative, failure="loại tệp này không nhập được; chỉ nhận tệp Word (.docx, "
                                     ".doc), OpenDocument (.odt), RTF (.rtf) hoặc PDF (.pdf).",
                                     tip="Xóa tệp này khỏi thư mục tải lên (mở tệp, bấm nút ba chấm … → Delete "
                                         "file, rồi Commit changes) và tải lên đúng tệp văn bản kế hoạch."))
            else:
                documents.append(entry)
        for upload in _pair(documents, school is not None):
            upload.source = upload.source.relative_to(root)
            if upload.original is not None:
                upload.original = upload.original.relative_to(root)
            upload.school, upload.failure = _school(upload.source, school)
            if upload.failure:
                upload.tip = (f"Đổi tên thư mục hoặc tệp cho đúng tên thư mục trường trong plans/ (chữ thường không "
                              f"dấu, chữ số, dấu \"-\"; ví dụ {INBOX}/th-le-dinh-chinh/), rồi tải lên lại.")
            uploads.append(upload)
    return uploads, extras


def _pair(documents: list[Path], school_folder: bool) -> list[Upload]:
    """A PDF beside a Word file of the same name (or the only pair in a school's folder) is its signed original."""
    pdfs = [d for d in documents if d.suffix.lower() == ".pdf"]
    words = [d for d in documents if d.suffix.lower() != ".pdf"]
    uploads = []
    for word in words:
        same = next((p for p in pdfs if p.stem == word.stem), None)
        if same is None and school_folder and len(words) == 1 and len(pdfs) == 1:
            same = pdfs[0]
        if same is not None:
            pdfs.remove(same)
        uploads.append(Upload(word, original=same))
    return uploads + [Upload(pdf, original=pdf) for pdf in pdfs]


def _school(source: Path, folder: str | None) -> tuple[str | None, str]:
    """The school's folder name from the sub-folder or the file-name hint (None: from the document)."""
    hint = source.name.split(HINT, 1)[0] if HINT in source.name else None
    for name, what in ((folder, "thư mục"), (hint, "phần tên tệp trước dấu \"__\"")):
        if name is not None and not is_slug(name):
            return None, (f"{what} \"{name}\" không phải tên thư mục trường (chữ thường không dấu, chữ số, dấu "
                          "\"-\").")
    if folder and hint and folder != hint:
        return None, (f"tệp nằm trong thư mục của trường {folder} nhưng tên tệp chỉ trường {hint}; hãy bỏ "
                      "\"__\" khỏi tên tệp hoặc đặt tệp đúng thư mục.")
    return folder or hint, ""


# --- import, check ----------------------------------------------------------------------------------

def _import(upload: Upload, root: Path, plans: Path, written: set[Path], echo: Callable[[str], Any]) -> None:
    from ..importer.import_file import Result, import_file
    from ..importer.notes import ImportFailed

    echo(f"Nhập {upload.source.as_posix()}" + (f" (trường {upload.school})" if upload.school else ""))
    result = Result(root / upload.source)
    before = _files(plans)
    try:
        import_file(root / upload.source, plans, upload.school, None, False, written, result, echo)
    except ImportFailed as failure:
        upload.failure = str(failure)
        upload.tip = _tip(failure.reason, failure.target and _relative(failure.target, root))
    except Exception as exc:  # noqa: BLE001 - as `qip-site import`: told in one line, the others go on
        upload.failure = f"lỗi không lường trước khi đọc tệp ({type(exc).__name__}: {exc})"
    # What the importer wrote: the plan file first, then school.yml when the school is new.
    new = sorted(_files(plans) - before, key=lambda p: (p.name == "school.yml", p))
    upload.written = [p.relative_to(root) for p in new]
    if result.target is not None and upload.original is not None and not upload.failure:
        _place_original(upload, root, result.target.resolve().relative_to(root))
    notes = result.notes
    placed = any(p.suffix == ".pdf" for p in upload.written)
    # The importer's own warnings, less its advice to place the PDF as the original when done here already.
    upload.import_warnings = [w for w in (notes.warnings if notes else [])
                              if not (placed and notes and w == notes.original_advice)]
    # A school folder named after the uploaded file would publish a school nobody meant: refused here.
    if not upload.school and not upload.failure and notes and notes.school_from_file_name:
        upload.failure = ("văn bản không ghi tên trường nên không biết nhập vào trường nào (chỉ đoán được từ tên "
                          "tệp).")
        upload.tip = _tip(NO_SCHOOL)
    if upload.failure:
        echo(f"  Lỗi: {upload.failure}")
        upload.tip = upload.tip or _tip("")


def _relative(path: Path, root: Path) -> Path:
    path = path.resolve()
    return path.relative_to(root.resolve()) if path.is_relative_to(root.resolve()) else path


def _place_original(upload: Upload, root: Path, target: Path) -> None:
    assert upload.original is not None
    placed = target.with_suffix(".pdf")
    if (root / placed).exists():
        upload.failure = (f"đã có tệp bản gốc {placed.as_posix()}; không ghi đè bằng "
                          f"{upload.original.as_posix()}.")
        return
    shutil.copyfile(root / upload.original, root / placed)
    upload.written.append(placed)


def _tip(reason: str, target: Path | None = None) -> str:
    """How to mend a failed upload in the browser, by the failure's reason (ImportFailed.reason, NO_SCHOOL)."""
    from ..importer.notes import ImportFailed

    if reason == NO_SCHOOL:
        return (f"Tải tệp vào thư mục {INBOX}/<tên-thư-mục-trường>/ (ví dụ {INBOX}/th-le-dinh-chinh/), hoặc đặt "
                f"tên tệp bắt đầu bằng tên thư mục trường và hai dấu gạch dưới (ví dụ th-le-dinh-chinh__ke-hoach.docx),"
                f" rồi xóa tệp này khỏi {INBOX}/ (nút ba chấm … → Delete file).")
    if reason == ImportFailed.WRITTEN_TWICE:
        return (f"Hai tệp tải lên là cùng một kế hoạch (cùng trường, cùng năm học); hãy giữ một tệp và xóa tệp kia "
                f"khỏi {INBOX}/ (mở tệp, nút ba chấm … → Delete file, rồi Commit changes).")
    if reason == ImportFailed.EXISTS:
        return (f"Kế hoạch này đã có trên trang ({target.as_posix() if target else ''}); tệp đã có không bị ghi đè. Nếu muốn thay bằng "
                "bản mới: mở tệp đó trên trang của kho, bấm nút ba chấm … → Delete file, rồi Commit changes; lần "
                f"chạy sau sẽ nhập lại tệp đang chờ trong {INBOX}/. Nếu không muốn thay: xóa tệp đã tải lên khỏi "
                f"{INBOX}/.")
    return ("Sửa tệp trên máy theo lý do trên, rồi tải lên lại vào đúng thư mục với đúng tên tệp cũ (Add file → "
            "Upload files): tệp mới thay tệp cũ. Nếu không xác định được trường, đặt tệp vào thư mục "
            f"{INBOX}/<tên-thư-mục-trường>/. Hoặc xóa tệp khỏi {INBOX}/ (nút ba chấm … → Delete file).")


def _check(uploads: list[Upload], root: Path, plans: Path) -> None:
    """The check of the whole site, as `qip-site check` runs it; each problem given to the upload that wrote its file."""
    from ..reading.validate import load_site
    from .cli import site_settings

    owners = {}
    for upload in uploads:
        for path in upload.written:
            owners[(root / path).resolve()] = upload
            if path.name == "school.yml":
                owners[(root / path.parent).resolve()] = upload
    if not owners:
        return
    try:
        _, problems = load_site(plans, root, **site_settings(root))
    except E.PlanErrors as failure:
        problems = [*failure.problems, *failure.warnings]
    for problem in problems:
        file = Path(str(problem.file))
        owner = owners.get((file if file.is_absolute() else root / file).resolve())
        if owner is not None:
            owner.problems.append(problem)


# --- commit or roll back ----------------------------------------------------------------------------

def _commit(uploads: list[Upload], root: Path, inbox: Path) -> tuple[str, str]:
    """One commit: the files written added, the uploads deleted; (its short hash, a fault or "")."""
    written = [p.as_posix() for u in uploads for p in u.written]
    sources = sorted({p.as_posix() for u in uploads for p in (u.source, u.original) if p is not None})
    tracked = [s for s in sources if _git(root, "ls-files", "--error-unmatch", "--", s).returncode == 0]
    names = [u.source.as_posix() for u in uploads]
    folder = inbox.relative_to(root).as_posix()
    message = (f"Nhập kế hoạch từ {names[0]}" if len(names) == 1
               else f"Nhập {len(names)} kế hoạch từ {folder}/\n\n" + "\n".join(f"- {n}" for n in names))
    identity = ["-c", f"user.name={os.environ.get('QIP_BOT_NAME') or BOT_NAME}",
                "-c", f"user.email={os.environ.get('QIP_BOT_EMAIL') or BOT_EMAIL}"]
    # The uploads leave the work tree before the commit: `git commit -- PATHS` takes what the work tree has.
    aside = Path(tempfile.mkdtemp(prefix="qip-inbox-"))
    for n, source in enumerate(sources):
        shutil.move(root / source, aside / str(n))
    # A school's sub-folder stays for the next upload (git keeps no empty folder): a .gitkeep in it.
    for school in sorted({(root / s).parent for s in sources} - {inbox}):
        if school.is_dir() and not any(not p.name.startswith(".") for p in school.iterdir()):
            keep = school / ".gitkeep"
            if not keep.exists():
                keep.touch()
                written.append(keep.relative_to(root).as_posix())
    steps = [["add", "--", *written], [*identity, "commit", "--quiet", "--no-verify", "-m", message, "--",
                                       *written, *tracked]]
    for step in steps:
        done = _git(root, *step)
        if done.returncode != 0:
            _git(root, "rm", "--quiet", "--cached", "--ignore-unmatch", "--", *written)
            for n, source in enumerate(sources):
                shutil.move(aside / str(n), root / source)
            shutil.rmtree(aside, ignore_errors=True)
            detail = " ".join(done.stderr.split())[:300]
            return "", f"git không ghi được commit ({detail}); không có gì được đăng."
    shutil.rmtree(aside, ignore_errors=True)
    return _git(root, "rev-parse", "--short", "HEAD").stdout.strip(), ""


def _roll_back(uploads: list[Upload], root: Path, plans: Path, before: set[Path]) -> None:
    """Every file the imports wrote into plans/ removed again (their text kept for the summary)."""
    for upload in uploads:
        for path in upload.written:
            if path.suffix == ".yml" and (root / path).is_file():
                upload.drafts[path] = (root / path).read_text(encoding="utf-8")
    for path in sorted(_files(plans) - before, reverse=True):
        path.unlink()
    for folder in sorted((p for p in plans.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()) and not any(b.is_relative_to(folder) for b in before):
            folder.rmdir()


def _files(plans: Path) -> set[Path]:
    return {p.resolve() for p in plans.rglob("*") if p.is_file()} if plans.is_dir() else set()


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)


# --- the summary (Markdown) --------------------------------------------------------------------------

def _summary(uploads: list[Upload], extras: list[Upload], done: bool, commit: str) -> str:
    everything = uploads + extras
    out = [HEADING, ""]
    if done:
        out.append(f"Đã nhập {len(uploads)} tệp và ghi vào kho (commit {code(commit)}). Trang web được dựng lại "
                   "và đăng ở các bước sau; các tệp đã tải lên được xóa khỏi thư mục tai-len/ (vẫn còn trong "
                   "lịch sử của kho).")
    else:
        failed = [u for u in everything if u.failure or u.errors]
        out.append(f"**Chưa nhập được {len(failed)}/{len(everything)} tệp. Trang web đang chạy được giữ nguyên; "
                   "chưa có gì được ghi vào kho, các tệp đã tải lên vẫn nằm trong tai-len/.** Sửa theo hướng "
                   "dẫn dưới đây; mỗi lần sửa (commit) trên trang của kho, việc đăng chạy lại. Các tệp chỉ được ghi "
                   "và trang chỉ được thay khi mọi tệp trong tai-len/ đều nhập được.")
    for upload in everything:
        out += ["", *_upload_section(upload, done)]
    return "\n".join(out) + "\n"


def _upload_section(upload: Upload, done: bool) -> list[str]:
    bad = bool(upload.failure or upload.errors)
    out = [f"### {'❌' if bad else '✅'} {code(upload.source.as_posix())}", ""]
    if upload.school:
        out.append(f"- Trường: {code(upload.school)}")
    if upload.failure:
        out += [f"- **Không nhập được:** {md(upload.failure)}", f"- **Cách sửa:** {md(upload.tip)}"]
        return out
    kinds = {".yml": "kế hoạch", ".pdf": "bản gốc đã ký"}
    for path in upload.written:
        what = "thông tin trường (trường mới)" if path.name == "school.yml" else kinds.get(path.suffix, "tệp")
        verb = "Đã ghi" if done else "Đã tạo rồi bỏ (chưa ghi vào kho)"
        out.append(f"- {verb} {code(path.as_posix())}: {what}"
                   + (f", từ {code(upload.original.as_posix())}" if path.suffix == ".pdf" and upload.original else ""))
    if not done and not upload.errors:
        out.append("- Tệp này không có lỗi; nó sẽ được ghi khi các tệp khác hết lỗi.")
    plan = next((p for p in upload.written if p.suffix == ".yml" and p.name != "school.yml"), None)
    if upload.import_warnings:
        out += ["", "**Cảnh báo khi nhập** (hãy đối chiếu với văn bản gốc; nếu cần, sửa tệp kế hoạch"
                + (f" bằng nút bút chì: {_edit_link(plan)}" if done and plan else "") + "):", ""]
        out += [f"{n}. {md(text)}" for n, text in enumerate(upload.import_warnings, 1)]
    errors = upload.errors
    warnings = [p for p in upload.problems if p not in errors]
    for title, items in (("Lỗi khi kiểm tra", errors), ("Cảnh báo khi kiểm tra", warnings)):
        if items:
            out += ["", f"**{title}:**", ""]
            out += [f"{n}. {_problem(p, done)}" for n, p in enumerate(items, 1)]
    if errors:
        out += ["", *_draft_help(upload)]
    return out


def _problem(problem: E.Problem, done: bool) -> str:
    where = code(str(problem.file)) + (f", dòng {problem.line}" if problem.line else "")
    text = f"{where}: {md(str(problem).split(': ', 1)[-1])}"
    if done and not str(problem.file).startswith(".."):
        path = Path(str(problem.file))
        text += (f" — Sửa: mở {_edit_link(path)}, bấm nút bút chì" + (f", đến dòng {problem.line}" if problem.line
                                                                        else "") + ", sửa rồi bấm Commit changes.")
    return text


def _draft_help(upload: Upload) -> list[str]:
    """How to publish a file whose check failed: fix the document, or type the plan file in the browser."""
    out = [f"**Cách sửa:** nếu lỗi nằm ở nội dung văn bản, sửa tệp trên máy rồi tải lên lại với đúng tên cũ vào "
           f"đúng thư mục. Nếu văn bản đúng mà tệp kế hoạch cần sửa: (1) xóa {code(upload.source.as_posix())} khỏi "
           "tai-len/ (mở tệp, nút ba chấm … → Delete file, Commit changes); (2) mở thư mục plans/ của trường, "
           "Add file → Create new file, đặt tên như dưới đây, dán nội dung, sửa các dòng được nêu ở trên, rồi "
           "Commit changes."]
    for path, text in upload.drafts.items():
        if len(text) > DRAFT_MAX_CHARS:
            out += ["", f"Nội dung đã tạo cho {code(path.as_posix())} quá dài để hiện ở đây ({len(text)} ký tự); "
                    "hãy nhập tệp trên máy bằng lệnh qip\\-site import (xem hướng dẫn biên tập)."]
            continue
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
        out += ["", f"<details><summary>Nội dung đã tạo cho {code(path.as_posix())}</summary>", "",
                f"{fence}yaml", "\n".join(map(printable, text.rstrip("\n").split("\n"))), fence, "", "</details>"]
    return out


def _edit_link(path: Path) -> str:
    """The file named, linked to its editor on the hosting site when the job says where that is."""
    shown = code(path.as_posix())
    branch = os.environ.get("GITHUB_REF_NAME") or os.environ.get("CI_COMMIT_BRANCH")
    if os.environ.get("GITHUB_SERVER_URL") and os.environ.get("GITHUB_REPOSITORY") and branch:
        base = f"{os.environ['GITHUB_SERVER_URL']}/{os.environ['GITHUB_REPOSITORY']}/edit/"
    elif os.environ.get("CI_PROJECT_URL") and branch:
        base = f"{os.environ['CI_PROJECT_URL']}/-/edit/"
    else:
        return shown
    return f"[{shown}]({base}{url_quote(branch)}/{url_quote(path.as_posix())})"


def md(text: str) -> str:
    """Text shown as itself in Markdown, on one line: what could start markup, a link or HTML is escaped."""
    text = printable(" ".join(text.split()))
    text = re.sub(r"([\\`*_{}\[\]()<>#!|~&$+])", r"\\\1", text)
    # No automatic link either (GitHub links "http://…", "www.…" and e-mail addresses by themselves).
    return text.replace("://", "&#58;//").replace("@", "&#64;").replace("www.", "www&#46;")


def code(text: str) -> str:
    """A path as a code span, whatever backticks it holds."""
    text = printable(" ".join(text.split()))
    ticks = "`" * (1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"
