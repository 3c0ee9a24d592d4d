"""JSON Schemas of the plan format, generated from the models in `schema.py`.

Each plan file starts with `# yaml-language-server: $schema=../../qip_site/schema/plan.schema.json`,
so editors using VS Code (with the YAML extension) get completion, descriptions and red underlines.
The files are committed; `qip-site schema` regenerates them and a test checks they are current.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .schema import PlanFile, SchoolFile

SCHEMA_DIR = Path(__file__).parents[1] / "schema"
SCHEMAS: dict[str, type[BaseModel]] = {"plan.schema.json": PlanFile, "school.schema.json": SchoolFile}


def _editor_facing(node: Any, names: bool = False) -> Any:
    """Drop what pydantic derives from code (English class docstrings, field-name titles):
    editors see only the Vietnamese field descriptions. `names`: `node` maps field names."""
    if isinstance(node, dict):
        if names:
            return {k: _editor_facing(v) for k, v in node.items()}
        cleaned = {k: _editor_facing(v, names=k in ("properties", "$defs")) for k, v in node.items() if k != "title"}
        if "properties" in cleaned and "description" in cleaned:
            del cleaned["description"]  # a model's docstring
        return cleaned
    if isinstance(node, list):
        return [_editor_facing(v) for v in node]
    return node


def schema_texts() -> dict[str, str]:
    out = {}
    for name, model in SCHEMAS.items():
        schema = _editor_facing(model.model_json_schema(by_alias=True))
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        out[name] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return out


def write_schemas(directory: Path = SCHEMA_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
