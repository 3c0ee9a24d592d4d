"""`qip-site fmt`: rewrite plan and school files in the canonical layout, changing no content.

The layout is the one the real plan files use: mappings indented by 2, list items by 2 then
"- ", long lines never wrapped, UTF-8 without BOM, LF line ends, text in NFC, `null` written out,
and the `# yaml-language-server: $schema=…` line first. Comments, key order and the quoting of
each text are kept (ruamel.yaml round trip). A full-line comment is indented like the line it
was aligned with (the next line, or the previous one for a note at the end of a block).

Every result is checked before it is written: the YAML events (the content) and the comments
must be the same as the file's. Anything that cannot be formatted safely is reported and the
file is left untouched.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.representer import RoundTripRepresenter

from ..reading.errors import Problem
from ..reading.load import read_yaml

SCHOOL_FILE = "school.yml"
SCHEMA_LINE = "# yaml-language-server: $schema=../../qip_site/schema/{kind}.schema.json"
_MODELINE_RE = re.compile(r"^#\s*yaml-language-server\s*:\s*\$schema=(\S*)")
_COMMENT_RE = re.compile(r"#[^\n]*")
_DOC_START_RE = re.compile(r"\A((?:[ \t]*(?:#[^\n]*)?\n)*)---[ \t]*\n")
_NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")  # an empty value is written `null`


class FormatError(Exception):
    """The file cannot be formatted without changing its content or losing a comment."""


class _Representer(RoundTripRepresenter):
    """Write an empty value as `null`, as the plan files do, not as nothing after the colon."""


_Representer.add_representer(
    type(None), lambda representer, _: representer.represent_scalar("tag:yaml.org,2002:null", "null")
)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Representer = _Representer
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.preserve_quotes = True
    return yaml


def schema_kind(path: Path) -> str:
    """"school" for a school.yml, "plan" for any other file."""
    return "school" if path.name == SCHOOL_FILE else "plan"


def format_text(text: str, kind: str = "plan") -> str:
    """The canonical layout of a file's text; raise FormatError when it cannot be done safely.

    Formatting the result again gives it back unchanged.
    """
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    text = _DOC_START_RE.sub(r"\1", text, count=1)  # a bare "---" holds nothing, and ruamel drops it
    result = _format_once(text, kind)
    if result == text:
        return result
    return _format_once(result, kind)  # a second pass settles anything ruamel moves only once


def _format_once(text: str, kind: str) -> str:
    source = _with_schema_line(text, kind)
    try:
        tree = _yaml().load(source)
    except YAMLError as exc:
        raise FormatError(f"không đọc được tệp: {exc}") from None
    if tree is None:
        return source.rstrip("\n") + "\n"  # empty, or comments only: nothing to lay out
    out = io.StringIO()
    _yaml().dump(tree, out)
    result = out.getvalue()
    aligned = _align_comments(source, result)
    if aligned is not None and _same(source, aligned):
        return aligned
    if _same(source, result):
        return result
    raise FormatError("không định dạng được mà vẫn giữ nguyên nội dung và ghi chú; tệp được giữ nguyên.")


def _with_schema_line(text: str, kind: str) -> str:
    """Put the `# yaml-language-server: $schema=…` line first, for the right schema."""
    lines = text.split("\n")
    head = 0  # the leading comment block, where the line may stand already
    while head < len(lines) and (lines[head].lstrip().startswith("#") or not lines[head].strip()):
        head += 1
    found = next((i for i in range(head) if _MODELINE_RE.match(lines[i].lstrip())), None)
    if found is None:
        return SCHEMA_LINE.format(kind=kind) + "\n" + text
    line = lines.pop(found).lstrip()
    other = "school" if kind == "plan" else "plan"
    line = line.replace(f"/{other}.schema.json", f"/{kind}.schema.json")
    return "\n".join([line] + lines)


def _same(before: str, after: str) -> bool:
    """True when both texts hold the same content (YAML events) and the same comments, in order."""
    try:
        return _events(before) == _events(after) and [c[2] for c in _comments(before)] == [
            c[2] for c in _comments(after)
        ]
    except Exception:  # an unreadable result is never the same: the file is left untouched
        return False


def _events(text: str) -> list[tuple]:
    """The content of a YAML text: its events without layout (indentation, flow style, quote kind)."""
    import yaml

    out = []
    for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        if isinstance(event, yaml.ScalarEvent):
            # A plain scalar's type is read from its text ("1.10", "null"); a quoted one is text.
            plain = event.style in (None, "")
            value = None if plain and event.tag is None and _NULL_RE.match(event.value) else event.value
            out.append(("scalar", event.anchor, event.tag, plain, value))
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            out.append((type(event).__name__, event.anchor, event.tag))
        elif isinstance(event, yaml.AliasEvent):
            out.append(("alias", event.anchor))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            out.append((type(event).__name__,))
    return out


def _comments(text: str) -> list[tuple[int, int, str]]:
    """Every comment of a YAML text as (line, column, text), 0-based: what lies between tokens."""
    import yaml

    found = []
    end = 0
    for token in yaml.scan(text, Loader=yaml.SafeLoader):  # pure Python: marks count characters
        start = token.start_mark.index
        for match in _COMMENT_RE.finditer(text, end, max(start, end)):
            line = text.count("\n", 0, match.start())
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1)
            found.append((line, column, match.group().rstrip()))
        end = max(end, token.end_mark.index)
    return found


def _full_line(text: str) -> list[tuple[int, int, str]]:
    lines = text.split("\n")
    return [c for c in _comments(text) if not lines[c[0]][: c[1]].strip()]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _neighbours(lines: list[str], comment_lines: set[int], index: int) -> tuple[int, int]:
    """The indentation of the content lines before and after line `index` (0 at the ends)."""

    def content(i: int) -> bool:
        return bool(lines[i].strip()) and i not in comment_lines

    before = next((_indent(lines[i]) for i in range(index - 1, -1, -1) if content(i)), 0)
    after = next((_indent(lines[i]) for i in range(index + 1, len(lines)) if content(i)), 0)
    return before, after


def _align_comments(source: str, result: str) -> str | None:
    """Indent each full-line comment of `result` like the content line it stood nearest to in
    `source` by column: the next line, or the previous one (a note at the end of a block).
    None when the comments do not pair up."""
    try:
        old, new = _full_line(source), _full_line(result)
    except Exception:
        return None
    if [c[2] for c in old] != [c[2] for c in new]:
        return None
    old_lines, new_lines = source.split("\n"), result.split("\n")
    old_set, new_set = {c[0] for c in old}, {c[0] for c in new}
    first = next((i for i, line in enumerate(new_lines) if line.strip() and i not in new_set), len(new_lines))
    for (line, column, _), (new_line, _, comment) in zip(old, new):
        before, after = _neighbours(old_lines, old_set, line)
        new_before, new_after = _neighbours(new_lines, new_set, new_line)
        target = new_after if abs(column - after) <= abs(column - before) else new_before
        if new_line < first:
            target = 0  # the comments that open the file stay at the margin
        new_lines[new_line] = " " * target + comment
    return "\n".join(new_lines)


def _files(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The YAML files named or found under the folders, and the paths that do not exist."""
    files, missing = [], []
    for path in paths:
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                parts = file.relative_to(path).parts
                if file.is_file() and file.suffix in (".yml", ".yaml") and not any(
                    p.startswith((".", "_")) for p in parts
                ):
                    files.append(file)
        elif path.is_file():
            files.append(path)
        else:
            missing.append(path)
    return files, missing


