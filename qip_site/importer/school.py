"""The school: its folder name, its level (from school.yml, else guessed), and a new school.yml."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..reading.names import SCHOOL_KIND_WORDS, level_in_name
from .notes import ImportFailed, Notes, quote, shown
from .text import ROMANS, fold, is_upper

# "trường <kind> …" in running text: the kind named (names.SCHOOL_KIND_WORDS, or "PT": phổ thông), up to a
# punctuation mark (on folded text).
_MENTION_RE = re.compile(rf"\btruong\s+((?:{'|'.join(SCHOOL_KIND_WORDS)}|pt)\b[^,;.:()]{{0,40}})")
_CIRCULAR_RE = re.compile(r"\b(?:thong tu|tt)\s*(?:so\s*)?(1[789])\s*/\s*2018")
CIRCULAR_LEVEL = {"17": "primary", "18": "secondary", "19": "preschool"}
SLUG_PREFIX = {"preschool": "mn", "primary": "th", "lower_secondary": "thcs", "upper_secondary": "thpt"}
_LEVEL_WORDS = [("MẦM NON", "Mầm non"), ("MN", "Mầm non"), ("TIỂU HỌC", "Tiểu học"), ("TH", "Tiểu học"),
                ("TRUNG HỌC CƠ SỞ", "Trung học cơ sở"), ("TRUNG HỌC PHỔ THÔNG", "Trung học phổ thông"),
                ("THCS", "THCS"), ("THPT", "THPT")]


def level_label(level: str) -> str:
    """A level's name as pages show it ("Mầm non"): the plan format's (reading/schema.py `Level.label`)."""
    from ..reading.schema import Level

    return Level(level).label


def circular_of(level: str) -> str:
    """The number of the circular that assesses schools of `level` ("19"), from the catalogue."""
    from ..domain.catalogue import circular_for
    from ..reading.schema import Level

    return circular_for(Level(level)).number.split("/")[0]


def school_folder(path: Path, header: dict[str, str], school_arg: str | None, notes: Notes) -> str:
    """The school's folder name: --school, else from the school's name, else from the file name (said so)."""
    from ..reading.names import is_slug, slugify

    if school_arg:
        slug = school_arg
    elif header.get("school"):
        slug = school_slug(header["school"].replace("\n", " "))
    else:
        slug = slugify(re.sub(r"[_ ]*\d{4}\s*[-–]\s*\d{4}.*$", "", path.stem)) or "truong-chua-ro-ten"
        notes.school_from_file_name = True
        notes.warn(f"Văn bản không ghi tên trường; đã đặt thư mục trường theo tên tệp: {slug}. "
                   "Dùng --school để chọn tên khác.")
    if not is_slug(slug):
        raise ImportFailed(f"tên thư mục trường \"{slug}\" chỉ được có chữ thường không dấu, chữ số và dấu \"-\"; "
                           f"ví dụ --school {slugify(slug) or 'mn-thuy-tien'}.")
    return slug


def existing_level(school_file: Path) -> str | None:
    """The level an existing school.yml gives, when it is one the importer knows."""
    from ..reading.load import read_yaml  # with the limits of `check`: a school.yml can be an alias bomb too
    from ..reading.schema import Level, level_value

    try:
        data = read_yaml(school_file).data
        level = data.get("level") if isinstance(data, dict) else None
        return Level(level_value(level)).value if isinstance(level, str) else None  # ValueError: not a level
    except Exception:
        return None


def new_school(folder: Path, header: dict[str, str], data: dict[str, Any], source_lines: list[str],
               notes: Notes) -> dict[str, Any]:
    """school.yml for a new school: the name in normal case, the level guessed (and said so)."""
    from ..domain.model import document_place

    name = header["school"].replace("\n", " ") if header.get("school") else None
    level = school_level(name, data, folder, source_lines, notes)
    school: dict[str, Any] = {}
    if name:
        school["name"] = normal_case_name(name)
        if school["name"] != name:
            notes.warn(f"Tên trường trong school.yml được viết lại thường: {quote(school['name'])} "
                       f"(văn bản ghi {quote(name)}); hãy kiểm tra.")
    school["level"] = level
    if header.get("managing_body"):
        school["managing_body"] = header["managing_body"].replace("\n", " ")
    place = document_place(header.get("place_date"))
    if place:
        school["place"] = {"as_written": place}
    return school


def school_level(name: str | None, data: dict[str, Any], folder: Path, source_lines: list[str],
                 notes: Notes) -> str:
    """The school's level from what the document says of the school, in this order: its name in the
    header, the title, the preamble, the sections' text (the first line naming a kind of school:
    "Trường THCS …", "trường mầm non", "trường trung học cơ sở, trường trung học phổ thông …"); else
    the folder's name ("mn-…", "thcs-…"); else, last, the accreditation circular the document cites.
    A circular cited that is not the one of the level found is a warning naming both."""
    texts = [("tên văn bản", _title_lines(data)), ("phần mở đầu", _texts(data.get("preamble"))),
             ("nội dung văn bản", _texts(data.get("sections")))]
    level, how = (level_in_name(name), f"tên trường {quote(name, 60)}") if name else (None, "")
    for where, lines in texts:
        if level is None:
            found = level_from_mentions(lines)
            if found is not None:
                level, how = found[0], f"{where} {quote(found[1], 60)}"
    prefix = folder.name.split("-")[0]
    named_by_us = name is not None and folder.name == school_slug(name)  # the name's words again, said nothing
    if level is None and prefix in SLUG_PREFIX.values() and not named_by_us:
        level, how = {v: k for k, v in SLUG_PREFIX.items()}[prefix], f"tên thư mục {folder.name}"
    cited = circular_cited(source_lines)
    if level is None and cited is not None:
        level, how = CIRCULAR_LEVEL[cited[0]], f"thông tư đánh giá mà văn bản dẫn ({quote(cited[1], 60)})"
    if level is None:
        raise ImportFailed(f"không xác định được cấp học của trường. Hãy tạo {shown(folder / 'school.yml')} với "
                           "\"level: preschool\" (hoặc primary, lower_secondary, upper_secondary, secondary) "
                           "rồi nhập lại.")
    notes.warn(f"Cấp học đoán từ {how}: {level} ({level_label(level)}); hãy kiểm tra \"level\" trong school.yml.")
    if cited is not None and circular_of(level) != cited[0]:
        notes.warn(f"Văn bản dẫn Thông tư {cited[0]}/2018/TT-BGDĐT, thông tư đánh giá trường "
                   f"{level_label(CIRCULAR_LEVEL[cited[0]]).lower()}, nhưng {how} cho cấp {level_label(level)}, "
                   f"đánh giá theo Thông tư {circular_of(level)}/2018/TT-BGDĐT; đã theo lời văn bản về trường. "
                   "Hãy kiểm tra \"level\" trong school.yml và thông tư mà văn bản dẫn.")
    return level


def level_from_mentions(lines: list[str]) -> tuple[str, str] | None:
    """(level, line) from the first line naming a kind of school ("trường …"); the kinds named in one line
    together ("trường trung học cơ sở, trường trung học phổ thông") give one level (here "secondary")."""
    for line in lines:
        names = [m.group(1) for m in _MENTION_RE.finditer(fold(line))]
        levels = {level for level in map(level_in_name, names) if level is not None}
        if "preschool" in levels and len(levels) > 1:
            continue  # a preschool and another kind of school: says nothing of this one
        if len(levels) == 1:
            return levels.pop(), line
        if levels:
            return "secondary", line
    return None


def circular_cited(texts: list[str]) -> tuple[str, str] | None:
    """("17", line) for the first accreditation circular (17, 18 or 19/2018) the document cites."""
    for text in texts:
        match = _CIRCULAR_RE.search(fold(text))
        if match:
            return match.group(1), text
    return None


def _title_lines(data: dict[str, Any]) -> list[str]:
    title = data.get("title")
    return _texts(title)


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.split("\n")
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def school_slug(name: str) -> str:
    """"TRƯỜNG MN THỦY TIÊN" -> "mn-thuy-tien", "Trường Tiểu học Lê Đình Chinh" -> "th-le-dinh-chinh"."""
    from ..reading.names import slugify

    folded = re.sub(r"^truong\s+", "", fold(name))
    for words, short in [("mam non", "mn"), ("tieu hoc", "th"), ("trung hoc co so", "thcs"),
                         ("trung hoc pho thong", "thpt")]:
        folded = re.sub(rf"\b{words}\b", short, folded)
    return slugify(folded)


def normal_case_name(line: str) -> str:
    """"TRƯỜNG TIỂU HỌC LÊ ĐÌNH CHINH" -> "Trường Tiểu học Lê Đình Chinh"; other writings unchanged."""
    line = " ".join(line.split())
    if not is_upper(line):
        return line
    head, rest = "", line
    if line.startswith("TRƯỜNG "):
        head, rest = "Trường ", line[len("TRƯỜNG "):]
        found = _leading_level(rest)
        while found:  # "TRƯỜNG MẦM NON VÀ TIỂU HỌC …": each level named, joined by "và"
            head, rest = head + found[0] + " ", found[1]
            found = _leading_level(rest[len("VÀ "):]) if rest.startswith("VÀ ") else None
            if found:
                head += "và "
    words = [w if _abbreviation(w) else w.capitalize() for w in rest.split()]
    return (head + " ".join(words)).strip()


def _leading_level(rest: str) -> tuple[str, str] | None:
    """("Mầm non", what follows) when `rest` starts with a level's name in capitals ("MẦM NON …")."""
    for written, normal in _LEVEL_WORDS:
        if rest == written or rest.startswith(written + " "):
            return normal, rest[len(written):].strip()
    return None


def _abbreviation(word: str) -> bool:
    """"THCS", "TH&THCS", "GDĐT", "II", "10": kept as written (Vietnamese words all have a vowel)."""
    return (not re.search(r"[aeiouy]", fold(word)) or bool(re.search(r"[\d&./]", word))
            or word in ROMANS)
