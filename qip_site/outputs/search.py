"""Search records: what a parent can find, each indexed once, accent-folded, with filters.

The site's HTML pages are not indexed: the same plan text stands on plan, school-year and
criterion pages, and indexing it three times would triple what a phone downloads. Instead each
school and each plan becomes one record:

- `content` is the record's text folded (no diacritics, đ → d, lower case) with every word once.
  Pagefind does not fold đ (it has no Unicode decomposition), and the index chunks of the query's
  words are what a first search downloads: one position per word and record keeps them small.
- `rows_file(...)` holds the real, accented text of each row (in a file beside the index, since
  Pagefind would index it as meta) so the browser shows a snippet of what the document says,
  with the match highlighted, and links to the exact row. One file per plan, not per school: a
  school's file saved 0.8 files a plan (issue 15) but made the first search download each result's
  whole school (206 KB instead of 148 at 1,000 plans, 250 instead of 190 at 5,000: over 200 KB).

Beside the text, each record carries hidden terms (`hidden_terms`): one per concept of the
dictionary of school life the text mentions (`search_dictionary.yml`: "sân chơi" and "khu vui
chơi" give the same term), each money amount in đồng ("300 triệu" and "300.000.000 đ" give
`vnd300000000`), each month of a date (`ym202409`) and each "quận 5"/"Q.5" (`quan5`). The browser
rewrites a query the same way (qip-search.js), so one small term finds every way of writing it;
snippets still come from the real text, so nothing is shown that the plan does not say.

Every indexed word ends with `END` ("nha" is stored as "nhaq"): Pagefind matches a query word as
a prefix of the indexed words, and "nha" would otherwise match "nhan", "nhanh", "nhat"…; the
browser adds `END` to a finished word to match it whole, and leaves it off the word being typed.

This module is plain data in, plain data out; `write_index` hands the records to Pagefind.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from ..domain.model import Plan, School, Site, TableRow, joined
from ..reading import names
from ..reading.schema import CELL_FIELDS
from ..site import urls
from .reproducible import stable_pagefind

_WORD_RE = re.compile(r"\w+")

# Filter names, as the search box shows them.
F_YEAR = "Năm học"
F_LEVEL = "Cấp học"
F_PROVINCE = "Tỉnh/thành phố"
F_COMMUNE = "Xã/phường"
F_DISTRICT = "Địa danh trong văn bản"
F_STANDARD = "Tiêu chuẩn"


# A final y after a consonant is written i: plans and parents write "kỳ" and "kì", "quy" and "qui",
# "lý" and "lí", "Mỹ" and "Mi" (qip-search.js, FINAL_Y, the same).
_FINAL_Y_RE = re.compile(r"(?<![a-z0-9])(ngh|ng|nh|ch|gh|kh|ph|th|tr|qu|[bcdghklmnprstvx])y(?![a-z0-9])")


def fold(text: str) -> str:
    """How both the index and the queries are written (the browser folds the same way):
    `names.fold`, then "ky" as "ki"."""
    return _FINAL_Y_RE.sub(r"\1i", names.fold(text))


def folded_words(texts: list[str]) -> str:
    """Each folded word once, in order of first appearance, then the hidden terms."""
    folded = [fold(text) for text in texts]
    words = [_WORD_RE.findall(text) for text in folded]
    seen = dict.fromkeys(word for each in words for word in each)
    for term in _hidden_terms(folded, words):
        seen.setdefault(term, None)
    return " ".join(seen)


# --- Hidden terms: the same regular expressions as qip-search.js (MONEY_RE, DATE_RES, PLACE_RE) ---

END = "q"  # ends every indexed word (see the module's docstring)
DICTIONARY = Path(__file__).with_name("search_dictionary.yml")
_MONEY_RE = re.compile(r"(?<![\w.,])(\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3}){2,}|\d+)(?:[.,](\d{1,3}))?\s*"
                       r"(trieu|tr|cu|ty|ti|nghin|ngan|k|dong|d|vnd)?(?!\w)")
_TIMES = {"trieu": 10**6, "tr": 10**6, "cu": 10**6, "ty": 10**9, "ti": 10**9, "nghin": 1000, "ngan": 1000, "k": 1000}
# "năm triệu", "ba trăm triệu", "mười củ", "bảy mươi lăm triệu", "hai trăm năm mươi triệu": a number
# in words, under a thousand (at most seven words: "chín trăm chín mươi chín"), before its unit (number_in_words()).
# Bounded, so that a long run of number words with no unit is read in one pass, not once per word.
_MONEY_WORDS_RE = re.compile(r"(?<![a-z0-9])((?:mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi)"
                             r"(?:\s+(?:mot|hai|ba|bon|tu|nam|lam|sau|bay|tam|chin|muoi|tram|linh|le)){0,6})\s+"
                             r"(trieu|cu|ty|ti|nghin|ngan)(?![a-z0-9])")
_NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5, "sau": 6, "bay": 7, "tam": 8,
                 "chin": 9}


def number_in_words(words: list[str]) -> int | None:
    """["bay", "muoi", "lam"] -> 75; None when the words do not make one number."""
    total = 0
    digit: int | None = None
    for word in words:
        if word in ("muoi", "tram"):
            total += (1 if digit is None else digit) * (10 if word == "muoi" else 100)
            digit = None
        elif word in ("linh", "le"):
            continue
        elif digit is not None:
            return None
        else:
            digit = _NUMBER_WORDS[word]
    return total + (digit or 0)
# Spaces are matched possessively (\s*+, \s++): a long run of them is never split two ways and tried again.
_DATE_RES = [
    re.compile(r"(?<!\w)thang\s*+(\d{1,2})\s*+(?:nam|[/.\-])?\s*+(\d{4})(?!\d)"),
    re.compile(r"(?<![\w/.\-])t(\d{1,2})(?:\s*+[/.\-]\s*+|\s++)(\d{4})(?!\d)"),
    re.compile(r"(?<![\w/.\-])(?:\d{1,2}[/.\-])?(\d{1,2})[/.\-](\d{4})(?!\d)"),
    # A range of months, "T8-T9/2025": its first month, then its second.
    re.compile(r"(?<![\w/.\-])(?:thang|t)\s*+(\d{1,2})\s*+[\-–]\s*+(?:thang|t)?\s*+\d{1,2}\s*+[/.\-]\s*+(\d{4})(?!\d)"),
    re.compile(r"(?<![\w/.\-])(?:thang|t)\s*+\d{1,2}\s*+[\-–]\s*+(?:thang|t)?\s*+(\d{1,2})\s*+[/.\-]\s*+(\d{4})(?!\d)"),
]
_PLACE_RE = re.compile(r"(?<!\w)(quan|q|phuong|p)\s*+\.?\s*+(\d{1,2})(?!\w)")


def money_terms(folded: str) -> list[str]:
    """"300 trieu", "300tr", "300.000.000 d" -> ["vnd300000000"]: amounts in đồng."""
    out = []
    for m in _MONEY_RE.finditer(folded):
        digits, decimals, unit = m.group(1), m.group(2), m.group(3)
        times = _TIMES.get(unit or "", 1)
        whole = re.sub(r"[.,]", "", digits)
        if (decimals and times == 1) or len(whole.lstrip("0")) > 15:
            continue  # no sum a plan states (and past Python's digits for a number)
        value = int(Decimal(whole + "." + (decimals or "0")) * times)
        grouped = len(re.findall(r"[.,]", digits)) >= 2
        # "5000000" is an amount too: six digits or more, not a telephone number ("09…").
        plain = len(digits) >= 6 and digits[0] != "0"
        if times > 1 or grouped or plain or (unit and value >= 1000):
            out.append(f"vnd{value}")
    for m in _MONEY_WORDS_RE.finditer(folded):
        number = number_in_words(m.group(1).split())
        if number:
            out.append(f"vnd{number * _TIMES[m.group(2)]}")
    return out


def date_terms(folded: str) -> list[str]:
    """"thang 9 2024", "T9/2024", "09/2024", "ngày 5/9/2024" -> ["ym202409"]."""
    out: dict[str, None] = {}
    for pattern in _DATE_RES:
        for m in pattern.finditer(folded):
            month, year = int(m.group(1)), int(m.group(2))
            if 1 <= month <= 12 and 1900 <= year <= 2099:
                out.setdefault(f"ym{year}{month:02d}", None)
    return list(out)


def place_terms(folded: str) -> list[str]:
    """"quan 5", "Q.5", "Q5" -> ["quan5"]; "phuong 3", "P.3" -> ["phuong3"]."""
    return [("quan" if m.group(1) in ("quan", "q") else "phuong") + str(int(m.group(2)))
            for m in _PLACE_RE.finditer(folded)]


@dataclass(frozen=True)
class Concept:
    id: str
    phrases: tuple[tuple[str, ...], ...]  # folded words of each way of saying it, the usual one first

    @property
    def term(self) -> str:
        return "zk" + self.id


@cache
def dictionary(path: Path = DICTIONARY) -> tuple[Concept, ...]:
    """The dictionary of school life, checked: ids of letters and digits, no phrase in two concepts."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    concepts = []
    owner: dict[tuple[str, ...], str] = {}
    for entry in data["concepts"]:
        cid = str(entry["id"])
        if not re.fullmatch(r"[a-z0-9]+", cid):
            raise ValueError(f"Từ điển tìm kiếm: id “{cid}” chỉ được có chữ thường không dấu và số")
        phrases: list[tuple[str, ...]] = []
        for said in [*entry["words"], *(entry.get("abbr") or [])]:
            words = tuple(_WORD_RE.findall(fold(str(said))))
            if words in owner and owner[words] != cid:
                raise ValueError(f"Từ điển tìm kiếm: “{said}” có ở cả “{owner[words]}” và “{cid}”")
            if words and words not in phrases:
                owner[words] = cid
                phrases.append(words)
        concepts.append(Concept(cid, tuple(phrases)))
    return tuple(concepts)


