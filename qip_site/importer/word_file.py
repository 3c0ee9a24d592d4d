"""From a path to a python-docx Document, or a clear reason why not.

A .doc file (Word 97-2003) is converted to .docx with LibreOffice when it is installed;
anything that is not a Word file is refused with a message in Vietnamese.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

from .notes import ImportFailed, shown

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (and encrypted Word files)
DOC_MESSAGE = ("Tệp .doc (Word 97-2003) chưa đọc được: hãy mở bằng Word hoặc LibreOffice và lưu lại dạng .docx "
               "(Tệp → Lưu thành → Word Document (.docx)), rồi nhập lại.")


def open_document(path: Path, tmp: Path) -> Any:
    """The document of a .docx file, or of a .doc file converted into `tmp`."""
    import docx

    if not path.exists():
        raise ImportFailed(f"không tìm thấy tệp {shown(path)}.")
    if not path.is_file():
        raise ImportFailed(f"{shown(path)} không phải một tệp.")
    with path.open("rb") as handle:
        magic = handle.read(8)
    if path.suffix.lower() == ".doc" or magic == OLE_MAGIC:
        path = _converted(path, tmp)
    elif path.suffix.lower() != ".docx" or not zipfile.is_zipfile(path):
        raise _not_word(path)
    try:
        return docx.Document(str(path))
    except Exception:
        raise _not_word(path) from None


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


def _not_word(path: Path) -> ImportFailed:
    return ImportFailed(f"Không đọc được tệp {path.name} : không phải tệp Word (.docx) hoặc tệp bị hỏng.")
