"""The JSON Schemas editors' tools read are current, and accept the real plans."""

from __future__ import annotations

import json

from conftest import REPO
from ruamel.yaml import YAML

from qip_site.reading.json_schema import SCHEMA_DIR, schema_texts


def test_committed_schemas_are_current() -> None:
    for name, text in schema_texts().items():
        assert (SCHEMA_DIR / name).read_text(encoding="utf-8") == text, f"run `qip-site schema` to update {name}"


def plan_files() -> list:
    """Every school.yml and plan file in plans/: never none (the tests below would then pass on nothing)."""
    files = sorted((REPO / "plans").glob("*/*.yml"))
    schools = {f.parent for f in files if f.name == "school.yml"}
    assert schools and len(files) > len(schools), "plans/ holds no school with a plan"
    return files


def test_every_plan_points_at_the_schema() -> None:
    for file in plan_files():
        first = file.read_text(encoding="utf-8").splitlines()[0]
        kind = "school" if file.name == "school.yml" else "plan"
        assert first == f"# yaml-language-server: $schema=../../qip_site/schema/{kind}.schema.json", file
        target = (file.parent / f"../../qip_site/schema/{kind}.schema.json").resolve()
        assert json.loads(target.read_text(encoding="utf-8"))["type"] == "object"


def test_schema_describes_fields_in_vietnamese() -> None:
    schema = json.loads((SCHEMA_DIR / "plan.schema.json").read_text(encoding="utf-8"))
    assert "Năm học của kế hoạch" in schema["properties"]["period"]["description"]
    assert schema["additionalProperties"] is False


def test_real_plans_satisfy_the_schema() -> None:
    import jsonschema

    yaml = YAML(typ="safe")
    for file in plan_files():
        kind = "school" if file.name == "school.yml" else "plan"
        schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
        jsonschema.validate(yaml.load(file.read_text(encoding="utf-8")), schema)