@cache
def _phrase_index() -> dict[str, list[tuple[tuple[str, ...], Concept]]]:
    index: dict[str, list[tuple[tuple[str, ...], Concept]]] = {}
    for concept in dictionary():
        for phrase in concept.phrases:
            index.setdefault(phrase[0], []).append((phrase, concept))
    return index


def concept_terms(words: list[str]) -> list[str]:
    """The concepts a sequence of folded words mentions, as their terms ("zksanchoi")."""
    index = _phrase_index()
    out = []
    for i, word in enumerate(words):
        for phrase, concept in index.get(word, ()):
            if tuple(words[i:i + len(phrase)]) == phrase:
                out.append(concept.term)
    return out


def hidden_terms(texts: list[str]) -> list[str]:
    """What a text means besides its words: concepts, amounts of money, months, districts."""
    folded = [fold(text) for text in texts]
    return _hidden_terms(folded, [_WORD_RE.findall(text) for text in folded])


def _hidden_terms(folded: list[str], words: list[list[str]]) -> list[str]:
    """`hidden_terms` of texts already folded and split into words."""
    out: dict[str, None] = {}
    for text, its_words in zip(folded, words):
        for term in (*concept_terms(its_words), *money_terms(text), *date_terms(text), *place_terms(text)):
            out.setdefault(term, None)
    return list(out)


