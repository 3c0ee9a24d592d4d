"""Read one YAML file into plain data, remembering where each value stands.

Forgiving where it costs nothing: a UTF-8 byte-order mark, CRLF line ends and decomposed
Vietnamese (as some keyboards type it) are accepted, and all text is normalised to NFC.
Strict where a mistake would be published: bad encodings, tabs, duplicate keys and invisible
control characters are errors that name the line.
"""

from __future__ import annotations

import errno
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from . import textrules
from .errors import (
    CommentAfterTextWarning,
    ControlCharacterProblem,
    EncodingProblem,
    InvisibleCharacterWarning,
    Problem,
    UnreadableFileProblem,
    YamlSyntaxProblem,
)
from .limits import MAX_BYTES, MAX_COPIED, MAX_DEPTH, MAX_MERGES, MAX_NODES

# Files that are not text at all, by their first bytes: what an editor may have renamed to .yml.
_BINARY = (
    (b"PK\x03\x04", "một tệp nén ZIP (có lẽ là tệp Word .docx, Excel .xlsx hay OpenDocument)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "một tệp Word .doc hay Excel .xls (Office 97-2003)"),
    (b"%PDF", "một tệp PDF"),
    (b"\x89PNG", "một ảnh PNG"),
    (b"\xff\xd8\xff", "một ảnh JPEG"),
    (b"GIF8", "một ảnh GIF"),
)

# Where a value stands in a file: its keys and list indexes, ("table", "areas", 0).
FieldPath: TypeAlias = tuple[str | int, ...]


@dataclass
class Loaded:
    """A file's data as plain dicts/lists/str, with the (line, column) of each path, 1-based."""

    file: Path | str
    data: Any
    values: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # found while reading: the text is still published

    def where(self, path: FieldPath, key: bool = False) -> tuple[int | None, int | None]:
        """The position of `path`, or of its nearest ancestor that exists in the file."""
        path = tuple(path)
        while path:
            found = (self.keys if key else self.values).get(path) or self.values.get(path)
            if found:
                return found
            path, key = path[:-1], False
        return self.values.get((), (1, 1))

    def path_at(self, line: int, column: int) -> FieldPath:
        """The deepest field whose key or value starts at or before (line, column): where a text stands."""
        best: tuple[tuple[int, int], int, FieldPath] = ((0, 0), 0, ())
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


def field_name(path: FieldPath) -> str:
    """("table", "levels", 0, "heading") -> "table.levels[1].heading" (items counted from 1)."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_yaml(file: Path, display: str | None = None) -> Loaded:
    """Load `file`; raise a Problem naming file, line and column when it cannot be read."""
    name = display or str(file)
    return read_yaml_bytes(_read_bytes(file, name), name)


def read_yaml_bytes(raw: bytes, name: str) -> Loaded:
    """Load a file's bytes read elsewhere (a past version from git), named `name` in problems."""
    if len(raw) > MAX_BYTES:
        raise _too_large(name, len(raw))
    _check_binary(raw, name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Name the place of the first bad byte, and its field if the rest can be read.
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw[: exc.start].count(b"\n") + 1
        column = len(raw[line_start: exc.start].decode("utf-8", "replace")) + 1
        raise EncodingProblem(
            name, line, column, field_name(_path_at(raw.decode("utf-8", "replace"), line, column)),
            _not_utf8(raw),
        ) from None
    # Each text is normalised to NFC once read (in _text), not the file before: normalising the file
    # would join an escape's letter with a combining mark after it ("\\n" + U+0300 → "\\ǹ").
    # Windows (CRLF) and old Mac (CR alone) line ends are line ends, as YAML itself reads them.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A raw control character stops the YAML reader itself: find it first, and name its field.
    bad = textrules.REFUSED_RE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - text.rfind("\n", 0, bad.start())
        what, why = textrules.kind(bad.group())
        raise ControlCharacterProblem(
            name, line, column, field_name(_path_at(textrules.REFUSED_RE.sub(" ", text), line, column)),
            f"có {what} ở cột này ({why or 'thường do dán từ PDF hoặc Word'}); "
            "hãy xóa ký tự đó (xóa và gõ lại vài chữ quanh chỗ này).",
        )
    _check_bounds(text, name)  # before any reader builds the file (and before _path_at reads it)
    comments = _check_tokens(text, name)  # warnings, kept for whichever reader succeeds
    loaded = Loaded(name, None, lines=text.split("\n"))
    fast = _read_fast(text, loaded)
    if fast is not None:
        fast.warnings[:0] = comments
        return fast
    # The slow path (pure Python) explains what is wrong: errors, duplicate keys, unusual tags.
    loaded = Loaded(name, None, lines=text.split("\n"))
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        tree = yaml.load(text)
        loaded.data = _plain(tree, (), loaded)
    except RecursionError:  # pragma: no cover - _check_bounds keeps files far from Python's limit
        raise YamlSyntaxProblem(name, None, None, "", _TOO_DEEP) from None
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        key = re.search(r'found duplicate key "?([^"\n]*)"?', str(exc))
        key_text = key.group(1) if key else ""
        first = _first_key_line(loaded.lines, exc.context_mark.line if exc.context_mark else 0, mark, key_text)
        raise YamlSyntaxProblem(
            name, mark.line + 1, mark.column + 1, _nfc(key_text),
            f"trường này được ghi hai lần trong cùng một khối (lần đầu ở dòng {first}); "
            "hãy xóa một lần hoặc gộp hai nội dung làm một.",
        ) from None
    except MarkedYAMLError as exc:
        at_line, at_column, key_text, message, example = _explain_syntax(exc, loaded.lines)
        raise YamlSyntaxProblem(
            name, at_line, at_column, _nfc(key_text), _nfc(message), example and _nfc(example)
        ) from None
    except (YAMLError, TypeError, ValueError):  # what ruamel raises unmarked (e.g. a list as a key)
        raise YamlSyntaxProblem(
            name, None, None, "", "tệp không đọc được; hãy kiểm tra dấu ngoặc kép, dấu \":\" và thụt lề."
        ) from None
    loaded.warnings[:0] = comments
    return loaded


def _read_bytes(file: Path, name: str) -> bytes:
    """The file's bytes; a folder, a broken link or a file far too large is a problem, not a crash."""
    try:
        if file.is_dir():
            raise UnreadableFileProblem(
                name, None, None, "",
                "đây là một thư mục, không phải tệp; hãy đổi tên thư mục (không có đuôi .yml) hoặc chuyển nó "
                "ra khỏi thư mục trường.",
            )
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise _too_large(name, size)
        return file.read_bytes()
    except OSError as exc:
        if file.is_symlink():
            target = os.readlink(file)
            reason = "trỏ vòng quanh" if exc.errno == errno.ELOOP else f"trỏ tới \"{target}\", nơi không có tệp nào"
            message = f"tệp là một liên kết (symlink) {reason}; hãy thay liên kết bằng chính tệp kế hoạch."
        else:
            message = f"không đọc được tệp ({exc.strerror or exc}); hãy kiểm tra quyền đọc tệp."
        raise UnreadableFileProblem(name, None, None, "", message) from None


def _too_large(name: str, size: int) -> UnreadableFileProblem:
    return UnreadableFileProblem(
        name, 1, 1, "",
        f"tệp quá lớn ({size_text(size)}); một tệp kế hoạch không được quá {size_text(MAX_BYTES)} (kế hoạch 5 năm "
        "đầy đủ chỉ khoảng 50 KB). Có lẽ đây không phải tệp kế hoạch, hoặc nội dung bị dán lặp lại nhiều lần.",
    )


def size_text(count: int) -> str:
    """10485760 -> "10 MB", 2202009 -> "2,1 MB": sizes as Vietnamese write them."""
    if count < 1024 * 1024:
        return f"{count // 1024} KB"
    return f"{count / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0") + " MB"


def _check_binary(raw: bytes, name: str) -> None:
    """A Word file, an image or UTF-16 text renamed .yml: say what it is, not "bad UTF-8"."""
    kind = next((kind for magic, kind in _BINARY if raw.startswith(magic)), None)
    if kind is not None:
        raise EncodingProblem(
            name, 1, 1, "",
            f"tệp này không phải văn bản mà là {kind} được đặt tên .yml. Tệp kế hoạch là văn bản thuần (YAML, "
            "bảng mã UTF-8): hãy chép nội dung vào một tệp .yml, hoặc nhập tệp Word bằng lệnh "
            "\"qip-site import\".",
        )
    head = raw[:4096]
    # UTF-16 writes the ASCII of YAML keys as a letter and a zero byte: one half of the bytes is mostly zeros.
    halves = sorted((head[0::2].count(0) / max(1, len(head[0::2])), head[1::2].count(0) / max(1, len(head[1::2]))))
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (halves[1] > 0.4 and halves[0] < 0.05):
        raise EncodingProblem(
            name, 1, 1, "",
            "tệp được lưu bằng bảng mã UTF-16 (Notepad gọi là \"Unicode\"), không phải UTF-8. Hãy mở tệp trong "
            "trình soạn thảo và lưu lại với bảng mã UTF-8.",
        )
    if head.count(0) > len(head) // 10:
        raise EncodingProblem(
            name, 1, 1, "",
            "tệp này không phải văn bản mà là một tệp nhị phân (chương trình, ảnh, tệp nén …) được đặt tên .yml. "
            "Tệp kế hoạch là văn bản thuần (YAML, bảng mã UTF-8).",
        )


def _not_utf8(raw: bytes) -> str:
    """Why the bytes are not UTF-8, naming the old Vietnamese encoding when the text shows which."""
    from .legacy import TCVN3, VNI, detect

    encoding = detect(raw.decode("cp1252", "replace"))
    if encoding == TCVN3:
        return ("tệp được lưu bằng bảng mã TCVN3 (phông .VnTime, bảng mã ABC), không phải UTF-8: chữ có dấu từ "
                "đây bị hỏng. Hãy chuyển mã sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey, từ TCVN3 sang "
                "Unicode) rồi lưu lại với bảng mã UTF-8.")
    if encoding == VNI:
        return ("tệp được lưu bằng bảng mã VNI (phông VNI-Times), không phải UTF-8: chữ có dấu từ đây bị hỏng. "
                "Hãy chuyển mã sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey, từ VNI Windows sang "
                "Unicode) rồi lưu lại với bảng mã UTF-8.")
    return ("tệp không được lưu bằng bảng mã UTF-8 (có lẽ là Windows-1258 hoặc TCVN3): chữ có dấu từ đây "
            "bị hỏng. Hãy mở tệp trong trình soạn thảo và lưu lại với bảng mã UTF-8.")


_TOO_DEEP = (f"các khối lồng nhau quá sâu (hơn {MAX_DEPTH} mức); một kế hoạch chỉ lồng khoảng mười mức (table, "
             "levels, standards, criteria …). Hãy kiểm tra dấu ngoặc [ ] { } và thụt lề quanh chỗ này.")
# Lines indented this far are worth counting the nesting exactly.
_DEEP_LINE_RE = re.compile(r"^[ ?:-]{50}", re.MULTILINE)
_TOO_MANY_NODES = ("tệp có quá nhiều phần (hơn " + f"{MAX_NODES:,}".replace(",", ".") + " đoạn văn, danh sách và khối); "
                   "một kế hoạch 5 năm chỉ có khoảng 1.000. Có lẽ đây không phải tệp kế hoạch, hoặc nội dung bị dán lặp "
                   "lại nhiều lần.")
_TOO_MANY_MERGES = (f"tệp có quá nhiều khóa gộp \"<<\" (hơn {MAX_MERGES}); tệp kế hoạch ghi đầy đủ từng chữ: hãy thay "
                    "các tham chiếu (*) bằng chính nội dung cần ghi.")
_NODE_EVENTS = ("ScalarEvent", "AliasEvent", "SequenceStartEvent", "MappingStartEvent")


def _check_bounds(text: str, name: str) -> None:
    """Refuse a file too deep, of too many nodes, or whose aliases would copy too much, before any
    reader builds it (the readers would build every copy, ruamel's merge keys too, and recurse).

    Counted on the parser's events, one at a time, so that nothing is built (libyaml, linear, no
    recursion): each node as it starts, each anchored node's size as it ends (a text: its length and
    one; a list or block: one and its parts), and each alias adds the size of the node it names; a
    merge key's aliases ("<<: *a", "<<: [*a, *b]") count in full. Not scanned, as they cannot pass
    a limit: files without "*" (no alias), of fewer characters than MAX_NODES (a node takes one at
    least), with few brackets and no line indented 50 deep (nesting takes one of either a level).
    """
    if ("*" not in text and len(text) <= MAX_NODES and text.count("[") + text.count("{") <= 200
            and not _DEEP_LINE_RE.search(text)):
        return
    import yaml

    try:
        _count_nodes(yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), name)
    except yaml.YAMLError as error:
        # PyYAML >= 6.0.3 caps nesting itself, and its C scanner reads a whole flow collection ahead
        # before handing out its events: the cap is then met before the counting.
        mark = getattr(error, "problem_mark", None)
        if mark is not None and "nesting depth" in str(getattr(error, "problem", "")):
            raise YamlSyntaxProblem(name, mark.line + 1, mark.column + 1,
                                    _top_key(text.split("\n"), mark.line), _TOO_DEEP) from None
        # libyaml stops where it cannot read ("\uD800" in quotes …) and ruamel, which reads next,
        # may read further: count again on ruamel's own events.
        try:
            _count_nodes(YAML(typ="rt").parse(text), name)
        except YAMLError:
            return  # ruamel's reader stops at the same place, before it builds anything


