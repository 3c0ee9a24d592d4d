"""Word's automatic numbering read as Word shows it (qip_site/importer/numbering.py).

The labels ("I.", "2.", "a)") are not in a paragraph's text: the importer counts them. A wrong count
changes the official text ("II. NỘI DUNG" published as "I. NỘI DUNG"), so each case here is a shape
Word and LibreOffice write, with the labels Word shows:

- the pure cases give numbering definitions, styles and numbered paragraphs, and the labels;
- the last test imports a Word file whose section headings are numbered that way, end to end.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import docx
import pytest
from docx.oxml import parse_xml
from hypothesis import given, settings
from hypothesis import strategies as st
from test_import import (
    HEADER_TABLE,
    SIGNATURE_TABLE,
    TITLE,
    criterion_rows,
    import_ok,
    load,
    make_docx,
    one_criterion,
    standard_plan,
)

from qip_site.importer.numbering import Numbering

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>')


def abstract(number: int, *levels: str, extra: str = "") -> str:
    return f'<w:abstractNum w:abstractNumId="{number}">{extra}{"".join(levels)}</w:abstractNum>'


def num(number: int, abstract_id: int, overrides: str = "") -> str:
    return f'<w:num w:numId="{number}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'


def start_override(ilvl: int, start: int) -> str:
    return f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'


def style(style_id: str, num_id: int | None = None, ilvl: int | None = None, based_on: str | None = None,
          kind: str = "paragraph") -> str:
    num_pr = ""
    if num_id is not None or ilvl is not None:
        num_pr = ("<w:pPr><w:numPr>" + (f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else "")
                  + (f'<w:numId w:val="{num_id}"/>' if num_id is not None else "") + "</w:numPr></w:pPr>")
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return f'<w:style w:type="{kind}" w:styleId="{style_id}">{based}{num_pr}</w:style>'


def paragraph(num_id: int | None = None, ilvl: int | None = None, style_id: str | None = None) -> str:
    """<w:p> numbered by its own properties (num_id, ilvl: either may be left out) and/or its style."""
    ppr = f'<w:pStyle w:val="{style_id}"/>' if style_id else ""
    if num_id is not None or ilvl is not None:
        ppr += ("<w:numPr>" + (f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else "")
                + (f'<w:numId w:val="{num_id}"/>' if num_id is not None else "") + "</w:numPr>")
    return f"<w:p {W}><w:pPr>{ppr}</w:pPr><w:r><w:t>chữ</w:t></w:r></w:p>"


ROMAN = lvl(0, "upperRoman", "%1.")
DECIMAL_2 = lvl(1, "decimal", "%2.")
OUTLINE_2 = lvl(1, "decimal", "%1.%2")
LETTER_2 = lvl(1, "lowerLetter", "%2)")

# name: (numbering definitions, styles, paragraphs, the labels Word shows)
CASES = {
    "one list": (
        [abstract(0, ROMAN, DECIMAL_2), num(1, 0)], [],
        [paragraph(1, 0), paragraph(1, 1), paragraph(1, 1), paragraph(1, 0), paragraph(1, 1)],
        ["I.", "1.", "2.", "II.", "1."]),
    "two instances of one definition continue one count": (
        [abstract(0, ROMAN), num(1, 0), num(2, 0)], [],
        [paragraph(1, 0), paragraph(2, 0), paragraph(1, 0)],
        ["I.", "II.", "III."]),
    "an instance restarting a level, then the first instance continuing the shared count": (
        [abstract(0, lvl(0, "decimal", "%1.")), num(1, 0), num(2, 0, start_override(0, 8))], [],
        [paragraph(1, 0), paragraph(1, 0), paragraph(2, 0), paragraph(2, 0), paragraph(1, 0)],
        ["1.", "2.", "8.", "9.", "10."]),
    "each sub-list restarts at 1 with its own instance": (
        [abstract(0, ROMAN), abstract(1, lvl(0, "lowerLetter", "%1)")), num(1, 0), num(2, 1),
         num(3, 1, start_override(0, 1))], [],
        [paragraph(1, 0), paragraph(2, 0), paragraph(2, 0), paragraph(1, 0), paragraph(3, 0), paragraph(3, 0)],
        ["I.", "a)", "b)", "II.", "a)", "b)"]),
    "separate definitions count separately": (
        [abstract(0, ROMAN), abstract(1, lvl(0, "decimal", "%1.")), num(1, 0), num(2, 1)], [],
        [paragraph(1, 0), paragraph(2, 0), paragraph(1, 0), paragraph(2, 0)],
        ["I.", "1.", "II.", "2."]),
    "an override redefining a level": (
        [abstract(0, ROMAN), num(1, 0),
         num(2, 0, '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>' + lvl(0, "upperLetter", "%1.")
             + "</w:lvlOverride>")], [],
        [paragraph(1, 0), paragraph(2, 0), paragraph(2, 0)],
        ["I.", "A.", "B."]),
    "numbered by the style, the level from the paragraph": (
        [abstract(0, ROMAN, OUTLINE_2), num(5, 0)], [style("Muc", num_id=5)],
        [paragraph(style_id="Muc"), paragraph(ilvl=1, style_id="Muc"), paragraph(ilvl=1, style_id="Muc")],
        ["I.", "I.1", "I.2"]),
    "numbered by the style a style is based on": (
        [abstract(0, ROMAN), num(5, 0)], [style("Muc", num_id=5, ilvl=0), style("MucDam", based_on="Muc")],
        [paragraph(style_id="MucDam"), paragraph(style_id="Muc")],
        ["I.", "II."]),
    "the level given by the definition's level for the style": (
        [abstract(0, ROMAN, lvl(1, "decimal", "%2.", extra='<w:pStyle w:val="Heading2"/>')), num(1, 0)],
        [style("Heading1", num_id=1, ilvl=0), style("Heading2", num_id=1)],
        [paragraph(style_id="Heading1"), paragraph(style_id="Heading2"), paragraph(style_id="Heading2")],
        ["I.", "1.", "2."]),
    "numId 0 turns the style's numbering off": (
        [abstract(0, ROMAN), num(5, 0)], [style("Muc", num_id=5, ilvl=0)],
        [paragraph(style_id="Muc"), paragraph(0, 0, style_id="Muc"), paragraph(style_id="Muc")],
        ["I.", None, "II."]),
    "a list style linking to the definition that holds the levels": (
        [abstract(3, extra='<w:numStyleLink w:val="DanhSachLaMa"/>'),
         abstract(4, ROMAN, DECIMAL_2, extra='<w:styleLink w:val="DanhSachLaMa"/>'),
         num(7, 4), num(8, 3)],
        [style("DanhSachLaMa", num_id=7, kind="numbering")],
        [paragraph(8, 0), paragraph(8, 1), paragraph(7, 0), paragraph(8, 0)],
        ["I.", "1.", "II.", "III."]),
    "a level that never restarts": (
        [abstract(0, ROMAN, lvl(1, "lowerLetter", "%2)", extra='<w:lvlRestart w:val="0"/>')), num(1, 0)], [],
        [paragraph(1, 0), paragraph(1, 1), paragraph(1, 0), paragraph(1, 1)],
        ["I.", "a)", "II.", "b)"]),
    "a legal level shows every number in Arabic numerals": (
        [abstract(0, ROMAN, lvl(1, "decimal", "%1.%2.", extra="<w:isLgl/>")), num(1, 0)], [],
        [paragraph(1, 0), paragraph(1, 0), paragraph(1, 1)],
        ["I.", "II.", "2.1."]),
    "letters past z, Roman numerals past ten, a start value": (
        [abstract(0, lvl(0, "lowerLetter", "%1)", start=26)), abstract(1, lvl(0, "upperRoman", "%1.", start=9)),
         num(1, 0), num(2, 1)], [],
        [paragraph(1, 0), paragraph(1, 0), paragraph(2, 0), paragraph(2, 0), paragraph(2, 0)],
        ["z)", "aa)", "IX.", "X.", "XI."]),
    "bullets and a level without a number": (
        [abstract(0, lvl(0, "bullet", "-"), lvl(1, "bullet", "\uf0b7"), lvl(2, "none", "")), num(1, 0)], [],
        [paragraph(1, 0), paragraph(1, 1), paragraph(1, 2)],
        ["-", "•", None]),
    "levels outside Word's nine and a start past Word's largest": (
        [abstract(0, lvl(0, "upperRoman", "%1.", start=999999999), lvl(12, "decimal", "%1."),
                  lvl(-1, "decimal", "%1.")), num(1, 0, start_override(-1, 5) + start_override(40, 5))], [],
        [paragraph(1, 12), paragraph(1, -1), paragraph(1, 0)],
        [None, None, "M" * 32 + "DCCLXVII."]),
    "an instance or level that is not defined": (
        [abstract(0, ROMAN), num(1, 0)], [],
        [paragraph(9, 0), paragraph(1, 4), paragraph(1, 0)],
        [None, None, "I."]),
}


def document(definitions: list[str], styles: list[str]) -> SimpleNamespace:
    """What Numbering reads of a python-docx Document: its numbering and styles parts."""
    numbering = parse_xml(f"<w:numbering {W}>{''.join(definitions)}</w:numbering>")
    style_part = parse_xml(f"<w:styles {W}>{''.join(styles)}</w:styles>")
    return SimpleNamespace(part=SimpleNamespace(numbering_part=SimpleNamespace(element=numbering)),
                           styles=SimpleNamespace(element=style_part))


@pytest.mark.parametrize("case", CASES)
def test_labels_are_counted_as_word_shows_them(case: str) -> None:
    definitions, styles, paragraphs, expected = CASES[case]
    numbering = Numbering(document(definitions, styles))
    assert [numbering.label(parse_xml(p)) for p in paragraphs] == expected


def add_numbering(document_, definitions: list[str], numbered: list[tuple]) -> None:
    """A python-docx document given the numbering `definitions`, and each (paragraph, numId, level) numbered."""
    for definition in definitions:
        document_.part.numbering_part.element.append(parse_xml(definition.replace(">", f" {W}>", 1)))
    for p, num_id, ilvl in numbered:
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {W}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def test_section_headings_numbered_by_two_instances_import_as_word_shows_them(tmp_path: Path) -> None:
    """A plan whose section headings are numbered I, II, III by Word, the third through a second
    instance of the same definition (as Word writes after "Continue numbering"), and whose purposes
    are a list of their own: the plan file says what the document shows."""
    numbered = {"MỤC ĐÍCH, YÊU CẦU": (90, 0), "Nâng cao chất lượng chăm sóc, giáo dục trẻ.": (91, 0),
                "Kế hoạch cụ thể, khả thi.": (91, 0), "NỘI DUNG KẾ HOẠCH": (90, 0), "TỔ CHỨC THỰC HIỆN": (92, 0)}
    texts = list(numbered)
    source = make_docx(tmp_path / "danh-so.docx", [
        HEADER_TABLE, *TITLE, *texts[:4], ("table", one_criterion()), texts[4], "Hiệu trưởng chỉ đạo chung.",
        SIGNATURE_TABLE])
    document_ = docx.Document(str(source))
    add_numbering(document_, [abstract(90, ROMAN), abstract(91, lvl(0, "decimal", "%1.")), num(90, 90), num(91, 91),
                              num(92, 90)],
                  [(p, *numbered[p.text]) for p in document_.paragraphs if p.text in numbered])
    document_.save(str(source))
    _, plan = import_ok(source, tmp_path / "plans")
    data = load(plan)
    assert [s["heading"] for s in data["sections"]] == [
        "I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG KẾ HOẠCH", "III. TỔ CHỨC THỰC HIỆN"]
    assert data["sections"][0]["content"] == ["1. Nâng cao chất lượng chăm sóc, giáo dục trẻ.",
                                              "2. Kế hoạch cụ thể, khả thi."]


def test_a_column_numbered_by_word_keeps_its_numbers(tmp_path: Path) -> None:
    """The "TT" cells of a plan table hold no text, only Word's numbering (1., 2.): each row keeps
    the number the document shows."""
    rows = [*one_criterion(), ["", "Tiêu chí 1.5", "Chưa đủ", "Bổ sung", "Phó hiệu trưởng", "Học kỳ I", "Không"]]
    source = make_docx(tmp_path / "cot-tt.docx", standard_plan(rows))
    document_ = docx.Document(str(source))
    add_numbering(document_, [abstract(90, lvl(0, "decimal", "%1.")), num(90, 90)],
                  [(row.cells[0].paragraphs[0], 90, 0) for row in document_.tables[1].rows[2:]])
    document_.save(str(source))
    _, plan = import_ok(source, tmp_path / "plans")
    assert [(row["code"], row.get("index")) for row in criterion_rows(plan)] == [("1.4", "1."), ("1.5", "2.")]


def test_a_number_alone_on_an_empty_body_line_is_said(tmp_path: Path) -> None:
    """An empty numbered paragraph (a list's leftover) shows its number alone in Word: not read into the
    plan, but said, with the number."""
    source = make_docx(tmp_path / "so-le.docx", standard_plan(one_criterion()))
    document_ = docx.Document(str(source))
    purpose = next(p for p in document_.paragraphs if p.text == "Nâng cao chất lượng chăm sóc, giáo dục trẻ.")
    empty = purpose.insert_paragraph_before("")
    add_numbering(document_, [abstract(90, lvl(0, "decimal", "%1.")), num(90, 90)], [(empty, 90, 0), (purpose, 90, 0)])
    document_.save(str(source))
    out, plan = import_ok(source, tmp_path / "plans")
    assert "Bỏ qua 1 số thứ tự tự động của Word đứng một mình, trên dòng không có chữ («1.»)" in out
    assert "2. Nâng cao chất lượng chăm sóc, giáo dục trẻ." in load(plan)["sections"][0]["content"]


# Hostile numbering definitions: any value where Word writes a number, any format and level text.
VALUES = st.sampled_from(["0", "1", "-1", "8", "9", "abc", "", "99999999999", "3"])
LEVEL = st.builds(lambda ilvl, start, fmt, text, extra: (
    f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>{extra}'
    "</w:lvl>"), VALUES, VALUES, st.sampled_from(["decimal", "upperRoman", "lowerLetter", "bullet", "none", "odd"]),
    st.sampled_from(["%1.", "%2.%1", "%9", "%0", "", ".%1%1%1"]),
    st.one_of(st.just(""), st.just("<w:isLgl/>"), VALUES.map(lambda v: f'<w:lvlRestart w:val="{v}"/>')))
ABSTRACT = st.builds(lambda number, link, levels: f'<w:abstractNum w:abstractNumId="{number}">{link}{"".join(levels)}'
                     "</w:abstractNum>", VALUES,
                     st.sampled_from(["", '<w:numStyleLink w:val="S"/>', '<w:styleLink w:val="S"/>']),
                     st.lists(LEVEL, max_size=3))
NUM = st.builds(lambda number, abstract_id, override: f'<w:num w:numId="{number}"><w:abstractNumId w:val="{abstract_id}"/>'
                f"{override}</w:num>", VALUES, VALUES,
                st.one_of(st.just(""), st.builds(lambda ilvl, start, redefined: (
                    f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/>{redefined}</w:lvlOverride>'),
                    VALUES, VALUES, st.one_of(st.just(""), LEVEL))))


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(definitions=st.lists(st.one_of(ABSTRACT, NUM), max_size=6), style_num=st.tuples(VALUES, VALUES),
       numbered=st.lists(st.tuples(VALUES, VALUES), min_size=1, max_size=5))
def test_any_numbering_definitions_give_labels_and_never_fail(definitions, style_num, numbered) -> None:
    """Definitions a hostile or broken file may hold (levels and starts out of range, not numbers, a style
    based on itself and linked to itself): every paragraph gets a label or none, never an error nor a
    runaway label."""
    styles = [style("S", num_id=None, ilvl=None, based_on="S").replace(
        "</w:style>", f'<w:pPr><w:numPr><w:ilvl w:val="{style_num[0]}"/><w:numId w:val="{style_num[1]}"/>'
        "</w:numPr></w:pPr></w:style>")]
    numbering = Numbering(document(definitions, styles))
    for num_id, ilvl in numbered:
        label = numbering.label(parse_xml(
            f'<w:p {W}><w:pPr><w:pStyle w:val="S"/><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/>'
            "</w:numPr></w:pPr></w:p>"))
        assert label is None or (isinstance(label, str) and len(label) < 2000)
