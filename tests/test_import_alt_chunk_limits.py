"""Hostile content pulled in from another file (w:altChunk): a Word file inside the Word file is
held to the same limits as the file itself, and a pulled-in file that pulls in another (a file that
holds itself, say) is refused in one line instead of being read again and again."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from test_import_variants import PLAN, with_chunk

from qip_site.importer import import_paths
from qip_site.reading.limits import DOCX_MAX_TEXT_BYTES


def refused(source: Path, tmp_path: Path) -> str:
    plans = tmp_path / "plans"
    lines: list[str] = []
    code = import_paths([source], plans, echo=lines.append)
    out = "\n".join(lines)
    assert code == 1 and "Traceback" not in out and not (plans / PLAN).exists(), out
    return out


def word_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_a_word_file_inside_that_unpacks_too_far_is_refused(tmp_path):
    inner = word_bytes(docx.Document())
    # The inner file's text part grown past the limit: a few KB packed, more than the limit unpacked.
    packed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(inner)) as source, zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b"<!--" + b" " * (DOCX_MAX_TEXT_BYTES + 1) + b"-->")
            bomb.writestr(item.filename, data)
    assert len(packed.getvalue()) < DOCX_MAX_TEXT_BYTES // 100
    out = refused(with_chunk(tmp_path / "bom.docx", WORD, packed.getvalue()), tmp_path)
    assert "Không đọc được tệp nhúng (altChunk) trong tệp Word: chữ của tệp (các phần XML) giải nén ra hơn" in out


def test_a_word_file_inside_that_pulls_in_another_is_refused(tmp_path):
    inner = tmp_path / "inner.docx"
    with_chunk(inner, "text/html", b"<p>Noi dung</p>")
    out = refused(with_chunk(tmp_path / "long-nhau.docx", WORD, inner.read_bytes()), tmp_path)
    assert "mà chính phần đó lại nhúng tệp khác nữa; không đọc được" in out


def test_a_word_file_inside_is_read(tmp_path):
    inner = docx.Document()
    inner.add_paragraph("Phối hợp với Ban đại diện cha mẹ trẻ.")
    plans = tmp_path / "plans"
    lines: list[str] = []
    code = import_paths([with_chunk(tmp_path / "word.docx", WORD, word_bytes(inner))], plans, echo=lines.append)
    assert code == 0, lines
    assert "Phối hợp với Ban đại diện cha mẹ trẻ." in (plans / PLAN).read_text(encoding="utf-8")