def _count_nodes(events: Any, name: str) -> None:
    """Raise a Problem at the event where the file passes MAX_NODES, MAX_DEPTH, MAX_MERGES or MAX_COPIED."""
    sizes: dict[str, int | None] = {}  # anchor -> the size of its node; None while the node is open
    open_: list[list[Any]] = []  # the lists and blocks around the event: [anchor, size, parts so far, is a block]
    nodes = merges = copied = 0
    field, first = "", None  # the top-level field being read, and its first alias
    for event in events:
        kind = type(event).__name__  # the same names in PyYAML and ruamel
        if kind in ("SequenceEndEvent", "MappingEndEvent"):
            anchor, size, _, _ = open_.pop()
        elif kind in _NODE_EVENTS:
            mark, nodes = event.start_mark, nodes + 1
            if open_ and open_[-1][3] and open_[-1][2] % 2 == 0 and kind == "ScalarEvent":  # a key
                if len(open_) == 1:
                    field, first = _nfc(event.value), None
                merges += event.value == "<<"
            if open_:
                open_[-1][2] += 1
            # (A node inside n lists and blocks has a path of n keys and indexes.)
            for count, limit, message in ((nodes, MAX_NODES, _TOO_MANY_NODES), (len(open_), MAX_DEPTH, _TOO_DEEP),
                                          (merges, MAX_MERGES, _TOO_MANY_MERGES)):
                if count > limit:
                    raise YamlSyntaxProblem(name, mark.line + 1, mark.column + 1, field, message)
            if kind == "AliasEvent":
                first = first or event
                anchor, size = None, sizes.get(event.anchor, 0)
                if size is None:
                    raise _bomb_problem(name, event, field, recursive=True)
                copied += size
                if copied > MAX_COPIED:
                    raise _bomb_problem(name, first, field)
            elif kind == "ScalarEvent":
                anchor, size = event.anchor, 1 + len(event.value)
            else:
                open_.append([event.anchor, 1, 0, kind == "MappingStartEvent"])
                if event.anchor:
                    sizes[event.anchor] = None
                continue
        else:
            continue
        if anchor:
            sizes[anchor] = size
        if open_:
            open_[-1][1] += size


