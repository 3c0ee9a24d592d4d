"""From the blocks and their roles to the plan's data.

Every line read is placed exactly once: header and signature lines into their fields, the
title, the preamble (before the first section), each section's content, the plan table, the
closing sentence. A line that fits no field goes to the preamble or to the last section and is
reported; `Parsed.source_lines` keeps every line read, and `Parsed.source` every line of the
Word file (when the reader gives it), for the count of what is written.

A document that is neither titled as an improvement plan nor holds a plan table is refused
(plan_kind), before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .blocks import Block, Para, Table, block_lines
from .header import read_header
from .layout import find_roles, title_in_header
from .notes import Notes, quote
from .plan_kind import check_plan_kind
from .sections import TABLE_MARK, section_content, section_out
from .signature import read_signature
from .source_text import SourceLine
from .table import read_plan_table
from .two_columns import column_items


@dataclass
class Parsed:
    data: dict[str, Any]
    criteria_rows: int = 0
    columns: int = 0
    source_lines: list[str] = field(default_factory=list)
    source: list[SourceLine] | None = None  # every line of the Word file (docx_reader.ReadBlocks)
    added: list[str] = field(default_factory=list)  # texts the reader added: numbering labels, note marks
    words: list[str] | None = None  # every word of a PDF's text layer (pdf_reader)


def parse(blocks: list[Block], notes: Notes) -> Parsed:
    return Parser(blocks, notes).parse()


class Parser:
    def __init__(self, blocks: list[Block], notes: Notes):
        self.blocks = blocks
        self.notes = notes
        self.preamble: list[str] = []
        self.sections: list[dict[str, Any]] = []

    def parse(self) -> Parsed:
        roles = find_roles(self.blocks, self.notes)
        check_plan_kind(self.blocks, roles, self.notes)
        data: dict[str, Any] = {}
        header_items: list[tuple[str, str | None]] = []
        title: list[str] = []
        closing: list[str] = []
        signature_items: list[tuple[str, str | None]] = []
        section_items: list[Para | str] = []  # of the current section: paragraphs, and the table's mark
        current: dict[str, Any] | None = None
        plan_tables: list[Table | Para] = []  # the plan table's parts, and standards' headings between

        def flush() -> None:
            if current is not None:
                current["content"], current["_after_table"] = section_content(section_items)

        sources: list[str] = []  # every line read, for the count of what is written
        for i, block in enumerate(self.blocks):
            role = roles.get(i)
            if role in ("header", "signature"):
                items = column_items(block, signature=role == "signature")
                sources.extend(text for text, _ in items)
                (header_items if role == "header" else signature_items).extend(items)
                continue
            sources.extend(block_lines(block))
            if role == "title":
                title.extend(block_lines(block))
            elif role == "closing":
                closing.extend(block_lines(block))
            elif role in ("plan", "plan-more"):
                if current is None:
                    self.notes.warn("Không tìm thấy mục đánh số La Mã chứa bảng kế hoạch; đã tạo một mục không "
                                    "tiêu đề để đặt bảng (sections[…].heading trống), hãy kiểm tra.")
                    current = {"heading": "", "content": []}
                    self.sections.append(current)
                    section_items = []
                if role == "plan":
                    current["table"] = True
                    section_items.append(TABLE_MARK)
                plan_tables.append(block)
            elif role == "section":
                flush()
                current = {"heading": block.text}
                self.sections.append(current)
                section_items = []
            elif isinstance(block, Table) and not any(line.strip() for line in block.lines()):
                continue  # an empty table (a layout left over): no text to place
            elif isinstance(block, Table):
                where = "preamble" if current is None else f"mục {quote(current['heading'], 40)}"
                self.notes.warn(f"Bảng {len(block.rows)} dòng ngoài bảng kế hoạch: đã đưa chữ của các ô vào {where} "
                                "theo thứ tự, hãy kiểm tra.")
                paras = [Para(line, line) for line in block.lines()]
                if current is None:
                    self.preamble.extend(p.text for p in paras)
                else:
                    section_items.extend(paras)
            elif current is None:
                self.preamble.append(block.text)
            else:
                section_items.append(block)
        flush()
        after_table = self._after_table_warning()

        if not title:
            title, header_items = title_in_header(header_items)
        header, unplaced_header = read_header(header_items, self.notes)
        if header:
            data["header"] = header
        if not title:
            self.notes.warn("Không tìm thấy tên văn bản (dòng «KẾ HOẠCH …»); title để trống, hãy điền.")
        data["title"] = title
        if unplaced_header:
            for text in unplaced_header:
                self.notes.warn(f"Đoạn không xếp được vào đâu, đã đưa vào preamble: {quote(text)}")
            self.preamble = unplaced_header + self.preamble
        table, criteria_rows = None, 0
        if plan_tables:
            table, criteria_rows = read_plan_table(plan_tables, self.notes, self._unplaced)
        else:
            self.notes.warn("Không tìm thấy bảng kế hoạch (bảng có dòng tiêu đề cột như «Tiêu chí», «Biện pháp», "
                            "«Thời gian»); nếu văn bản có bảng, hãy kiểm tra phần table.")
        recipients, signer, unplaced_sign = read_signature(signature_items, self.notes)
        for text in unplaced_sign:
            self._unplaced(text)
        if after_table:
            self.notes.warn(after_table)
        if self.preamble:
            data["preamble"] = self.preamble
        if self.sections:
            data["sections"] = [section_out(s) for s in self.sections]
        if table:
            data["table"] = table
        if closing:
            data["closing"] = closing
        if recipients:
            data["recipients"] = recipients
        if signer:
            data["signer"] = signer
        return Parsed(data, criteria_rows, len(table["columns"]) if table else 0, sources,
                      getattr(self.blocks, "source", None), list(getattr(self.blocks, "added", [])))

    def _unplaced(self, text: str) -> None:
        """A line that fits no field: at the end of the last section (else the preamble), and said so."""
        if self.sections:
            section = self.sections[-1]
            section.setdefault("content", []).append(text)
            where = f"mục {quote(section['heading'], 40)}" if section["heading"] else "mục cuối"
        else:
            self.preamble.append(text)
            where = "preamble"
        self.notes.warn(f"Đoạn không xếp được vào đâu, đã đưa vào {where}: {quote(text)}")

    def _after_table_warning(self) -> str | None:
        for section in self.sections:
            if section.get("table") and section.get("_after_table"):
                return (f"Mục {quote(section['heading'], 40)} có {section['_after_table']} đoạn sau bảng kế hoạch; "
                        "trang web hiện chúng trước bảng.")
        return None
