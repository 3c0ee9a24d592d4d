"""`qip-site import` of plan tables as school clerks type them: cells merged down rows or across
columns (their value given to every row and column they span, said once, not counted as doubled
text) and the column headings typed again inside the table (skipped, said once).

The Word files are made here with python-docx; the import runs as the editor runs it, and the
tests look at the plan file written, the messages and the exit code.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import docx
from conftest import run_cli
from ruamel.yaml import YAML

from qip_site.importer import import_paths

UP = "^"  # the cell is merged with the cell above it
LEFT = "<"  # the cell is merged with the cell on its left
COLUMNS = ["TT", "Tiêu chí", "Điểm yếu", "Biện pháp", "Người phụ trách", "Thời gian", "Kinh phí"]
STANDARD = "Tiêu chuẩn 1: Tổ chức và quản lý nhà trường"
PLAN = Path("plans") / "mn-hoa-sen" / "2024-2025.yml"
LOST = "chưa có trong tệp kế hoạch"
DOUBLED = "Đoạn xuất hiện nhiều lần hơn trong tệp kế hoạch so với tệp Word"
MERGED_NOTE = "ô gộp (merged) được chép cho mọi dòng, mọi cột chúng trải qua"
REPEATED_NOTE = "Bỏ qua dòng tiêu đề cột lặp lại ở phần sau của bảng"


def add_table(document, rows: list[list[str]]) -> None:
    """A table from rows of texts; UP and LEFT merge a cell with the one above or on its left."""
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text not in (UP, LEFT):
                table.cell(r, c).text = text
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text == UP:
                top = r
                while rows[top][c] == UP:
                    top -= 1
                table.cell(top, c).merge(table.cell(r, c))
            elif text == LEFT:
                start = c
                while rows[r][start] == LEFT:
                    start -= 1
                table.cell(r, start).merge(table.cell(r, c))


def plan_docx(path: Path, rows: list[list[str]]) -> Path:
    """A plan of Trường Mầm non Hoa Sen for 2024-2025 whose plan table has the column headings, then `rows`."""
    document = docx.Document()
    add_table(document, [
        ["UBND HUYỆN BÌNH CHÁNH", "TRƯỜNG MẦM NON HOA SEN", "Số: 12/KH-MNHS"],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Bình Chánh, ngày 5 tháng 9 năm 2024"],
    ])
    for text in ["KẾ HOẠCH", "CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC", "Năm học 2024 - 2025", "I. MỤC ĐÍCH, YÊU CẦU",
                 "Nâng cao chất lượng chăm sóc, giáo dục trẻ.", "II. NỘI DUNG KẾ HOẠCH"]:
        document.add_paragraph(text)
    add_table(document, [COLUMNS, [STANDARD] + [LEFT] * 6, *rows])
    for text in ["III. TỔ CHỨC THỰC HIỆN", "Hiệu trưởng chỉ đạo chung.",
                 "Trên đây là kế hoạch cải tiến chất lượng giáo dục năm học 2024-2025 của trường./."]:
        document.add_paragraph(text)
    add_table(document, [["Nơi nhận:", "- Phòng GDĐT;", "- Lưu: VT."],
                         ["HIỆU TRƯỞNG", "(Đã ký)", "Nguyễn Thị Lan"]])
    document.save(str(path))
    return path


def imported(tmp_path: Path, rows: list[list[str]], change=None) -> tuple[int, str, list[dict]]:
    """`qip-site import` of a plan with these table rows (the Word file changed by `change(plan_table)`, when
    given): exit code, output, the criterion rows written."""
    source = plan_docx(tmp_path / "ke-hoach.docx", rows)
    if change is not None:
        document = docx.Document(str(source))
        change(document.tables[1]._tbl)
        document.save(str(source))
    folder = tmp_path / "project"
    folder.mkdir()
    result = run_cli("import", str(source), cwd=folder)
    out = result.stdout + result.stderr
    data = YAML(typ="safe").load((folder / PLAN).read_text(encoding="utf-8"))
    return result.returncode, out, data["table"]["standards"][0]["criteria"]


def test_cells_merged_down_give_their_value_to_every_row(tmp_path):
    code, out, criteria = imported(tmp_path, [
        ["1", "Tiêu chí 1.1", "Chưa có kế hoạch", "Lập kế hoạch", "Hiệu trưởng", "Năm học 2024-2025", "Không"],
        ["2", "Tiêu chí 1.2", "Thiếu tổ chuyên môn", "Thành lập tổ", UP, UP, UP],
        ["3", "Tiêu chí 1.3", "Chưa họp định kỳ", "Họp hằng tháng", UP, UP, UP],
    ])
    assert code == 0, out
    assert [row["code"] for row in criteria] == ["1.1", "1.2", "1.3"]
    for row in criteria:
        assert (row["responsible"], row["timeline"], row["budget"]) == ("Hiệu trưởng", "Năm học 2024-2025", "Không")
    assert [row["measures"] for row in criteria] == ["Lập kế hoạch", "Thành lập tổ", "Họp hằng tháng"]
    # Said once, with the count; the copies are not doubled text, and nothing is lost.
    assert out.count(MERGED_NOTE) == 1, out
    assert ("Cảnh báo: 3 ô gộp (merged) được chép cho mọi dòng, mọi cột chúng trải qua (2 dòng của bảng); "
            "hãy soát lại các dòng này và xoá chỗ chép thừa.") in out
    assert DOUBLED not in out and LOST not in out


def test_cell_merged_across_columns_gives_its_value_to_each(tmp_path):
    code, out, criteria = imported(tmp_path, [
        ["1", "Tiêu chí 1.1", "Chưa có kế hoạch", "Lập kế hoạch", "Hiệu trưởng", "Cả năm học", LEFT],
        ["2", "Tiêu chí 1.2", "Thiếu tổ chuyên môn", "Thành lập tổ", "Phó hiệu trưởng", "Tháng 9/2024", "Không"],
    ])
    assert code == 0, out
    first, second = criteria
    assert first["timeline"] == first["budget"] == "Cả năm học"
    assert (second["timeline"], second["budget"]) == ("Tháng 9/2024", "Không")
    assert out.count(MERGED_NOTE) == 1 and "1 ô gộp (merged)" in out and "(1 dòng của bảng)" in out, out
    assert DOUBLED not in out and LOST not in out


def test_rows_without_merged_cells_say_nothing(tmp_path):
    code, out, criteria = imported(tmp_path, [
        ["1", "Tiêu chí 1.1", "Chưa có kế hoạch", "Lập kế hoạch", "Hiệu trưởng", "Cả năm", "Không"],
    ])
    assert code == 0 and len(criteria) == 1, out
    assert MERGED_NOTE not in out and REPEATED_NOTE not in out


def test_headings_typed_again_inside_the_table_are_skipped(tmp_path):
    code, out, criteria = imported(tmp_path, [
        ["1", "Tiêu chí 1.1", "Chưa có kế hoạch", "Lập kế hoạch", "Hiệu trưởng", "Cả năm", "Không"],
        # At a page break: the headings again, in capitals, with other spacing and another wording.
        ["T.T", "TIÊU CHÍ", "Điểm  yếu", "BIỆN PHÁP", "Người thực hiện", "Thời gian", "Kinh phí"],
        ["2", "Tiêu chí 1.2", "Thiếu tổ chuyên môn", "Thành lập tổ", "Phó hiệu trưởng", "Tháng 9/2024", "Không"],
        ["1", "2", "3", "4", "5", "6", "7"],
        ["3", "Tiêu chí 1.3", "Chưa họp định kỳ", "Họp hằng tháng", "Tổ trưởng", "Hằng tháng", "Không"],
    ])
    assert code == 0, out
    assert [row["code"] for row in criteria] == ["1.1", "1.2", "1.3"]
    assert all("TIÊU CHÍ" not in str(row) and "Người thực hiện" not in str(row) for row in criteria)
    assert out.count(REPEATED_NOTE) == 1, out
    assert ("Cảnh báo: Bỏ qua dòng tiêu đề cột lặp lại ở phần sau của bảng: 2 dòng (tiêu đề cột hoặc dòng "
            "đánh số cột gõ lại, thường ở chỗ sang trang); chữ của chúng không được nhập.") in out
    # The headings' text is the table's, already kept: not reported lost.
    assert LOST not in out and DOUBLED not in out


def test_numbering_row_typed_again_is_skipped(tmp_path):
    code, out, criteria = imported(tmp_path, [
        ["1", "Tiêu chí 1.1", "Chưa có kế hoạch", "Lập kế hoạch", "Hiệu trưởng", "Cả năm", "Không"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        ["2", "Tiêu chí 1.2", "Thiếu tổ chuyên môn", "Thành lập tổ", "Phó hiệu trưởng", "Tháng 9/2024", "Không"],
    ])
    assert code == 0, out
    assert [row["code"] for row in criteria] == ["1.1", "1.2"]
    assert out.count(REPEATED_NOTE) == 1 and "bảng: 1 dòng" in out, out
    assert LOST not in out


def test_a_row_like_the_headings_but_with_content_is_kept(tmp_path):
    code, out, criteria = imported(tmp_path, [
        ["1", "Tiêu chí 1.1", "Chưa có kế hoạch", "Lập kế hoạch", "Hiệu trưởng", "Cả năm", "Không"],
        ["2", "Tiêu chí 1.2", "Kết quả chưa đạt", "Biện pháp khác", "Người phụ trách mới", "Thời gian", "Kinh phí"],
    ])
    assert code == 0, out
    assert [row["code"] for row in criteria] == ["1.1", "1.2"]
    assert REPEATED_NOTE not in out


def test_text_really_doubled_is_still_reported(tmp_path, monkeypatch):
    """Merged cells' copies are not counted as doubled; a text the importer wrote twice still is."""
    import_file = importlib.import_module("qip_site.importer.import_file")
    fit = import_file.fit_table

    def doubling_fit(table, *args):
        fit(table, *args)
        row = table["standards"][0]["criteria"][0]
        row["measures"] = row["measures"] + row["measures"]

    monkeypatch.setattr(import_file, "fit_table", doubling_fit)
    source = plan_docx(tmp_path / "ke-hoach.docx", [
        ["1", "Tiêu chí 1.1", "Chưa có kế hoạch", "Lập kế hoạch", "Hiệu trưởng", "Cả năm", "Không"],
        ["2", "Tiêu chí 1.2", "Thiếu tổ chuyên môn", "Thành lập tổ", UP, UP, UP],
    ])
    lines: list[str] = []
    import_paths([source], tmp_path / "plans", echo=lines.append)
    out = "\n".join(lines)
    assert f"{DOUBLED}: «Lập kế hoạch»." in out
    assert out.count(DOUBLED) == 1, out  # not the merged cells' copies
    assert "3 ô gộp (merged)" in out