def _bomb_problem(name: str, alias: Any, field: str, recursive: bool = False) -> Problem:
    """Aliases that copy too much (named at the first alias of the field where the copies ran over),
    or an alias inside the part it names, which would copy itself for ever."""
    label = alias.anchor
    if recursive:
        what = f"tham chiếu YAML \"*{label}\" nằm trong chính phần có nhãn \"&{label}\" nên chép lại mãi không hết"
    else:
        what = (f"các tham chiếu YAML (\"*{label}\" chép lại phần có nhãn \"&{label}\") nhân nội dung lên quá nhiều "
                "lần (hơn " + f"{MAX_COPIED:,}".replace(",", ".") + " ký tự)")
    return YamlSyntaxProblem(
        name, alias.start_mark.line + 1, alias.start_mark.column + 1, field,
        what + "; tệp kế hoạch ghi đầy đủ từng chữ: hãy thay các tham chiếu (*) bằng chính nội dung cần ghi.",
    )


def _top_key(lines: list[str], row: int) -> str:
    """The top-level field that line `row` (0-based) belongs to: "table" for a line deep in the table."""
    for index in range(min(row, len(lines) - 1), -1, -1):
        match = re.match(r"([A-Za-z_]\w*)\s*:", lines[index])
        if match:
            return match.group(1)
    return ""


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


