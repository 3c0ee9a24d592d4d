"""The command line speaks Vietnamese, and `demo` writes synthetic plans that say so."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO, content_text, new_project, run_cli, soup


def test_help_and_usage_errors_are_vietnamese(tmp_path: Path) -> None:
    helped = run_cli("--help", cwd=tmp_path)
    assert helped.returncode == 0
    assert helped.stdout.startswith("Cách dùng: qip-site")
    assert "hiện trợ giúp này rồi thoát" in helped.stdout
    wrong = run_cli("xuatban", cwd=tmp_path)
    assert wrong.returncode == 2
    assert "qip-site: lỗi: đối số LỆNH: lựa chọn không có: 'xuatban'" in wrong.stderr
    missing = run_cli("demo", cwd=tmp_path)
    assert "lỗi: thiếu đối số bắt buộc: --out" in missing.stderr


def test_demo_writes_marked_synthetic_plans(tmp_path: Path) -> None:
    project = new_project(tmp_path / "demo")
    made = run_cli("demo", "--schools", "6", "--years", "5", "--seed", "7", "--out", "plans",
                   "--from", str(REPO / "plans"), "--into-plans", cwd=project)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("Đã tạo 6 trường,")
    files = sorted((project / "plans").glob("*/*.yml"))
    assert files and all("synthetic: true" in f.read_text(encoding="utf-8") for f in files)
    levels = {f.read_text(encoding="utf-8").split("level: ")[1].split()[0] for f in files if f.name == "school.yml"}
    assert levels == {"preschool", "primary", "lower_secondary", "upper_secondary", "secondary"}
    assert any(f.stem == "2021-2026" for f in files)  # five-year plans beside annual ones
    again = tmp_path / "again"
    run_cli("demo", "--schools", "6", "--years", "5", "--seed", "7", "--out", str(again / "plans"),
            "--from", str(REPO / "plans"), cwd=project)
    assert [f.read_bytes() for f in files] == [
        (again / "plans" / f.parent.name / f.name).read_bytes() for f in files
    ]  # same seed, same files
    checked = run_cli("check", "plans", cwd=project)
    assert checked.returncode == 0, checked.stderr
    built = run_cli("build", "-d", "site", cwd=project)
    assert built.returncode == 0, built.stderr
    plan = next((project / "site" / "truong").glob("*/ke-hoach-*/index.html"))
    assert "DỮ LIỆU MẪU" in content_text(plan)
    # Every page says so, the lists and indexes too: a visitor never takes a synthetic plan for a real one.
    pages = sorted((project / "site").rglob("*.html"))
    assert len(pages) > 100
    unmarked = [p for p in pages if "DỮ LIỆU MẪU" not in soup(p).get_text(" ")]
    assert unmarked == []
    assert soup(plan).select_one("aside.md-banner .qip-synthetic-banner") is not None


def test_the_real_site_carries_no_synthetic_mark(seed_site: Path) -> None:
    pages = {path: soup(path) for path in seed_site.rglob("*.html")}
    assert len(pages) > 50
    assert not [path for path, page in pages.items() if "DỮ LIỆU MẪU" in page.get_text(" ")]
    # Nor an empty banner: Material shows its banner strip for any text, white space included.
    assert not [path for path, page in pages.items() if page.select_one("aside.md-banner")]


def test_demo_outside_a_site_takes_the_seed_plans_words(tmp_path: Path) -> None:
    made = run_cli("demo", "--schools", "3", "--out", "thu/plans", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("Đã tạo 3 trường,")
    assert run_cli("check", "thu/plans", cwd=tmp_path).returncode == 0
    missing = run_cli("demo", "--schools", "3", "--out", "thu2", "--from", "khong-co", cwd=tmp_path)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert missing.stderr.splitlines()[:2] == ["Không lấy được từ ngữ từ các kế hoạch trong khong-co (--from):",
                                               "khong-co: lỗi: không có thư mục kế hoạch."]


def test_demo_in_a_site_with_no_plan_yet(tmp_path: Path) -> None:
    # A new site's plans/ holds no plan yet: the seed plans' words are taken, as outside a site.
    (tmp_path / "plans").mkdir()
    made = run_cli("demo", "--schools", "2", "--out", "thu", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("Đã tạo 2 trường,")
    # Named with --from, an empty folder is said in one line, never a traceback.
    (tmp_path / "trong").mkdir()
    empty = run_cli("demo", "--out", "thu2", "--from", "trong", cwd=tmp_path)
    assert empty.returncode == 1 and empty.stderr.splitlines() == [
        "Không lấy được từ ngữ từ các kế hoạch trong trong (--from): không có kế hoạch nào. Hãy chỉ tới một "
        "thư mục có kế hoạch đầy đủ, hoặc bỏ --from để dùng các kế hoạch mẫu."]
    assert not (tmp_path / "thu2").exists()


def test_demo_never_writes_into_the_real_plans_unless_asked(tmp_path: Path) -> None:
    project = new_project(tmp_path / "real")
    refused = run_cli("demo", "--schools", "2", "--out", "plans", "--from", str(REPO / "plans"), cwd=project)
    assert refused.returncode == 2
    assert "Không ghi dữ liệu mẫu vào thư mục plans/" in refused.stderr
    assert not list((project / "plans").iterdir())


def test_published_plans_are_in_canonical_layout() -> None:
    checked = run_cli("fmt", "--check", "plans", cwd=REPO)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 tệp cần định dạng lại" in checked.stdout
