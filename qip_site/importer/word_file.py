"""From a path to a python-docx Document, or a clear reason why not.

A .doc file (Word 97-2003), an OpenDocument text (.odt, LibreOffice Writer), an RTF file and a .docx
saved as Strict Open XML, each known by its content whatever its extension, are converted to .docx with
LibreOffice when it is installed; a Word template or macro-enabled file (.dotx, .dotm, .docm) is read as the
document it holds; a password-protected Office file is refused with its own message, and anything else
that is not a Word file with a message in Vietnamese. So is a Word file
larger than a plan ever is, or a .docx (the converted one too) whose parts unpack to more
(limits.py): python-docx would hold them all in memory. A PDF (first bytes "%PDF-") is not opened
here: `import_file.read_word` sends it to pdf_reader.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any, NamedTuple

from ..reading.limits import DOCX_MAX_PARTS, DOCX_MAX_TEXT_BYTES, DOCX_MAX_UNPACKED_BYTES, WORD_MAX_BYTES
from ..reading.load import size_text
from ..reading.textrules import printable
from .notes import ImportFailed, Notes, quote, shown

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (and encrypted Word files)
# Parts of a .docx that python-docx keeps as they are, by their first bytes: pictures (PNG, JPEG, GIF,
# BMP, TIFF, EMF, WMF) and embedded files (Office 97-2003, zip). Any other part may be parsed as XML.
_NOT_XML = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"\x01\x00\x00\x00",
            b"\xd7\xcd\xc6\x9a", OLE_MAGIC, b"PK\x03\x04")
_PIECE = 1024 * 1024  # unpacked at a time
# Word never declares a document type or entities in its XML; with them, a part's text could stand in
# entity references the reader does not expand, and be lost in silence.
_DECLARATION_RE = re.compile(rb"<!(doctype|entity)", re.IGNORECASE)
DOC_MESSAGE = ("Tệp .doc (Word 97-2003) chưa đọc được: hãy mở bằng Word hoặc LibreOffice và lưu lại dạng .docx "
               "(Tệp → Lưu thành → Word Document (.docx)), rồi nhập lại.")
RTF_MAGIC = b"{\\rtf"
PDF_MAGIC = b"%PDF-"  # read by pdf_reader, not here
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# The relationship that points to a Strict Open XML document (ISO/IEC 29500 Strict).
_STRICT_RELATIONSHIP = b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
# The main part of a Word document, and of the other Word files that hold one: templates, macro-enabled.
_DOCUMENT_MAIN_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OTHER_MAIN_TYPES = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "mẫu Word (.dotx)",
    b"application/vnd.ms-word.document.macroEnabled.main+xml": "tệp Word có macro (.docm)",
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml": "mẫu Word có macro (.dotm)",
}
# An encrypted Office file ([MS-OFFCRYPTO]; a password-protected .docx, whatever its extension) is an
# OLE compound file ([MS-CFB]) holding these two streams (the document itself is EncryptedPackage).
_ENCRYPTED_STREAMS = ("EncryptionInfo", "EncryptedPackage")


class _Kind(NamedTuple):
    """A file LibreOffice converts to .docx: its usual extension and what to tell the editor."""

    suffix: str
    what: str  # "tệp …", as named in the messages
    save_as: str  # how to save it as .docx by hand
    unlike: str = "không phải tệp Word"  # how it differs from the .docx python-docx reads


_ODT = _Kind(".odt", "tệp OpenDocument (LibreOffice Writer)",
             "mở tệp bằng LibreOffice Writer và lưu lại dạng .docx (Tệp → Lưu thành → Word 2007-365 (.docx))")
_STRICT = _Kind(".docx", "tệp Word lưu dạng Strict Open XML (ISO/IEC 29500 Strict)",
                "mở tệp bằng Word và lưu lại dạng .docx thường (Tệp → Lưu thành → Word Document (.docx))",
                "không phải dạng .docx thường")
_RTF = _Kind(".rtf", "tệp RTF (Rich Text Format)",
             "mở tệp bằng Word và lưu lại dạng .docx (Tệp → Lưu thành → Word Document (.docx))")


def open_document(path: Path, tmp: Path, notes: Notes | None = None) -> Any:
    """The document of a .docx file, or of a .doc, .odt or .rtf file converted into `tmp` (said in
    `notes`, when given)."""
    import docx

    if not path.exists():
        raise ImportFailed(f"không tìm thấy tệp {shown(path)}.")
    if not path.is_file():
        raise ImportFailed(f"{shown(path)} không phải một tệp.")
    name = path.name
    if path.stat().st_size > WORD_MAX_BYTES:
        raise ImportFailed(f"Không đọc được tệp {name}: tệp quá lớn ({size_text(path.stat().st_size)}); một tệp Word kế "
                           f"hoạch, kể cả ảnh quét, không quá {size_text(WORD_MAX_BYTES)}. Có lẽ đây không phải tệp kế hoạch.")
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic == OLE_MAGIC and _encrypted(path):
        raise ImportFailed(f"Không đọc được tệp {name}: tệp được bảo vệ bằng mật khẩu. Hãy mở tệp bằng Word, bỏ "
                           "mật khẩu (Tệp → Thông tin → Bảo vệ Tài liệu → Mã hóa bằng Mật khẩu, xóa mật khẩu rồi bấm "
                           "OK) và lưu lại, rồi nhập lại.")
    if magic.startswith(PDF_MAGIC):
        raise ImportFailed(f"Tệp {name} là tệp PDF, không phải tệp Word; hãy nhập bằng lệnh qip-site import.")
    kind = _RTF if magic.startswith(RTF_MAGIC) else _ODT if _is_odt(path) else _STRICT if _is_strict(path) else None
    if kind is not None:
        if kind is not _RTF:
            check_unpacked(path, name)  # LibreOffice too would unpack it whole
        path = _converted_other(path, tmp, name, kind)
        if notes is not None:
            notes.warn(f"Tệp {name} là {kind.what}, {kind.unlike}: đã chuyển sang .docx bằng LibreOffice; "
                       "hãy đối chiếu bản nhập với văn bản gốc.")
    elif path.suffix.lower() == ".doc" or magic == OLE_MAGIC:
        path = _converted(path, tmp)
        if notes is not None:  # LibreOffice reads Word 97-2003 well, not perfectly (fields, drawings, signs)
            notes.warn(f"Tệp {name} là tệp Word 97-2003 (.doc): đã chuyển sang .docx bằng LibreOffice; hãy đối chiếu "
                       "bản nhập với văn bản gốc.")
    elif path.suffix.lower() != ".docx" or not zipfile.is_zipfile(path):
        raise _not_word(name)
    check_unpacked(path, name)
    path = _as_document(path, tmp, notes)
    try:
        return docx.Document(str(path))
    except Exception:
        raise _not_word(name) from None


def check_unpacked(path: Path | IO[bytes], name: str) -> None:
    """Refuse a .docx (a zip) of too many parts, or whose parts unpack to too much, before python-docx
    reads them all into memory. Each part's size as the zip declares it is checked first (a part that
    says it is too big is not unpacked); as a declared size can lie, each part is then unpacked too,
    a piece at a time, counting, and the unpacking stops past the limit."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > DOCX_MAX_PARTS:
                raise ImportFailed(f"Không đọc được tệp {name}: tệp có {len(parts)} phần, Word chỉ ghi khoảng 20 "
                                   "(thêm một phần cho mỗi ảnh); tệp bị hỏng, hoặc không phải tệp Word.")
            total = text = 0
            for part in parts:
                xml = part.filename.lower().endswith((".xml", ".rels"))
                with archive.open(part) as stream:
                    piece = stream.read(_PIECE)
                    is_text = not piece.startswith(_NOT_XML)
                    before, limit = (text, DOCX_MAX_TEXT_BYTES) if is_text else (total, DOCX_MAX_UNPACKED_BYTES)
                    size = part.file_size
                    if before + size <= limit:
                        size, carried = 0, b""
                        while piece and before + size <= limit:
                            if xml and _DECLARATION_RE.search(carried + piece):
                                raise _declares(name, part.filename)
                            carried = piece[-8:]  # a declaration cut between two pieces
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


