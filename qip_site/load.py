"""Read one YAML file into plain data, remembering where each value stands.

Forgiving where it costs nothing: a UTF-8 byte-order mark, CRLF line ends and decomposed
Vietnamese (as some keyboards type it) are accepted, and all text is normalised to NFC.
Strict where a mistake would be published: bad encodings, tabs, duplicate keys and invisible
control characters are errors that name the line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .errors import ControlCharacterProblem, EncodingProblem, Problem, YamlSyntaxProblem

# Control characters other than tab and line feed: invisible on the page, and a sign of a bad paste.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")

Path_ = tuple  # a path into the data: keys and list indexes


@dataclass
class Loaded:
    """A file's data as plain dicts/lists/str, with the (line, column) of each path, 1-based."""

    file: Path | str
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_, key: bool = False) -> tuple[int | None, int | None]:
        """The position of `path`, or of its nearest ancestor that exists in the file."""
        path = tuple(path)
        while path:
            found = (self.keys if key else self.values).get(path) or self.values.get(path)
            if found:
                return found
            path, key = path[:-1], False
        return self.values.get((), (1, 1))


def field_name(path: Path_) -> str:
    """("table", "levels", 0, "heading") -> "table.levels[1].heading" (items counted from 1)."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_yaml(file: Path, display: str | None = None) -> Loaded:
    """Load `file`; raise a Problem naming file, line and column when it cannot be read."""
    name = display or str(file)
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise EncodingProblem(
            name, line, None, "",
            "tệp không phải văn bản UTF-8 (có thể lưu bằng Windows-1258 hoặc TCVN3). "
            "Hãy mở tệp và lưu lại với bảng mã UTF-8.",
        ) from None
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        tree = yaml.load(text)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        key = re.search(r'found duplicate key "?([^"\n]*)"?', str(exc))
        raise YamlSyntaxProblem(
            name, mark.line + 1, mark.column + 1, key.group(1) if key else "",
            "khóa này được ghi hai lần trong cùng một khối; hãy xóa hoặc gộp một lần.",
        ) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlSyntaxProblem(
            name, mark.line + 1 if mark else None, mark.column + 1 if mark else None, "",
            _explain_syntax(exc, text, mark),
        ) from None
    except YAMLError as exc:  # pragma: no cover - ruamel raises marked errors for all we know of
        raise YamlSyntaxProblem(name, None, None, "", f"không đọc được YAML ({exc}).") from None
    loaded = Loaded(name, None)
    loaded.data = _plain(tree, (), loaded)
    return loaded


def _explain_syntax(exc: MarkedYAMLError, text: str, mark: Any) -> str:
    problem = str(exc.problem or "")
    if "\t" in problem or "'\\t'" in problem or (mark and _char_at(text, mark) == "\t"):
        return "có ký tự Tab; YAML chỉ thụt lề bằng dấu cách (2 dấu cách mỗi mức)."
    if "mapping values are not allowed" in problem:
        return (
            "có dấu \": \" trong một đoạn văn chưa đặt trong ngoặc kép; hãy đặt cả đoạn trong "
            "dấu ngoặc kép, ví dụ heading: \"Tiêu chuẩn 1: Tổ chức và quản lý nhà trường\"."
        )
    if "could not find expected ':'" in problem or "could not find expected" in problem:
        return "thiếu dấu \":\" sau tên trường, hoặc thụt lề không đều."
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return "thụt lề không đều: các trường cùng cấp phải thẳng cột với nhau."
    if "found undefined alias" in problem or "found character" in problem:
        return "có ký tự không hợp lệ ở đầu giá trị (như \"*\", \"&\", \"`\", \"@\"); hãy đặt giá trị trong ngoặc kép."
    if "found unexpected end of stream" in problem or "unexpected end" in problem:
        return "thiếu dấu ngoặc kép đóng ở cuối đoạn văn."
    return f"YAML sai cú pháp ({problem or exc.context})."


def _char_at(text: str, mark: Any) -> str:
    lines = text.split("\n")
    if mark.line < len(lines) and mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""


def _plain(node: Any, path: Path_, loaded: Loaded) -> Any:
    """Turn ruamel's round-trip tree into plain data, recording positions and checking text."""
    if isinstance(node, CommentedMap):
        out = {}
        for key, value in node.items():
            key_line, key_col = node.lc.key(key)
            value_line, value_col = node.lc.value(key)
            key_text = str(key)
            loaded.keys[path + (key_text,)] = (key_line + 1, key_col + 1)
            loaded.values[path + (key_text,)] = (value_line + 1, value_col + 1)
            out[key_text] = _plain(value, path + (key_text,), loaded)
        return out
    if isinstance(node, CommentedSeq):
        out_list = []
        for index, value in enumerate(node):
            line, col = node.lc.item(index)
            loaded.values[path + (index,)] = (line + 1, col + 1)
            out_list.append(_plain(value, path + (index,), loaded))
        return out_list
    if isinstance(node, str):
        text = str(node)
        bad = _CONTROL_RE.search(text)
        if bad:
            line, col = loaded.values.get(path, (None, None))
            raise ControlCharacterProblem(
                loaded.file, line, col, field_name(path),
                f"có ký tự điều khiển vô hình U+{ord(bad.group()):04X} ở vị trí {bad.start() + 1} của đoạn văn; "
                "hãy gõ lại đoạn này hoặc xóa ký tự đó.",
            )
        return text
    if hasattr(node, "__float__") and not isinstance(node, (bool, int)):
        return float(node)
    return node


def problem_at(loaded: Loaded, cls: type[Problem], path: Path_, message: str, *, key: bool = False,
               example: str | None = None) -> Problem:
    """A problem of kind `cls` located at `path` in `loaded`."""
    line, col = loaded.where(path, key=key)
    return cls(loaded.file, line, col, field_name(path), message, example)