def browser_dictionary() -> list[list[str]]:
    """The dictionary as qip-search.js reads it: [term, usual phrase, other phrases…], folded."""
    return [[c.term, *(" ".join(p) for p in c.phrases)] for c in dictionary()]


@dataclass
class Record:
    url: str  # site-relative, no leading slash: "truong/mn-thuy-tien/ke-hoach-2022-2027/#tieu-chi-1-3"
    title: str
    texts: list[str]  # the real text that can be found
    meta: dict[str, str] = field(default_factory=dict)
    filters: dict[str, list[str]] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)  # what Pagefind indexes: folded, each once
    # The real text of a plan's rows, for snippets. Not in `meta`: Pagefind indexes every meta
    # value, and this text would more than double what a search downloads. It is written to
    # `search/<school>/<plan>.json` instead and fetched for the results shown.
    rows: list[dict] | None = None

    def __post_init__(self) -> None:
        self.words = self.words or folded_words(self.texts).split()

    @property
    def content(self) -> str:
        return " ".join(self.words)


def records(site: Site) -> list[Record]:
    out = []
    for school in site.schools:
        out.append(school_record(school))
        out.extend(plan_record(plan) for plan in school.plans)
    return order_words(out)


def order_words(site_records: list[Record]) -> list[Record]:
    """List each record's words from the most frequent on the site to the rarest.

    Positions inside a record mean nothing here (snippets come from `meta`), but Pagefind stores
    one for every word of every record. In this order a frequent word stands near the start of
    every record: its positions are small numbers, the same from record to record, and the index
    chunks a phone downloads shrink by about half once gzipped.
    """
    counts: dict[str, int] = {}
    for record in site_records:
        for word in record.words:
            counts[word] = counts.get(word, 0) + 1
    for record in site_records:
        record.words = sorted(record.words, key=lambda w: (-counts[w], w))
    return site_records


