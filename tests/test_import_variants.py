"""`qip-site import` of Word layouts met in other schools' plans: a plan table with two heading rows,
a plan table in several parts (one per standard, a paragraph between them), content pulled in from
another file (altChunk), the title typed in a table cell; a table summing up strengths and weaknesses before
the plan table, the school years as columns, an appendix after the signature, a template or macro-enabled file
renamed .docx, Strict Open XML, hidden text (on the run, through a style, in comments, in a Word file pulled
in), Word's table of contents (also as a bare TOC field), a value on a lower row of a merged criterion,
standards in Roman numerals and criteria without the standard's number (in their column or across the row), a
criterion named by its title only, a blank number and dates in figures, two plans in one file; the footnotes,
comments and headers of a Word file pulled in, the hidden elements of an HTML file pulled in; a PDF made from such
a file by LibreOffice (the header's columns, a number wider than its cell); a criterion row out of order (under a
standard of another number), empty tables left over from a layout.

Each Word file is made here with python-docx (and lxml where python-docx cannot write the XML); the
import runs as the command does (`import_paths`), and the tests look at the plan written, the
messages and the exit code.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from ruamel.yaml import YAML

from qip_site.importer import import_paths

PLAN = Path("mn-hoa-sen") / "2024-2025.yml"
LOST = "chưa có trong tệp kế hoạch"
DOUBLED = "nhiều lần hơn trong tệp kế hoạch"
COLUMNS = ["TT", "Tiêu chí", "Điểm yếu", "Biện pháp", "Người phụ trách", "Thời gian", "Kinh phí"]
STANDARD_1 = "Tiêu chuẩn 1: Tổ chức và quản lý nhà trường"
STANDARD_2 = "Tiêu chuẩn 2: Cán bộ quản lý, giáo viên, nhân viên và trẻ"
TITLE = ["KẾ HOẠCH", "CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC", "Năm học 2024 - 2025"]


def header(document) -> None:
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([["UBND HUYỆN BÌNH CHÁNH", "TRƯỜNG MẦM NON HOA SEN", "Số: 12/KH-MNHS"],
                             ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                              "Bình Chánh, ngày 5 tháng 9 năm 2024"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


def closing(document) -> None:
    for text in ["III. TỔ CHỨC THỰC HIỆN", "Hiệu trưởng chỉ đạo chung.",
                 "Trên đây là kế hoạch cải tiến chất lượng giáo dục năm học 2024-2025 của trường./."]:
        document.add_paragraph(text)
    signature = document.add_table(rows=1, cols=2)
    signature.cell(0, 0).text, signature.cell(0, 1).text = "Nơi nhận:", "HIỆU TRƯỞNG\nNguyễn Thị Lan"


def table(document, rows: list[list[str]]):
    """A table of texts; "^" merges a cell with the one above, "<" with the one on its left."""
    out = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text not in ("^", "<"):
                out.cell(r, c).text = text
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text == "^":
                top = r
                while rows[top][c] == "^":
                    top -= 1
                out.cell(top, c).merge(out.cell(r, c))
            elif text == "<":
                start = c
                while rows[r][start] == "<":
                    start -= 1
                out.cell(r, start).merge(out.cell(r, c))
    return out


def plan_file(path: Path, body) -> Path:
    """A plan of Trường Mầm non Hoa Sen for 2024-2025: header, title, section I, `body(document)` (section II
    and its table), section III, closing sentence, signature."""
    document = docx.Document()
    header(document)
    for text in [*TITLE, "I. MỤC ĐÍCH, YÊU CẦU", "Nâng cao chất lượng chăm sóc, giáo dục trẻ.",
                 "II. NỘI DUNG KẾ HOẠCH"]:
        document.add_paragraph(text)
    body(document)
    closing(document)
    document.save(str(path))
    return path


ROW = ["1", "Tiêu chí 1.1", "Chưa có", "Lập kế hoạch", "Hiệu trưởng", "Cả năm", "Không"]  # one criterion row


def standard_table(document, *rows: list[str]):
    """The plan table: its headings, "Tiêu chuẩn 1" across, then `rows` (ROW when none are given)."""
    return table(document, [COLUMNS, [STANDARD_1, *["<"] * (len(COLUMNS) - 1)], *(rows or [ROW])])


def one_standard_plan(path: Path, *rows: list[str]) -> Path:
    """`plan_file` with `standard_table` as its plan table."""
    return plan_file(path, lambda document: standard_table(document, *rows))


def imported(source: Path, tmp_path: Path) -> tuple[int, str, dict]:
    """Import as the command does: exit code, everything printed, the plan written."""
    lines: list[str] = []
    plans = tmp_path / "plans"
    code = import_paths([source], plans, echo=lines.append)
    out = "\n".join(lines)
    data = YAML(typ="safe").load((plans / PLAN).read_text(encoding="utf-8"))
    return code, out, data


def assert_all_counted(out: str) -> None:
    """The importer's count of the Word file's words against the plan finds nothing lost or doubled."""
    assert LOST not in out and DOUBLED not in out, out
    assert "thiếu 0 chữ, thừa 0 chữ" in out, out


# --- a plan table with two heading rows -----------------------------------------------------------

def test_second_heading_row_joins_the_headings_above(tmp_path):
    def body(document):
        table(document, [
            ["TT", "Tiêu chí", "Biện pháp", "Người thực hiện", "<", "Thời gian"],
            ["^", "^", "^", "Chủ trì", "Phối hợp", "^"],
            [STANDARD_1, "<", "<", "<", "<", "<"],
            ["1", "Tiêu chí 1.1", "Lập kế hoạch", "Hiệu trưởng", "Tổ chuyên môn", "Cả năm"],
            ["2", "Tiêu chí 1.2", "Họp hội đồng", "Phó hiệu trưởng", "Công đoàn", "Tháng 9"],
        ])

    code, out, data = imported(plan_file(tmp_path / "hai-dong-tieu-de.docx", body), tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    columns = data["table"]["columns"]
    assert columns["responsible"] == "Người thực hiện\nChủ trì\nPhối hợp"
    assert "Bảng có hai dòng tiêu đề cột" in out
    # The table keeps its standards: the second heading row is not a row of the plan.
    standard = data["table"]["standards"][0]
    assert standard["heading"] == STANDARD_1
    assert [row["code"] for row in standard["criteria"]] == ["1.1", "1.2"]
    # Each sub-column's value after its sub-heading, so the editor still sees who leads and who helps.
    assert standard["criteria"][0]["responsible"] == ["Chủ trì: Hiệu trưởng", "Phối hợp: Tổ chuyên môn"]
    assert standard["criteria"][1]["measures"] == "Họp hội đồng"


def test_school_years_under_the_time_heading_keep_their_year(tmp_path):
    def body(document):
        table(document, [
            ["TT", "Tiêu chí", "Biện pháp", "Người phụ trách", "Thời gian thực hiện", "<", "<"],
            ["^", "^", "^", "^", "2024-2025", "2025-2026", "2026-2027"],
            [STANDARD_1, "<", "<", "<", "<", "<", "<"],
            ["1", "Tiêu chí 1.1", "Lập kế hoạch", "Hiệu trưởng", "x", "", "x"],
        ])
        # At the page break Word's table goes on with both heading rows typed again.
        table(document, [
            ["TT", "Tiêu chí", "Biện pháp", "Người phụ trách", "Thời gian thực hiện", "<", "<"],
            ["^", "^", "^", "^", "2024-2025", "2025-2026", "2026-2027"],
            ["2", "Tiêu chí 1.2", "Họp hội đồng", "Phó hiệu trưởng", "", "x", ""],
        ])

    code, out, data = imported(plan_file(tmp_path / "cot-nam-hoc.docx", body), tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert data["table"]["columns"]["timeline"] == "Thời gian thực hiện\n2024-2025\n2025-2026\n2026-2027"
    rows = data["table"]["standards"][0]["criteria"]
    assert [row["code"] for row in rows] == ["1.1", "1.2"]
    assert rows[0]["timeline"] == ["2024-2025: x", "2026-2027: x"]
    assert rows[1]["timeline"] == "2025-2026: x"
    assert "Bỏ qua dòng tiêu đề cột lặp lại ở phần sau của bảng: 2 dòng" in out


# --- a plan table in several parts -----------------------------------------------------------------

def test_one_table_per_standard_under_its_heading_paragraph(tmp_path):
    def body(document):
        document.add_paragraph(STANDARD_1)
        table(document, [COLUMNS, ["1", "Tiêu chí 1.1", "Chưa có", "Lập kế hoạch", "Hiệu trưởng", "Cả năm", "Không"]])
        document.add_paragraph(STANDARD_2)
        # The second part without the headings, the third with them typed again and "(tiếp theo)" above it.
        table(document, [["2", "Tiêu chí 2.1", "Thiếu", "Bồi dưỡng", "Phó hiệu trưởng", "Tháng 10", "5.000.000"]])
        document.add_paragraph("(tiếp theo)")
        table(document, [COLUMNS, ["3", "Tiêu chí 2.2", "Ít", "Tập huấn", "Tổ trưởng", "Tháng 11", "Không"]])

    code, out, data = imported(plan_file(tmp_path / "moi-tieu-chuan-mot-bang.docx", body), tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    standards = data["table"]["standards"]
    assert [s["heading"] for s in standards] == [STANDARD_1, STANDARD_2]
    assert [[row["code"] for row in s["criteria"]] for s in standards] == [["1.1"], ["2.1", "2.2"]]
    assert standards[1]["criteria"][0]["budget"] == "5.000.000"
    assert "Bỏ qua dòng tiêu đề cột lặp lại ở phần sau của bảng: 1 dòng" in out
    # The line between two parts that is no standard stays in the section, after the table, and is said.
    section = next(s for s in data["sections"] if s.get("table"))
    assert section["content"] == "(tiếp theo)"
    assert "có 1 đoạn sau bảng kế hoạch" in out
    assert "ngoài bảng kế hoạch" not in out


# --- content pulled in from another file (w:altChunk) -----------------------------------------------

def with_chunk(path: Path, content_type: str, blob: bytes) -> Path:
    """A plan whose section I ends with a w:altChunk showing `blob` (as web form programs write them)."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    def body(document):
        pass

    plan_file(path, body)
    document = docx.Document(str(path))
    part = Part(PackURI("/word/afchunk1.dat"), content_type, blob, document.part.package)
    rid = document.part.relate_to(
        part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk")
    chunk = document.element.body.makeelement(qn("w:altChunk"), {qn("r:id"): rid})
    aim = next(p for p in document.paragraphs if p.text.startswith("Nâng cao"))
    aim._p.addnext(chunk)
    document.save(str(path))
    return path


def test_html_pulled_in_with_alt_chunk_is_read_in_place(tmp_path):
    html = ("<html><head><meta charset='utf-8'><style>p {color: red}</style></head><body>"
            "<p>Phát huy thế mạnh của đội ngũ.</p><ul><li>Rà soát minh chứng &amp; hồ sơ.</li></ul>"
            "</body></html>").encode("utf-8")
    code, out, data = imported(with_chunk(tmp_path / "alt-chunk.docx", "text/html", html), tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert data["sections"][0]["content"] == ["Nâng cao chất lượng chăm sóc, giáo dục trẻ.",
                                              "Phát huy thế mạnh của đội ngũ.", "Rà soát minh chứng & hồ sơ."]
    assert "Đã đọc 1 phần nội dung nhúng từ tệp khác (altChunk)" in out


def test_alt_chunk_that_cannot_be_read_refuses_the_file(tmp_path):
    rtf = b"{\\rtf1\\ansi Noi dung}"
    plans = tmp_path / "plans"
    lines: list[str] = []
    code = import_paths([with_chunk(tmp_path / "alt-chunk-rtf.docx", "application/rtf", rtf)], plans,
                        echo=lines.append)
    out = "\n".join(lines)
    assert code == 1, out
    assert "phần nội dung nhúng từ tệp khác (altChunk, kiểu application/rtf) không đọc được" in out
    assert "Traceback" not in out and not (plans / PLAN).exists()


# --- the title, or the whole plan, in a frame; the title in the header's table ------------------------

def test_title_in_a_framed_cell_is_the_title(tmp_path):
    path = tmp_path / "ten-trong-o.docx"
    one_standard_plan(path)
    document = docx.Document(str(path))
    framed = document.add_table(rows=1, cols=1)
    framed.cell(0, 0).text = "\n".join(TITLE)
    paragraphs = [p for p in document.paragraphs if p.text in TITLE]
    paragraphs[0]._p.addprevious(framed._tbl)
    for paragraph in paragraphs:
        paragraph._p.getparent().remove(paragraph._p)
    document.save(str(path))

    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert data["title"] == TITLE
    assert data["period"] == "2024-2025"
    assert "preamble" not in data
    assert data["header"]["school"] == "TRƯỜNG MẦM NON HOA SEN"
    assert "Không tìm thấy tên văn bản" not in out


def test_school_year_guessed_from_the_text_as_a_title_would_name_it(tmp_path):
    """A title without years, a file name without years: the school year the text names most often,
    however it is written ("năm học: 2023 - 2024", "NĂM HỌC : 2023–2024"), and the import says so."""
    document = docx.Document()
    header(document)
    for text in ["KẾ HOẠCH", "CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC", "I. MỤC ĐÍCH, YÊU CẦU",
                 "Căn cứ kết quả tự đánh giá năm học: 2023 - 2024.", "Thực hiện trong NĂM HỌC : 2023–2024.",
                 "Tham khảo năm học 2023-2025 (không phải một năm học).", "II. NỘI DUNG KẾ HOẠCH"]:
        document.add_paragraph(text)
    standard_table(document)
    closing(document)  # "… năm học 2024-2025 của trường": named once, against twice
    path = tmp_path / "ke-hoach.docx"
    document.save(str(path))
    lines: list[str] = []
    code = import_paths([path], tmp_path / "plans", echo=lines.append)
    out = "\n".join(lines)
    assert code == 0, out
    assert (tmp_path / "plans" / "mn-hoa-sen" / "2023-2024.yml").exists(), out
    assert 'đã đoán period 2023-2024 từ các dòng "năm học …" trong văn bản' in out, out


def test_plan_table_inside_a_one_cell_frame_is_the_plan_table(tmp_path):
    def body(document):
        frame = document.add_table(rows=1, cols=1)
        cell = frame.cell(0, 0)
        cell.paragraphs[0].text = "Bảng kế hoạch cụ thể:"
        inner = cell.add_table(rows=3, cols=len(COLUMNS))
        for r, row in enumerate([COLUMNS, [STANDARD_1] + [""] * 6,
                                 ["1", "Tiêu chí 1.1", "Chưa có", "Lập kế hoạch", "Hiệu trưởng", "Cả năm", "Không"]]):
            for c, text in enumerate(row):
                inner.cell(r, c).text = text
        inner.cell(1, 0).merge(inner.cell(1, len(COLUMNS) - 1))

    code, out, data = imported(plan_file(tmp_path / "khung.docx", body), tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert data["table"]["standards"][0]["criteria"][0]["measures"] == "Lập kế hoạch"
    section = next(s for s in data["sections"] if s.get("table"))
    assert section["heading"] == "II. NỘI DUNG KẾ HOẠCH" and section["content"] == "Bảng kế hoạch cụ thể:"
    assert "Không tìm thấy bảng kế hoạch" not in out and "ngoài bảng kế hoạch" not in out


def test_title_in_a_row_across_the_header_table(tmp_path):
    path = tmp_path / "ten-trong-bang-dau.docx"
    one_standard_plan(path)
    document = docx.Document(str(path))
    head = document.tables[0]
    row = head.add_row()
    across = row.cells[0].merge(row.cells[-1])
    across.text = "\n".join(TITLE)
    for paragraph in [p for p in document.paragraphs if p.text in TITLE]:
        paragraph._p.getparent().remove(paragraph._p)
    document.save(str(path))

    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert data["title"] == TITLE
    assert data["header"]["number"] == "Số: 12/KH-MNHS"
    assert "preamble" not in data and "Không tìm thấy tên văn bản" not in out


# --- signs typed with Insert → Symbol (w:sym) ------------------------------------------------------

def test_signs_typed_with_insert_symbol_are_read(tmp_path):
    path = tmp_path / "ky-hieu.docx"
    one_standard_plan(path,
        ["1", "Tiêu chí 1.1", "Tỷ lệ chuyên cần 90%", "Phấn đấu tỷ lệ", "Hiệu trưởng", "Cả năm", "Không"])
    document = docx.Document(str(path))
    cell = document.tables[1].cell(2, 3).paragraphs[0]
    last = cell.runs[-1]._r
    for font, char, text in [("Symbol", "F0B3", " 98%"), ("Wingdings", "F06E", " trẻ đi học đều")]:
        run = last.makeelement(qn("w:r"), {})
        run.append(run.makeelement(qn("w:sym"), {qn("w:font"): font, qn("w:char"): char}))
        last.addnext(run)
        after = cell.add_run(text)._r
        run.addnext(after)
        last = after
    document.save(str(path))

    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    row = data["table"]["standards"][0]["criteria"][0]
    assert row["measures"] == "Phấn đấu tỷ lệ≥ 98%■ trẻ đi học đều"
    assert "Insert → Symbol" not in out


def test_sign_of_an_unknown_symbol_font_is_said(tmp_path):
    path = tmp_path / "ky-hieu-la.docx"
    one_standard_plan(path)
    document = docx.Document(str(path))
    run = document.tables[1].cell(2, 3).paragraphs[0].runs[0]._r
    sym = run.makeelement(qn("w:r"), {})
    sym.append(sym.makeelement(qn("w:sym"), {qn("w:font"): "Webdings", qn("w:char"): "F061"}))
    run.addprevious(sym)
    document.save(str(path))

    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert data["table"]["standards"][0]["criteria"][0]["measures"] == "Lập kế hoạch"
    assert "1 ký hiệu chèn bằng Chèn → Ký hiệu (Insert → Symbol) trong tệp Word không đọc được" in out


@pytest.mark.parametrize("font, sign, shown", [("Symbol", "\uf0b3", "≥"), ("Wingdings", "\uf0fc", "✓"),
                                               ("Webdings", "\uf061", "")])
def test_signs_stored_as_text_of_a_symbol_font_are_read_as_insert_symbol_ones(tmp_path, font, sign, shown):
    """LibreOffice (so a .doc the importer converts) writes Insert → Symbol signs as text: U+F0xx in a run of the
    symbol font. They are the same signs; one of a font not known is said, as a w:sym of it is."""
    path = tmp_path / "ky-hieu-chu.docx"
    one_standard_plan(path, ["1", "Tiêu chí 1.1", "Tỷ lệ chuyên cần", "Phấn đấu tỷ lệ", "Hiệu trưởng", "Cả năm",
                             "Không"])
    document = docx.Document(str(path))
    run = document.tables[1].cell(2, 3).paragraphs[0].add_run(sign)
    run.font.name = font  # w:ascii and w:hAnsi
    document.tables[1].cell(2, 3).paragraphs[0].add_run(" 98%")
    document.save(str(path))

    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert data["table"]["standards"][0]["criteria"][0]["measures"] == f"Phấn đấu tỷ lệ{shown} 98%"
    said = "1 ký hiệu chèn bằng Chèn → Ký hiệu (Insert → Symbol) trong tệp Word không đọc được"
    assert (said in out) == (not shown), out


# --- criteria written "TC 1.1" ----------------------------------------------------------------------

def test_criterion_written_tc_gets_its_code(tmp_path):
    path = one_standard_plan(tmp_path / "tc.docx",
        ["1", "TC 1.1: Phương hướng, chiến lược", "Chưa có", "Lập kế hoạch", "Hiệu trưởng", "Cả năm", "Không"],
        ["2", "TC1.3", "Thiếu", "Bổ sung", "Phó hiệu trưởng", "Tháng 9", "Không"])
    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    rows = data["table"]["standards"][0]["criteria"]
    assert [(row["code"], row["criterion"]) for row in rows] == [("1.1", "TC 1.1: Phương hướng, chiến lược"),
                                                                  ("1.3", "TC1.3")]


# --- what a Word file shows that is not text: pictures, formulas, embedded objects ------------------

def test_pictures_formulas_and_objects_are_said(tmp_path):
    import io

    from PIL import Image

    path = tmp_path / "hinh.docx"
    one_standard_plan(path)
    document = docx.Document(str(path))
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(png, "PNG")
    # A chart of the results pasted as a picture, under the plan table's section.
    document.paragraphs[-1].add_run().add_picture(io.BytesIO(png.getvalue()))
    # A formula typed with Word's equation editor, in the table: "x = 2".
    cell = document.tables[1].cell(2, 3).paragraphs[0]._p
    math = "http://schemas.openxmlformats.org/officeDocument/2006/math"
    formula = cell.makeelement(f"{{{math}}}oMath", {})
    run = formula.makeelement(f"{{{math}}}r", {})
    text = run.makeelement(f"{{{math}}}t", {})
    text.text = "x=2"
    run.append(text)
    formula.append(run)
    cell.append(formula)
    # An embedded object (an Excel table) with the picture Word shows for it: one object, not a picture too.
    embedded = cell.makeelement(qn("w:object"), {})
    shape = embedded.makeelement("{urn:schemas-microsoft-com:vml}shape", {})
    shape.append(shape.makeelement("{urn:schemas-microsoft-com:vml}imagedata", {}))
    embedded.append(shape)
    holder = cell.makeelement(qn("w:r"), {})
    holder.append(embedded)
    cell.append(holder)
    document.save(str(path))

    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert data["table"]["standards"][0]["criteria"][0]["measures"] == "Lập kế hoạch"
    assert ("Tệp Word có 1 hình ảnh, 1 công thức, 1 đối tượng nhúng (bảng Excel, công thức kiểu cũ…): trang web "
            "chỉ đăng chữ, nên các phần này không có trong tệp kế hoạch.") in out, out


def test_a_file_of_text_only_says_nothing_of_pictures(tmp_path):
    path = tmp_path / "chu.docx"
    one_standard_plan(path)
    code, out, _ = imported(path, tmp_path)
    assert code == 0 and "trang web chỉ đăng chữ" not in out, out


# --- a table that sums up strengths and weaknesses before the plan table -----------------------------

def test_summary_table_before_the_plan_table_is_not_the_plan_table(tmp_path):
    def body(document):
        document.add_paragraph("1. Đánh giá chung")
        table(document, [["Tiêu chí", "Điểm mạnh", "Điểm yếu", "Nguyên nhân"],
                         ["Tiêu chí 1.1", "Có kế hoạch rõ ràng", "Chưa cập nhật kịp thời", "Thiếu nhân sự"]])
        document.add_paragraph("2. Kế hoạch cụ thể")
        standard_table(document)

    code, out, data = imported(plan_file(tmp_path / "bang-tong-hop.docx", body), tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert list(data["table"]["columns"]) == ["index", "criterion", "weakness", "measures", "responsible",
                                              "timeline", "budget"]
    assert data["table"]["standards"][0]["criteria"][0]["measures"] == "Lập kế hoạch"
    # The summary's cells stay in the section, in order, and it is said.
    content = next(s for s in data["sections"] if s.get("table"))["content"]
    assert "Điểm mạnh" in content and content.index("Có kế hoạch rõ ràng") < content.index("Thiếu nhân sự")
    assert "Bảng 2 dòng ngoài bảng kế hoạch" in out


# --- a multi-year plan: the school years as columns, ticked ------------------------------------------

def test_school_years_as_columns_join_the_timeline(tmp_path):
    path = plan_file(tmp_path / "cot-cac-nam.docx", lambda document: table(document, [
        ["TT", "Tiêu chí", "Nội dung cải tiến", "2024-2025", "2025-2026", "2026-2027", "Người phụ trách"],
        [STANDARD_1, "<", "<", "<", "<", "<", "<"],
        ["1", "Tiêu chí 1.1", "Lập kế hoạch", "x", "", "x", "Hiệu trưởng"]]))
    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert data["table"]["columns"]["timeline"] == "2024-2025\n2025-2026\n2026-2027"
    row = data["table"]["standards"][0]["criteria"][0]
    assert row["timeline"] == ["2024-2025: x", "2026-2027: x"]
    assert row["responsible"] == "Hiệu trưởng" and row["target"] == "Lập kế hoạch"
    assert "được ghép vào cột thời gian" in out and "không khớp trường nào" not in out


# --- an appendix after the signature ------------------------------------------------------------------

def test_appendix_after_the_signature_is_a_last_section(tmp_path):
    path = one_standard_plan(tmp_path / "phu-luc.docx")
    document = docx.Document(str(path))
    document.add_paragraph("PHỤ LỤC")
    table(document, [["STT", "Họ và tên", "Chức vụ"], ["1", "Nguyễn Văn An", "Phó hiệu trưởng"]])
    document.save(str(path))

    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert data["sections"][-1] == {"heading": "PHỤ LỤC",
                                    "content": ["STT", "Họ và tên", "Chức vụ", "1", "Nguyễn Văn An", "Phó hiệu trưởng"]}
    assert "recipients" not in data and data["signer"] == {"position": "HIỆU TRƯỞNG", "name": "Nguyễn Thị Lan"}
    assert "Phần «PHỤ LỤC» sau chữ ký được nhập thành mục cuối" in out


# --- a Word template or macro-enabled file renamed .docx; a .docx saved as Strict Open XML ------------

def rewritten(source: Path, target: Path, replace: dict[bytes, bytes]) -> Path:
    """A copy of a Word file with bytes replaced in every XML part."""
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for part in old.infolist():
            data = old.read(part)
            if part.filename.endswith((".xml", ".rels")):
                for before, after in replace.items():
                    data = data.replace(before, after)
            new.writestr(part, data)
    return target


def simple_plan(path: Path) -> Path:
    return one_standard_plan(path)


MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@pytest.mark.parametrize(("content_type", "called"), [
    (b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml", "mẫu Word (.dotx)"),
    (b"application/vnd.ms-word.document.macroEnabled.main+xml", "tệp Word có macro (.docm)"),
], ids=["dotx", "docm"])
def test_template_or_macro_file_renamed_docx_is_read(tmp_path, content_type, called):
    path = rewritten(simple_plan(tmp_path / "goc.docx"), tmp_path / "mau.docx", {MAIN: content_type})
    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert data["table"]["standards"][0]["criteria"][0]["measures"] == "Lập kế hoạch"
    assert f"Tệp mau.docx là {called}, không phải văn bản Word thường (.docx)" in out


@pytest.mark.parametrize("declaration", [
    '<!DOCTYPE w:document [<!ENTITY ten "Lập kế hoạch">]>'.encode("utf-8"),
    b'<!doctype w:document [<!ENTITY ngoai SYSTEM "file:///etc/hostname">]>',
], ids=["internal-entity", "external-entity"])
def test_xml_part_declaring_entities_is_refused(tmp_path, declaration):
    """Word never writes a DOCTYPE: text standing in an entity would be lost in silence (or, for an
    external one, a file of the machine read), so the file is refused and nothing is written."""
    import zipfile

    source, path = simple_plan(tmp_path / "goc.docx"), tmp_path / "thuc-the.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for part in old.infolist():
            data = old.read(part)
            if part.filename == "word/document.xml":  # the main text only: the other parts as Word wrote them
                data = data.replace(b"standalone='yes'?>", b"standalone='yes'?>" + declaration, 1)
                assert declaration in data
            new.writestr(part, data)
    lines: list[str] = []
    code = import_paths([path], tmp_path / "plans", echo=lines.append)
    out = "\n".join(lines)
    assert code == 1, out
    assert ("Không đọc được tệp thuc-the.docx: phần «word/document.xml» khai báo kiểu văn bản hoặc thực thể "
            "(<!DOCTYPE, <!ENTITY)") in out, out
    assert "Traceback" not in out
    assert not (tmp_path / "plans").exists() or not list((tmp_path / "plans").rglob("*.yml"))


STRICT = {b"http://schemas.openxmlformats.org/wordprocessingml/2006/main": b"http://purl.oclc.org/ooxml/wordprocessingml/main",
          b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
          b"http://purl.oclc.org/ooxml/officeDocument/relationships"}


def test_strict_open_xml_without_libreoffice_says_how_to_save_it(tmp_path, monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    path = rewritten(simple_plan(tmp_path / "goc.docx"), tmp_path / "strict.docx", STRICT)
    lines: list[str] = []
    code = import_paths([path], tmp_path / "plans", echo=lines.append)
    out = "\n".join(lines)
    assert code == 1, out
    assert ("Không đọc được tệp strict.docx: đây là tệp Word lưu dạng Strict Open XML (ISO/IEC 29500 Strict), "
            "không phải dạng .docx thường (.docx); cần LibreOffice") in out
    assert "lưu lại dạng .docx thường" in out and "Traceback" not in out


@pytest.mark.skipif(__import__("shutil").which("soffice") is None,
                    reason="LibreOffice is not installed (make test installs it)")
def test_strict_open_xml_is_converted_with_libreoffice(tmp_path):
    path = rewritten(simple_plan(tmp_path / "goc.docx"), tmp_path / "strict.docx", STRICT)
    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert data["title"] == TITLE
    assert data["table"]["standards"][0]["criteria"][0]["measures"] == "Lập kế hoạch"
    assert "Tệp strict.docx là tệp Word lưu dạng Strict Open XML (ISO/IEC 29500 Strict), không phải dạng .docx " \
           "thường: đã chuyển sang .docx bằng LibreOffice" in out


# --- hidden text (Font → Hidden) ---------------------------------------------------------------------

def test_hidden_text_is_said_and_not_imported(tmp_path):
    path = simple_plan(tmp_path / "chu-an.docx")
    document = docx.Document(str(path))
    aim = next(p for p in document.paragraphs if p.text.startswith("Nâng cao"))
    aim.add_run(" Ghi chú nội bộ không in.").font.hidden = True
    document.tables[1].cell(2, 3).paragraphs[0].add_run(" (nháp)").font.hidden = True
    document.save(str(path))

    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert data["sections"][0]["content"] == "Nâng cao chất lượng chăm sóc, giáo dục trẻ."
    assert data["table"]["standards"][0]["criteria"][0]["measures"] == "Lập kế hoạch"
    for text in ("«Ghi chú nội bộ không in.»", "«(nháp)»"):
        assert ("Chữ ẩn (định dạng Hidden) trong tệp Word không được nhập: Word không hiện và không in chữ này: "
                + text) in out


# --- Word's table of contents --------------------------------------------------------------------------

def test_table_of_contents_is_left_out_and_said(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE

    path = simple_plan(tmp_path / "muc-luc.docx")
    document = docx.Document(str(path))
    # A table of contents as Word writes it: a content control of the "Table of Contents" gallery, and
    # (as a re-saved file may hold it) a paragraph of the style "toc 1" under a localized id.
    style = document.styles.add_style("Mucluc1", WD_STYLE_TYPE.PARAGRAPH)
    style.element.find(qn("w:name")).set(qn("w:val"), "toc 1")
    year = next(p for p in document.paragraphs if p.text == TITLE[-1])
    control = document.element.body.makeelement(qn("w:sdt"), {})
    properties = control.makeelement(qn("w:sdtPr"), {})
    part = properties.makeelement(qn("w:docPartObj"), {})
    part.append(part.makeelement(qn("w:docPartGallery"), {qn("w:val"): "Table of Contents"}))
    properties.append(part)
    content = control.makeelement(qn("w:sdtContent"), {})
    content.append(document.add_paragraph("MỤC LỤC")._p)
    content.append(document.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU\t1")._p)
    control.extend([properties, content])
    year._p.addnext(control)
    control.addnext(document.add_paragraph("II. NỘI DUNG KẾ HOẠCH\t2", style=style)._p)
    document.save(str(path))

    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert data["title"] == TITLE
    assert [s["heading"] for s in data["sections"]] == ["I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG KẾ HOẠCH",
                                                        "III. TỔ CHỨC THỰC HIỆN"]
    assert "Bỏ qua mục lục tự động của Word (3 dòng, từ «MỤC LỤC»)" in out


# --- hidden text through a style (a character or paragraph style whose font is Hidden) ----------------

def test_text_hidden_by_its_style_is_said_and_not_imported(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE

    path = simple_plan(tmp_path / "kieu-an.docx")
    document = docx.Document(str(path))
    # A character style hidden through the style it is based on; a paragraph style hidden itself.
    base = document.styles.add_style("NhapGoc", WD_STYLE_TYPE.CHARACTER)
    base.font.hidden = True
    draft = document.styles.add_style("Nhap", WD_STYLE_TYPE.CHARACTER)
    draft.base_style = base
    internal = document.styles.add_style("NoiBo", WD_STYLE_TYPE.PARAGRAPH)
    internal.font.hidden = True
    aim = next(p for p in document.paragraphs if p.text.startswith("Nâng cao"))
    aim.add_run(" Ghi chú nội bộ không in.", style=draft)
    aim._p.addnext(document.add_paragraph("Đoạn soạn thảo chưa duyệt.", style=internal)._p)
    document.tables[1].cell(2, 3).paragraphs[0].add_run(" (nháp)", style=draft)
    # The run's own formatting says last: shown, in a paragraph of the hidden style.
    shown = document.add_paragraph("", style=internal)
    shown.add_run("Hiện dù kiểu ẩn.").font.hidden = False
    aim._p.addnext(shown._p)
    document.save(str(path))

    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert data["sections"][0]["content"] == ["Nâng cao chất lượng chăm sóc, giáo dục trẻ.", "Hiện dù kiểu ẩn."]
    assert data["table"]["standards"][0]["criteria"][0]["measures"] == "Lập kế hoạch"
    for text in ("«Ghi chú nội bộ không in.»", "«(nháp)»", "«Đoạn soạn thảo chưa duyệt.»"):
        assert ("Chữ ẩn (định dạng Hidden) trong tệp Word không được nhập: Word không hiện và không in chữ này: "
                + text) in out


# --- hidden text in a comment, and in a Word file pulled in with altChunk -----------------------------

def test_hidden_text_in_a_comment_or_a_pulled_in_word_file_is_said(tmp_path):
    import io

    inner = docx.Document()
    paragraph = inner.add_paragraph("Phát huy thế mạnh của đội ngũ.")
    paragraph.add_run(" Bản nháp của tổ.").font.hidden = True
    blob = io.BytesIO()
    inner.save(blob)
    path = with_chunk(tmp_path / "an-nhung.docx", "application/vnd.openxmlformats-officedocument."
                      "wordprocessingml.document", blob.getvalue())
    document = docx.Document(str(path))
    aim = next(p for p in document.paragraphs if p.text.startswith("Nâng cao"))
    comment = document.add_comment(aim.runs, text="Xem lại câu này.", author="Tổ trưởng")
    comment.paragraphs[0].add_run(" Chỉ tổ biết.").font.hidden = True
    document.save(str(path))

    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert data["sections"][0]["content"] == ["Nâng cao chất lượng chăm sóc, giáo dục trẻ.",
                                              "Phát huy thế mạnh của đội ngũ."]
    assert "Nhận xét (comment) của Tổ trưởng trong tệp Word không được nhập" in out and "«Xem lại câu này.»" in out
    for text in ("«Bản nháp của tổ.»", "«Chỉ tổ biết.»"):
        assert ("Chữ ẩn (định dạng Hidden) trong tệp Word không được nhập: Word không hiện và không in chữ này: "
                + text) in out


# --- Word's table of contents typed as a field (TOC), without its content control or styles -----------

def field_run(document, char: str | None = None, instruction: str | None = None, text: str | None = None):
    """A w:r holding a fldChar of type `char`, an instrText or a w:t."""
    run = document.element.body.makeelement(qn("w:r"), {})
    if char:
        run.append(run.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): char}))
    elif instruction:
        node = run.makeelement(qn("w:instrText"), {})
        node.text = instruction
        run.append(node)
    else:
        node = run.makeelement(qn("w:t"), {})
        node.text = text
        run.append(node)
    return run


@pytest.mark.parametrize("kind", ["complex", "simple"])
def test_table_of_contents_typed_as_a_field_is_left_out_and_said(tmp_path, kind):
    path = simple_plan(tmp_path / "muc-luc-truong.docx")
    document = docx.Document(str(path))
    year = next(p for p in document.paragraphs if p.text == TITLE[-1])
    heading = document.add_paragraph("MỤC LỤC")
    year._p.addnext(heading._p)
    entries = [("I. MỤC ĐÍCH, YÊU CẦU", "1"), ("II. NỘI DUNG KẾ HOẠCH", "2")]
    if kind == "complex":
        # fldChar begin, "TOC", separate, the entries (each with a PAGEREF field inside), end: over paragraphs.
        last = heading
        for n, (entry, page) in enumerate(entries):
            paragraph = document.add_paragraph()
            p = paragraph._p
            if n == 0:
                p.extend([field_run(document, "begin"), field_run(document, instruction=' TOC \\o "1-3" \\h \\z \\u '),
                          field_run(document, "separate")])
            p.extend([field_run(document, text=entry + "\t"), field_run(document, "begin"),
                      field_run(document, instruction=" PAGEREF _Toc1 \\h "), field_run(document, "separate"),
                      field_run(document, text=page), field_run(document, "end")])
            last._p.addnext(p)
            last = paragraph
        closing_paragraph = document.add_paragraph()
        closing_paragraph._p.append(field_run(document, "end"))
        last._p.addnext(closing_paragraph._p)
    else:
        paragraph = document.add_paragraph()
        field = paragraph._p.makeelement(qn("w:fldSimple"), {qn("w:instr"): 'TOC \\o "1-3"'})
        for n, (entry, page) in enumerate(entries):
            if n:
                run = field_run(document, text="")
                run.remove(run[0])
                run.append(run.makeelement(qn("w:br"), {}))
                field.append(run)
            field.append(field_run(document, text=f"{entry}\t{page}"))
        paragraph._p.append(field)
        heading._p.addnext(paragraph._p)
    document.save(str(path))

    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert data["title"] == TITLE and "preamble" not in data
    assert [s["heading"] for s in data["sections"]] == ["I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG KẾ HOẠCH",
                                                        "III. TỔ CHỨC THỰC HIỆN"]
    assert data["sections"][0]["content"] == "Nâng cao chất lượng chăm sóc, giáo dục trẻ."
    assert "Bỏ qua mục lục tự động của Word (3 dòng, từ «MỤC LỤC»)" in out, out


# --- a criterion cell merged down over several measure rows, a column filled on a lower row only -------

def test_value_on_a_lower_row_of_a_merged_criterion_keeps_its_row(tmp_path):
    def body(document):
        table(document, [
            ["TT", "Tiêu chí", "Biện pháp", "Người phụ trách", "Thời gian", "Ghi chú"],
            [STANDARD_1, "<", "<", "<", "<", "<"],
            ["1", "Tiêu chí 1.1", "Lập kế hoạch", "Hiệu trưởng", "Tháng 9", ""],
            ["^", "^", "Họp hội đồng", "Phó hiệu trưởng", "Tháng 10", "Mời phụ huynh"],
            ["^", "^", "Rà soát", "", "Tháng 11", ""],
        ])

    code, out, data = imported(plan_file(tmp_path / "gop-doc.docx", body), tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    row = data["table"]["standards"][0]["criteria"][0]
    assert row["measures"] == ["Lập kế hoạch", "Họp hội đồng", "Rà soát"]
    assert row["timeline"] == ["Tháng 9", "Tháng 10", "Tháng 11"]
    # Values filled from the first row on stay in order; the note of the second row only says which row it is of.
    assert row["responsible"] == ["Hiệu trưởng", "Phó hiệu trưởng"]
    assert row["note"] == "Họp hội đồng: Mời phụ huynh"
    assert "1 ô ở các dòng gộp chung một ô tiêu chí không thẳng hàng" in out


# --- standards numbered in Roman; criteria written "1.1" alone, or "Tiêu chí 1" without the standard ----

def test_roman_standards_and_bare_criteria_get_their_codes(tmp_path):
    path = plan_file(tmp_path / "so-la-ma.docx", lambda document: table(document, [
        COLUMNS, ["Tiêu chuẩn I: Tổ chức và quản lý nhà trường", "<", "<", "<", "<", "<", "<"],
        ["1", "1.1", "Chưa có", "Lập kế hoạch", "Hiệu trưởng", "Cả năm", "Không"],
        ["TIÊU CHUẨN II: Cán bộ quản lý", "<", "<", "<", "<", "<", "<"],
        ["2", "Tiêu chí 3: Đối với nhân viên", "Thiếu", "Bồi dưỡng", "Phó hiệu trưởng", "Tháng 10", "Không"]]))
    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    standards = data["table"]["standards"]
    assert [s["heading"] for s in standards] == ["Tiêu chuẩn I: Tổ chức và quản lý nhà trường",
                                                 "TIÊU CHUẨN II: Cán bộ quản lý"]
    assert [s.get("number") for s in standards] == [1, 2]  # the site reads the number of "Tiêu chuẩn 2" only
    assert [(row["code"], row["criterion"]) for s in standards for row in s["criteria"]] == [
        ("1.1", "1.1"), ("2.3", "Tiêu chí 3: Đối với nhân viên")]
    assert "không phải dòng mức hay tiêu chuẩn" not in out
    assert ("Tiêu chí «Tiêu chí 3: Đối với nhân viên» không ghi số tiêu chuẩn: được ghi mã 2.3 theo dòng "
            "«TIÊU CHUẨN II: Cán bộ quản lý» ở trên; hãy kiểm tra.") in out


# --- a blank document number; a date written in figures, or without its day ------------------------------

@pytest.mark.parametrize(("number", "place_date", "date"), [
    ("Số:      /KH-MNHS", "Bình Chánh, ngày 05.9.2024", "2024-09-05"),
    ("Số: /KH-MNHS", "Bình Chánh, ngày 05/09/2024", "2024-09-05"),
    ("Số:      /KH-MNHS", "Bình Chánh, ngày    tháng 9 năm 2024", None),
], ids=["dots", "slashes", "no-day"])
def test_blank_number_and_short_dates_stay_in_the_header(tmp_path, number, place_date, date):
    path = simple_plan(tmp_path / "ngay.docx")
    document = docx.Document(str(path))
    document.tables[0].cell(0, 2).text = number
    document.tables[0].cell(1, 2).text = place_date
    document.save(str(path))

    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert data["header"]["number"] == number and data["header"]["place_date"] == place_date
    assert "preamble" not in data
    if date:
        assert str(data["header"]["date"]) == date
        assert f"được ghi thêm vào header.date: {date}" in out
    else:
        assert "date" not in data["header"]
        assert "không đọc được ngày ban hành" in out


# --- two plans in one file: the 5-year plan, then the annual plan -----------------------------------------

def test_second_plan_in_the_same_file_is_said(tmp_path):
    def body(document):
        standard_table(document)
        for text in ["KẾ HOẠCH", "CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC", "Năm học 2025 - 2026", "I. MỤC TIÊU",
                     "Thực hiện năm đầu."]:
            document.add_paragraph(text)
        table(document, [COLUMNS, [STANDARD_2, "<", "<", "<", "<", "<", "<"],
                         ["1", "Tiêu chí 2.1", "Thiếu", "Bồi dưỡng", "Phó hiệu trưởng", "Tháng 10", "Không"]])

    code, out, data = imported(plan_file(tmp_path / "hai-ke-hoach.docx", body), tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert data["title"] == TITLE
    assert [s["heading"] for s in data["table"]["standards"]] == [STANDARD_1]
    assert ("Tệp Word có hai kế hoạch: sau bảng kế hoạch đầu có thêm tên văn bản «KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG "
            "GIÁO DỤC Năm học 2025 - 2026» và bảng của nó.") in out
    assert "Hãy tách tệp Word thành hai tệp, mỗi tệp một kế hoạch, rồi nhập từng tệp." in out


# --- a criterion row across the table written "Tiêu chí 1: …", its standard given by the row above --------

def test_criterion_across_the_row_without_its_standard_number_is_a_criterion(tmp_path):
    path = plan_file(tmp_path / "tieu-chi-ngang.docx", lambda document: table(document, [
        COLUMNS, [STANDARD_2, "<", "<", "<", "<", "<", "<"],
        ["Tiêu chí 1: Đối với cán bộ quản lý", "<", "<", "<", "<", "<", "<"],
        ["1", "", "Chưa có", "Bồi dưỡng", "Hiệu trưởng", "Cả năm", "Không"],
        ["2", "", "Thiếu", "Tự học", "Phó hiệu trưởng", "Tháng 9", "Không"]]))
    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    standards = data["table"]["standards"]
    assert [s["heading"] for s in standards] == [STANDARD_2]
    [row] = standards[0]["criteria"]
    assert (row["code"], row["criterion"]) == ("2.1", "Tiêu chí 1: Đối với cán bộ quản lý")
    assert row["measures"] == ["Bồi dưỡng", "Tự học"]
    assert "không phải dòng mức hay tiêu chuẩn" not in out
    assert ("Tiêu chí «Tiêu chí 1: Đối với cán bộ quản lý» không ghi số tiêu chuẩn: được ghi mã 2.1 theo dòng "
            "«Tiêu chuẩn 2:") in out


# --- a Word file pulled in with altChunk: its footnotes, comments and headers ----------------------------

def test_notes_comments_and_headers_of_a_pulled_in_word_file_are_read_or_said(tmp_path):
    import io

    inner = docx.Document()
    paragraph = inner.add_paragraph("Phát huy thế mạnh của đội ngũ.")
    inner.add_comment(paragraph.runs, text="Bổ sung số liệu.", author="Phó hiệu trưởng")
    inner.sections[0].header.paragraphs[0].text = "Bản dự thảo của tổ chuyên môn"
    # A footnote, written by hand (python-docx has no API for it): the part, its relationship, the reference.
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    w_ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    notes = (f'<w:footnotes xmlns:w="{w_ns}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/>'
             '</w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>Theo Thông tư 19/2018.</w:t></w:r>'
             '</w:p></w:footnote></w:footnotes>').encode("utf-8")
    part = Part(PackURI("/word/footnotes.xml"), "application/vnd.openxmlformats-officedocument."
                "wordprocessingml.footnotes+xml", notes, inner.part.package)
    inner.part.relate_to(part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes")
    reference = paragraph._p.makeelement(qn("w:r"), {})
    reference.append(reference.makeelement(qn("w:footnoteReference"), {qn("w:id"): "1"}))
    paragraph._p.append(reference)
    blob = io.BytesIO()
    inner.save(blob)
    path = with_chunk(tmp_path / "nhung-chu-thich.docx", "application/vnd.openxmlformats-officedocument."
                      "wordprocessingml.document", blob.getvalue())

    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    # The footnote read after the text pulled in; the comment and the page header said, as the main file's.
    assert data["sections"][0]["content"] == ["Nâng cao chất lượng chăm sóc, giáo dục trẻ.",
                                              "Phát huy thế mạnh của đội ngũ.", "Theo Thông tư 19/2018."]
    assert ("Nhận xét (comment) của Phó hiệu trưởng trong tệp Word không được nhập: đó là ý kiến góp ý, không phải "
            "nội dung văn bản đã duyệt: «Bổ sung số liệu.»") in out
    assert "Chữ ở đầu trang/chân trang của Word không được nhập: «Bản dự thảo của tổ chuyên môn»" in out


# --- an HTML file pulled in with altChunk: its hidden elements -----------------------------------------

def test_hidden_html_of_a_pulled_in_page_is_said_and_not_imported(tmp_path):
    html = ("<html><head><style>/* nháp */ p.nhap, .an { display : none } .do { color: red }</style></head><body>"
            "<p>Phát huy thế mạnh của đội ngũ.</p>"
            "<div style='color: red; display: none'><p>Bản nháp <b>không in</b>.</p><br></div>"
            "<p hidden>Ghi chú của tổ.</p><p>Rà soát <span style='visibility:hidden'>tạm</span>minh chứng.</p>"
            "<p class='do an'>Ý kiến riêng.</p><p class='do'>Báo cáo hội đồng.</p></body></html>").encode("utf-8")
    code, out, data = imported(with_chunk(tmp_path / "nhung-an.docx", "text/html", html), tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert data["sections"][0]["content"] == ["Nâng cao chất lượng chăm sóc, giáo dục trẻ.",
                                              "Phát huy thế mạnh của đội ngũ.", "Rà soát minh chứng.",
                                              "Báo cáo hội đồng."]
    for text in ("«Bản nháp không in.»", "«Ghi chú của tổ.»", "«tạm»", "«Ý kiến riêng.»"):
        assert ("Chữ ẩn (định dạng Hidden) trong tệp Word không được nhập: Word không hiện và không in chữ này: "
                + text) in out


# --- the criterion column holding only the circular's title of the criterion, without its code ------------

def test_criterion_named_by_its_title_only_gets_the_code_of_that_title(tmp_path):
    path = one_standard_plan(tmp_path / "ten-tieu-chi.docx",
        ["1", "Hội đồng trường và các hội đồng khác", "Chưa có", "Lập kế hoạch", "Hiệu trưởng", "Cả năm", "Không"],
        ["2", "Công tác khác của trường", "Thiếu", "Bổ sung", "Hiệu trưởng", "Cả năm", "Không"])
    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    rows = data["table"]["standards"][0]["criteria"]
    assert rows[0]["code"] == "1.2" and rows[0]["criterion"] == "Hội đồng trường và các hội đồng khác"
    assert "code" not in rows[1]  # no criterion of that title: nothing invented
    assert ("Dòng «Hội đồng trường và các hội đồng khác» ghi tên tiêu chí mà không ghi mã: được ghi mã 1.2 theo tên "
            "tiêu chí trong thông tư; hãy kiểm tra.") in out


# --- a PDF made from such a Word file: the header's columns on a page of short lines, a number too wide -----

def test_pdf_header_columns_and_a_number_broken_by_its_narrow_cell(tmp_path):
    import shutil
    import subprocess

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (make test installs it)")
    rows = [["1", "Tiêu chí 1.1", "Chưa có", "Lập kế hoạch", "Hiệu trưởng", "Cả năm", "5.000.000"]]
    rows += [[str(n), f"Tiêu chí 1.{n}", f"Điểm yếu số {n} cần khắc phục trong năm học",
              f"Biện pháp thứ {n}: rà soát, bổ sung hồ sơ và báo cáo kết quả cho hội đồng trường",
              "Phó hiệu trưởng", f"Tháng {n + 7}", "Không"] for n in range(2, 11)]
    source = one_standard_plan(tmp_path / "ke-hoach.docx", *rows)
    document = docx.Document(str(source))
    document.tables[1].style = document.styles["Table Grid"]  # ruled, as plan tables are
    # The header as schools lay it out: two columns without borders, the national name wrapped in its column.
    head = document.add_table(rows=3, cols=2)
    for r, pair in enumerate([("UBND HUYỆN BÌNH CHÁNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                              ("TRƯỜNG MẦM NON HOA SEN", "Độc lập - Tự do - Hạnh phúc"),
                              ("Số: 12/KH-MNHS", "Bình Chánh, ngày 5 tháng 9 năm 2024")]):
        head.cell(r, 0).text, head.cell(r, 1).text = pair
    document.tables[0]._tbl.addprevious(head._tbl)
    document.element.body.remove(document.tables[1]._tbl)
    document.save(str(source))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path / "pdf"), str(source)], check=True, capture_output=True,
                   timeout=180)

    code, out, data = imported(tmp_path / "pdf" / "ke-hoach.pdf", tmp_path)
    assert code == 0, out
    assert "thiếu 0 chữ, thừa 0 chữ" in out and "chưa có trong tệp kế hoạch" not in out, out
    # The right column's lines wrapped by its cell are joined again, though the page holds no line as wide.
    assert data["header"]["national_name"] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert data["header"]["place_date"] == "Bình Chánh, ngày 5 tháng 9 năm 2024"
    assert "preamble" not in data and "Đoạn không xếp được vào đâu" not in out
    # "5.000.000" does not fit its column: Word breaks it at the cell's edge; it is one number again.
    criteria = data["table"]["standards"][0]["criteria"]
    assert criteria[0]["budget"] == "5.000.000"
    assert [row["code"] for row in criteria] == [f"1.{n}" for n in range(1, 11)]


# --- the national name and the date broken by a narrow header column ---------------------------------------

def test_national_name_and_date_broken_by_a_narrow_column_stay_in_their_fields(tmp_path):
    path = simple_plan(tmp_path / "cot-hep.docx")
    document = docx.Document(str(path))
    document.tables[0].cell(1, 0).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA\nVIỆT NAM"
    document.tables[0].cell(1, 2).text = "Bình Chánh, ngày 5 tháng 9 năm\n2024"
    document.save(str(path))

    code, out, data = imported(path, tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert data["header"]["national_name"] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA\nVIỆT NAM"
    assert data["header"]["place_date"] == "Bình Chánh, ngày 5 tháng 9 năm\n2024"
    assert "preamble" not in data and "Đoạn không xếp được vào đâu" not in out
    assert "Dòng quốc hiệu ghi trên 2 dòng" in out


# --- robustness of real files edited elsewhere: rows out of order, empty tables --------------------------

def test_criterion_under_a_standard_of_another_number_is_said(tmp_path):
    # A criterion row moved above its standard's row: it sits under the standard before; kept as written, said.
    def body(document):
        table(document, [
            COLUMNS,
            [STANDARD_1, *["<"] * (len(COLUMNS) - 1)],
            ROW,
            ["2", "Tiêu chí 2.1", "Chưa đủ", "Bồi dưỡng", "Phó hiệu trưởng", "Tháng 10", "Không"],
            [STANDARD_2, *["<"] * (len(COLUMNS) - 1)],
            ["3", "Tiêu chí 2.2", "Thiếu", "Tuyển thêm", "Hiệu trưởng", "Tháng 11", "Không"],
        ])

    code, out, data = imported(plan_file(tmp_path / "dong-lon-xon.docx", body), tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert "Tiêu chí nằm dưới tiêu chuẩn khác số" in out and "2.1 dưới «Tiêu chuẩn 1" in out, out
    assert "2.2 dưới" not in out and "1.1 dưới" not in out, out
    standards = data["table"]["standards"]
    assert [[row["code"] for row in s["criteria"]] for s in standards] == [["1.1", "2.1"], ["2.2"]]


def test_empty_tables_are_not_said_to_be_moved_text(tmp_path):
    # Empty tables left over from a layout (no text in any cell): nothing to place, nothing to say.
    def body(document):
        document.add_table(rows=2, cols=3)
        standard_table(document)

    def with_empty_table_first(path: Path) -> Path:
        document = docx.Document(str(plan_file(path, body)))
        empty = document.add_table(rows=1, cols=2)
        document.element.body.insert(0, empty._tbl)
        document.save(str(path))
        return path

    code, out, data = imported(with_empty_table_first(tmp_path / "bang-trong.docx"), tmp_path)
    assert code == 0, out
    assert_all_counted(out)
    assert "ngoài bảng kế hoạch" not in out, out
    assert data["header"]["school"] == "TRƯỜNG MẦM NON HOA SEN"
    assert [row["code"] for row in data["table"]["standards"][0]["criteria"]] == ["1.1"]
    assert "Nâng cao chất lượng chăm sóc, giáo dục trẻ." in data["sections"][0]["content"]