def _from_node(node: Any, path: FieldPath, loaded: Loaded) -> Any:
    import yaml

    if len(path) > MAX_DEPTH:
        raise YamlSyntaxProblem(loaded.file, node.start_mark.line + 1, node.start_mark.column + 1,
                                field_name(path[:1]), _TOO_DEEP)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                # "? [a]: v" or "[a]: v": a list or block as a field name (ruamel cannot even read it).
                raise YamlSyntaxProblem(
                    loaded.file, key_node.start_mark.line + 1, key_node.start_mark.column + 1, field_name(path),
                    "tên trường ở đây là một danh sách hay một khối, không phải một chữ; tên trường là chữ "
                    "thường không dấu, theo sau là dấu \":\". Nếu đây là một đoạn văn, hãy đặt nó trong ngoặc kép.",
                    "title: \"[KẾ HOẠCH]\"",
                )
            if key_node.value == "<<" or key_node.value in out:
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
    if tag == _YAML + "timestamp" and (date := _DATE_RE.match(value)):
        import datetime as dt

        year, month, day = (int(g) for g in date.groups())
        return dt.date(year, month, day)
    if tag.startswith(_YAML):
        return _text(value, path, loaded)  # what YAML 1.1 reads as a number of another kind is text in 1.2
    raise _Unusual()


