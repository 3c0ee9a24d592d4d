"""`qip-site inbox`: the files an editor uploaded into tai-len/ through the hosting site's web page.

Each test makes a temporary git repository with this project's site set-up, commits the upload as
the web page does, runs the command as the publishing jobs do (`qip-site inbox`, a process, with
$GITHUB_STEP_SUMMARY set) and looks at what the editor and the site get: the commit, the inbox,
the built plan page and the Vietnamese summary. A failure must leave the repository as it was.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import markdown
import pytest
from conftest import ENV, REPO, content_text, new_project, run_cli

FIXTURES = REPO.parent / "shared" / "fixtures" / "docx"
LDC = FIXTURES / "th-le-dinh-chinh_2023-2024.docx"
THUY_TIEN = FIXTURES / "mn-thuy-tien_2022-2027.docx"
PDF = b"%PDF-1.4\n% signed original, a stand-in\n".ljust(600, b"%")
HEADING = "## Nhập kế hoạch từ thư mục tai-len/"
KEPT = "Trang web đang chạy được giữ nguyên; chưa có gì được ghi vào kho"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="cần git")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def make_repo(tmp_path: Path, files: dict[str, Path | bytes | str]) -> Path:
    """A site repository whose last commit is an editor's upload of `files` (path → fixture or content)."""
    repo = new_project(tmp_path / "repo")
    shutil.copytree(REPO / "tai-len", repo / "tai-len")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=Quản trị", "-c", "user.email=qt@x", "commit", "-q", "-m", "Trang web")
    for name, data in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, Path):
            shutil.copyfile(data, path)
        else:
            path.write_bytes(data) if isinstance(data, bytes) else path.write_text(data, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=Cô Lan", "-c", "user.email=lan@x", "commit", "-q", "-m", "Add files via upload")
    return repo


def run_inbox(repo: Path) -> tuple[subprocess.CompletedProcess, str]:
    """`qip-site inbox` as the GitHub job runs it: its result and the job summary it wrote."""
    summary = repo.parent / "step-summary.md"
    summary.write_text("", encoding="utf-8")
    env = {**ENV, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_SERVER_URL": "https://github.com",
           "GITHUB_REPOSITORY": "pgd-q10/ke-hoach", "GITHUB_REF_NAME": "main"}
    result = run_cli("inbox", cwd=repo, env=env)
    assert "Traceback" not in result.stderr, result.stderr
    return result, summary.read_text(encoding="utf-8")


def changed(repo: Path) -> dict[str, str]:
    """The last commit's files: path → A (added), D (deleted), M (modified)."""
    lines = git(repo, "show", "--no-renames", "--name-status", "--format=", "HEAD").split("\n")
    return {line.split("\t")[1]: line.split("\t")[0] for line in lines if line}


def rendered(summary: str) -> str:
    """The summary as a Markdown page shows it (HTML)."""
    return markdown.markdown(summary)


def test_upload_in_a_school_folder_is_committed_built_and_summarised(tmp_path):
    repo = make_repo(tmp_path, {"tai-len/th-le-dinh-chinh/ke-hoach.docx": LDC,
                                "tai-len/th-le-dinh-chinh/ban-da-ky.pdf": PDF})
    upload = git(repo, "rev-parse", "HEAD").strip()
    result, summary = run_inbox(repo)
    assert result.returncode == 0, result.stdout + result.stderr

    # One commit by the bot: the plan, the new school, the signed original; the uploads gone from the inbox.
    assert git(repo, "rev-parse", "HEAD~1").strip() == upload
    assert git(repo, "log", "-1", "--format=%an|%s") == \
        "qip-site-bot|Nhập kế hoạch từ tai-len/th-le-dinh-chinh/ke-hoach.docx\n"
    assert changed(repo) == {
        "plans/th-le-dinh-chinh/2023-2024.yml": "A", "plans/th-le-dinh-chinh/school.yml": "A",
        "plans/th-le-dinh-chinh/2023-2024.pdf": "A", "tai-len/th-le-dinh-chinh/.gitkeep": "A",
        "tai-len/th-le-dinh-chinh/ke-hoach.docx": "D", "tai-len/th-le-dinh-chinh/ban-da-ky.pdf": "D",
    }
    assert git(repo, "status", "--porcelain") == ""
    assert sorted(p.name for p in (repo / "tai-len").rglob("*")) == [".gitkeep", "README.md", "th-le-dinh-chinh"]
    assert (repo / "plans/th-le-dinh-chinh/2023-2024.pdf").read_bytes() == PDF

    # The site built from that commit has the plan page, its rows and the signed original.
    build = run_cli("build", "-d", "site", cwd=repo)
    assert build.returncode == 0, build.stdout + build.stderr
    page = repo / "site/truong/th-le-dinh-chinh/ke-hoach-2023-2024"
    text = content_text(page / "index.html")
    assert "CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC" in text.upper() and "Năm học 2023 - 2024" in text
    assert "Sĩ số 35 học sinh /lớp" in text and "Lưu Thuận Phong" in text
    assert (page / "ban-goc.pdf").read_bytes() == PDF

    # The summary: the file, what was written, each warning, the pencil link to the plan file.
    assert summary.startswith(HEADING)
    assert "Đã nhập 1 tệp và ghi vào kho" in summary
    assert "### ✅ `tai-len/th-le-dinh-chinh/ke-hoach.docx`" in summary
    assert "- Đã ghi `plans/th-le-dinh-chinh/2023-2024.yml`: kế hoạch" in summary
    assert "- Đã ghi `plans/th-le-dinh-chinh/school.yml`: thông tin trường (trường mới)" in summary
    assert ("- Đã ghi `plans/th-le-dinh-chinh/2023-2024.pdf`: bản gốc đã ký, từ "
            "`tai-len/th-le-dinh-chinh/ban-da-ky.pdf`") in summary
    assert "1. Cấp học đoán từ tên trường «TRƯỜNG TIỂU HỌC LÊ ĐÌNH CHINH»: primary \\(Tiểu học\\)" in summary
    assert ("nút bút chì: [`plans/th-le-dinh-chinh/2023-2024.yml`](https://github.com/pgd-q10/ke-hoach/edit/main/"
            "plans/th-le-dinh-chinh/2023-2024.yml)") in summary
    assert "chưa có bản gốc" not in summary  # the PDF uploaded with it is the original
    assert summary in result.stdout  # also in the log (GitLab)

    # The commit leaves the inbox empty: the next run (its own push) does nothing.
    head = git(repo, "rev-parse", "HEAD")
    again, summary = run_inbox(repo)
    assert again.returncode == 0 and "tai-len/ không có tệp mới" in again.stdout
    assert git(repo, "rev-parse", "HEAD") == head and summary == ""


def test_school_from_the_file_name_hint_or_from_the_document(tmp_path):
    repo = make_repo(tmp_path, {"tai-len/mn-hoa-sen__ke-hoach 5 nam.docx": THUY_TIEN,
                                "tai-len/KH cai tien.docx": LDC})
    result, summary = run_inbox(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert git(repo, "log", "-1", "--format=%B").strip() == (
        "Nhập 2 kế hoạch từ tai-len/\n\n- tai-len/KH cai tien.docx\n- tai-len/mn-hoa-sen__ke-hoach 5 nam.docx")
    files = changed(repo)
    assert files["plans/mn-hoa-sen/2022-2027.yml"] == "A"  # the hint, not the header's "MN THỦY TIÊN"
    assert files["plans/th-le-dinh-chinh/2023-2024.yml"] == "A"  # no hint: the school named in the header
    assert not any(p.startswith("plans/mn-thuy-tien") for p in files)
    assert files["tai-len/KH cai tien.docx"] == files["tai-len/mn-hoa-sen__ke-hoach 5 nam.docx"] == "D"
    assert "- Trường: `mn-hoa-sen`" in summary
    assert "chưa có bản gốc đã ký" in summary  # no PDF uploaded: said, with the file and how to add it


def test_failed_uploads_commit_nothing_and_say_what_to_fix(tmp_path):
    repo = make_repo(tmp_path, {
        "tai-len/th-le-dinh-chinh/ke-hoach.docx": LDC,  # fine, but waits for the others
        "tai-len/bien-ban.txt": "không phải kế hoạch",
        "tai-len/hong.docx": b"PK\x03\x04 not a Word file",
        "tai-len/th-a/th-b__ke-hoach.docx": LDC,  # folder and hint disagree
        "tai-len/<b>đậm</b>.txt": "x",
    })
    head = git(repo, "rev-parse", "HEAD")
    result, summary = run_inbox(repo)
    assert result.returncode == 1
    assert git(repo, "rev-parse", "HEAD") == head  # no commit, so nothing to push and no deploy
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""  # nothing written, nothing moved
    assert not (repo / "plans/th-le-dinh-chinh").exists()

    assert summary.startswith(HEADING)
    assert f"**Chưa nhập được 4/5 tệp. {KEPT}" in summary
    sections = {block.split("\n", 1)[0]: block for block in summary.split("\n### ")[1:]}
    assert "Đã tạo rồi bỏ (chưa ghi vào kho) `plans/th-le-dinh-chinh/2023-2024.yml`" in \
        sections["✅ `tai-len/th-le-dinh-chinh/ke-hoach.docx`"]
    txt = sections["❌ `tai-len/bien-ban.txt`"]
    assert "**Không nhập được:** loại tệp này không nhập được; chỉ nhận tệp Word \\(.docx, .doc\\)" in txt
    assert "**Cách sửa:** Xóa tệp này khỏi thư mục tải lên \\(mở tệp, bấm nút ba chấm … → Delete file" in txt
    broken = sections["❌ `tai-len/hong.docx`"]
    assert "**Không nhập được:**" in broken and "tải lên lại vào đúng thư mục với đúng tên tệp cũ" in broken
    assert ("tệp nằm trong thư mục của trường th-a nhưng tên tệp chỉ trường th-b"
            in sections["❌ `tai-len/th-a/th-b__ke-hoach.docx`"])
    # A file name is shown as written, never read as markup.
    assert "`tai-len/<b>đậm</b>.txt`" in summary
    assert "<b>" not in rendered(summary)


def test_a_check_error_keeps_the_upload_and_names_the_line(tmp_path):
    """The plan imports, but the check refuses it (two five-year plans share school years): nothing is committed."""
    repo = make_repo(tmp_path, {"tai-len/mn-thuy-tien/ke-hoach.docx": THUY_TIEN})
    hand_made = (REPO / "plans/mn-thuy-tien/2022-2027.yml").read_text(encoding="utf-8")
    (repo / "plans/mn-thuy-tien").mkdir(parents=True)
    shutil.copy(REPO / "plans/mn-thuy-tien/school.yml", repo / "plans/mn-thuy-tien/school.yml")
    (repo / "plans/mn-thuy-tien/2021-2026.yml").write_text(
        hand_made.replace('from: "2022-2023"', 'from: "2021-2022"').replace('to: "2026-2027"', 'to: "2025-2026"'),
        encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-q", "-m", "Kế hoạch cũ")
    head = git(repo, "rev-parse", "HEAD")
    result, summary = run_inbox(repo)
    assert result.returncode == 1
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""
    assert (repo / "tai-len/mn-thuy-tien/ke-hoach.docx").is_file()

    assert f"**Chưa nhập được 1/1 tệp. {KEPT}" in summary
    assert "### ❌ `tai-len/mn-thuy-tien/ke-hoach.docx`" in summary
    assert ("**Lỗi khi kiểm tra:**\n\n1. `plans/mn-thuy-tien/2022-2027.yml`, dòng 6: lỗi: trường \"period\": tệp "
            "plans/mn-thuy-tien/2021-2026.yml cũng là kế hoạch nhiều năm có năm học 2022-2023") in summary
    # How to go on in the browser, with the plan file generated to paste and fix.
    assert "Add file → Create new file" in summary and "Delete file" in summary
    assert "<details><summary>Nội dung đã tạo cho `plans/mn-thuy-tien/2022-2027.yml`</summary>" in summary
    assert '```yaml\n# yaml-language-server: $schema=../../qip_site/schema/plan.schema.json\n' in summary
    assert "  school: TRƯỜNG MN THỦY TIÊN\n" in summary


def test_a_document_without_a_school_name_needs_the_school_folder(tmp_path):
    """Without a folder, a hint or a school named in the document, no school is invented from the file name."""
    from test_import import headerless_plan

    source = headerless_plan(tmp_path / "ke-hoach.docx")
    repo = make_repo(tmp_path, {"tai-len/ke-hoach.docx": source})
    head = git(repo, "rev-parse", "HEAD")
    result, summary = run_inbox(repo)
    assert result.returncode == 1 and git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""
    assert "**Không nhập được:** văn bản không ghi tên trường nên không biết nhập vào trường nào" in summary
    assert "**Cách sửa:** Tải tệp vào thư mục tai-len/\\<tên-thư-mục-trường\\>/" in summary

    # Moved into the school's folder (as the summary says), it is imported there.
    (repo / "tai-len/thcs-a").mkdir()
    git(repo, "mv", "tai-len/ke-hoach.docx", "tai-len/thcs-a/ke-hoach.docx")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-q", "-m", "Chuyển thư mục")
    result, summary = run_inbox(repo)
    assert result.returncode == 0, result.stdout + summary
    assert changed(repo)["plans/thcs-a/2024-2029.yml"] == "A"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (make test installs it)")
def test_a_signed_pdf_alone_is_the_plan_and_its_original(tmp_path):
    """A PDF with text (made here by LibreOffice from the Word fixture) is imported, and published as the original."""
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(LDC)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / (LDC.stem + ".pdf")
    repo = make_repo(tmp_path, {"tai-len/th-le-dinh-chinh/ban-ky.pdf": pdf})
    result, summary = run_inbox(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    files = changed(repo)
    assert files["plans/th-le-dinh-chinh/2023-2024.yml"] == files["plans/th-le-dinh-chinh/2023-2024.pdf"] == "A"
    assert files["tai-len/th-le-dinh-chinh/ban-ky.pdf"] == "D"
    assert (repo / "plans/th-le-dinh-chinh/2023-2024.pdf").read_bytes() == pdf.read_bytes()
    assert ("- Đã ghi `plans/th-le-dinh-chinh/2023-2024.pdf`: bản gốc đã ký, từ "
            "`tai-len/th-le-dinh-chinh/ban-ky.pdf`") in summary
    assert "chưa có bản gốc" not in summary and "có thể đăng làm bản gốc" not in summary  # done, not advised
