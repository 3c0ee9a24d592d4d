"""The school: its folder name, its level (from school.yml, else guessed), and a new school.yml."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .notes import ImportFailed, Notes, quote, shown
from .text import ROMANS, fold, is_upper

LEVEL_RULES = [
    ("preschool", re.compile(r"\bmam non\b|\bmn\b")),
    ("primary", re.compile(r"\btieu hoc\b|\bth\b")),
    ("lower_secondary", re.compile(r"\bthcs\b|\btrung hoc co so\b")),
    ("upper_secondary", re.compile(r"\bthpt\b|\btrung hoc pho thong\b")),
]
LEVEL_LABELS = {"preschool": "Mầm non", "primary": "Tiểu học", "lower_secondary": "Trung học cơ sở",
                "upper_secondary": "Trung học phổ thông", "secondary": "Trung học (THCS, THPT)"}
SLUG_PREFIX = {"preschool": "mn", "primary": "th", "lower_secondary": "thcs", "upper_secondary": "thpt"}
_LEVEL_WORDS = [("MẦM NON", "Mầm non"), ("MN", "Mầm non"), ("TIỂU HỌC", "Tiểu học"), ("TH", "Tiểu học"),
                ("TRUNG HỌC CƠ SỞ", "Trung học cơ sở"), ("TRUNG HỌC PHỔ THÔNG", "Trung học phổ thông")]


def school_folder(path: Path, header: dict[str, str], school_arg: str | None, notes: Notes) -> str:
    """The school's folder name: --school, else from the school's name, else from the file name (said so)."""
    from ..reading.validate import _SLUG_RE
    from ..site.urls import slugify

    if school_arg:
        slug = school_arg
    elif header.get("school"):
        slug = school_slug(header["school"].replace("\n", " "))
    else:
        slug = slugify(re.sub(r"[_ ]*\d{4}\s*[-–]\s*\d{4}.*$", "", path.stem)) or "truong-chua-ro-ten"
        notes.warn(f"Văn bản không ghi tên trường; đã đặt thư mục trường theo tên tệp: {slug}. "
                   "Dùng --school để chọn tên khác.")
    if not _SLUG_RE.match(slug):
        raise ImportFailed(f"tên thư mục trường \"{slug}\" chỉ được có chữ thường không dấu, chữ số và dấu \"-\"; "
                           f"ví dụ --school {slugify(slug) or 'mn-thuy-tien'}.")
    return slug


def existing_level(school_file: Path) -> str | None:
    """The level an existing school.yml gives, when it is one the importer knows."""
    from ..reading.load import read_yaml  # with the limits of `check`: a school.yml can be an alias bomb too

    try:
        data = read_yaml(school_file).data
        level = data.get("level") if isinstance(data, dict) else None
        return level if level in LEVEL_LABELS else None
    except Exception:
        return None


def new_school(folder: Path, header: dict[str, str], source_lines: list[str], notes: Notes) -> dict[str, Any]:
    """school.yml for a new school: the name in normal case, the level guessed (and said so)."""
    from ..domain.model import document_place

    name = header["school"].replace("\n", " ") if header.get("school") else None
    level, how = (level_from_name(name), f"tên trường {quote(name, 60)}") if name else (None, "")
    prefix = folder.name.split("-")[0]
    if level is None and prefix in SLUG_PREFIX.values():
        level, how = {v: k for k, v in SLUG_PREFIX.items()}[prefix], f"tên thư mục {folder.name}"
    if level is None:
        level, how = level_from_text(source_lines), "thông tư đánh giá mà văn bản dẫn"
    if level is None:
        raise ImportFailed(f"không xác định được cấp học của trường. Hãy tạo {shown(folder / 'school.yml')} với "
                           "\"level: preschool\" (hoặc primary, lower_secondary, upper_secondary, secondary) "
                           "rồi nhập lại.")
    notes.warn(f"Cấp học đoán từ {how}: {level} ({LEVEL_LABELS[level]}); hãy kiểm tra \"level\" trong school.yml.")
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


def level_from_name(name: str) -> str | None:
    folded = fold(name)
    found = [level for level, pattern in LEVEL_RULES if pattern.search(folded)]
    if len(found) > 1:
        return "secondary"  # a school of several levels: Circular 18/2018 applies
    if found:
        return found[0]
    return "secondary" if re.search(r"\btrung hoc\b", folded) else None


def level_from_text(texts: list[str]) -> str | None:
    """From the accreditation circular the plan cites."""
    for text in texts:
        match = re.search(r"thong tu\s*(?:so\s*)?(1[789])/2018", fold(text))
        if match:
            return {"17": "primary", "18": "secondary", "19": "preschool"}[match.group(1)]
    return None


def school_slug(name: str) -> str:
    """"TRƯỜNG MN THỦY TIÊN" -> "mn-thuy-tien", "Trường Tiểu học Lê Đình Chinh" -> "th-le-dinh-chinh"."""
    from ..site.urls import slugify

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
        for written, normal in _LEVEL_WORDS:
            if rest == written or rest.startswith(written + " "):
                head, rest = head + normal + " ", rest[len(written):].strip()
                break
    words = [w if _abbreviation(w) else w.capitalize() for w in rest.split()]
    return (head + " ".join(words)).strip()


def _abbreviation(word: str) -> bool:
    """"THCS", "TH&THCS", "GDĐT", "II", "10": kept as written (Vietnamese words all have a vowel)."""
    return (not re.search(r"[aeiouy]", fold(word)) or bool(re.search(r"[\d&./]", word))
            or word in ROMANS)
