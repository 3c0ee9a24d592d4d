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
    lines: list[str] = field(default_factory=list)

    def where(self, path: Path_, key: bool = False) -> tuple[int | None, int | None]:
        """The position of `path`, or of its nearest ancestor that exists in the file."""
        path = tuple(path)
        while path:
            found = (self.keys if key else self.values).get(path) or self.values.get(path)
            if found:
                return found
            path, key = path[:-1], False
        return self.values.get((), (1, 1))

    def path_at(self, line: int, column: int) -> Path_:
        """The deepest field whose key or value starts at or before (line, column): where a text stands."""
        best: tuple = ((0, 0), 0, ())
        for table in (self.keys, self.values):
            for path, place in table.items():
                if place <= (line, column) and (place, len(path)) > best[:2]:
                    best = (place, len(path), path)
        return best[2]


class WrittenNumber(float):
    """A YAML float that remembers how it was typed ("1.10", which YAML reads as 1.1)."""

    written = ""

    def __str__(self) -> str:
        return self.written or float.__repr__(self)


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
        # Name the place of the first bad byte, and its field if the rest can be read.
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw[: exc.start].count(b"\n") + 1
        column = len(raw[line_start: exc.start].decode("utf-8", "replace")) + 1
        raise EncodingProblem(
            name, line, column, field_name(_path_at(raw.decode("utf-8", "replace"), line, column)),
            "tệp không được lưu bằng bảng mã UTF-8 (có lẽ là Windows-1258 hoặc TCVN3): chữ có dấu từ đây "
            "bị hỏng. Hãy mở tệp trong trình soạn thảo và lưu lại với bảng mã UTF-8.",
        ) from None
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    # A raw control character stops the YAML reader itself: find it first, and name its field.
    bad = _CONTROL_RE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - text.rfind("\n", 0, bad.start())
        raise ControlCharacterProblem(
            name, line, column, field_name(_path_at(_CONTROL_RE.sub(" ", text), line, column)),
            f"có ký tự điều khiển vô hình U+{ord(bad.group()):04X} ở cột này (thường do dán từ PDF hoặc Word); "
            "hãy xóa ký tự đó (xóa và gõ lại vài chữ quanh chỗ này).",
        )
    loaded = Loaded(name, None, lines=text.split("\n"))
    fast = _read_fast(text, loaded)
    if fast is not None:
        return fast
    # The slow path (pure Python) explains what is wrong: errors, duplicate keys, unusual tags.
    loaded = Loaded(name, None, lines=text.split("\n"))
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        tree = yaml.load(text)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        key = re.search(r'found duplicate key "?([^"\n]*)"?', str(exc))
        key_text = key.group(1) if key else ""
        first = _first_key_line(loaded.lines, exc.context_mark.line if exc.context_mark else 0, mark, key_text)
        raise YamlSyntaxProblem(
            name, mark.line + 1, mark.column + 1, key_text,
            f"trường này được ghi hai lần trong cùng một khối (lần đầu ở dòng {first}); "
            "hãy xóa một lần hoặc gộp hai nội dung làm một.",
        ) from None
    except MarkedYAMLError as exc:
        line, column, key, message, example = _explain_syntax(exc, loaded.lines)
        raise YamlSyntaxProblem(name, line, column, key, message, example) from None
    except YAMLError:  # pragma: no cover - ruamel raises marked errors for all we know of
        raise YamlSyntaxProblem(
            name, None, None, "", "tệp không đọc được; hãy kiểm tra dấu ngoặc kép, dấu \":\" và thụt lề."
        ) from None
    loaded.data = _plain(tree, (), loaded)
    return loaded


class _Unusual(Exception):
    """Something the fast reader leaves to ruamel: a duplicate key, a tag, a merge key."""


_INT_RE = re.compile(r"^[-+]?[0-9]+$")
_FLOAT_RE = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_DATE_RE = re.compile(r"^(\d{4})-(\d\d?)-(\d\d?)$")
_YAML = "tag:yaml.org,2002:"


def _read_fast(text: str, loaded: Loaded) -> Loaded | None:
    """Read well-formed files with libyaml (C, through PyYAML), keeping every key's position.

    ruamel's round-trip reader is pure Python: a thousand plans take half a minute. Valid files
    are read here, with YAML 1.2 meanings (only true/false are booleans); anything unusual
    returns None and goes the slow way, which gives the detailed messages.
    """
    try:
        import yaml
        from yaml import CSafeLoader
    except ImportError:  # pragma: no cover - PyYAML without libyaml: the slow way still works
        return None
    try:
        node = yaml.compose(text, Loader=CSafeLoader)
        loaded.data = None if node is None else _from_node(node, (), loaded)
    except (yaml.YAMLError, _Unusual, ValueError):
        return None
    return loaded


