"""`qip-site import`: the Word files and folders given, imported one by one, then a summary.

A folder means its .docx, .doc, .odt and .rtf files. A file that fails is told and the others go on; with
several files, each is numbered and a summary table ends the run. The return code is 0 only
when every file was imported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .import_file import Result, import_file
from .notes import ImportFailed, shown

# What a folder's files may be: Word, old Word, what LibreOffice turns into Word, and PDF with a text layer.
WORD_SUFFIXES = (".docx", ".doc", ".odt", ".rtf", ".pdf")


def import_paths(paths: list[Path], plans_dir: Path, *, school: str | None = None, out: Path | None = None,
                 force: bool = False, echo: Callable[[str], Any] = print) -> int:
    """Import each Word file (a folder means its .docx, .doc, .odt and .rtf files) into plans_dir; 0 if all imported."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in WORD_SUFFIXES
                           and not p.name.startswith("~$") and p.is_file())
            if not found:
                echo(f"Thư mục {shown(path)} không có tệp văn bản (.docx, .doc, .odt, .rtf, .pdf).")
            files.extend(found)
        else:
            files.append(path)
    if not files:
        echo("Không có tệp nào để nhập.")
        return 1
    if out is not None and len(files) > 1:
        echo("Chỉ dùng --out khi nhập một tệp; hãy bỏ --out để nhập nhiều tệp (mỗi kế hoạch vào thư mục trường).")
        return 1
    results: list[Result] = []
    written: set[Path] = set()
    for number, path in enumerate(files, 1):
        prefix = f"[{number}/{len(files)}] " if len(files) > 1 else ""
        echo(f"{prefix}Nhập {shown(path)}")
        result = Result(path)
        try:
            import_file(path, plans_dir, school, out, force, written, result, echo)
        except ImportFailed as failure:
            result.status, result.reason = "failed", str(failure)
            echo(f"  Lỗi: {failure}")
        except Exception as exc:  # a bug or a file shape not foreseen: tell it, go on with the others
            result.status, result.reason = "failed", f"lỗi không lường trước khi đọc tệp ({type(exc).__name__}: {exc})"
            echo(f"  Lỗi: {result.reason}. Hãy báo lại kèm tệp Word này.")
        results.append(result)
    if len(files) > 1:
        _summary(results, echo)
    return 0 if all(r.status != "failed" for r in results) else 1


def _summary(results: list[Result], echo: Callable[[str], Any]) -> None:
    labels = {"ok": "đã nhập", "warnings": "đã nhập, có cảnh báo", "failed": "thất bại"}
    rows = []
    for r in results:
        detail = (shown(r.target) if r.target else "") if r.status != "failed" else r.reason
        if r.status == "warnings":
            detail += f" ({len(r.warnings)} cảnh báo)"
        rows.append((r.source.name, labels[r.status], detail))
    head = ("Tệp", "Kết quả", "Tệp kế hoạch / lý do")
    widths = [max(len(x[i]) for x in rows + [head]) for i in range(2)]
    echo("")
    echo("Tóm tắt:")
    for row in [head, ("-" * widths[0], "-" * widths[1], "-" * len(head[2]))] + rows:
        echo(f"  {row[0].ljust(widths[0])}  {row[1].ljust(widths[1])}  {row[2]}")
    counts = Counter(r.status for r in results)
    echo(f"Đã nhập {counts['ok'] + counts['warnings']}/{len(results)} tệp ({counts['warnings']} tệp có cảnh báo), "
         f"{counts['failed']} tệp thất bại.")
