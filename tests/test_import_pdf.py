"""`qip-site import` of PDF files: a PDF with a text layer is read into the same blocks as a Word file
and gives the same plan; every word of its text layer is counted; a scan (no text) is refused with
its own message. The PDFs are made here, by LibreOffice from the Word fixtures."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run_cli

from qip_site.importer.checks import account_words
from qip_site.importer.notes import Notes
from qip_site.importer.parser import parse
from qip_site.importer.pdf_reader import read_pdf

FIXTURES = REPO.parent / "shared" / "fixtures" / "docx"
LDC, MNTT = "th-le-dinh-chinh_2023-2024", "mn-thuy-tien_2022-2027"
PLANS = {LDC: Path("plans") / "th-le-dinh-chinh" / "2023-2024.yml",
         MNTT: Path("plans") / "mn-thuy-tien" / "2022-2027.yml"}
LOST, DOUBLED = "Chữ trong tệp PDF chưa có trong tệp kế hoạch", "Chữ xuất hiện nhiều lần hơn trong tệp kế hoạch"
pytestmark = pytest.mark.skipif(shutil.which("soffice") is None,
                                reason="LibreOffice is not installed (make test installs it)")


def to_pdf(source: Path, out: Path) -> Path:
    """`source` saved as PDF by LibreOffice into `out`."""
    subprocess.run(["soffice", f"-env:UserInstallation=file://{out}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=180)
    return out / f"{source.stem}.pdf"


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdf")
    return {name: to_pdf(FIXTURES / f"{name}.docx", out) for name in (LDC, MNTT)}


def imported(folder: Path, source: Path, plan: Path) -> tuple[int, str, dict]:
    """`qip-site import SOURCE` run in `folder`: exit code, output, the plan written."""
    folder.mkdir()
    result = run_cli("import", str(source), cwd=folder)
    data = yaml.safe_load((folder / plan).read_text(encoding="utf-8")) if result.returncode == 0 else {}
    return result.returncode, result.stdout + result.stderr, data


def spaced(value):
    """Every text with its runs of spaces and line breaks as one space (a PDF holds no double spaces)."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, dict):
        return {k: spaced(v) for k, v in value.items()}
    if isinstance(value, list):
        return [spaced(v) for v in value]
    return value


def words(value) -> Counter:
    if isinstance(value, str):
        return Counter(value.split())
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    total: Counter = Counter()
    for item in items:
        total += words(item)
    return total


def rows(table: dict) -> list[dict]:
    groups = table.get("levels") or [{"standards": table.get("standards", [])}]
    return [row for g in groups for s in g.get("standards", []) for row in s.get("criteria", [])] + table.get(
        "areas", [])


def warnings(out: str) -> list[str]:
    return [line.strip() for line in out.splitlines() if "Cảnh báo:" in line]


def test_le_dinh_chinh_pdf_gives_the_plan_of_its_word_file(tmp_path, pdfs):
    code, out, from_pdf = imported(tmp_path / "pdf", pdfs[LDC], PLANS[LDC])
    assert code == 0, out
    code, word_out, from_docx = imported(tmp_path / "docx", FIXTURES / f"{LDC}.docx", PLANS[LDC])
    assert code == 0, word_out
    # The same plan but for spacing: the 14 texts that hold two or three spaces in a row in the Word file
    # ("Tiêu chuẩn 3:   Cơ sở vật chất …", "-  Lưu VT.") have one in the PDF, which draws no spaces.
    assert spaced(from_pdf) == spaced(from_docx)
    assert from_pdf["header"] == from_docx["header"]
    assert from_pdf["table"]["columns"] == from_docx["table"]["columns"]
    assert [r.get("code") for r in rows(from_pdf["table"])] == [r.get("code") for r in rows(from_docx["table"])]
    # Nothing lost, nothing doubled; the warnings are the Word file's, and the note on the signed original.
    assert LOST not in out and DOUBLED not in out
    assert warnings(out) == [
        f"Cảnh báo: Tệp {LDC}.pdf có thể đăng làm bản gốc đã ký của kế hoạch nếu đó là bản đã ký: chép tệp vào "
        "thư mục của trường, cạnh tệp kế hoạch, và đặt tên giống tên tệp kế hoạch với đuôi .pdf (ví dụ "
        "2023-2024.yml và 2023-2024.pdf); trang web tự tìm thấy và đăng kèm."] + warnings(word_out)