def _declares(name: str, part: str) -> ImportFailed:
    return ImportFailed(
        f"Không đọc được tệp {name}: phần {quote(printable(part), 60)} khai báo kiểu văn bản hoặc thực thể "
        "(<!DOCTYPE, <!ENTITY), điều Word không bao giờ ghi; chữ đặt trong thực thể sẽ không được đọc. Tệp đã bị "
        "sửa bằng công cụ khác hoặc bị hỏng: hãy mở tệp bằng Word, kiểm tra nội dung và lưu lại (.docx)."
    )


def _too_big(name: str, part: str, limit: int) -> ImportFailed:
    if limit == DOCX_MAX_TEXT_BYTES:
        what, usual = "chữ của tệp (các phần XML)", "chữ của một kế hoạch chỉ khoảng 1 MB"
    else:
        what, usual = "tệp", "một kế hoạch kể cả ảnh thường dưới 10 MB"
    return ImportFailed(
        f"Không đọc được tệp {name}: {what} giải nén ra hơn {size_text(limit)} (đến phần {quote(printable(part), 60)}), "
        f"trong khi {usual}. Tệp bị hỏng, hoặc không phải một văn bản kế hoạch: hãy mở tệp bằng Word, kiểm tra nội "
        "dung và lưu lại."
    )


def _encrypted(path: Path) -> bool:
    """Whether an OLE compound file holds the streams of an encrypted Office file. Its directory is
    a chain of sectors (512 or 4096 bytes, after a 512-byte header) of 128-byte entries: a name in
    UTF-16 (64 bytes), the name's length in bytes with its final zero (2 bytes), the entry's type
    (1 byte, 2 for a stream) … Entries are looked for at every multiple of 128 bytes rather than by
    following the chain: a name, its length and its type there are no accident."""
    found = set()
    with path.open("rb") as handle:
        data = handle.read()
    for stream in _ENCRYPTED_STREAMS:
        entry = stream.encode("utf-16-le") + bytes(2)
        start = data.find(entry, 512)
        while start != -1 and stream not in found:
            fields = data[start + 64: start + 67]
            if start % 128 == 0 and fields == len(entry).to_bytes(2, "little") + b"\x02":
                found.add(stream)
            start = data.find(entry, start + 1)
    return len(found) == len(_ENCRYPTED_STREAMS)