def _from_node(node: Any, path: Path_, loaded: Loaded) -> Any:
    import yaml

    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<" or key_node.value in out:
                raise _Unusual()
            key = key_node.value
            loaded.keys[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            loaded.values[path + (key,)] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
            out[key] = _from_node(value_node, path + (key,), loaded)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            loaded.values[path + (index,)] = (item.start_mark.line + 1, item.start_mark.column + 1)
            items.append(_from_node(item, path + (index,), loaded))
        return items
    value, tag = node.value, node.tag
    if node.style or tag == _YAML + "str":
        return _text(value, path, loaded)
    if tag == _YAML + "null":
        return None
    if tag == _YAML + "bool":
        return {"true": True, "false": False}.get(value.lower(), value)  # YAML 1.2: "yes", "no" are words
    if tag == _YAML + "int" and _INT_RE.match(value):
        return int(value)
    if tag in (_YAML + "float", _YAML + "int") and _FLOAT_RE.match(value):
        number = WrittenNumber(float(value))
        number.written = value
        return number
    if tag == _YAML + "timestamp" and _DATE_RE.match(value):
        import datetime as dt

        year, month, day = (int(g) for g in _DATE_RE.match(value).groups())
        return dt.date(year, month, day)
    if tag.startswith(_YAML):
        return _text(value, path, loaded)  # what YAML 1.1 reads as a number of another kind is text in 1.2
    raise _Unusual()


def _text(text: str, path: Path_, loaded: Loaded) -> str:
    bad = _CONTROL_RE.search(text)
    if bad:
        line, col = loaded.values.get(path, (None, None))
        raise ControlCharacterProblem(
            loaded.file, line, col, field_name(path),
            f"có ký tự điều khiển vô hình U+{ord(bad.group()):04X} (ký tự thứ {bad.start() + 1} của đoạn văn, "
            f"trong ngoặc kép thường được viết là \\u{ord(bad.group()):04x}); hãy xóa ký tự đó.",
        )
    return text


def _path_at(text: str, line: int, column: int) -> Path_:
    """The field at (line, column) of `text`, or () when the text is not readable YAML either."""
    try:
        loaded = Loaded("", None, lines=text.split("\n"))
        _plain(YAML(typ="rt").load(text), (), loaded)
    except Exception:  # a best effort for a message: any failure just leaves the field unnamed
        return ()
    return loaded.path_at(line, column)


def _first_key_line(lines: list[str], start: int, mark: Any, key: str) -> int:
    """The line (1-based) where `key` first stands in the same column as its duplicate."""
    pattern = re.compile(rf"^[\s-]*({re.escape(key)})\s*:")
    for index in range(start, mark.line):
        match = pattern.match(lines[index])
        if match and match.start(1) == mark.column:
            return index + 1
    return start + 1


# "  - heading: text" -> indentation and dash, key, value
_KEY_LINE_RE = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w]*)\s*:(?:\s+(.*))?$")