def test_thuy_tien_pdf_gives_the_words_of_its_word_file_row_by_row(tmp_path, pdfs):
    code, out, from_pdf = imported(tmp_path / "pdf", pdfs[MNTT], PLANS[MNTT])
    assert code == 0, out
    code, word_out, from_docx = imported(tmp_path / "docx", FIXTURES / f"{MNTT}.docx", PLANS[MNTT])
    assert code == 0, word_out
    for key in ("header", "title", "preamble", "sections", "period"):
        assert spaced(from_pdf[key]) == spaced(from_docx[key]), key
    assert from_pdf["table"]["columns"] == from_docx["table"]["columns"]
    pdf_rows, docx_rows = rows(from_pdf["table"]), rows(from_docx["table"])
    assert [r.get("code") for r in pdf_rows] == [r.get("code") for r in docx_rows]
    # In the narrow cells of this table a line ending a sentence cannot be told from a paragraph's end:
    # the PDF's cells may hold their paragraphs split otherwise (and so the years not paired), but every
    # row holds the same words. "school_year" is derived from the timeline, not read.
    for pdf_row, docx_row in zip(pdf_rows, docx_rows):
        for row in (pdf_row, docx_row):
            for year in row.get("years", []):
                year.pop("school_year")
        assert words(pdf_row) == words(docx_row), pdf_row.get("code")
    assert words(from_pdf.get("closing")) == words(from_docx.get("closing"))
    assert LOST not in out and DOUBLED not in out


@pytest.mark.parametrize("name", [LDC, MNTT])
def test_accounting_names_a_word_removed_or_doubled(pdfs, name):
    notes = Notes()
    blocks, source_words = read_pdf(pdfs[name], notes)
    data = parse(blocks, notes).data

    def fresh() -> Notes:  # the lines the parser knowingly did not store ("Nơi nhận:"), or stored again
        return Notes(skipped=list(notes.skipped), copied=list(notes.copied))

    tally = account_words(copy.deepcopy(data), source_words, fresh())
    assert not tally.lost and not tally.doubled, (tally.lost_words, tally.doubled_words)
    # A word taken out of the first section's text is named as lost.
    broken = copy.deepcopy(data)
    content = broken["sections"][0]["content"]
    first = next(i for i, item in enumerate(content) if isinstance(item, str) and len(item.split()) > 3)
    removed = content[first].split()[-1]
    content[first] = content[first].rsplit(" ", 1)[0]
    told = fresh()
    tally = account_words(broken, source_words, told)
    assert tally.lost_words == Counter({removed: 1}) and not tally.doubled
    assert f"{LOST}: «{removed}»; hãy chép vào chỗ đúng." in told.warnings
    # A paragraph written twice is named as doubled.
    doubled_data = copy.deepcopy(data)
    doubled_data["sections"][0]["content"].append(content[first])
    told = fresh()
    tally = account_words(doubled_data, source_words, told)
    lost, doubled = tally.lost_words, tally.doubled_words
    # (A word may be told in its pieces instead: "trường" stored once too often and "trường." made of
    # "trường" + "." are the same count.)
    assert sum(doubled.values()) >= len(content[first].split()) - 1 and sum(lost.values()) <= 1
    assert any(w.startswith(DOUBLED) for w in told.warnings)