def format_paths(paths: list[Path], *, check: bool = False, echo=print) -> int:
    """Format the plan and school files named, or found in the folders named.

    With `check`, write nothing and list the files that would change. Returns 0 when all is well,
    1 when a file is unreadable or missing, or (with `check`) when a file needs formatting.
    """
    files, missing = _files(paths)
    for path in missing:
        echo(f"{path}: lỗi: không có tệp hoặc thư mục này.")
    changed, unchanged, failed = [], 0, 0
    for file in files:
        if file.is_symlink():
            # A link may lead anywhere (another project, a system file): fmt never writes through one.
            echo(f"{file}: lỗi: tệp là một liên kết (symlink) tới \"{os.readlink(file)}\"; lệnh fmt không ghi qua "
                 "liên kết. Hãy định dạng chính tệp được trỏ tới.")
            failed += 1
            continue
        try:
            read_yaml(file, str(file))  # the same message as `check` for a file that is not valid YAML
            raw = file.read_bytes()
            formatted = format_text(raw.decode("utf-8-sig"), schema_kind(file))
        except Problem as problem:
            echo(str(problem))
            failed += 1
            continue
        except FormatError as error:
            echo(f"{file}: lỗi: {error}")
            failed += 1
            continue
        data = formatted.encode("utf-8")
        if data == raw:
            unchanged += 1
            continue
        changed.append(file)
        if check:
            echo(f"Tệp cần định dạng lại: {file}")
        else:
            file.write_bytes(data)
            echo(f"Đã định dạng lại: {file}")
    if check:
        summary = f"{len(changed)} tệp cần định dạng lại, {unchanged} tệp đã đúng định dạng."
    else:
        summary = f"Đã định dạng {len(changed)} tệp, {unchanged} tệp không đổi."
    if failed:
        summary += f" {failed} tệp có lỗi, được giữ nguyên."
    if not files and not missing:
        summary = "Không có tệp YAML nào để định dạng."
    echo(summary)
    return 1 if failed or missing or (check and changed) else 0