def _place_filters(school: School) -> dict[str, list[str]]:
    place = school.place
    filters = {F_LEVEL: [school.level.label]}
    for name, value in ((F_PROVINCE, place.province), (F_COMMUNE, place.commune), (F_DISTRICT, place.as_written)):
        if value:
            filters[name] = [value]
    return filters


def _place(school: School) -> str:
    place = school.place
    return ", ".join(p for p in (place.commune, place.as_written, place.province) if p)


def school_record(school: School) -> Record:
    place = school.place
    texts = [school.name, school.level.label] + [t for t in (school.managing_body, place.as_written,
                                                               place.province, place.commune) if t]
    years = school.years
    return Record(
        url=urls.school(school.slug),
        title=school.name,
        texts=texts,
        meta={"kind": "school", "school": school.name, "place": _place(school), "level": school.level.label,
              "years": f"{years[0]} đến {years[-1]}" if years else ""},
        filters={**_place_filters(school), F_YEAR: [y.label for y in years]},
    )


def _plan_meta(plan: Plan) -> dict[str, str]:
    return {
        "kind": "plan", "school": plan.school.name, "place": _place(plan.school), "level": plan.school.level.label,
        "plan": plan.slug, "school_slug": plan.school.slug,
        "years": plan.period.span,
    }


def _document_block(plan: Plan) -> dict:
    """The plan's free text: header, title, sections, closing, recipients and signer."""
    d = plan.data
    header = [t for t in (d.header.managing_body, d.header.school, d.header.number, d.header.place_date) if t]
    sections = [p for s in d.sections for p in [s.heading] + [c if isinstance(c, str) else c.heading for c in s.content]]
    signer = [t for t in (d.signer.position, d.signer.name) if t]
    texts = header + list(d.title) + list(d.preamble) + sections + list(d.closing) + list(d.recipients) + signer
    return {"a": "", "t": joined(d.title), "y": [], "s": None, "x": "\n".join(texts)}