def test_page_numbers_and_running_footer_are_left_out_and_said(tmp_path):
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document(str(FIXTURES / f"{LDC}.docx"))
    footer = document.sections[0].footer
    footer.is_linked_to_previous = False
    footer.paragraphs[0].text = "Kế hoạch cải tiến chất lượng năm học 2023-2024"
    number = OxmlElement("w:fldSimple")
    number.set(qn("w:instr"), "PAGE")
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    number.append(run)
    footer.add_paragraph()._p.append(number)
    source = tmp_path / "ke-hoach.docx"
    document.save(str(source))
    pdf = to_pdf(source, tmp_path / "made")
    code, out, data = imported(tmp_path / "pdf", pdf, Path("plans") / "th-le-dinh-chinh" / "2023-2024.yml")
    assert code == 0, out
    assert "Cảnh báo: Bỏ qua số trang của tệp PDF (11 trang, như «1»): không thuộc nội dung kế hoạch." in out
    assert ("Cảnh báo: Bỏ qua dòng lặp lại ở đầu hoặc chân các trang của tệp PDF (đầu trang/chân trang, 11 trang): "
            "«Kế hoạch cải tiến chất lượng năm học 2023-2024»; không thuộc nội dung kế hoạch.") in out
    assert "Kế hoạch cải tiến chất lượng năm học 2023-2024" not in yaml.safe_dump(data, allow_unicode=True)
    assert LOST not in out and DOUBLED not in out


def test_scanned_pdf_is_refused_with_its_own_message(tmp_path):
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (1240, 1754), "white")  # A4 at 150 dpi: a page of "text" as a scan has it
    draw = ImageDraw.Draw(page)
    for y in range(150, 1600, 40):
        draw.rectangle((120, y, 1120, y + 14), fill="black")
    scan = tmp_path / "ke-hoach-da-ky.pdf"
    page.save(scan, "PDF", resolution=150)
    (tmp_path / "run").mkdir()
    result = run_cli("import", str(scan), cwd=tmp_path / "run")
    assert result.returncode == 1
    assert ("Lỗi: Tệp ke-hoach-da-ky.pdf là bản quét (ảnh), không có lớp chữ nên không nhập được. Hãy nhập tệp Word "
            "(.docx) của kế hoạch, hoặc gõ kế hoạch bằng lệnh «qip-site new»; tệp PDF này vẫn dùng được làm bản gốc "
            "đã ký, đặt cạnh tệp kế hoạch.") in result.stdout
    assert not (tmp_path / "run" / "plans").exists()


def test_damaged_and_password_protected_pdf_have_their_own_messages(tmp_path):
    damaged = tmp_path / "hong.pdf"
    damaged.write_bytes(b"%PDF-1.4\nnot a PDF body\n")
    locked = tmp_path / "made" / f"{LDC}.pdf"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
                    '"DocumentOpenPassword":{"type":"string","value":"matkhau"}}',
                    "--outdir", str(locked.parent), str(FIXTURES / f"{LDC}.docx")], check=True, capture_output=True,
                   timeout=180)
    (tmp_path / "run").mkdir()
    for source, message in [
        (damaged, "Lỗi: Không đọc được tệp hong.pdf: tệp PDF bị hỏng hoặc không đọc được. Hãy xuất lại tệp PDF từ "
                  "Word (Tệp → Lưu thành → PDF), hoặc nhập tệp Word, rồi nhập lại."),
        (locked, f"Lỗi: Không đọc được tệp {LDC}.pdf: tệp PDF được bảo vệ bằng mật khẩu. Hãy nhập tệp Word của kế "
                 "hoạch, hoặc mở tệp PDF bằng mật khẩu và lưu lại một bản không đặt mật khẩu, rồi nhập lại."),
    ]:
        result = run_cli("import", str(source), cwd=tmp_path / "run")
        assert result.returncode == 1
        assert message in result.stdout, result.stdout
    assert not (tmp_path / "run" / "plans").exists()


def test_folder_takes_pdf_files(tmp_path, pdfs):
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(pdfs[LDC], folder / "ke-hoach.pdf")
    (tmp_path / "run").mkdir()
    result = run_cli("import", str(folder), cwd=tmp_path / "run")
    assert result.returncode == 0, result.stdout
    assert re.search(r"Nhập .*ke-hoach\.pdf", result.stdout)
    assert (tmp_path / "run" / PLANS[LDC]).exists()