def _explain_syntax(exc: MarkedYAMLError, lines: list[str]) -> tuple[int | None, int | None, str, str, str | None]:
    """Where a YAML syntax error really is and what to do, as (line, column, key, message, example)."""
    problem, context = str(exc.problem or ""), str(exc.context or "")
    mark = exc.problem_mark or exc.context_mark
    if mark is None:  # pragma: no cover - ruamel always marks scanner and parser errors
        return None, None, "", "tệp không đọc được; hãy kiểm tra dấu ngoặc kép, dấu \":\" và thụt lề.", None
    row, col = mark.line, mark.column
    text = lines[row] if row < len(lines) else ""
    key_match = _KEY_LINE_RE.match(text)
    key = key_match.group(2) if key_match else ""

    def at(line: int, column: int, message: str, example: str | None = None, name: str = key):
        return line + 1, column + 1, name, message, example

    if "\t" in problem or text[col: col + 1] == "\t":
        return at(row, col, "có ký tự Tab; YAML chỉ thụt lề bằng dấu cách (2 dấu cách mỗi mức).")
    if "quoted scalar" in context and "end of stream" in problem:
        start = exc.context_mark
        return at(start.line, start.column, "dấu ngoặc kép mở ở đây chưa được đóng; hãy thêm dấu ngoặc kép ở "
                  "cuối đoạn văn.", name=_key_of(lines[start.line]))
    if "mapping values are not allowed" in problem:
        if re.fullmatch(r"\s*(?:-\s+)?[A-Za-z_]\w*", text[:col]):
            # A well-formed key, yet read as the text above continued: the line above is unfinished.
            filled = [i for i in range(row) if lines[i].strip() and not lines[i].lstrip().startswith("#")]
            above = filled[-1] if filled else 0
            if not _KEY_LINE_RE.match(lines[above]) and ":" not in lines[above]:
                indent = len(lines[above]) - len(lines[above].lstrip())
                return at(above, indent, "thiếu dấu \":\" sau tên trường (ví dụ \"period: 2023-2024\").",
                          name=lines[above].strip().split(" ")[0])
            return at(row, col - len(key), "thụt lề sai: dòng này thụt vào sâu hơn các trường cùng cấp ở trên; "
                      "các trường cùng cấp phải thẳng cột với nhau.")
        value = key_match.group(3) if key_match else text.strip()
        return at(row, col, "có dấu \": \" trong một đoạn văn chưa đặt trong ngoặc kép; hãy đặt cả đoạn trong "
                  "dấu ngoặc kép.", _quoted(key_match, value))
    if "but found '<scalar>'" in problem and text[:col].rstrip()[-1:] in ('"', "'"):
        quote = text[:col].rstrip()[-1]
        if text[:col].count(quote) % 2:
            # This quote closes a text opened on a line above that was never closed.
            opened = max((i for i in range(row) if quote in lines[i]), default=row)
            return at(opened, lines[opened].rfind(quote), "dấu ngoặc kép mở ở đây chưa được đóng; hãy thêm dấu "
                      "ngoặc kép ở cuối đoạn văn.", name=_key_of(lines[opened]))
        return at(row, col, "có chữ sau dấu ngoặc kép đóng; nếu đoạn văn có dấu ngoặc kép ở giữa, hãy đặt cả đoạn "
                  "trong dấu nháy đơn.", _quoted(key_match, key_match.group(3) if key_match else text.strip(), "'"))
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return at(row, col, "thụt lề sai: dòng này phải thẳng cột với các dòng cùng cấp ở trên.")
    if "alias" in context or "anchor" in context or "cannot start any token" in problem:
        if exc.context_mark is not None:  # "* text" is read as an alias: point at the "*"
            row, col = exc.context_mark.line, exc.context_mark.column
        value = key_match.group(3) if key_match else text.strip().removeprefix("- ")
        return at(row, col, f"đoạn văn bắt đầu bằng \"{text[col:col + 1]}\", ký tự có nghĩa riêng "
                  "trong YAML; hãy đặt cả đoạn trong dấu ngoặc kép.", _quoted(key_match, value))
    return at(row, col, "YAML sai cú pháp ở đây; hãy kiểm tra dấu ngoặc kép, dấu \":\" và thụt lề của dòng "
              "này và dòng trên.")


def _key_of(line: str) -> str:
    match = _KEY_LINE_RE.match(line)
    return match.group(2) if match else ""


def _quoted(key_match: re.Match | None, value: str | None, quote: str = '"') -> str:
    """The value on an offending line written as it should be: `heading: "I. MỤC ĐÍCH: YÊU CẦU"`."""
    value = (value or "").strip()
    inner = value.replace("'", "''") if quote == "'" else value.replace('"', '\\"')
    if key_match:
        return f"{key_match.group(2)}: {quote}{inner}{quote}"
    return f"- {quote}{inner.removeprefix('- ')}{quote}"


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
        return _text(str(node), path, loaded)
    if hasattr(node, "__float__") and not isinstance(node, (bool, int)):
        number = WrittenNumber(node)
        line, col = loaded.values.get(path, (0, 0))
        source = loaded.lines[line - 1][col - 1:] if 0 < line <= len(loaded.lines) else ""
        number.written = (re.match(r"[^\s,\]}#]+", source) or [""])[0]
        return number
    return node


def problem_at(loaded: Loaded, cls: type[Problem], path: Path_, message: str, *, key: bool = False,
               example: str | None = None) -> Problem:
    """A problem of kind `cls` located at `path` in `loaded`."""
    line, col = loaded.where(path, key=key)
    return cls(loaded.file, line, col, field_name(path), message, example)
