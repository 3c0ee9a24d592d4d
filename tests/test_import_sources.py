"""`qip-site import` counts every text of the Word file, not only what it read: footnotes,
endnotes, comments, headers, footers and text boxes are kept where they belong or said to be
left out; the school's level comes from what the document says of the school; and a document
that is not an improvement plan is refused before anything is written.

The Word files are made here with python-docx, with the XML python-docx cannot write (footnotes,
endnotes, text boxes, revisions) added with lxml; the import runs as the editor runs it
(`qip-site import`), and the tests look at the plan file written, the messages and the exit code.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from conftest import run_cli
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from ruamel.yaml import YAML

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (f'xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:v="urn:schemas-microsoft-com:vml"')
LOST = "chưa có trong tệp kế hoạch"
DOUBLED = "nhiều lần hơn trong tệp kế hoạch"
COLUMNS = ["TT", "Tiêu chí", "Điểm yếu", "Biện pháp", "Người phụ trách", "Thời gian", "Kinh phí"]
AIM = "Nâng cao chất lượng chăm sóc, giáo dục trẻ."
WEAKNESS = "Chưa có kế hoạch"
NOT_A_PLAN = "tệp này không giống một kế hoạch cải tiến chất lượng"


def plan_document(school: str = "TRƯỜNG MẦM NON HOA SEN", title: tuple[str, ...] = (
        "KẾ HOẠCH", "CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC", "Năm học 2024 - 2025"),
        preamble: tuple[str, ...] = (), criterion: str = "Tiêu chí 1.1") -> docx.document.Document:
    """A small plan of 2024-2025: header table, title, section I, the plan table, section III, signature."""
    document = docx.Document()
    header = document.add_table(rows=2, cols=3)
    for r, row in enumerate([["UBND HUYỆN BÌNH CHÁNH", school, "Số: 12/KH"],
                             ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                              "Bình Chánh, ngày 5 tháng 9 năm 2024"]]):
        for c, text in enumerate(row):
            if text:
                header.cell(r, c).text = text
    for text in [*title, *preamble, "I. MỤC ĐÍCH, YÊU CẦU", AIM, "II. NỘI DUNG KẾ HOẠCH"]:
        document.add_paragraph(text)
    table = document.add_table(rows=2, cols=len(COLUMNS))
    for c, text in enumerate(COLUMNS):
        table.cell(0, c).text = text
    for c, text in enumerate(["1", criterion, WEAKNESS, "Lập kế hoạch", "Hiệu trưởng", "Cả năm", "Không"]):
        table.cell(1, c).text = text
    for text in ["III. TỔ CHỨC THỰC HIỆN", "Hiệu trưởng chỉ đạo chung.",
                 "Trên đây là kế hoạch cải tiến chất lượng giáo dục năm học 2024-2025 của trường./."]:
        document.add_paragraph(text)
    signature = document.add_table(rows=1, cols=2)
    signature.cell(0, 0).text, signature.cell(0, 1).text = "Nơi nhận:", "HIỆU TRƯỞNG"
    return document


def paragraph(document, text: str):
    return next(p for p in document.paragraphs if p.text == text)


def cell_paragraph(document, text: str):
    return next(p for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs
                if p.text == text)


def add_notes(document, kind: str, notes: dict[str, str]) -> None:
    """A footnotes (or endnotes) part holding `notes` (id -> text), with Word's two separators."""
    body = "".join(
        f'<w:{kind} w:type="{t}" w:id="{i}"><w:p><w:r><w:{t}/></w:r></w:p></w:{kind}>'
        for i, t in [("-1", "separator"), ("0", "continuationSeparator")])
    body += "".join(f'<w:{kind} w:id="{i}"><w:p><w:r><w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {text}'
                    f'</w:t></w:r></w:p></w:{kind}>' for i, text in notes.items())
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s {NS}>{body}</w:{kind}s>'
    content_type, reltype = (CT.WML_FOOTNOTES, RT.FOOTNOTES) if kind == "footnote" else (CT.WML_ENDNOTES,
                                                                                          RT.ENDNOTES)
    part = Part(PackURI(f"/word/{kind}s.xml"), content_type, xml.encode("utf-8"), document.part.package)
    document.part.relate_to(part, reltype)


def refer(paragraph_, kind: str, note_id: str) -> None:
    """A footnote (endnote) reference at the end of a paragraph."""
    paragraph_._p.append(parse_xml(f'<w:r {NS}><w:{kind}Reference w:id="{note_id}"/></w:r>'))