def _text(text: str, path: FieldPath, loaded: Loaded) -> str:
    """A text as published: refused characters are an error, invisible ones removed with a warning."""
    text = textrules.join_surrogate_pairs(text)
    bad = textrules.REFUSED_RE.search(text)
    if bad:
        line, col = loaded.values.get(path, (None, None))
        what, why = textrules.kind(bad.group())
        raise ControlCharacterProblem(
            loaded.file, line, col, field_name(path),
            f"có {what} (ký tự thứ {bad.start() + 1} của đoạn văn, trong ngoặc kép thường được viết là "
            f"{textrules.escape(bad.group())}); " + (f"{why}. Hãy" if why else "hãy") + " xóa ký tự đó.",
        )
    text, removed = textrules.strip_invisible(text)
    if removed:
        line, col = loaded.values.get(path, (None, None))
        loaded.warnings.append(InvisibleCharacterWarning(
            loaded.file, line, col, field_name(path),
            f"đã xóa ký tự vô hình ({', '.join(removed)}) khỏi đoạn văn; chúng thường theo khi dán từ Word "
            "hay trang web, không hiện trên trang nhưng làm hỏng tìm kiếm. Nên xóa chúng trong tệp.",
        ))
    return _nfc(text)


def _nfc(text: str) -> str:
    """Decomposed Vietnamese (as some keyboards type it) in its composed form, as the site shows text."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _locate(text: str) -> Loaded | None:
    """`text` read for the positions of its fields only (for messages), or None when it cannot be."""
    try:
        _check_bounds(text, "")
        loaded = Loaded("", None, lines=text.split("\n"))
        if not _positions_fast(text, loaded):
            _plain(YAML(typ="rt").load(text), (), loaded)
    except Exception:  # a best effort for a message: any failure just leaves the field unnamed
        return None
    return loaded


def _positions_fast(text: str, loaded: Loaded) -> bool:
    """The positions of every key and value, read by libyaml (C) as `_read_fast` reads them; False
    when libyaml cannot read the text, or it holds a merge or duplicate key (ruamel, fifty times
    slower, reads it for the positions)."""
    try:
        import yaml
        from yaml import CSafeLoader

        node = yaml.compose(text, Loader=CSafeLoader)
    except Exception:  # noqa: BLE001 - PyYAML without libyaml, or text libyaml cannot read
        return False

    def walk(node: Any, path: FieldPath) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = path + (key_node.value,)
                if key_node.value == "<<" or key in loaded.keys:
                    raise _Unusual()  # merge keys and duplicate keys: as ruamel reads them (or not)
                loaded.keys[key] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                loaded.values[key] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
                walk(value_node, key)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                loaded.values[path + (index,)] = (item.start_mark.line + 1, item.start_mark.column + 1)
                walk(item, path + (index,))

    if node is not None:
        try:
            walk(node, ())
        except _Unusual:
            loaded.keys.clear()
            loaded.values.clear()
            return False
    return True


def _path_at(text: str, line: int, column: int) -> FieldPath:
    """The field at (line, column) of `text`, or () when the text is not readable YAML either."""
    located = _locate(text)
    return located.path_at(line, column) if located else ()


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

    def at(line: int, column: int, message: str, example: str | None = None,
           name: str = key) -> tuple[int, int, str, str, str | None]:
        return line + 1, column + 1, name, message, example

    if "single document" in context or "single document" in problem:
        return at(row, col, "tệp có thêm một phần sau dòng \"---\"; một tệp chỉ chứa một kế hoạch. Hãy xóa dòng "
                  "\"---\", hoặc chuyển phần sau nó sang một tệp kế hoạch khác.", name=_key_of(lines[row]) if row < len(lines) else "")
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


def _quoted(key_match: re.Match[str] | None, value: str | None, quote: str = '"') -> str:
    """The value on an offending line written as it should be: `heading: "I. MỤC ĐÍCH: YÊU CẦU"`."""
    value = (value or "").strip()
    inner = value.replace("'", "''") if quote == "'" else value.replace('"', '\\"')
    if key_match:
        return f"{key_match.group(2)}: {quote}{inner}{quote}"
    return f"- {quote}{inner.removeprefix('- ')}{quote}"


def _plain(node: Any, path: FieldPath, loaded: Loaded) -> Any:
    """Turn ruamel's round-trip tree into plain data, recording positions and checking text."""
    if isinstance(node, (CommentedMap, CommentedSeq)) and len(path) > MAX_DEPTH:
        line, col = loaded.values.get(path, (None, None))
        raise YamlSyntaxProblem(loaded.file, line, col, field_name(path[:1]), _TOO_DEEP)
    if isinstance(node, CommentedMap):
        out = {}
        for key, value in node.items():
            # A key merged in ("<<: *name") has no place of its own: it stands where the block does.
            key_line, key_col = _place(node.lc.key, key) or (node.lc.line, node.lc.col)
            value_line, value_col = _place(node.lc.value, key) or (key_line, key_col)
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