def _row_block(plan: Plan, row: TableRow) -> dict:
    """One row's real text, where it is, its standard and the school years it falls in."""
    title = row.title or ""
    if row.criterion is not None and not row.states_catalogue_title:
        title += f" ({row.criterion.title})"
    if row.standard is not None:
        title = f"{row.standard.heading} › {title}"
    texts = [p for name in CELL_FIELDS if name not in ("index", "criterion", "area") for p in row.cells(name)]
    years = sorted({i.school_year.label for i in row.row.years}) if row.row.years else [y.label for y in plan.period.years]
    return {"a": row.anchor, "t": title, "y": years, "s": row.standard_number, "x": "\n".join(texts)}


def plan_record(plan: Plan) -> Record:
    """One record per plan: the browser picks the row that answers the query (qip-search.js).

    Finer records (one per standard) would make every common word's postings and Pagefind's
    page list several times longer, and those are what a phone downloads before the first result.
    """
    blocks = [_document_block(plan)] + [_row_block(plan, row) for row in plan.rows()]
    filters = {**_place_filters(plan.school), F_YEAR: [y.label for y in plan.period.years]}
    standards = sorted({b["s"] for b in blocks if b["s"] is not None})
    if standards:
        filters[F_STANDARD] = [f"Tiêu chuẩn {n}" for n in standards]
    return Record(
        url=urls.plan(plan.school.slug, plan.slug),
        title=f"{plan.school.name}: {plan.title}",
        texts=[plan.school.name] + [b["t"] + "\n" + b["x"] for b in blocks],
        meta=_plan_meta(plan),
        filters=filters,
        rows=blocks,
    )


# Pagefind downloads one index chunk (about 20,000 postings) for each word of a query, whatever
# the word. A long query sends only its rarest words (qip-search.js, SEARCHED_WORDS) and uses the
# others to choose and highlight snippets; the browser learns which words are frequent from this
# list, most frequent first.
FREQUENT_WORDS = 3000


def frequent_words(site_records: list[Record]) -> list[str]:
    counts: dict[str, int] = {}
    for record in site_records:
        for word in record.content.split():
            counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [word for word, count in ranked[:FREQUENT_WORDS] if count > 1]


