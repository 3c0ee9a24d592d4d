"""From a path to a python-docx Document, or a clear reason why not.

A .doc file (Word 97-2003) is converted to .docx with LibreOffice when it is installed;
anything that is not a Word file is refused with a message in Vietnamese. So is a Word file
larger than a plan ever is, or a .docx (the converted one too) whose parts unpack to more
(limits.py): python-docx would hold them all in memory.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
import zlib
from pathlib import Path
from typing import Any

from ..reading.limits import DOCX_MAX_PARTS, DOCX_MAX_TEXT_BYTES, DOCX_MAX_UNPACKED_BYTES, WORD_MAX_BYTES
from ..reading.load import size_text
from ..reading.textrules import printable
from .notes import ImportFailed, quote, shown

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (and encrypted Word files)
# Parts of a .docx that python-docx keeps as they are, by their first bytes: pictures (PNG, JPEG, GIF,
# BMP, TIFF, EMF, WMF) and embedded files (Office 97-2003, zip). Any other part may be parsed as XML.
_NOT_XML = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"\x01\x00\x00\x00",
            b"\xd7\xcd\xc6\x9a", OLE_MAGIC, b"PK\x03\x04")
_PIECE = 1024 * 1024  # unpacked at a time
DOC_MESSAGE = ("Tệp .doc (Word 97-2003) chưa đọc được: hãy mở bằng Word hoặc LibreOffice và lưu lại dạng .docx "
               "(Tệp → Lưu thành → Word Document (.docx)), rồi nhập lại.")


def open_document(path: Path, tmp: Path) -> Any:
    """The document of a .docx file, or of a .doc file converted into `tmp`."""
    import docx

    if not path.exists():
        raise ImportFailed(f"không tìm thấy tệp {shown(path)}.")
    if not path.is_file():
        raise ImportFailed(f"{shown(path)} không phải một tệp.")
    name = path.name
    if path.stat().st_size > WORD_MAX_BYTES:
        raise ImportFailed(f"Không đọc được tệp {name} : tệp quá lớn ({size_text(path.stat().st_size)}); một tệp Word kế "
                           f"hoạch, kể cả ảnh quét, không quá {size_text(WORD_MAX_BYTES)}. Có lẽ đây không phải tệp kế hoạch.")
    with path.open("rb") as handle:
        magic = handle.read(8)
    if path.suffix.lower() == ".doc" or magic == OLE_MAGIC:
        path = _converted(path, tmp)
    elif path.suffix.lower() != ".docx" or not zipfile.is_zipfile(path):
        raise _not_word(name)
    _check_unpacked(path, name)
    try:
        return docx.Document(str(path))
    except Exception:
        raise _not_word(name) from None


def _check_unpacked(path: Path, name: str) -> None:
    """Refuse a .docx (a zip) of too many parts, or whose parts unpack to too much, before python-docx
    reads them all into memory. Each part's size as the zip declares it is checked first (a part that
    says it is too big is not unpacked); as a declared size can lie, each part is then unpacked too,
    a piece at a time, counting, and the unpacking stops past the limit."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > DOCX_MAX_PARTS:
                raise ImportFailed(f"Không đọc được tệp {name} : tệp có {len(parts)} phần, Word chỉ ghi khoảng 20 "
                                   "(thêm một phần cho mỗi ảnh); tệp bị hỏng, hoặc không phải tệp Word.")
            total = text = 0
            for part in parts:
                with archive.open(part) as stream:
                    piece = stream.read(_PIECE)
                    is_text = not piece.startswith(_NOT_XML)
                    before, limit = (text, DOCX_MAX_TEXT_BYTES) if is_text else (total, DOCX_MAX_UNPACKED_BYTES)
                    size = part.file_size
                    if before + size <= limit:
                        size = 0
                        while piece and before + size <= limit:
                            size += len(piece)
                            piece = stream.read(_PIECE)
                    if before + size > limit:
                        raise _too_big(name, part.filename, limit)
                total += size
                text += size if is_text else 0
                if total > DOCX_MAX_UNPACKED_BYTES:
                    raise _too_big(name, part.filename, DOCX_MAX_UNPACKED_BYTES)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError,
            zlib.error):
        raise _not_word(name) from None


def _too_big(name: str, part: str, limit: int) -> ImportFailed:
    if limit == DOCX_MAX_TEXT_BYTES:
        what, usual = "chữ của tệp (các phần XML)", "chữ của một kế hoạch chỉ khoảng 1 MB"
    else:
        what, usual = "tệp", "một kế hoạch kể cả ảnh thường dưới 10 MB"
    return ImportFailed(
        f"Không đọc được tệp {name} : {what} giải nén ra hơn {size_text(limit)} (đến phần {quote(printable(part), 60)}), "
        f"trong khi {usual}. Tệp bị hỏng, hoặc không phải một văn bản kế hoạch: hãy mở tệp bằng Word, kiểm tra nội "
        "dung và lưu lại."
    )


def _converted(path: Path, tmp: Path) -> Path:
    converter = shutil.which("soffice") or shutil.which("libreoffice")
    if converter is None:
        raise ImportFailed(DOC_MESSAGE)
    try:
        subprocess.run([converter, "--headless", "--convert-to", "docx", "--outdir", str(tmp), str(path)],
                       capture_output=True, timeout=180, check=False)
    except (OSError, subprocess.SubprocessError):
        raise ImportFailed(DOC_MESSAGE) from None
    converted = tmp / (path.stem + ".docx")
    if not converted.exists():
        raise ImportFailed("LibreOffice không chuyển được tệp sang .docx. " + DOC_MESSAGE)
    return converted


def _not_word(name: str) -> ImportFailed:
    return ImportFailed(f"Không đọc được tệp {name} : không phải tệp Word (.docx) hoặc tệp bị hỏng.")