def _place(where: Callable[[Any], tuple[int, int]], key: Any) -> tuple[int, int] | None:
    try:
        return where(key)
    except KeyError:  # a merged key, in ruamel's books of the block it came from
        return None


def problem_at(loaded: Loaded, cls: type[Problem], path: FieldPath, message: str, *, key: bool = False,
               example: str | None = None) -> Problem:
    """A problem of kind `cls` located at `path` in `loaded`."""
    line, col = loaded.where(path, key=key)
    return cls(loaded.file, line, col, field_name(path), message, example)


# Text, then " #" on the same line: YAML reads the rest of the line as a comment (cheap test first).
_COMMENT_AFTER_RE = re.compile(r"[^\s\"'][ \t]+#")
# "!" opening a token ("title: !!binary …", "- !python/object …"): a YAML tag, which some readers
# act on (build objects, run code) and ours would ignore. A plan file holds only text.
_TAG_START_RE = re.compile(r"(?:^|[\s\[{,:-])!\S", re.MULTILINE)


def _check_tokens(text: str, name: str) -> list[Problem]:
    """What only the tokens show, in one pass over them: YAML tags, and text cut short by " #".

    A tag is refused, named at its place: the file is data, never instructions to a reader.
    "signer: Hiệu trưởng #phó hiệu trưởng" would publish "Hiệu trưởng" alone: with one space before
    the "#" (or none after it) this is text cut short, an error. Two spaces or more, then "# ", is how
    a comment is written after a value (yamllint's rule): still said, as a warning returned, since
    what follows is not published. Fine without a word: a comment on its own line, or after a quoted
    text, a number, true/false, null, or one word without diacritics ("level: primary # mầm non").
    A text cut short is told before a tag, wherever each stands.
    """
    warnings: list[Problem] = []
    comments, tags = _COMMENT_AFTER_RE.search(text), _TAG_START_RE.search(text)
    if not (comments or tags):
        return warnings
    import yaml

    lines = text.split("\n")
    located: Loaded | None = None  # the file's fields, read once for all the comments found
    tag: Problem | None = None
    try:
        for token in yaml.scan(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(token, yaml.TagToken):
                if tag is None:
                    handle, suffix = token.value
                    mark = token.start_mark
                    tag = YamlSyntaxProblem(
                        name, mark.line + 1, mark.column + 1, _top_key(lines, mark.line),
                        f"có thẻ YAML \"{(handle or '') + suffix}\"; tệp kế hoạch chỉ ghi chữ, không dùng thẻ (phần "
                        "bắt đầu bằng \"!\"). Nếu \"!\" thuộc đoạn văn, hãy đặt cả đoạn trong ngoặc kép.",
                        "title: \"!KẾ HOẠCH\"",
                    )
                continue
            if not (comments and isinstance(token, yaml.ScalarToken) and token.plain):
                continue
            value, end = token.value, token.end_mark
            cut = re.match(r"([ \t]+)(#.*)$", lines[end.line][end.column:])
            if cut is None or (value.isascii() and not re.search(r"\s", value)):
                continue
            start = token.start_mark
            line, column = end.line + 1, end.column + len(cut.group(1)) + 1
            comment = cut.group(2).rstrip()
            shown = comment if len(comment) <= 80 else comment[:79] + "…"
            located = located or _locate(text.replace("\t", " "))
            field = field_name(located.path_at(start.line + 1, start.column + 1) if located else ())
            if len(cut.group(1)) >= 2 and re.match(r"#\s", comment):
                warnings.append(CommentAfterTextWarning(
                    name, line, column, field,
                    f"phần \"{_nfc(shown)}\" sau đoạn văn được coi là ghi chú nên không hiện trên trang. Nếu nó thuộc "
                    "đoạn văn, hãy đặt cả đoạn trong dấu ngoặc kép; nếu là ghi chú, nên chuyển lên một dòng riêng.",
                    _nfc(_quoted(_KEY_LINE_RE.match(lines[start.line]), f"{value}  {comment}")),
                ))
                continue
            raise YamlSyntaxProblem(
                name, line, column, field,
                f"đoạn văn không có ngoặc kép bị cắt ở \" #\": YAML coi phần \"{_nfc(shown)}\" là ghi chú nên "
                "phần này sẽ không hiện trên trang. Hãy đặt cả đoạn trong dấu ngoặc kép; nếu đó thật là ghi chú, "
                "hãy chuyển nó lên một dòng riêng.",
                _nfc(_quoted(_KEY_LINE_RE.match(lines[start.line]), f"{value} {comment}")),
            )
    except yaml.YAMLError:
        pass  # not YAML: the reader that follows says where and why
    if tag is not None:
        raise tag
    return warnings
