"""The editors' field reference (guide/truong-du-lieu.md) is generated from the schema and current."""

from __future__ import annotations

import functools

import pytest

from qip_site.commands import cli, fieldref
from qip_site.commands.fieldref import REFERENCE_FILE, SECTIONS, field_reference
from qip_site.reading import json_schema
from qip_site.reading.schema import PlanFile, SchoolFile


def test_committed_reference_is_current() -> None:
    assert REFERENCE_FILE.read_text(encoding="utf-8") == field_reference(), "run `qip-site schema` to update it"


def test_every_field_of_every_model_has_its_row() -> None:
    text = field_reference()
    for model, (anchor, heading) in SECTIONS.items():
        table = text.split(f'<a id="{anchor}"></a>\n## {heading}\n', 1)[1].split("<a id=", 1)[0]
        names = [line.split("`")[1] for line in table.splitlines() if line.startswith("| `")]
        assert names == [field.alias or name for name, field in model.model_fields.items()], model


def test_rows_say_required_type_and_description_in_vietnamese() -> None:
    text = field_reference()
    assert ("| `period` | **có** | năm học `\"2023-2024\"`, hoặc khoảng `{from: …, to: …}` | "
            f"{PlanFile.model_fields['period'].description} |") in text.splitlines()
    assert ("| `level` | **có** | một trong: `preschool`, `primary`, `lower_secondary`, `upper_secondary`, "
            f"`secondary`; hoặc tên cấp học | {SchoolFile.model_fields['level'].description} |") in text.splitlines()
    assert "| `header` | không | khối (xem [`header`: phần đầu văn bản](#header)) | Phần đầu văn bản (hai cột). |" in text
    assert "| `school_year` | **có** | năm học, ví dụ `\"2024-2025\"` |" in text


def test_schema_command_rewrites_the_reference(tmp_path, monkeypatch, capsys: pytest.CaptureFixture[str]) -> None:
    # The command's own writers, aimed at a temporary folder: the repository's files stay untouched.
    target = tmp_path / "guide" / "truong-du-lieu.md"
    monkeypatch.setattr(fieldref, "write_reference", functools.partial(fieldref.write_reference, target))
    monkeypatch.setattr(json_schema, "write_schemas", functools.partial(json_schema.write_schemas, tmp_path / "schema"))
    assert cli.main(["schema"]) == 0
    assert f"Đã ghi {target}" in capsys.readouterr().out.splitlines()
    assert target.read_text(encoding="utf-8") == field_reference()
