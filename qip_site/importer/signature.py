"""The signature block: "Nơi nhận:" and its recipients, the signer's position, note ("(Đã ký)") and name."""

from __future__ import annotations

import re

from .blocks import Block, Table
from .notes import Notes, quote
from .text import decoration, fold, is_upper, words
from .two_columns import split_columns

# On folded text unless said otherwise.
_RECIPIENTS_RE = re.compile(r"^noi nhan\b")
_POSITION_RE = re.compile(
    r"^(?:(?:kt|tm|q|p|pho|quyen)\s*\.?\s*)?(?:pho\s+)?"
    r"(?:hieu truong|hieu pho|giam doc|chu tich|truong phong|truong ban|ban giam hieu|hoi dong|nguoi lap"
    r"|to truong|bi thu)\b"
)
_PAREN_RE = re.compile(r"^\(.*\)$")  # on the text as written
# Another office's approval or confirmation beside the school's signature ("DUYỆT CỦA PHÒNG GD&ĐT", "XÁC NHẬN
# CỦA …"): its signer is not the plan's.
_APPROVAL_RE = re.compile(r"^(?:phe duyet|duyet|xac nhan)\b")


def position(text: str) -> bool:
    return bool(_POSITION_RE.match(fold(text))) and words(text) <= 6 and ":" not in text


def _looks_like_name(text: str) -> bool:
    return words(text) <= 6 and not any(c.isdigit() for c in text) and ":" not in text


def signature_start(block: Block) -> bool:
    """"Nơi nhận:", or a signer's position in capitals ("HIỆU TRƯỞNG"), begins the signature block."""
    if isinstance(block, Table):
        return any(_RECIPIENTS_RE.match(fold(line)) or (position(line) and is_upper(line))
                   for line in block.lines())
    folded = fold(block.text)
    first = split_columns(block.raw)[0]
    return bool(_RECIPIENTS_RE.match(folded)) or (position(first) and is_upper(first))


def read_signature(items: list[tuple[str, str | None]],
                   notes: Notes) -> tuple[list[str], dict[str, str], list[str]]:
    """Recipients and signer from (line, column) items; and the lines that fit neither."""
    recipients: list[str] = []
    position_lines: list[str] = []
    note: list[str] = []
    name: list[str] = []
    unplaced: list[str] = []
    in_recipients = False
    approval: str | None = None  # what of an approval block comes next: its signer's "position", then "name"
    for text, col in items:
        folded = fold(text)
        if decoration(text):
            notes.skip_decoration(text)
            continue
        if _APPROVAL_RE.match(folded):
            approval, in_recipients = "position", False
            unplaced.append(text)  # kept, and said, with the approval's signer: not the plan's signer
            continue
        if approval == "position" and position(text):
            approval = "name"
            unplaced.append(text)
            continue
        if approval == "name" and (_PAREN_RE.match(text) or _looks_like_name(text)):
            approval = "name" if _PAREN_RE.match(text) else None  # a note "(Đã ký)" comes before the name
            unplaced.append(text)
            continue
        approval = None
        if _RECIPIENTS_RE.match(folded):
            in_recipients = True
            notes.skip(text)  # the site prints "Nơi nhận:" itself
            rest = text.split(":", 1)[1].strip() if ":" in text else ""
            if rest:
                recipients.append(rest)
            continue
        if in_recipients and col != "R" and (
                col == "L" or text.startswith(("-", "–", "+", "•", "*")) or not (position_lines or position(text))):
            recipient, signer_position = _glued(text)
            recipients.append(recipient)
            if signer_position:
                position_lines.append(signer_position)
                notes.skip(text, f"Đã tách {quote(text)} thành người nhận {quote(recipient)} và chức vụ người ký "
                                 f"{quote(signer_position)}; hãy kiểm tra.")
            continue
        if position(text) and not note and not name:
            position_lines.append(text)
        elif _PAREN_RE.match(text) and not name:
            note.append(text)
        elif (position_lines or note) and not name and _looks_like_name(text):
            name.append(text)
        else:
            unplaced.append(text)
    signer = {}
    if position_lines:
        signer["position"] = "\n".join(position_lines)
    if note:
        signer["note"] = "\n".join(note)
    if name:
        signer["name"] = name[0]
    return recipients, signer, unplaced


def _glued(text: str) -> tuple[str, str]:
    """"-  Lưu VT.HIỆU TRƯỞNG" -> ("-  Lưu VT.", "HIỆU TRƯỞNG"): the last recipient and the signer's
    position run together when a converter (LibreOffice, from .doc) turns the two-column signature
    table into paragraphs. Only a position in capitals right after a full stop or semicolon is split."""
    for cut in range(max(1, len(text) - 80), len(text)):  # a position is a few words: only the line's end
        if text[cut - 1] in ".;" and text[cut:].strip() and is_upper(text[cut:]) and position(text[cut:].strip()):
            return text[:cut], text[cut:].strip()
    return text, ""