def _is_odt(path: Path) -> bool:
    """Whether a file is an OpenDocument text: a zip whose first part, "mimetype", says so."""
    try:
        with zipfile.ZipFile(path) as archive:
            first = archive.infolist()[0]
            if first.filename != "mimetype":
                return False
            with archive.open(first) as stream:
                return stream.read(len(ODT_MIMETYPE) + 1) == ODT_MIMETYPE
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError,
            zlib.error, IndexError):
        return False


def _is_strict(path: Path) -> bool:
    """Whether a .docx is saved as Strict Open XML: its package points to the document with the Strict
    relationship type (python-docx knows only the Transitional one)."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open("_rels/.rels") as stream:
            return _STRICT_RELATIONSHIP in stream.read(64 * 1024)
    except (KeyError, zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError,
            EOFError, zlib.error):
        return False


def _as_document(path: Path, tmp: Path, notes: Notes | None) -> Path:
    """A Word template (.dotx, .dotm) or a macro-enabled document (.docm), renamed .docx or not, as a copy
    whose main part is a document's (python-docx opens documents only); the macros are not run nor kept.
    Any other file as it is."""
    try:
        with zipfile.ZipFile(path) as archive:
            types = archive.read("[Content_Types].xml")
            other = next((t for t in _OTHER_MAIN_TYPES if t in types), None)
            if other is None:
                return path
            copy = tmp / "document.docx"
            with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
                for part in archive.infolist():
                    data = archive.read(part)
                    out.writestr(part, types.replace(other, _DOCUMENT_MAIN_TYPE) if part.filename == "[Content_Types].xml"
                                 else data)
    except (KeyError, zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError,
            EOFError, zlib.error):
        return path
    if notes is not None:
        notes.warn(f"Tệp {path.name} là {_OTHER_MAIN_TYPES[other]}, không phải văn bản Word thường (.docx): đã đọc "
                   "phần văn bản của tệp" + (" (macro không được chạy)" if b"macroEnabled" in other else "")
                   + "; hãy đối chiếu bản nhập với văn bản gốc.")
    return copy


def _converted_other(path: Path, tmp: Path, name: str, kind: _Kind) -> Path:
    """An .odt or .rtf file converted by LibreOffice; a copy with its usual extension is converted."""
    converter = shutil.which("soffice") or shutil.which("libreoffice")
    if converter is None:
        raise ImportFailed(f"Không đọc được tệp {name}: đây là {kind.what}, {kind.unlike} (.docx); cần "
                           f"LibreOffice để chuyển sang .docx mà máy chưa cài. Hãy cài LibreOffice, hoặc "
                           f"{kind.save_as}, rồi nhập lại.")
    source = tmp / "in" / ("source" + kind.suffix)  # not where the .docx is written: a Strict file is one
    source.parent.mkdir(exist_ok=True)
    shutil.copyfile(path, source)
    try:
        subprocess.run([converter, *_profile(tmp), "--headless", "--convert-to", "docx", "--outdir", str(tmp),
                        str(source)], capture_output=True, timeout=180, check=False)
    except (OSError, subprocess.SubprocessError):
        pass
    converted = tmp / "source.docx"
    if not converted.exists():
        raise ImportFailed(f"Không đọc được tệp {name}: đây là {kind.what}, {kind.unlike} (.docx), và "
                           f"LibreOffice không chuyển được tệp sang .docx. Hãy {kind.save_as}, rồi nhập lại.")
    return converted


def _converted(path: Path, tmp: Path) -> Path:
    converter = shutil.which("soffice") or shutil.which("libreoffice")
    if converter is None:
        raise ImportFailed(DOC_MESSAGE)
    try:
        subprocess.run([converter, *_profile(tmp), "--headless", "--convert-to", "docx", "--outdir", str(tmp),
                        str(path)], capture_output=True, timeout=180, check=False)
    except (OSError, subprocess.SubprocessError):
        raise ImportFailed(DOC_MESSAGE) from None
    converted = tmp / (path.stem + ".docx")
    if not converted.exists():
        raise ImportFailed("LibreOffice không chuyển được tệp sang .docx. " + DOC_MESSAGE)
    return converted


def _profile(tmp: Path) -> list[str]:
    """LibreOffice's settings folder for this conversion alone: with the user's own, a second conversion at the
    same time (two imports, the publishing job and an editor) hands its file to the first LibreOffice or finds
    the folder locked, and converts nothing."""
    return [f"-env:UserInstallation={(tmp / 'libreoffice-profile').absolute().as_uri()}"]


def _not_word(name: str) -> ImportFailed:
    return ImportFailed(f"Không đọc được tệp {name}: không phải tệp Word (.docx) hoặc tệp bị hỏng.")
