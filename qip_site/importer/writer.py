"""The plan (and a new school) written as YAML, in the layout `qip-site fmt` keeps.

Every value as written; numbers, codes and school years quoted, as editors do; a one-line
list as a plain value; a comment before each part of the plan saying what it is.
"""

from __future__ import annotations

import io
import re
from typing import Any

PLAN_SCHEMA_LINE = "yaml-language-server: $schema=../../qip_site/schema/plan.schema.json"
SCHOOL_SCHEMA_LINE = "yaml-language-server: $schema=../../qip_site/schema/school.schema.json"
SECTION_COMMENTS = {
    "period": "Năm học của kế hoạch",
    "header": "Phần đầu văn bản (cột trái: cơ quan, trường, số; cột phải: quốc hiệu, tiêu ngữ, địa danh và ngày)",
    "title": "Tên văn bản",
    "preamble": "Các đoạn trước mục I",
    "sections": "Các mục của kế hoạch; bảng kế hoạch nằm cuối mục có \"table: true\"",
    "table": "Bảng kế hoạch",
    "closing": "Câu kết",
    "recipients": "Nơi nhận",
    "signer": "Người ký",
}


def plan_yaml(data: dict[str, Any], word_name: str) -> str:
    return YamlWriter().dump(data, [
        PLAN_SCHEMA_LINE, f"Nhập từ tệp Word \"{word_name}\" bằng lệnh qip-site import.",
        "Hãy đối chiếu với văn bản gốc trước khi đăng.",
    ], SECTION_COMMENTS)


def school_yaml(data: dict[str, Any], word_name: str) -> str:
    return YamlWriter().dump(data, [
        SCHOOL_SCHEMA_LINE, f"Tạo khi nhập tệp Word \"{word_name}\"; cấp học là phỏng đoán, hãy kiểm tra.",
    ])


class YamlWriter:
    def __init__(self) -> None:
        from ruamel.yaml import YAML
        from ruamel.yaml.emitter import Emitter

        self.yaml = YAML()
        self.yaml.indent(mapping=2, sequence=4, offset=2)
        self.yaml.width = 4096
        self.yaml.allow_unicode = True
        self.emitter = Emitter(io.StringIO(), allow_unicode=True)

    def _text(self, text: str) -> Any:
        from ruamel.yaml.nodes import ScalarNode
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        tag = self.yaml.resolver.resolve(ScalarNode, text, (True, False))
        if (str(tag) != "tag:yaml.org,2002:str" or not self.emitter.analyze_scalar(text).allow_block_plain
                or re.fullmatch(r"[\d\s.,/–—-]+", text)):  # numbers, codes, school years: quoted, as editors do
            return DoubleQuotedScalarString(text)
        return text

    def node(self, value: Any) -> Any:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        if isinstance(value, str):
            return self._text(value)
        if isinstance(value, dict):
            out = CommentedMap()
            for key, item in value.items():
                out[key] = self.node(item)
            return out
        if isinstance(value, list):
            if value and all(isinstance(v, str) for v in value) and len(value) == 1:
                return self._text(value[0])
            out_seq = CommentedSeq()
            out_seq.extend(self.node(v) for v in value)
            return out_seq
        return value

    def dump(self, data: Any, head: list[str], comments: dict[str, str] | None = None) -> str:
        root = self.node(data)
        for key, text in (comments or {}).items():
            if key in root:  # a blank line, then what the part is, before each part but the first
                root.yaml_set_comment_before_after_key(key, before=text if key == next(iter(root)) else "\n" + text)
        stream = io.StringIO()
        self.yaml.dump(root, stream)
        return "".join(f"# {line}\n" for line in head) + stream.getvalue()
