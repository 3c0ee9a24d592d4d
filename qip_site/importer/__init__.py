"""Import a plan from a Word file or a PDF with a text layer: `qip-site import KẾ_HOẠCH.docx|.pdf`.

The Word file is read into blocks in document order: paragraph lines and tables, each merged
cell counted once. The blocks are then split into the parts of a plan document by what schools
write: the two-column header block, the title, the preamble, the Roman-numeral sections, the
plan table, the closing sentence and the signature block. Every text is kept as written and
placed exactly once; a line that fits no field goes to the preamble or to the current section
and is reported. The plan is written with ruamel.yaml (the school file too when the school is
new), then checked with `load_site` like any plan an editor typed.

The data flow, one module a step:

    command        the files and folders given; progress, summary, return code
    import_file    one file, step by step:
      word_file      path -> python-docx Document (.doc, .odt, .rtf, Strict Open XML through LibreOffice;
                     a template or macro-enabled file read as the document it holds)
      docx_reader    Document -> blocks (blocks: Para, Table; numbering; ooxml); footnotes and
                     endnotes at the end of the paragraph that refers to them, "[1] text"; a
                     one-cell table read as its content; signs of Insert → Symbol (symbols);
                     content pulled in from another file, w:altChunk (alt_chunk: a Word file's footnotes
                     read, its comments and headers said; an HTML file's hidden elements said); Word's table of
                     contents (content control, toc styles or a TOC field) left out and said; hidden text
                     (Font → Hidden, on the run or through its style: hidden) not read
      source_text    every line of every part of the .docx (document, text boxes once, footnotes,
                     endnotes, comments, headers, footers; hidden text apart, that of comments and of a
                     Word file pulled in too, to be said), read from the package: the count's start
      not_text       what the document shows that is not text (pictures, charts, SmartArt,
                     formulas, embedded objects): counted, to be said
      pdf_reader     or a PDF (known by "%PDF-") -> the same blocks, with pdfplumber: tables rebuilt
                     from ruled cells and joined across pages, two columns side by side, wrapped
                     lines joined; page numbers, running headers and footers left out and said;
                     every word of the text layer counted against the plan (checks.account_words)
      parser         blocks -> the plan's data, placing every line once:
        plan_kind      not an improvement plan (no plan title, no plan table): refused
        layout         which block is header, title, section, plan table (the one naming what is done),
                       closing, signature, an appendix after it (a last section); a second plan said
        plan_parts     the plan table's other parts: broken by Word, one table per standard
        header         header lines -> header fields   (two_columns: left and right)
        sections       a section's paragraphs and sub-headings
        table          the plan table (table_columns: headings, a second heading row, school years as
                       columns; table_rows: each row, a criterion's code from "1.1", "Tiêu chí 1" under
                       "Tiêu chuẩn II"; a value of a lower row of a merged criterion labelled with its row;
                       a criterion under a standard of another number said)
        signature      recipients and signer
      period         the school years, from the title or guessed
      school         the school's folder, level (the school's name, the title, the text; the
                     circular cited last, a conflict said) and new school.yml
      fit_table      criteria codes of the school's circular (a criterion named by its title only given its
                     code, said); rows paired with their years
      checks         every word of the file in the plan once, or left out and said (comments,
                     headers, footers); `qip-site check` on the files written
      results        with --force, the results the school wrote in the old plan kept row by row
      writer         YAML as editors write it
    notes, text    messages to the editor; text helpers

Public entry point: `import_paths` (used by `qip-site import`).
"""

from __future__ import annotations

try:  # converts legacy encodings (TCVN3, VNI); the reader looks it up here, so it can be replaced here
    from ..reading.legacy import legacy_to_unicode
except ImportError:  # pragma: no cover - depends on the other module being present
    def legacy_to_unicode(text: str) -> tuple[str, str | None]:
        return text, None

from .command import import_paths
from .notes import ImportFailed
from .word_file import DOC_MESSAGE

__all__ = ["DOC_MESSAGE", "ImportFailed", "import_paths", "legacy_to_unicode"]
