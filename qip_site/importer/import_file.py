"""One Word file imported: read, parsed, its period and school found, written, then checked.

The steps in order: open the file (word_file) → blocks (docx_reader) → the plan's data (parser)
→ the period (period) and the school's folder and level (school) → the table fitted (fit_table)
→ nothing lost (checks.account) → YAML written (writer) → the check on the files written
(checks.check_written). What happened is told with `echo` and kept in a `Result`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import account, account_words, check_written
from .docx_reader import Reader
from .fit_table import fit_table
from .not_text import message as not_text_message
from .not_text import not_text
from .notes import ImportFailed, Notes, quote, shown
from .parser import Parsed, parse
from .period import plan_period
from .results import keep_results
from .school import existing_level, new_school, school_folder
from .word_file import open_document
from .writer import plan_yaml, school_yaml


@dataclass
class Result:
    source: Path
    status: str = "failed"  # "ok", "warnings" or "failed"
    target: Path | None = None
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    notes: Notes | None = None  # the importer's own warnings and findings, once the file is written


def import_file(path: Path, plans_dir: Path, school_arg: str | None, out: Path | None, force: bool,
                written: set[Path], result: Result, echo: Callable[[str], Any]) -> None:
    """Import `path`; raises ImportFailed before anything is written when it cannot be."""
    notes = Notes()
    parsed = read_word(path, notes)
    data = parsed.data
    header = data.get("header", {})
    for key, message in [("number", "Không tìm thấy số văn bản"), ("school", "Không tìm thấy tên trường"),
                         ("place_date", "Không tìm thấy ngày ban hành (dòng địa danh, ngày tháng)")]:
        if key not in header:
            notes.warn(message + "; trang web sẽ ghi \"Không ghi trong văn bản\".")
    period = plan_period(parsed, (out or path).stem, notes)
    folder = out.parent if out is not None else plans_dir / school_folder(path, header, school_arg, notes)
    target = out if out is not None else folder / f"{period.slug}.yml"
    if target.resolve() in written:
        raise ImportFailed(f"tệp {shown(target)} vừa được ghi từ một tệp Word khác trong lần nhập này; "
                           "hãy nhập riêng tệp này với --out.", ImportFailed.WRITTEN_TWICE, target)
    if target.exists() and not force:
        raise ImportFailed(f"tệp {shown(target)} đã có; không ghi đè. Dùng --force để ghi đè.",
                           ImportFailed.EXISTS, target)
    school_file = folder / "school.yml"
    if school_file.exists():
        level, school_data = existing_level(school_file), None
    else:
        school_data = new_school(folder, header, data, parsed.source_lines, notes)
        level = school_data["level"]
    if "table" in data:
        fit_table(data["table"], level, period, notes)
    data = {"period": period.first.label if period.is_annual
            else {"from": period.first.label, "to": period.last.label}, **data}
    if parsed.words is not None:
        tally = account_words(data, parsed.words, notes)
    elif parsed.source is not None:
        tally = account(data, notes, parsed.source, parsed.added)
    else:  # pragma: no cover - every reader gives the file's own text to count on
        raise ImportFailed("không đếm được chữ của tệp nguồn.")
    if target.exists():  # --force: the results the school wrote since are not in the Word file (counted apart)
        keep_results(target, data, notes)

    folder.mkdir(parents=True, exist_ok=True)
    if school_data is not None:
        school_file.write_text(school_yaml(school_data, path.name), encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(plan_yaml(data, path.name), encoding="utf-8")
    written.add(target.resolve())
    result.target = target
    table = (f"bảng {parsed.columns} cột, {parsed.criteria_rows} dòng tiêu chí." if "table" in data
             else "không có bảng kế hoạch.")
    echo(f"  Đã ghi {shown(target)}: {len(data.get('sections', []))} mục, {table}")
    if tally.words:
        echo(f"  Đối chiếu với tệp {'PDF' if parsed.words is not None else 'Word'}: {tally.words} chữ; {tally.left_out} chữ cố ý không nhập (đã báo, hoặc "
             f"nhãn như «Nơi nhận:»); thiếu {tally.lost} chữ, thừa {tally.doubled} chữ.")
    if school_data is not None:
        echo(f"  Đã ghi {shown(school_file)} (trường mới).")

    # The check, as `qip-site check` would run it, on the files just written.
    problems = check_written(target, school_file, out.parent.parent if out is not None else plans_dir)
    for message in notes.warnings:
        echo(f"  Cảnh báo: {message}")
    for _, text in problems:
        echo(f"  {text}")
    errors = [text for is_warning, text in problems if not is_warning]
    result.warnings = notes.warnings + [text for is_warning, text in problems if is_warning]
    result.notes = notes
    if errors:
        result.status = "failed"
        result.reason = f"tệp đã ghi nhưng còn {len(errors)} lỗi khi kiểm tra; hãy sửa rồi chạy lại lệnh check"
        echo(f"  Tệp đã ghi nhưng còn {len(errors)} lỗi; hãy sửa tệp rồi chạy lại lệnh check.")
    else:
        result.status = "warnings" if result.warnings else "ok"
        echo("  Kiểm tra: không có lỗi" + (f", {len(result.warnings)} cảnh báo." if result.warnings else "."))


def read_word(path: Path, notes: Notes) -> Parsed:
    """The Word or PDF file read and parsed; conversions, page headers and words not stored reported.

    A PDF (known by its first bytes) is read by pdf_reader into the same blocks; its words are then
    counted against the plan's data (checks.account_words)."""
    from .pdf_reader import is_pdf, read_pdf

    if is_pdf(path):
        blocks, words = read_pdf(path, notes)
        parsed = parse(blocks, notes)
        parsed.words = words
        notes.original_advice = (
            f"Tệp {path.name} có thể đăng làm bản gốc đã ký của kế hoạch nếu đó là bản đã ký: chép tệp vào "
            "thư mục của trường, cạnh tệp kế hoạch, và đặt tên giống tên tệp kế hoạch với đuôi .pdf (ví dụ "
            "2023-2024.yml và 2023-2024.pdf); trang web tự tìm thấy và đăng kèm.")
        notes.warn(notes.original_advice)
        return parsed
    with tempfile.TemporaryDirectory(prefix="qip-import-") as tmp:
        reader = Reader(open_document(path, Path(tmp), notes))
        blocks = reader.blocks()
    for encoding, count in reader.encodings.items():
        notes.warn(f"Đã chuyển {count} đoạn gõ bằng bảng mã {encoding} sang Unicode; "
                   "hãy đối chiếu chữ với văn bản gốc.")
    if reader.chunks:
        notes.warn(f"Đã đọc {reader.chunks} phần nội dung nhúng từ tệp khác (altChunk) trong tệp Word, từng đoạn một "
                   "dòng (bảng trong đó thành các dòng); hãy đối chiếu với văn bản gốc.")
    unread = not_text_message(not_text(reader.document.element.body))
    if unread:
        notes.warn(unread)
    if reader.contents:
        for line in reader.contents:
            notes.skip(line)
        notes.warn(f"Bỏ qua mục lục tự động của Word ({len(reader.contents)} dòng, từ {quote(reader.contents[0], 40)}): "
                   "đó là các tiêu đề mục của văn bản chép lại kèm số trang; các tiêu đề vẫn được nhập ở chỗ của chúng.")
    if reader.unknown_symbols:
        notes.warn(f"{reader.unknown_symbols} ký hiệu chèn bằng Chèn → Ký hiệu (Insert → Symbol) trong tệp Word không "
                   "đọc được (phông ký hiệu lạ) và không có trong tệp kế hoạch; hãy đối chiếu với văn bản gốc.")
    if reader.lone_numbers:
        shown_numbers = ", ".join(quote(label, 12) for label in reader.lone_numbers[:5])
        notes.warn(f"Bỏ qua {len(reader.lone_numbers)} số thứ tự tự động của Word đứng một mình, trên dòng không có "
                   f"chữ ({shown_numbers}{', …' if len(reader.lone_numbers) > 5 else ''}); nếu văn bản cần các số "
                   "đó, hãy thêm vào tệp kế hoạch.")
    if not blocks:
        raise ImportFailed("tệp Word không có chữ nào.")
    return parse(blocks, notes)