def run_import(tmp_path: Path, document, *args: str) -> tuple[int, str, Path]:
    """`qip-site import` of the document into a new project: exit code, output, the plans folder."""
    source = tmp_path / "ke-hoach.docx"
    document.save(str(source))
    project = tmp_path / "project"
    project.mkdir()
    result = run_cli("import", str(source), *args, cwd=project)
    return result.returncode, result.stdout + result.stderr, project / "plans"


def load(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def criterion_rows(plan: Path) -> list[dict]:
    """Every row of the plan table that names a criterion."""
    rows: list[dict] = []

    def walk(value) -> None:
        if isinstance(value, dict):
            if "criterion" in value and isinstance(value["criterion"], str):
                rows.append(value)
            for k, v in value.items():
                if k != "columns":
                    walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(load(plan)["table"])
    return rows


def plan_text(plans: Path) -> str:
    plan = next(p for p in plans.rglob("*.yml") if p.name != "school.yml")
    return plan.read_text(encoding="utf-8")


# --- footnotes and endnotes: kept at the end of the paragraph that refers to them ------------------

def test_footnotes_and_endnotes_go_at_the_end_of_their_paragraph(tmp_path):
    document = plan_document()
    add_notes(document, "footnote", {"1": "Theo Thông tư 22/2024/TT-BGDĐT.", "2": "Kế hoạch số 5 của trường."})
    add_notes(document, "endnote", {"1": "Số liệu năm học 2023-2024."})
    refer(paragraph(document, AIM), "footnote", "1")
    refer(cell_paragraph(document, WEAKNESS), "footnote", "2")
    refer(paragraph(document, "Hiệu trưởng chỉ đạo chung."), "endnote", "1")
    code, out, plans = run_import(tmp_path, document)
    assert code == 0, out
    data = load(plans / "mn-hoa-sen" / "2024-2025.yml")
    assert data["sections"][0]["content"] == f"{AIM} [1] Theo Thông tư 22/2024/TT-BGDĐT."
    assert f"{WEAKNESS} [2] Kế hoạch số 5 của trường." in plan_text(plans)
    # Word numbers endnotes i, ii, iii by default.
    assert data["sections"][2]["content"] == "Hiệu trưởng chỉ đạo chung. [i] Số liệu năm học 2023-2024."
    assert LOST not in out and DOUBLED not in out
    assert "thiếu 0 chữ, thừa 0 chữ" in out


def test_footnote_no_paragraph_refers_to_is_lost_and_said(tmp_path):
    # The reader reads only the footnotes the text refers to: the count, made on every text of the
    # file, finds the other one missing.
    document = plan_document()
    add_notes(document, "footnote", {"1": "Chú thích được đọc.", "2": "Chú thích không ai trỏ tới."})
    refer(paragraph(document, AIM), "footnote", "1")
    code, out, plans = run_import(tmp_path, document)
    assert code == 0, out
    assert ("Cảnh báo: Đoạn trong tệp Word (chú thích cuối trang) chưa có trong tệp kế hoạch: "
            "«Chú thích không ai trỏ tới.»; hãy chép vào chỗ đúng.") in out
    assert "thiếu 6 chữ" in out  # «Chú thích không ai trỏ tới.»
    assert "Chú thích không ai trỏ tới." not in plan_text(plans)
    assert "Chú thích được đọc." in plan_text(plans)


# --- comments: a reviewer's remarks are not the approved text ---------------------------------------

def test_comments_are_left_out_and_each_named(tmp_path):
    document = plan_document()
    document.add_comment(paragraph(document, AIM).runs, text="Xem lại mục đích cho sát thực tế.",
                         author="Phó hiệu trưởng")
    document.add_comment(cell_paragraph(document, WEAKNESS).runs, text="Ghi rõ kế hoạch nào.", author="")
    code, out, plans = run_import(tmp_path, document)
    assert code == 0, out
    assert ("Cảnh báo: Nhận xét (comment) của Phó hiệu trưởng trong tệp Word không được nhập: đó là ý kiến góp ý, "
            "không phải nội dung văn bản đã duyệt: «Xem lại mục đích cho sát thực tế.»") in out
    assert ("Cảnh báo: Nhận xét (comment) trong tệp Word không được nhập: đó là ý kiến góp ý, không phải nội dung "
            "văn bản đã duyệt: «Ghi rõ kế hoạch nào.»") in out
    text = plan_text(plans)
    assert "Xem lại mục đích" not in text and "Ghi rõ kế hoạch nào" not in text
    assert LOST not in out and DOUBLED not in out


# --- headers and footers: every kind reported, page numbers aside ---------------------------------

def test_every_header_and_footer_is_reported(tmp_path):
    document = plan_document()
    section = document.sections[0]
    section.different_first_page_header_footer = True
    document.settings.odd_and_even_pages_header_footer = True
    section.header.paragraphs[0].text = "Trường Mầm non Hoa Sen - đầu trang"
    section.first_page_header.paragraphs[0].text = "Đầu trang của trang đầu"
    section.even_page_header.paragraphs[0].text = "Đầu trang chẵn"
    section.first_page_footer.paragraphs[0].text = "Chân trang của trang đầu"
    footer = section.footer.paragraphs[0]
    footer.text = "Trang "
    # The page number, a field whose result Word computes: not text of the plan, not reported.
    footer._p.append(parse_xml(f'<w:fldSimple {NS} w:instr=" PAGE "><w:r><w:t>7</w:t></w:r></w:fldSimple>'))
    code, out, plans = run_import(tmp_path, document)
    assert code == 0, out
    for text in ["Trường Mầm non Hoa Sen - đầu trang", "Đầu trang của trang đầu", "Đầu trang chẵn",
                 "Chân trang của trang đầu", "Trang"]:
        assert f"Cảnh báo: Chữ ở đầu trang/chân trang của Word không được nhập: «{text}»" in out
        assert out.count(f"không được nhập: «{text}»") == 1, out  # said once
    assert "«7»" not in out and "Trang 7" not in out
    assert LOST not in out and DOUBLED not in out


# --- text boxes and revisions ---------------------------------------------------------------------

def text_box(text: str, fallback: str | None) -> str:
    """A text box as Word writes it: the shape in mc:Choice and, for old readers, a VML copy in mc:Fallback."""
    choice = (f'<mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
              '</w:txbxContent></w:drawing></mc:Choice>')
    copy = ("" if fallback is None else f'<mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>{fallback}'
            '</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback>')
    return f"<w:r {NS}><mc:AlternateContent>{choice}{copy}</mc:AlternateContent></w:r>"


def test_text_box_counted_once_and_revisions_as_accepted(tmp_path):
    document = plan_document()
    paragraph(document, AIM)._p.append(parse_xml(text_box("Ghi chú trong khung", "Ghi chú trong khung")))
    # A tracked change: inserted text is text, deleted text is not.
    p = paragraph(document, "Hiệu trưởng chỉ đạo chung.")._p
    p.append(parse_xml(f'<w:ins {NS} w:id="1" w:author="A"><w:r><w:t xml:space="preserve"> Phó hiệu trưởng giúp việc.'
                       '</w:t></w:r></w:ins>'))
    p.append(parse_xml(f'<w:del {NS} w:id="2" w:author="A"><w:r><w:delText> Đoạn đã xoá.</w:delText></w:r></w:del>'))
    code, out, plans = run_import(tmp_path, document)
    assert code == 0, out
    text = plan_text(plans)
    assert text.count("Ghi chú trong khung") == 1
    assert "Hiệu trưởng chỉ đạo chung. Phó hiệu trưởng giúp việc." in text
    assert "Đoạn đã xoá" not in text and "Đoạn đã xoá" not in out
    assert LOST not in out and DOUBLED not in out


def test_text_box_in_a_header_is_reported(tmp_path):
    document = plan_document()
    document.sections[0].header.paragraphs[0]._p.append(parse_xml(text_box("DỰ THẢO", "DỰ THẢO")))
    code, out, _ = run_import(tmp_path, document)
    assert code == 0, out
    assert out.count("Cảnh báo: Chữ ở đầu trang/chân trang của Word không được nhập: «DỰ THẢO»") == 1, out
    assert LOST not in out and DOUBLED not in out


# --- the school's level: from what the document says of the school ----------------------------------

CITES_17 = ("Căn cứ Thông tư số 17/2018/TT-BGDĐT ngày 22 tháng 8 năm 2018 của Bộ Giáo dục và Đào tạo ban hành "
            "Quy định về kiểm định chất lượng giáo dục và công nhận đạt chuẩn quốc gia đối với trường trung học cơ "
            "sở, trường trung học phổ thông và trường phổ thông có nhiều cấp học;")


def test_level_from_the_title_not_the_circular_cited(tmp_path):
    document = plan_document(school="", title=("KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC",
                                               "TRƯỜNG THCS NGUYỄN DU", "Năm học 2024 - 2025"),
                             preamble=(CITES_17,), criterion="Tiêu chí 5.6")
    code, out, plans = run_import(tmp_path, document, "--school", "nguyen-du")
    assert code == 0, out
    assert load(plans / "nguyen-du" / "school.yml")["level"] == "lower_secondary"
    assert ("Cảnh báo: Cấp học đoán từ tên văn bản «TRƯỜNG THCS NGUYỄN DU»: lower_secondary (Trung học cơ sở); "
            "hãy kiểm tra \"level\" trong school.yml.") in out
    # The conflict with the circular cited is said, naming both.
    assert ("Cảnh báo: Văn bản dẫn Thông tư 17/2018/TT-BGDĐT, thông tư đánh giá trường tiểu học, nhưng tên văn bản "
            "«TRƯỜNG THCS NGUYỄN DU» cho cấp Trung học cơ sở, đánh giá theo Thông tư 18/2018/TT-BGDĐT; đã theo lời "
            "văn bản về trường.") in out
    # Criterion 5.6 is in Circular 18 only: its code is kept (with the primary circular it was dropped).
    assert [row.get("code") for row in criterion_rows(plans / "nguyen-du" / "2024-2025.yml")] == ["5.6"]
    assert "không có trong thông tư" not in out


def test_level_from_the_schools_named_in_the_sentence_citing_the_circular(tmp_path):
    # The example: no school name, the sentence citing 17/2018 (primary) names lower and upper
    # secondary schools: the document's words win, and the conflict is said.
    document = plan_document(school="", preamble=(CITES_17,))
    code, out, plans = run_import(tmp_path, document, "--school", "truong-a")
    assert code == 0, out
    assert load(plans / "truong-a" / "school.yml")["level"] == "secondary"
    assert "Cấp học đoán từ phần mở đầu «Căn cứ Thông tư số 17/2018/TT-BGDĐT" in out
    assert ("Văn bản dẫn Thông tư 17/2018/TT-BGDĐT, thông tư đánh giá trường tiểu học, nhưng phần mở đầu «Căn cứ "
            "Thông tư số 17/2018/TT-BGDĐT") in out
    assert "cho cấp Trung học (THCS, THPT), đánh giá theo Thông tư 18/2018/TT-BGDĐT" in out


def test_circular_is_the_last_resort_and_agreeing_sources_say_nothing_more(tmp_path):
    document = plan_document(school="", title=("KẾ HOẠCH", "CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC", "Năm học 2024 - 2025"),
                             preamble=("Căn cứ Thông tư số 19/2018/TT-BGDĐT ngày 22 tháng 8 năm 2018;",))
    code, out, plans = run_import(tmp_path, document, "--school", "hoa-sen")
    assert code == 0, out
    assert load(plans / "hoa-sen" / "school.yml")["level"] == "preschool"
    assert "Cấp học đoán từ thông tư đánh giá mà văn bản dẫn" in out
    assert "Văn bản dẫn Thông tư" not in out


def test_school_of_two_levels_uses_circular_18(tmp_path):
    document = plan_document(school="TRƯỜNG TH&THCS LÊ LỢI",
                             preamble=("Căn cứ Thông tư số 18/2018/TT-BGDĐT ngày 22 tháng 8 năm 2018;",))
    code, out, plans = run_import(tmp_path, document)
    assert code == 0, out
    assert load(plans / "th-thcs-le-loi" / "school.yml")["level"] == "secondary"
    assert "Cấp học đoán từ tên trường «TRƯỜNG TH&THCS LÊ LỢI»: secondary" in out
    assert "Văn bản dẫn Thông tư" not in out


def test_a_preschool_named_with_another_level_gives_no_level(tmp_path):
    # "Mầm non và Tiểu học": no one circular assesses both, so the name says nothing of the level (it was
    # read as a school of several levels, Circular 18, which covers no preschool); the circular cited decides.
    document = plan_document(school="TRƯỜNG MẦM NON VÀ TIỂU HỌC SAO MAI",
                             preamble=("Căn cứ Thông tư số 19/2018/TT-BGDĐT ngày 22 tháng 8 năm 2018;",))
    code, out, plans = run_import(tmp_path, document)
    assert code == 0, out
    school = load(plans / "mn-va-th-sao-mai" / "school.yml")
    assert school["level"] == "preschool"
    assert "Cấp học đoán từ thông tư đánh giá mà văn bản dẫn" in out
    # The folder's "mn-" comes from the same name: it is not taken for a second source.
    assert "tên thư mục" not in out
    assert school["name"] == "Trường Mầm non và Tiểu học Sao Mai"
    # Nothing else to go by: the level is asked for, and nothing is written.
    document = plan_document(school="TRƯỜNG MẦM NON VÀ TIỂU HỌC SAO MAI")
    (tmp_path / "again").mkdir()
    code, out, plans = run_import(tmp_path / "again", document)
    assert code == 1, out
    assert "không xác định được cấp học của trường" in out
    assert not list(plans.rglob("*.yml"))


@pytest.mark.parametrize("words, level", [("trường MN Hoa Sen", "preschool"), ("trường MG Hoa Sen", "preschool"),
                                          ("trường PTCS Hoa Sen", "secondary")])
def test_level_from_a_school_named_by_its_short_form_in_the_text(tmp_path, words, level):
    document = plan_document(school="", preamble=(f"Căn cứ kết quả tự đánh giá của {words} năm học 2023-2024;",))
    code, out, plans = run_import(tmp_path, document, "--school", "hoa-sen")
    assert code == 0, out
    assert load(plans / "hoa-sen" / "school.yml")["level"] == level
    assert f"Cấp học đoán từ phần mở đầu «Căn cứ kết quả tự đánh giá của {words}" in out


# --- a document that is not an improvement plan -------------------------------------------------

def test_self_assessment_report_is_refused_and_nothing_written(tmp_path):
    document = docx.Document()
    for text in ["PHÒNG GIÁO DỤC VÀ ĐÀO TẠO QUẬN 10", "TRƯỜNG TIỂU HỌC LÊ ĐÌNH CHINH", "BÁO CÁO TỰ ĐÁNH GIÁ",
                 "Năm học 2023 - 2024", "Phần I. CƠ SỞ DỮ LIỆU",
                 "Nhà trường đã thành lập hội đồng tự đánh giá theo quyết định của hiệu trưởng và tiến hành "
                 "thu thập minh chứng cho từng tiêu chí.",
                 "Kế hoạch cải tiến chất lượng:",
                 "Năm học 2024-2025, nhà trường tiếp tục rà soát các văn bản của tổ chuyên môn."]:
        document.add_paragraph(text)
    evidence = [["TT", "Mã minh chứng", "Tên minh chứng", "Số, ngày ban hành", "Nơi ban hành hoặc người thực hiện",
                 "Ghi chú"],
                ["1", "[H1-1.1-01]", "Quyết định thành lập trường", "Số 12/QĐ-UBND", "UBND Quận 10", ""]]
    table = document.add_table(rows=2, cols=6)
    for r, row in enumerate(evidence):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    code, out, plans = run_import(tmp_path, document)
    assert code == 1, out
    assert (f"Lỗi: {NOT_A_PLAN}: không có tên văn bản «Kế hoạch … cải tiến chất lượng» ở đầu văn bản, và không có "
            "bảng kế hoạch (cột biện pháp, người phụ trách, thời gian …). Tên văn bản tìm thấy: «BÁO CÁO TỰ ĐÁNH "
            "GIÁ». Chưa ghi tệp nào") in out
    assert "cấp học" not in out  # not the old, misleading question about the school's level
    assert not plans.exists()


def test_plan_without_the_words_improvement_is_imported_with_a_warning(tmp_path):
    document = docx.Document()
    for text in ["KẾ HOẠCH", "Năm học 2024-2025", "I. NỘI DUNG", "Nâng cao chất lượng giáo dục."]:
        document.add_paragraph(text)
    code, out, plans = run_import(tmp_path, document, "--school", "mn-a")
    assert code == 0, out
    assert ("Tên văn bản «KẾ HOẠCH Năm học 2024-2025» không nói đây là kế hoạch cải tiến chất lượng, và văn bản "
            "không có bảng kế hoạch") in out
    assert (plans / "mn-a" / "2024-2025.yml").exists()


def test_plan_table_alone_makes_a_plan(tmp_path):
    # No "KẾ HOẠCH" title at all (the title page was left out), but the plan table is there.
    document = plan_document(title=("Năm học 2024 - 2025",))
    code, out, plans = run_import(tmp_path, document)
    assert code == 0, out
    assert NOT_A_PLAN not in out
    assert (plans / "mn-hoa-sen" / "2024-2025.yml").exists()

