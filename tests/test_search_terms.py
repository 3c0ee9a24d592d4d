"""What the search index understands beside the words (qip_site/outputs/search.py): the dictionary
of school life, amounts of money, months and districts, as hidden terms the browser's query
reading (qip-search.js) produces too. The browser side is tested in test_search.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qip_site.outputs.search import (
    DICTIONARY,
    date_terms,
    dictionary,
    fold,
    hidden_terms,
    money_terms,
    place_terms,
)


@pytest.mark.parametrize("text, terms", [
    ("300.000.000 đồng", ["vnd300000000"]),
    ("300 triệu", ["vnd300000000"]),
    ("300tr", ["vnd300000000"]),
    ("1,5 tỷ", ["vnd1500000000"]),
    ("75.000.000 đ từ quỹ CMHS", ["vnd75000000"]),
    ("7.000.000", ["vnd7000000"]),
    ("500k", ["vnd500000"]),
    ("Tiêu chí 3.4, năm 2024, 35 học sinh", []),
    # Amounts in words, "củ" for triệu, bare and comma-grouped digits; a telephone number is no amount.
    ("năm triệu", ["vnd5000000"]),
    ("ba trăm triệu", ["vnd300000000"]),
    ("năm mươi triệu", ["vnd50000000"]),
    ("mười củ", ["vnd10000000"]),
    ("5 củ", ["vnd5000000"]),
    ("5000000", ["vnd5000000"]),
    ("5,000,000", ["vnd5000000"]),
    ("gọi 0912345678", []),
    ("năm học 2024-2025, trăm học sinh", []),
    # Numbers in words under a thousand: tens and units, "lăm" for five, "linh" before a unit.
    ("bảy mươi lăm triệu", ["vnd75000000"]),
    ("hai trăm năm mươi triệu", ["vnd250000000"]),
    ("một trăm linh năm nghìn", ["vnd105000"]),
    ("một hai triệu", []),
])
def test_money_in_dong(text: str, terms: list[str]) -> None:
    assert money_terms(fold(text)) == terms


@pytest.mark.parametrize("text, terms", [
    ("ngày 6 tháng 9 năm 2022", ["ym202209"]),
    ("tháng 9/2024", ["ym202409"]),
    ("thang 9 2024", ["ym202409"]),
    ("T9/2025 - T5/2026, T9/2025", ["ym202509", "ym202605"]),
    ("ngày 12/7/2023", ["ym202307"]),
    ("09/2024", ["ym202409"]),
    ("Thông tư 19/2018/TT-BGDĐT, năm học 2023-2024", []),
    # A range of months gives both.
    ("T8-T9/2025", ["ym202508", "ym202509"]),
    ("tháng 8-9/2025", ["ym202508", "ym202509"]),
])
def test_months(text: str, terms: list[str]) -> None:
    assert sorted(date_terms(fold(text))) == terms  # a set of months: their order means nothing


def test_final_y_after_a_consonant_is_i() -> None:
    """Plans and parents write "kỳ" and "kì", "lý" and "lí", "quy" and "qui": one word each."""
    assert fold("định kỳ, quản lý, quy chế, Mỹ") == fold("định kì, quản lí, qui chế, Mi") == "dinh ki, quan li, qui che, mi"
    # Not where y is not the syllable's last vowel after a consonant.
    assert fold("Thủy Tiên, yêu thương, Duy") == "thuy tien, yeu thuong, duy"


def test_districts() -> None:
    assert place_terms(fold("Quận 5, Q.5, Q5, Q10, phường 3, P.3")) == ["quan5"] * 3 + ["quan10", "phuong3", "phuong3"]


def test_dictionary_concepts_and_abbreviations() -> None:
    concepts = {c.id: c for c in dictionary()}
    assert len(concepts) >= 50
    assert ("phhs",) in concepts["phuhuynh"].phrases and ("cha", "me", "hoc", "sinh") in concepts["phuhuynh"].phrases
    # Every concept says why its words go together.
    import yaml
    for entry in yaml.safe_load(DICTIONARY.read_text(encoding="utf-8"))["concepts"]:
        assert entry.get("source"), entry["id"]
    # The same words mean the same concept, however the plan writes them.
    assert hidden_terms(["khu vui chơi"]) == hidden_terms(["Sân chơi"]) == ["zksanchoi"]
    assert "zkcsvc" in hidden_terms(["Ban CSVC"]) and "zkcsvc" in hidden_terms(["cơ sở vật chất"])


def test_dictionary_refuses_a_phrase_in_two_concepts(tmp_path: Path) -> None:
    bad = tmp_path / "d.yml"
    bad.write_text("concepts:\n  - {id: a, words: [sân chơi], source: x}\n  - {id: b, words: [San choi], source: y}\n",
                   encoding="utf-8")
    with pytest.raises(ValueError, match="“San choi” có ở cả “a” và “b”"):
        dictionary.__wrapped__(bad)


def test_the_site_ships_the_dictionary_and_the_vocabulary(seed_site: Path) -> None:
    words = json.loads((seed_site / "qip-search.json").read_text(encoding="utf-8"))
    assert ["zksanchoi", "san choi", "khu vui choi"] == words["concepts"][[c[0] for c in words["concepts"]].index("zksanchoi")][:3]
    assert words["end"] == "q" and words["n"] == 10
    # Typos are corrected against the site's own words, fetched by their first two letters.
    assert "vien" in json.loads((seed_site / "search-words" / "vi.json").read_text(encoding="utf-8")).split()
    # The rows' text, which results show, is the plan's: no hidden term is in it.
    rows = (seed_site / "search" / "th-le-dinh-chinh" / "2023-2024.json").read_text(encoding="utf-8")
    assert "zk" not in rows and "vnd" not in rows


def rows_files_hold_every_plan(site: Path, plans: Path) -> None:
    """One rows file per plan of `plans` (the source folder), in a folder per school, holding the
    document's text, then one entry per row of the plan page's table, linking to it."""
    from bs4 import BeautifulSoup

    schools = sorted(p.name for p in plans.iterdir() if (p / "school.yml").is_file())
    assert sorted(p.name for p in (site / "search").iterdir()) == schools
    for school in schools:
        files = sorted(p.stem for p in (site / "search" / school).iterdir())
        assert files == sorted(p.stem for p in (plans / school).glob("20*.yml")), school
        for plan in files:
            blocks = json.loads((site / "search" / school / f"{plan}.json").read_text(encoding="utf-8"))
            page = BeautifulSoup((site / "truong" / school / f"ke-hoach-{plan}" / "index.html").read_text(
                encoding="utf-8"), "html.parser")
            assert blocks[0]["a"] == "" and blocks[0]["x"]  # the document's own text
            assert [b["a"] for b in blocks[1:]] == [tr["id"] for tr in page.select("tr.qip-row")], (school, plan)
            assert all(b["x"] or b["t"] for b in blocks[1:])


def test_one_rows_file_per_plan(seed_site: Path) -> None:
    rows_files_hold_every_plan(seed_site, Path(__file__).parents[1] / "plans")
