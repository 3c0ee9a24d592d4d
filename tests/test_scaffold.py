"""`qip-site new`: an empty plan with Vietnamese comments, valid and buildable at once."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import content_text, new_project, run_cli
from ruamel.yaml import YAML

from qip_site.commands.fmt import format_text
from qip_site.commands.scaffold import PLACEHOLDER, new_plan, parse_years, plan_text, school_text
from qip_site.domain.years import Period, SchoolYear
from qip_site.reading.errors import PlanErrors
from qip_site.reading.json_schema import SCHEMA_DIR
from qip_site.reading.schema import Header, PlanFile, Section, Signer
from qip_site.reading.validate import load_site


def _new(plans: Path, school: str, years: str, **kwargs) -> tuple[int, list[str]]:
    said: list[str] = []
    code = new_plan(plans, school, years, echo=said.append, **kwargs)
    return code, said


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return new_project(tmp_path / "du-an")


def test_new_plans_validate_and_build_once_filled(project: Path) -> None:
    plans = project / "plans"
    assert _new(plans, "th-moi", "2025-2026")[0] == 0
    assert _new(plans, "mn-moi", "2022-2027")[0] == 0
    assert _new(plans, "truong-moi", "2024-2025:2025-2026")[0] == 0
    # Untouched, a draft would publish an empty plan: each file is an error naming what is left to fill.
    with pytest.raises(PlanErrors) as failure:
        load_site(plans)
    assert sorted((str(p.file), type(p).__name__) for p in failure.value.problems) == sorted(
        (f"plans/{school}/{name}", "UnfilledProblem") for school, plan in (
            ("th-moi", "2025-2026"), ("mn-moi", "2022-2027"), ("truong-moi", "2024-2026"))
        for name in ("school.yml", f"{plan}.yml"))
    assert "header.managing_body, header.school" in str(failure.value.problems[0])
    for file in plans.glob("*/*.yml"):
        file.write_text(file.read_text(encoding="utf-8").replace(f'"{PLACEHOLDER}"', '""'), encoding="utf-8")
    site, warnings = load_site(plans)
    # A new plan has no signed original yet: the only warning says so, once per plan.
    assert sorted(type(w).__name__ for w in warnings) == ["NoOriginalWarning"] * 3
    assert sorted((p.school.slug, p.slug) for p in site.plans) == [
        ("mn-moi", "2022-2027"), ("th-moi", "2025-2026"), ("truong-moi", "2024-2026")]
    result = run_cli("build", "-d", "site", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    page = project / "site" / "truong" / "th-moi" / "ke-hoach-2025-2026" / "index.html"
    assert "Năm học 2025-2026" in content_text(page)
    assert (project / "site" / "truong" / "mn-moi" / "ke-hoach-2022-2027" / "index.html").exists()


def test_files_written_and_messages(project: Path) -> None:
    plans = project / "plans"
    code, said = _new(plans, "th-moi", "2025-2026")
    assert code == 0
    assert said[0] == f"Đã tạo {plans / 'th-moi' / 'school.yml'}: hãy điền tên trường, địa danh và kiểm tra cấp học."
    assert said[1].startswith(f"Đã tạo {plans / 'th-moi' / '2025-2026.yml'}: ")
    plan = (plans / "th-moi" / "2025-2026.yml").read_text(encoding="utf-8")
    assert plan.startswith("# yaml-language-server: $schema=../../qip_site/schema/plan.schema.json\n")
    assert '\nperiod: "2025-2026"\n' in plan
    school = (plans / "th-moi" / "school.yml").read_text(encoding="utf-8")
    assert school.startswith("# yaml-language-server: $schema=../../qip_site/schema/school.schema.json\n")
    assert "\nlevel: primary\n" in school and "HÃY KIỂM TRA" in school


@pytest.mark.parametrize("years, period, name", [
    ("2025-2026", Period(SchoolYear(2025), SchoolYear(2025)), "2025-2026"),
    ("2025 – 2026", Period(SchoolYear(2025), SchoolYear(2025)), "2025-2026"),
    ("2022-2027", Period(SchoolYear(2022), SchoolYear(2026)), "2022-2027"),
    ("2022-2023:2026-2027", Period(SchoolYear(2022), SchoolYear(2026)), "2022-2027"),
    ("2024-2025:2024-2025", Period(SchoolYear(2024), SchoolYear(2024)), "2024-2025"),
])
def test_years_forms(years: str, period: Period, name: str) -> None:
    assert parse_years(years) == period
    assert parse_years(years).slug == name


def test_multi_year_period_is_written_from_to(project: Path) -> None:
    assert _new(project / "plans", "mn-moi", "2022-2023:2026-2027")[0] == 0
    text = (project / "plans" / "mn-moi" / "2022-2027.yml").read_text(encoding="utf-8")
    assert '\nperiod:\n  from: "2022-2023"  # năm học đầu\n  to: "2026-2027"  # năm học cuối\n' in text
    assert "# years:" in text and '#   - school_year: "2022-2023"' in text


@pytest.mark.parametrize("years", ["2025", "2025-2027x", "2026-2025", "2023-2024:2022-2023", "1900-1901", ""])
def test_invalid_years_are_refused(project: Path, years: str) -> None:
    code, said = _new(project / "plans", "th-moi", years)
    assert code == 2
    assert said[0].startswith(f"Năm học \"{years}\" không dùng được: ")
    assert "2022-2023:2026-2027" in said[0]
    assert not (project / "plans" / "th-moi").exists()


def test_invalid_school_folder_is_refused(project: Path) -> None:
    code, said = _new(project / "plans", "Trường Mới", "2025-2026")
    assert code == 2
    assert "\"truong-moi\"" in said[0]
    assert list((project / "plans").iterdir()) == []


def test_missing_plans_folder_is_refused(tmp_path: Path) -> None:
    code, said = _new(tmp_path / "plans", "th-moi", "2025-2026")
    assert code == 1
    assert said[0].startswith("Không có thư mục kế hoạch")
    assert not (tmp_path / "plans").exists()


def test_existing_file_is_not_overwritten_without_force(project: Path) -> None:
    plans = project / "plans"
    assert _new(plans, "th-moi", "2025-2026")[0] == 0
    plan, school = plans / "th-moi" / "2025-2026.yml", plans / "th-moi" / "school.yml"
    plan.write_text("# đã chép nội dung\n", encoding="utf-8")
    school.write_text("level: primary\nname: Trường Tiểu học Mới\n", encoding="utf-8")
    code, said = _new(plans, "th-moi", "2025-2026")
    assert code == 1
    assert said == [f"Tệp {plan} đã có; không ghi đè. Thêm --force nếu thật sự muốn thay bằng khung trống."]
    assert plan.read_text(encoding="utf-8") == "# đã chép nội dung\n"
    code, said = _new(plans, "th-moi", "2025-2026", force=True)
    assert code == 0
    assert plan.read_text(encoding="utf-8") == plan_text(parse_years("2025-2026"))
    # The school's facts are never replaced.
    assert school.read_text(encoding="utf-8") == "level: primary\nname: Trường Tiểu học Mới\n"


def test_existing_school_gets_only_the_plan(project: Path) -> None:
    plans = project / "plans"
    (plans / "th-cu").mkdir()
    (plans / "th-cu" / "school.yml").write_text("level: primary\n", encoding="utf-8")
    code, said = _new(plans, "th-cu", "2025-2026")
    assert code == 0 and len(said) == 2 and "2025-2026.yml" in said[0]
    assert (plans / "th-cu" / "school.yml").read_text(encoding="utf-8") == "level: primary\n"


def test_overlapping_plan_of_the_same_kind_is_refused(project: Path) -> None:
    plans = project / "plans"
    assert _new(plans, "mn-moi", "2022-2027")[0] == 0
    code, said = _new(plans, "mn-moi", "2024-2029")
    assert code == 1
    assert "kế hoạch nhiều năm" in said[0] and "2022-2027.yml" in said[0]
    # An annual plan may share a year with a five-year plan.
    assert _new(plans, "mn-moi", "2024-2025")[0] == 0


@pytest.mark.parametrize("slug, level", [
    ("mn-thuy-tien", "preschool"), ("truong-mam-non-a", "preschool"), ("th-le-dinh-chinh", "primary"),
    ("tieu-hoc-b", "primary"), ("thcs-c", "lower_secondary"), ("thpt-d", "upper_secondary"),
    ("truong-trung-hoc-e", "secondary"), ("truong-abc", "preschool"),
])
def test_level_is_guessed_from_the_folder_and_flagged(slug: str, level: str) -> None:
    text = school_text(slug)
    assert YAML(typ="safe").load(text)["level"] == level
    assert ("HÃY KIỂM TRA" in text) != ("HÃY SỬA" in text)
    assert ("HÃY SỬA" in text) == (slug == "truong-abc")


def _commented_keys(text: str) -> list[str]:
    """Keys with no comment on the line before or at the end of their own line."""
    lines = text.split("\n")
    bare = []
    for index, line in enumerate(lines):
        match = re.match(r"^\s*(?:- )?([a-z_]+):", line)
        if match and "#" not in line and not lines[index - 1].strip().startswith("#"):
            bare.append(match.group(1))
    return bare


@pytest.mark.parametrize("years", ["2025-2026", "2022-2027"])
def test_every_field_is_explained_in_vietnamese(years: str) -> None:
    text = plan_text(parse_years(years))
    assert _commented_keys(text) == []
    for model, prefix in ((PlanFile, ""), (Header, "  "), (Signer, "  ")):
        for name in model.model_fields:
            if name not in ("synthetic", "date", "status"):
                assert re.search(rf"\n{prefix}{name}:", text), name
    for name in Section.model_fields:
        assert re.search(rf"\n\s+(- )?{name}:", text), name
    # Comments come from schema.py's descriptions, plus hints on copying the document.
    assert PlanFile.model_fields["period"].description in text
    assert "# Số, ký hiệu văn bản như văn bản ghi, ví dụ: Số: 107/KH-LĐC" in text
    assert "# date: " in text  # header.date: a commented example only
    assert "# status:" in text and "#   state: superseded" in text  # only for a plan no longer in force
    assert "đúng từng chữ như văn bản ghi" in text
    assert max(len(line) for line in text.split("\n")) <= 120
    assert _commented_keys(school_text("mn-moi")) == []


@pytest.mark.parametrize("years", ["2025-2026", "2022-2027"])
def test_scaffold_is_in_the_canonical_layout_and_satisfies_the_json_schema(years: str) -> None:
    import jsonschema

    text = plan_text(parse_years(years))
    assert format_text(text, "plan") == text
    assert format_text(school_text("mn-moi"), "school") == school_text("mn-moi")
    yaml = YAML(typ="safe")
    for kind, data in (("plan", yaml.load(text)), ("school", yaml.load(school_text("mn-moi")))):
        schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
    data = yaml.load(text)
    assert [s.get("table") for s in data["sections"]] == [None, True]
    assert list(data["table"]["columns"]) == [
        "index", "criterion", "weakness", "target", "measures", "responsible", "timeline", "budget", "support", "note"]
    assert data["table"]["standards"][0]["criteria"][0]["code"] is None