def _content_controls(element, depth: int):
    """`element` wrapped in `depth` content controls (w:sdt), in its place; the innermost w:sdtContent."""
    from docx.oxml import parse_xml

    inner = element
    for _ in range(depth):
        sdt = parse_xml('<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                        '<w:sdtPr/><w:sdtContent/></w:sdt>')
        inner.addprevious(sdt)
        content = sdt[1]
        content.append(inner)
        inner = sdt
    return element.getparent()


def test_rows_and_cells_inside_nested_content_controls_are_read(tmp_path):
    """A form's repeating section wraps its rows in two content controls, one for the section and one for each
    item; a cell may sit in two as well. Every row is read, and every cell stays in its column."""
    from docx.oxml.ns import qn

    def change(table) -> None:
        rows = table.findall(qn("w:tr"))[2:4]
        section = _content_controls(rows[0], 1)
        for row in rows[1:]:
            section.append(row)
        for row in rows:
            _content_controls(row, 1)
        _content_controls(rows[1].findall(qn("w:tc"))[3], 2)

    code, out, criteria = imported(tmp_path, [
        ["1", "Tiêu chí 1.1", "Chưa có kế hoạch", "Lập kế hoạch", "Hiệu trưởng", "Cả năm", "Không"],
        ["2", "Tiêu chí 1.2", "Thiếu tổ chuyên môn", "Thành lập tổ", "Phó hiệu trưởng", "Tháng 9/2024", "500.000 đồng"],
    ], change)
    assert code == 0, out
    assert [(row["code"], row["weakness"], row["measures"], row["responsible"], row["timeline"], row["budget"])
            for row in criteria] == [
        ("1.1", "Chưa có kế hoạch", "Lập kế hoạch", "Hiệu trưởng", "Cả năm", "Không"),
        ("1.2", "Thiếu tổ chuyên môn", "Thành lập tổ", "Phó hiệu trưởng", "Tháng 9/2024", "500.000 đồng")]
    assert LOST not in out and DOUBLED not in out


def test_a_span_that_is_not_a_number_counts_as_one_column(tmp_path):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    def change(table) -> None:
        cell = table.findall(qn("w:tr"))[2].findall(qn("w:tc"))[2]
        cell.tcPr.append(parse_xml(f'<w:gridSpan {nsdecls("w")} w:val="hai"/>'))
        table.findall(qn("w:tr"))[2].insert(0, parse_xml(f'<w:trPr {nsdecls("w")}><w:gridBefore w:val="-1"/></w:trPr>'))

    code, out, criteria = imported(tmp_path, [
        ["1", "Tiêu chí 1.1", "Chưa có kế hoạch", "Lập kế hoạch", "Hiệu trưởng", "Cả năm", "Không"],
    ], change)
    assert code == 0, out
    assert (criteria[0]["weakness"], criteria[0]["budget"]) == ("Chưa có kế hoạch", "Không")


def test_a_criterion_named_after_its_standard_is_a_criterion_row(tmp_path):
    """"Tiêu chuẩn 1 - Tiêu chí 1.1" in the criterion cell (tables with no standard rows): a criterion row, its
    code 1.1, the cell kept as written; not a standard's heading with an empty row below it."""
    code, out, _ = imported(tmp_path, [
        ["1", "Tiêu chuẩn 1 - Tiêu chí 1.1", "Chưa có kế hoạch", "Lập kế hoạch", "Hiệu trưởng", "Cả năm", "Không"],
        ["2", "Tiêu chuẩn 1: Tiêu chí 1.3", "Chưa họp định kỳ", "Họp hằng tháng", "Tổ trưởng", "Hằng tháng", "Không"],
    ])
    assert code == 0, out
    data = YAML(typ="safe").load((tmp_path / "project" / PLAN).read_text(encoding="utf-8"))
    standard = data["table"]["standards"][0]
    assert standard["heading"] == STANDARD
    assert [(row["code"], row["index"], row["criterion"], row["weakness"]) for row in standard["criteria"]] == [
        ("1.1", "1", "Tiêu chuẩn 1 - Tiêu chí 1.1", "Chưa có kế hoạch"),
        ("1.3", "2", "Tiêu chuẩn 1: Tiêu chí 1.3", "Chưa họp định kỳ")]
    assert LOST not in out and DOUBLED not in out


def test_a_standard_row_in_two_cells_is_one_heading(tmp_path):
    """"Tiêu chuẩn 2 | Cán bộ quản lý …" (the name merged across the other columns): the standard's heading, its
    name not copied into every column of a row that is not there."""
    code, out, _ = imported(tmp_path, [
        ["1", "Tiêu chí 1.1", "Chưa có kế hoạch", "Lập kế hoạch", "Hiệu trưởng", "Cả năm", "Không"],
        ["II", "Tiêu chuẩn 2", "Cán bộ quản lý, giáo viên, nhân viên", LEFT, LEFT, LEFT, LEFT],
        ["2", "Tiêu chí 2.1", "Thiếu giáo viên", "Tuyển dụng", "Hiệu trưởng", "Cả năm", "Không"],
    ])
    assert code == 0, out
    data = YAML(typ="safe").load((tmp_path / "project" / PLAN).read_text(encoding="utf-8"))
    second = data["table"]["standards"][1]
    assert (second["index"], second["heading"]) == ("II", "Tiêu chuẩn 2\nCán bộ quản lý, giáo viên, nhân viên")
    assert [row["code"] for row in second["criteria"]] == ["2.1"]
    assert MERGED_NOTE not in out and LOST not in out and DOUBLED not in out


def test_a_column_with_no_field_left_is_labelled_in_the_note(tmp_path):
    """More columns than fields: a column that matches none, with no spare field left, goes to the note, each
    value after its heading; the note column keeps its own heading and values (it was called unknown, its
    heading doubled, and the two columns' values mixed without a word)."""
    headings = ["STT", "Tiêu chí", "Điểm yếu", "Biện pháp", "Thời gian", "Người thực hiện", "Minh chứng", "Sản phẩm",
                "Kinh phí", "Kết quả", "Ghi chú", "Điều kiện", "Phối hợp"]

    row = ["1", "Tiêu chí 1.1", "Chưa có kế hoạch", "Lập kế hoạch", "Cả năm", "Hiệu trưởng", "Biên bản",
           "Bản kế hoạch", "Không", "Đạt mức 2", "Lưu hồ sơ", "Có phòng họp", "Tổ trưởng"]
    source = tmp_path / "ke-hoach.docx"
    document = docx.Document()
    add_table(document, [["UBND HUYỆN BÌNH CHÁNH", "TRƯỜNG MẦM NON HOA SEN", "Số: 12/KH-MNHS"],
                         ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                          "Bình Chánh, ngày 5 tháng 9 năm 2024"]])
    for text in ["KẾ HOẠCH", "CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC", "Năm học 2024 - 2025", "II. NỘI DUNG KẾ HOẠCH"]:
        document.add_paragraph(text)
    add_table(document, [headings, [STANDARD] + [LEFT] * 12, row])
    document.add_paragraph("III. TỔ CHỨC THỰC HIỆN")
    document.add_paragraph("Hiệu trưởng chỉ đạo chung.")
    document.save(str(source))
    folder = tmp_path / "project"
    folder.mkdir()
    result = run_cli("import", str(source), cwd=folder)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    data = YAML(typ="safe").load((folder / PLAN).read_text(encoding="utf-8"))
    assert data["table"]["columns"]["note"] == "Ghi chú"
    criterion = data["table"]["standards"][0]["criteria"][0]
    labelled = [value for value in criterion["note"] if ": " in value]
    assert "Lưu hồ sơ" in criterion["note"] and labelled and all(
        value.split(": ")[0] in headings for value in labelled), criterion
    assert "Cột «Ghi chú»" not in out
    assert "không còn trường trống; nội dung cột được đưa vào cột ghi chú (note), mỗi giá trị ghi sau tên cột" in out
    assert LOST not in out and DOUBLED not in out
    assert "thiếu 0 chữ, thừa 0 chữ" in out
