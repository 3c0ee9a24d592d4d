"""`qip-site import` of files that are not a plain .docx: an OpenDocument text and an RTF file
(converted by LibreOffice, whatever their extension) and a password-protected Office file (refused
with its own message). The inputs are made here, by LibreOffice from the Word fixtures."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from qip_site.importer import import_paths
from qip_site.importer.notes import Notes
from qip_site.importer.word_file import open_document

LDC = REPO.parent / "shared" / "fixtures" / "docx" / "th-le-dinh-chinh_2023-2024.docx"
PLAN = Path("plans") / "th-le-dinh-chinh" / "2023-2024.yml"
needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                       reason="LibreOffice is not installed (make test installs it)")


def converted(tmp_path: Path, fixture: Path, fmt: str) -> Path:
    """The fixture saved by LibreOffice as `fmt` (odt, rtf) in tmp_path/made."""
    made = tmp_path / "made"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", fmt,
                    "--outdir", str(made), str(fixture)], check=True, capture_output=True, timeout=180)
    return made / f"{fixture.stem}.{fmt}"


def imported(folder: Path, source: Path) -> tuple[int, str, list[str]]:
    """`qip-site import SOURCE` run in `folder`: exit code, output, and the plan written but its comment
    naming the Word file."""
    folder.mkdir()
    result = run_cli("import", str(source), cwd=folder)
    if result.returncode != 0:
        return result.returncode, result.stdout + result.stderr, []
    lines = (folder / PLAN).read_text(encoding="utf-8").splitlines()
    return result.returncode, result.stdout, [ln for ln in lines if "tệp Word" not in ln]


def encrypted_office_file(path: Path) -> None:
    """A minimal OLE compound file ([MS-CFB], version 3, 512-byte sectors) shaped as Word writes a
    password-protected .docx ([MS-OFFCRYPTO]): the 512-byte header, sector 0 holding the FAT (the
    table of sector chains), sector 1 the directory: the root and the two streams (left empty here)
    "EncryptionInfo" and "EncryptedPackage"."""
    free, end, fat, none = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)  # magic, class id
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)  # versions, byte order, 2^9, 2^6
              # directory sectors (0 in version 3), FAT sectors, first directory sector, transaction,
              # mini stream cutoff, first and number of mini FAT sectors, first and number of DIFAT sectors
              + struct.pack("<9I", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", 0, *[free] * 108))  # where the FAT is: sector 0
    fat_sector = struct.pack("<128I", fat, end, *[free] * 126)

    def entry(name: str, kind: int, child: int = none, right: int = none) -> bytes:
        encoded = name.encode("utf-16-le") + bytes(2)
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)  # name, type, black
                + struct.pack("<III", none, right, child) + bytes(16 + 4 + 8 + 8)  # siblings, child, times
                + struct.pack("<IQ", end, 0))  # first sector, size

    directory = (entry("Root Entry", 5, child=1) + entry("EncryptionInfo", 2, right=2)
                 + entry("EncryptedPackage", 2) + bytes(128))
    assert len(header) == len(fat_sector) == len(directory) == 512
    path.write_bytes(header + fat_sector + directory)


# Each format LibreOffice turns into .docx: the file as it is named and renamed, what the note calls it,
# and how to recognise the converted file by its content.
CONVERTED = [
    ("odt", "ke-hoach.odt", "tệp OpenDocument (LibreOffice Writer)"),
    ("odt", "ke-hoach.docx", "tệp OpenDocument (LibreOffice Writer)"),
    ("rtf", "ke-hoach.rtf", "tệp RTF (Rich Text Format)"),
    ("rtf", "ke-hoach.doc", "tệp RTF (Rich Text Format)"),
]


@needs_libreoffice
@pytest.mark.parametrize(("kind", "name", "called"), CONVERTED, ids=["odt", "odt-renamed-docx", "rtf", "rtf-renamed-doc"])
def test_odt_and_rtf_are_converted_and_imported_as_their_docx(tmp_path, kind, name, called):
    made = converted(tmp_path, LDC, kind)
    if kind == "odt":
        with zipfile.ZipFile(made) as archive:  # an OpenDocument text, not a .docx
            assert archive.namelist()[0] == "mimetype"
    else:
        assert made.read_bytes().startswith(b"{\\rtf")
    source = tmp_path / name
    made.rename(source)
    code, out, from_converted = imported(tmp_path / "from-converted", source)
    assert code == 0, out
    # The editor is told once that the file was converted, and asked to compare.
    assert out.count(f"Tệp {name} là {called}, không phải tệp Word: đã chuyển sang .docx bằng LibreOffice") == 1, out
    code, out, from_docx = imported(tmp_path / "from-docx", LDC)
    assert code == 0, out
    assert from_converted == from_docx


@needs_libreoffice
def test_conversion_is_said_when_notes_are_given(tmp_path):
    odt = converted(tmp_path, LDC, "odt")
    notes = Notes()
    work = tmp_path / "work"
    work.mkdir()
    assert open_document(odt, work, notes).paragraphs
    assert notes.warnings == [f"Tệp {odt.name} là tệp OpenDocument (LibreOffice Writer), không phải tệp Word: đã "
                              "chuyển sang .docx bằng LibreOffice; hãy đối chiếu bản nhập với văn bản gốc."]


@pytest.mark.parametrize("name", ["ke-hoach.docx", "ke-hoach.doc"])
def test_password_protected_file_has_its_own_message(tmp_path, name):
    source = tmp_path / name
    encrypted_office_file(source)
    result = run_cli("import", str(source), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[1] == (
        f"  Lỗi: Không đọc được tệp {name}: tệp được bảo vệ bằng mật khẩu. Hãy mở tệp bằng Word, bỏ mật khẩu "
        "(Tệp → Thông tin → Bảo vệ Tài liệu → Mã hóa bằng Mật khẩu, xóa mật khẩu rồi bấm OK) và lưu lại, rồi nhập lại.")
    assert not (tmp_path / "plans").exists()


def test_old_doc_without_encrypted_package_still_goes_to_libreoffice(tmp_path, monkeypatch):
    # The same compound file but for the stream's name: an ordinary .doc, converted as before.
    source = tmp_path / "cu.doc"
    encrypted_office_file(source)
    source.write_bytes(source.read_bytes().replace("EncryptedPackage".encode("utf-16-le"),
                                                   "WordDocument\0\0\0\0".encode("utf-16-le")))
    monkeypatch.setattr(shutil, "which", lambda name: None)
    lines: list[str] = []
    assert import_paths([source], tmp_path / "plans", echo=lines.append) == 1
    assert lines[1] == ("  Lỗi: Tệp .doc (Word 97-2003) chưa đọc được: hãy mở bằng Word hoặc LibreOffice và lưu lại "
                        "dạng .docx (Tệp → Lưu thành → Word Document (.docx)), rồi nhập lại.")


def test_odt_and_rtf_without_libreoffice(tmp_path, monkeypatch):
    """Without LibreOffice (no process can hide it: shutil.which is replaced here) each says what it is."""
    odt = tmp_path / "ke-hoach.docx"
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    rtf = tmp_path / "ke-hoach.rtf"
    rtf.write_text("{\\rtf1\\ansi Kế hoạch}", encoding="utf-8")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    lines: list[str] = []
    assert import_paths([odt, rtf], tmp_path / "plans", echo=lines.append) == 1
    assert [ln for ln in lines if ln.startswith("  Lỗi: ")] == [
        "  Lỗi: Không đọc được tệp ke-hoach.docx: đây là tệp OpenDocument (LibreOffice Writer), không phải tệp Word "
        "(.docx); cần LibreOffice để chuyển sang .docx mà máy chưa cài. Hãy cài LibreOffice, hoặc mở tệp bằng "
        "LibreOffice Writer và lưu lại dạng .docx (Tệp → Lưu thành → Word 2007-365 (.docx)), rồi nhập lại.",
        "  Lỗi: Không đọc được tệp ke-hoach.rtf: đây là tệp RTF (Rich Text Format), không phải tệp Word (.docx); "
        "cần LibreOffice để chuyển sang .docx mà máy chưa cài. Hãy cài LibreOffice, hoặc mở tệp bằng Word và lưu "
        "lại dạng .docx (Tệp → Lưu thành → Word Document (.docx)), rồi nhập lại.",
    ]