class PagefindService:
    """A minimal client of `pagefind --service` (the binary shipped by the pagefind-bin wheel).

    Pagefind's own Python wrapper polls for each reply after a 0.1 s sleep, which makes a
    thousand-plan site take minutes; this client streams the requests and reads the replies as
    they come. Protocol: base64 of a JSON message, then a comma, each way.
    """

    def __init__(self) -> None:
        from pagefind_bin import get_executable  # imported here: the core needs no Pagefind

        self.process = subprocess.Popen([str(get_executable()), "--service"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE)
        self.replies: dict[int | None, dict] = {}
        self.changed = threading.Condition()
        self.last_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        pending = b""
        assert self.process.stdout is not None
        while chunk := self.process.stdout.read1(1 << 16):
            pending += chunk
            *messages, pending = pending.split(b",")
            for message in messages:
                reply = json.loads(base64.b64decode(message))
                if reply is None:
                    continue
                key = reply.get("message_id")
                if key is None and (original := reply.get("payload", {}).get("original_message")):
                    key = json.loads(original).get("message_id")
                with self.changed:
                    self.replies[key] = reply["payload"]
                    self.changed.notify_all()
        with self.changed:
            self.replies[None] = {"type": "Error", "message": "pagefind stopped"}
            self.changed.notify_all()

    def send(self, payload: dict) -> int:
        self.last_id += 1
        message = {"message_id": self.last_id, "payload": payload}
        assert self.process.stdin is not None
        self.process.stdin.write(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
        return self.last_id

    def reply(self, message_id: int) -> dict:
        assert self.process.stdin is not None
        self.process.stdin.flush()
        with self.changed:
            self.changed.wait_for(lambda: message_id in self.replies or None in self.replies, timeout=600)
            payload = self.replies.pop(message_id, None) or self.replies.get(None) or {"type": "Error"}
        if payload.get("type") == "Error":
            raise RuntimeError(f"Pagefind: {payload.get('message', payload)}")
        return payload

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=60)


def rows_file(school_slug: str, plan_slug: str) -> str:
    """Where a plan's row texts are, relative to the site; qip-search.js (engine's rowsOf) builds the same path."""
    return f"search/{school_slug}/{plan_slug}.json"


# Pagefind's ready-made search interfaces: the site has its own (qip-search.js reads pagefind.js).
UNUSED_BUNDLE_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                       "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


def _wait_for_bundle(entry: Path, seconds: float = 60) -> None:
    """Pagefind may answer WriteFiles before its last files are written (seen on a loaded machine:
    an empty pagefind-modular-ui.css, a half-written entry file), and stopping it then cuts them
    short. Wait until the entry file is whole JSON and every file of the bundle is non-empty and
    has kept its size for a moment, before reading the bundle or stopping Pagefind."""
    deadline = time.monotonic() + seconds
    before: dict[Path, int] | None = None
    while True:
        try:
            json.loads(entry.read_text(encoding="utf-8"))
            sizes = {path: path.stat().st_size for path in entry.parent.rglob("*") if path.is_file()}
            if sizes == before and all(sizes.values()):
                return
            before = sizes
        except (OSError, ValueError):
            before = None
        if time.monotonic() > deadline:
            raise RuntimeError("Pagefind: the bundle was not written whole") from None
        time.sleep(0.1)


VOCABULARY_DIR = "search-words"


def vocabulary(site_records: list[Record]) -> dict[str, list[str]]:
    """The words of the site a typo can be corrected to, by their first two letters, most used
    first: qip-search.js fetches the one file of a word it does not know (`search-words/ng.json`)."""
    counts: dict[str, int] = {}
    for record in site_records:
        seen = {word for text in record.texts for word in _WORD_RE.findall(fold(text))}
        for word in seen:
            if len(word) >= 3 and word.isalpha() and word.isascii():
                counts[word] = counts.get(word, 0) + 1
    out: dict[str, list[str]] = {}
    for word, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        out.setdefault(word[:2], []).append(word)
    return out


def write_index(site_records: list[Record], site_dir: Path) -> None:
    """Write the Pagefind bundle into `site_dir/pagefind/`, and beside it what the browser needs
    to read a query: the frequent words, the dictionary of school life, the vocabulary."""
    site_dir.mkdir(parents=True, exist_ok=True)
    words = {"n": len(site_records), "end": END, "frequent": frequent_words(site_records),
             "concepts": browser_dictionary()}
    (site_dir / "qip-search.json").write_text(json.dumps(words, separators=(",", ":")), encoding="utf-8")
    for prefix, listed in vocabulary(site_records).items():
        file = site_dir / VOCABULARY_DIR / f"{prefix}.json"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(json.dumps(" ".join(listed)), encoding="utf-8")
    for record in site_records:
        if record.rows is not None:
            file = site_dir / rows_file(record.meta["school_slug"], record.meta["plan"])
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(json.dumps(record.rows, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    service = PagefindService()
    try:
        index = service.reply(service.send({"type": "NewIndex", "config": {"force_language": "vi"}}))["index_id"]
        sent = [
            service.send({
                "type": "AddRecord", "index_id": index, "url": record.url,
                "content": " ".join(word + END for word in record.words),
                "language": "vi", "meta": {"title": record.title, **record.meta}, "filters": record.filters,
                "sort": None,
            })
            for record in site_records
        ]
        for message_id in sent:
            service.reply(message_id)
        service.reply(service.send({"type": "WriteFiles", "index_id": index,
                                    "output_path": str(site_dir / "pagefind")}))
        _wait_for_bundle(site_dir / "pagefind" / "pagefind-entry.json")
    finally:
        service.close()
    for name in UNUSED_BUNDLE_FILES:
        (site_dir / "pagefind" / name).unlink(missing_ok=True)
    # Pagefind writes its filter indexes in a random order; same plans, same bytes (reproducible.py).
    stable_pagefind(site_dir / "pagefind")
