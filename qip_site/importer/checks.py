"""The two checks of an import: every text of the Word file is in the plan exactly once, or
knowingly left out and said (`account`), and the files written pass `qip-site check`
(`check_written`)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .notes import Notes, quote
from .source_text import PART_NAMES, SourceLine

# Values the importer derives (a criterion's code, the school years): not text of the file.
DERIVED_KEYS = {"code", "period", "from", "to", "school_year"}
LOST = "Đoạn trong tệp Word{where} chưa có trong tệp kế hoạch: {text}; hãy chép vào chỗ đúng."
DOUBLED = "Đoạn xuất hiện nhiều lần hơn trong tệp kế hoạch so với tệp Word: {text}."
# The same words as the reader's report of page headers (import_file.read_word): said once.
PAGE_HEADER = "Chữ ở đầu trang/chân trang của Word không được nhập: {text}"
COMMENT = ("Nhận xét (comment){who} trong tệp Word không được nhập: đó là ý kiến góp ý, không phải nội dung "
           "văn bản đã duyệt: {text}")
HIDDEN_TEXT = ("Chữ ẩn (định dạng Hidden) trong tệp Word không được nhập: Word không hiện và không in chữ này: "
               "{text}; nếu cần đăng, hãy bỏ định dạng ẩn trong Word rồi nhập lại.")
_SPLIT_RE = re.compile(r"\s+|(?<=[.;])(?=\S)")


@dataclass
class Tally:
    """The count of words, from the Word file to the plan file."""

    words: int = 0  # every word of the file's text: document, notes, headers and footers, comments
    left_out: int = 0  # words knowingly not in the plan, and said: headers, footers, comments, labels
    lost: int = 0  # words of the file not in the plan
    doubled: int = 0  # words in the plan more often than in the file
    lost_words: Counter[str] = field(default_factory=Counter)  # (PDF) which words, and how often
    doubled_words: Counter[str] = field(default_factory=Counter)


def account(data: dict[str, Any], notes: Notes, source: list[SourceLine], added: Iterable[str] = ()) -> Tally:
    """Nothing lost, nothing doubled: every word of the Word file is in the plan exactly once, or knowingly
    left out and said (`source`, every line of the file's text, from source_text). A PDF is counted by
    `account_words`.

    The copies of a merged cell, given to every row and column it spans, are not counted twice; nor are
    the texts the reader added (`added`: numbering labels, note marks). Words are compared as multisets;
    the lines quoted in the messages are those whose words are missing (or extra).
    """
    expected: list[SourceLine] = []
    tally = Tally()
    for line in source:
        tally.words += sum(_words([line.text]).values())
        if line.part == "comments":
            who = f" của {line.author}" if line.author else ""
            notes.warn(COMMENT.format(who=who, text=quote(line.text)))
            tally.left_out += sum(_words([line.text]).values())
        elif line.part == "hidden":
            notes.warn(HIDDEN_TEXT.format(text=quote(line.text)))
            tally.left_out += sum(_words([line.text]).values())
        elif line.part in ("header", "footer"):
            notes.warn(PAGE_HEADER.format(text=quote(line.text)))
            tally.left_out += sum(_words([line.text]).values())
        else:
            expected.append(line)
    stored = [line.strip() for text in _strings(data) for line in text.split("\n") if line.strip()]
    # What the plan holds that is not a word of the file: copies of merged cells, labels added.
    own = _words(notes.copied) + _words(added)
    have = _words(stored)
    have.subtract(own)
    want = _words(line.text for line in expected)
    # A line knowingly not stored ("Nơi nhận:", a decoration, a repeated heading row, a line split in
    # two) excuses the words it holds that the plan lacks; it never makes the plan's words fewer.
    missing = want - have
    lost = missing - _words(notes.skipped)
    tally.left_out += sum(missing.values()) - sum(lost.values())
    tally.lost = sum(lost.values())
    doubled = have - want
    tally.doubled = sum(doubled.values())
    if tally.lost:
        names = {line.text: line.part for line in expected}
        for text in _unmatched([line.text for line in expected], have + _words(notes.skipped)):
            where = f" ({PART_NAMES[names[text]]})" if names[text] != "document" else ""
            notes.warn(LOST.format(where=where, text=quote(text)))
    if tally.doubled:
        for text in _unmatched(stored, want + own):
            notes.warn(DOUBLED.format(text=quote(text)))
    return tally


def account_words(data: dict[str, Any], source_words: list[str], notes: Notes) -> Tally:
    """Nothing lost, nothing doubled, word by word: every word of the PDF's text layer is in the plan
    (or knowingly left out: page numbers, running headers, labels) as many times as on the pages.

    A word the reader joined from pieces (broken at a cell's edge, or after a hyphen) counts as its
    pieces. The copies of a merged cell are not counted twice. The tally keeps the words lost and doubled.
    """
    stored: Counter[str] = Counter(w for text in _strings(data) for w in text.split())
    stored.update(w for text in notes.skipped for w in text.split())
    stored.subtract(w for text in notes.copied for w in text.split())
    source = Counter(source_words)
    left = Counter({w: n - min(n, stored[w]) for w, n in source.items()})
    extra = Counter({w: n - min(n, source[w]) for w, n in stored.items() if n > source[w]})
    doubled: Counter[str] = Counter()
    # Words joined from pieces first ("chuyê" + "n"), then words also found whole ("2023-" + "2024" beside
    # "2023-2024"): a piece is not taken for a word stored once too often.
    for word, count in sorted(extra.items(), key=lambda item: item[0] in source):
        for _ in range(count):
            pieces = _pieces(word, left)
            if pieces is not None:
                left.subtract(pieces)
            elif word in source:
                doubled[word] += 1
    lost = +left
    for word, count in lost.items():
        times = f" ({count} lần)" if count > 1 else ""
        notes.warn(f"Chữ trong tệp PDF chưa có trong tệp kế hoạch{times}: {quote(word)}; hãy chép vào chỗ đúng.")
    for word, count in doubled.items():
        notes.warn(f"Chữ xuất hiện nhiều lần hơn trong tệp kế hoạch so với tệp PDF ({count} lần thừa): {quote(word)}.")
    return Tally(words=len(source_words), left_out=sum(Counter(w for t in notes.skipped for w in t.split()).values()),
                 lost=sum(lost.values()), doubled=sum(doubled.values()), lost_words=lost, doubled_words=doubled)


def _pieces(word: str, available: Counter[str]) -> list[str] | None:
    """`word` as a sequence of the available source words (longest first), or None: also after 10,000 tries (a
    word of many short pieces, "aaaa…ab" beside "a" and "aa", has exponentially many splits); the word is then
    reported as not matched, never dropped. A search with its own stack (a word may have thousands of pieces);
    `available` is left as it was."""
    longest = max(map(len, available), default=0)
    taken: list[str] = []  # the pieces of the current split, one a depth
    starts, ends = [0], [min(len(word), longest)]  # each depth: where its piece starts, the next length to try
    tries = 10_000
    result = None
    while starts:
        start, end = starts[-1], ends[-1]
        if start == len(word):
            result = list(taken)
            break
        while end > 0 and available[word[start:start + end]] <= 0:
            end -= 1
        if end == 0:  # no piece here: back to the depth above, its piece given back
            starts.pop()
            ends.pop()
            if taken:
                available[taken.pop()] += 1
            continue
        tries -= 1
        if tries < 0:
            break
        head = word[start:start + end]
        ends[-1] = end - 1
        available[head] -= 1
        taken.append(head)
        starts.append(start + end)
        ends.append(min(len(word) - start - end, longest))
    for head in taken:
        available[head] += 1
    return result


def _words(lines: Iterable[str]) -> Counter[str]:
    """The words of the lines; a full stop or semicolon ends a word even without a space after it ("VT.HIỆU")."""
    return Counter(word for line in lines for word in _SPLIT_RE.split(line) if word)


def _unmatched(lines: list[str], available: Counter[str]) -> list[str]:
    """The lines whose words are not all in `available`: the lines wholly there take theirs first."""
    left = +available
    partial: list[str] = []
    for line in lines:
        need = _words([line])
        if all(left[word] >= count for word, count in need.items()):
            left -= need
        else:
            partial.append(line)
    out = []
    for line in partial:
        need = _words([line])
        if need - left:
            out.append(line)
        left -= need
    return out


def _strings(value: Any) -> list[str]:
    """The texts of the plan's data, derived values aside."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in DERIVED_KEYS for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def check_written(target: Path, school_file: Path, plans_dir: Path) -> list[tuple[bool, str]]:
    """The check's problems about the files just written: (is a warning, message)."""
    from ..reading import errors as E
    from ..reading.validate import load_site

    try:
        _, problems = load_site(plans_dir)
        warnings = problems
        errors: list = []
    except E.PlanErrors as failure:
        errors, warnings = failure.problems, failure.warnings
    root = plans_dir.parent
    ours = {target.resolve(), school_file.resolve(), school_file.parent.resolve()}

    def mine(problem: Any) -> bool:
        file = Path(str(problem.file))
        return (file if file.is_absolute() else root / file).resolve() in ours

    return [(False, str(p)) for p in errors if mine(p)] + [(True, str(p)) for p in warnings if mine(p)]
