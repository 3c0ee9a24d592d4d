"""User text is data, never markup: hostile text from a plan file shows literally and injects nothing."""

from __future__ import annotations

import io
import json
import unicodedata
from pathlib import Path

import pytest
from conftest import content, fold, new_project, run_cli, soup, write_files
from ruamel.yaml import YAML

EVIL = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "| cột a | cột b |",
    "*nghiêng* **đậm** _gạch_",
    "# Tiêu đề giả",
    "{{ config.site_name }} {% if true %}jinja{% endif %}",
    "Đoạn { onclick=alert(1) }",
    "--8<-- \"mkdocs.yml\"",
    "[bấm vào đây](javascript:alert(1))",
    "&lt;b&gt; thực thể &amp;",
    "dòng một\ndòng hai",
]
DECOMPOSED = unicodedata.normalize("NFD", "Trường Mầm non Hoa Sen Đồng Nai")


def dump(data) -> str:
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def evil_plan() -> dict:
    joined = "\n".join(EVIL)
    return {
        "period": {"from": "2023-2024", "to": "2024-2025"},
        "header": {"managing_body": EVIL[0], "school": EVIL[1], "number": EVIL[2], "national_name": EVIL[3],
                   "motto": EVIL[4], "place_date": "Quận 1, ngày 2 tháng 9 năm 2023 " + EVIL[5]},
        "title": EVIL,
        "preamble": EVIL,
        "sections": [
            {"heading": EVIL[4], "content": EVIL + [{"heading": EVIL[0]}]},
            {"heading": "III. Bảng " + EVIL[2], "table": True},
        ],
        "table": {
            "columns": {"index": EVIL[0], "criterion": EVIL[3], "measures": EVIL[5], "timeline": EVIL[10],
                        "budget": EVIL[8]},
            "levels": [{"heading": EVIL[4], "standards": [{
                "index": EVIL[6], "heading": "Tiêu chuẩn 1: " + EVIL[2],
                "criteria": [{
                    "code": "1.1", "criterion": EVIL, "index": EVIL[7], "measures": EVIL, "budget": EVIL[8],
                    "timeline": joined, "years": [{"school_year": "2024-2025", "measures": EVIL, "timeline": EVIL[9]}],
                }],
            }]}],
        },
        "closing": EVIL,
        "recipients": EVIL,
        "signer": {"position": EVIL[0], "note": EVIL[5], "name": EVIL[7]},
    }


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory) -> Path:
    project = new_project(tmp_path_factory.mktemp("evil") / "project")
    school = {"name": "Trường <b>Mầm non</b> *A* {{ x }} " + DECOMPOSED, "level": "preschool",
              "managing_body": EVIL[1], "place": {"as_written": EVIL[2], "province": EVIL[3]}}
    write_files(project, {"plans/mn-a/school.yml": dump(school), "plans/mn-a/2023-2025.yml": dump(evil_plan())})
    result = run_cli("build", "-d", "site", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


PAGES = [
    "truong/mn-a/ke-hoach-2023-2025/index.html",
    "truong/mn-a/2024-2025/index.html",
    "truong/mn-a/index.html",
    "tieu-chi/tt19-2018/1-1/index.html",
    "index.html",
    "truong/index.html",
    "nam-hoc/2024-2025/index.html",
]


@pytest.mark.parametrize("page", PAGES)
def test_hostile_text_injects_nothing(evil_site: Path, page: str) -> None:
    html = soup(evil_site / page)
    # No element or attribute came from plan text.
    # Plan text may stand inside the JSON-LD data block (as JSON, tested in test_share.py), never in code.
    assert not [s for s in html.find_all("script") if "alert" in s.get_text() and s.get("type") != "application/ld+json"]
    for data in html.find_all("script", attrs={"type": "application/ld+json"}):
        json.loads(data.string)
    assert not html.find_all("img", src="x")
    assert not html.select("[onclick], [onerror]")
    assert not html.select("a[href^='javascript']")
    main = content(evil_site / page)
    assert not main.find_all(["em", "h1"], string=lambda s: s and ("nghiêng" in s or "Tiêu đề giả" in s))
    assert not main.select("b")
    raw = (evil_site / page).read_text(encoding="utf-8")
    assert "<script>alert" not in raw and "<b>Mầm non</b>" not in raw


def test_hostile_text_appears_literally(evil_site: Path) -> None:
    plan = content(evil_site / "truong/mn-a/ke-hoach-2023-2025/index.html")
    text = fold(plan.get_text(" "))
    for item in EVIL:
        assert fold(item) in text, item
    # A line break inside a text stays a line break, not a new paragraph or list.
    assert plan.find("p", string=None, recursive=True) is not None
    assert any(br.previous_sibling and "dòng một" in str(br.previous_sibling) for br in plan.find_all("br"))
    # The page title and the browser title carry the school name as text.
    page = soup(evil_site / "truong/mn-a/index.html")
    assert "Trường <b>Mầm non</b> *A* {{ x }}" in page.title.get_text()
    assert fold(content(evil_site / "truong/mn-a/index.html").h1.get_text()).startswith("Trường <b>Mầm non</b> *A* {{ x }}")


def test_decomposed_input_is_published_as_nfc(evil_site: Path) -> None:
    raw = (evil_site / "truong/mn-a/index.html").read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", DECOMPOSED) in raw
    assert DECOMPOSED not in raw


def search_fragments(site: Path) -> list[dict]:
    """The search records as the browser receives them (Pagefind fragments: gzip, a tag, JSON)."""
    import gzip

    out = []
    for file in (site / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(file.read_bytes())
        out.append(json.loads(data[data.index(b"{"):]))
    return out


def test_search_data_carries_text_as_data(evil_site: Path) -> None:
    fragments = search_fragments(evil_site)
    assert fragments
    rows = json.loads((evil_site / "search" / "mn-a" / "2023-2025.json").read_text(encoding="utf-8"))
    texts = "\n".join(row["t"] + "\n" + row["x"] for row in rows)
    # The hostile text is kept as plain text (the browser sets it with textContent), not as markup.
    assert "<script>alert('x')</script>" in texts and "{{ config.site_name }}" in texts
    assert "&lt;script" not in texts
    assert all("<" not in f["content"] for f in fragments)  # the indexed words are folded words only
