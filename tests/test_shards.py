"""Beyond a province: three sites built separately (shards) and the national hub that searches them.

Each shard is a demo site built on its own, as a CI job per province would; the hub (`qip-site hub`)
is served from the same parent folder and searched in Chromium, as a parent would.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, new_project, run_cli
from test_browser import served

pytestmark = pytest.mark.browser

HOSTILE = "Trường Mầm non <img src=x onerror=\"document.title='hỏng'\"> Ngọc Lan"
PHRASE = "Trang bị kính thiên văn Kepler cho góc khám phá."  # a row of shards Hà Nội and Đà Nẵng only
# folder, province, seed, school names (demo writes mau-mn-1 and mau-th-2), rows given PHRASE
SHARDS = [
    ("ha-noi", "Hà Nội", 1, ["Trường Mầm non Hoa Sen", "Trường Tiểu học Bình Minh"], True),
    ("da-nang", "Đà Nẵng", 2, ["Trường Mầm non Sao Mai", "Trường Tiểu học Bạch Đằng"], True),
    ("can-tho", "Cần Thơ", 3, [HOSTILE, "Trường Tiểu học Hương Giang"], False),
]


def _shard_plans(plans: Path, seed: int, names: list[str], phrase: bool) -> None:
    result = run_cli("demo", "--schools", "2", "--years", "2", "--seed", str(seed), "--out", str(plans), cwd=REPO)
    assert result.returncode == 0, result.stderr
    for folder, name in zip(["mau-mn-1", "mau-th-2"], names):
        school = plans / folder / "school.yml"
        lines = school.read_text(encoding="utf-8").splitlines()
        lines = ["name: " + json.dumps(name, ensure_ascii=False) if line.startswith("name: ") else line for line in lines]
        school.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if phrase:
        plan = plans / "mau-mn-1" / "2024-2025.yml"
        text = plan.read_text(encoding="utf-8")
        changed = re.sub(r"(?m)^(\s*measures:\n\s*- )", lambda m: m.group(1) + PHRASE + " ", text, count=1)
        assert changed != text
        plan.write_text(changed, encoding="utf-8")


@pytest.fixture(scope="module")
def web(tmp_path_factory) -> Path:
    """The parent folder: three shard sites and the hub, each in its own folder, as one host would serve them."""
    root = tmp_path_factory.mktemp("shards")
    web = root / "web"
    for folder, _, seed, names, phrase in SHARDS:
        project = new_project(root / f"project-{folder}")
        _shard_plans(project / "plans", seed, names, phrase)
        # Separate builds, each of its own repository, as separate CI jobs would run them.
        built = run_cli("build", "-d", str(web / folder), cwd=project)
        assert built.returncode == 0, built.stdout + built.stderr
    args = [arg for folder, name, *_ in SHARDS for arg in ("--shard", f"{name}=../{folder}/")]
    result = run_cli("hub", *args, "--out", str(web / "toan-quoc"), cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "3 tỉnh, thành phố" in result.stdout
    return web


@pytest.fixture(scope="module")
def hub(web: Path):
    with served(web) as address:
        yield address + "toan-quoc/"


def _search(tab, hub: str, query: str) -> tuple[dict, list[dict]]:
    page = tab({"width": 1280, "height": 900})
    dialogs: list[str] = []

    def said(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", said)
    page.goto(hub)
    title = page.title()
    page.fill("#qip-hub-input", query)
    page.wait_for_function("q => document.querySelector('[data-qip-hub-list]').dataset.query === q", arg=query)
    shown = page.evaluate("""() => ({
        status: document.querySelector('[data-qip-hub-status]').textContent,
        notes: [...document.querySelectorAll('[data-qip-hub-notes] li')].map(li => li.textContent),
        images: document.querySelectorAll('[data-qip-hub-list] img').length,
        titles: [...document.querySelectorAll('.qip-search__title')].map(h => h.textContent),
    })""")
    # Each result, and whether it stands below the line "Kết quả gần đúng" (not all the words).
    items = page.evaluate("""() => {
        let near = false;
        const out = [];
        for (const li of document.querySelectorAll('[data-qip-hub-list] > li')) {
            if (li.classList.contains('qip-search__approx')) { near = true; continue; }
            out.push({
                title: li.querySelector('.qip-search__title').textContent,
                where: li.querySelector('.qip-search__where').textContent,
                text: li.textContent,
                href: li.querySelector('a').href,
                near: near,
            });
        }
        return out;
    }""")
    shown["title_changed"] = page.title() != title
    shown["dialogs"] = dialogs
    links = {}
    for item in items:  # every link opens an existing page, at an anchor that page has
        url, _, anchor = item["href"].partition("#")
        if url not in links:
            response = page.request.get(url)
            links[url] = (response.status, response.text() if response.ok else "")
        status, html = links[url]
        assert status == 200, item["href"]
        assert not anchor or f'id="{anchor}"' in html, item["href"]
    page.remove_listener("dialog", said)  # the tab goes back blank to the next test
    return shown, items


def _province(item: dict) -> str:
    return item["where"].split(" · ")[0]


def _whole(items: list[dict]) -> list[dict]:
    """The results with all the words typed (above the line "Kết quả gần đúng")."""
    return [item for item in items if not item["near"]]


def test_a_query_found_in_two_shards_lists_both(tab, hub: str) -> None:  # noqa: F811
    shown, items = _search(tab, hub, "kính thiên văn Kepler")
    rows = _whole(items)
    assert all("kính thiên văn Kepler" in item["text"] for item in rows)
    assert {_province(item) for item in rows} == {"Hà Nội", "Đà Nẵng"}, items
    assert {item["title"] for item in rows} == {"Trường Mầm non Hoa Sen", "Trường Mầm non Sao Mai"}
    assert all("/ha-noi/truong/" in item["href"] or "/da-nang/truong/" in item["href"] for item in rows)
    assert shown["status"].startswith("Tìm thấy 2 kết quả"), shown
    assert not shown["notes"]


def test_a_query_found_in_one_shard(tab, hub: str) -> None:  # noqa: F811
    shown, items = _search(tab, hub, "bach dang")
    whole = _whole(items)
    # The school's page and its two plans, all in Đà Nẵng.
    assert len(whole) == 3 and shown["status"].startswith("Tìm thấy 3 kết quả"), (shown, items)
    assert {_province(item) for item in whole} == {"Đà Nẵng"}, items
    assert all(item["title"] == "Trường Tiểu học Bạch Đằng" for item in whole)
    assert all("/da-nang/truong/mau-th-2/" in item["href"] for item in whole)


def test_hostile_school_name_shows_as_text(tab, hub: str) -> None:  # noqa: F811
    shown, items = _search(tab, hub, "ngoc lan")
    assert HOSTILE in shown["titles"], shown
    assert {_province(item) for item in _whole(items)} == {"Cần Thơ"}
    assert shown["images"] == 0 and not shown["title_changed"] and not shown["dialogs"]


def test_a_missing_shard_is_named_and_the_others_still_answer(tab, hub: str, web: Path) -> None:  # noqa: F811
    away = web / "ha-noi.away"
    (web / "ha-noi").rename(away)
    try:
        shown, items = _search(tab, hub, "kính thiên văn Kepler")
    finally:
        away.rename(web / "ha-noi")
    assert shown["notes"] == ["Không tải được kết quả của Hà Nội."]
    rows = _whole(items)
    assert [_province(item) for item in rows] == ["Đà Nẵng"] and "kính thiên văn Kepler" in rows[0]["text"]
    assert all(_province(item) != "Hà Nội" for item in items)


def test_hub_page_keeps_names_and_addresses_as_data(tmp_path: Path) -> None:
    name = "Tỉnh </script><script>alert(1)</script> & <b>X</b>"
    result = run_cli("hub", "--shard", f"{name}=https://x.example/a?b=<i>", "--out", str(tmp_path / "hub"), cwd=REPO)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((tmp_path / "hub" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [s.get("src") for s in page.find_all("script")] == [None, "qip-search.js", "qip-hub.js"]
    assert page.find("b") is None and page.find("i") is None
    assert json.loads(page.find(id="qip-shards").string) == [{"name": name, "url": "https://x.example/a?b=<i>/"}]
    assert [a.get_text() for a in page.select(".qip-hub__shards a")] == [name]


@pytest.mark.parametrize("shard, said", [
    ("Hà Nội=javascript:alert(1)", "phải bắt đầu bằng https://"),
    ("Hà Nội", "không đúng dạng TÊN=ĐỊA_CHỈ"),
])
def test_hub_refuses_a_bad_shard(tmp_path: Path, shard: str, said: str) -> None:
    result = run_cli("hub", "--shard", shard, "--out", str(tmp_path / "hub"), cwd=REPO)
    assert result.returncode == 1 and said in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "hub").exists()


def test_hub_writes_nothing_into_a_folder_with_other_files(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("trang khác", encoding="utf-8")
    (tmp_path / "ghi-chu.txt").write_text("giữ", encoding="utf-8")
    result = run_cli("hub", "--shard", "Hà Nội=../ha-noi/", "--out", str(tmp_path), cwd=REPO)
    assert result.returncode == 1 and "ghi-chu.txt" in result.stderr, result.stderr
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == "trang khác"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ghi-chu.txt", "index.html"]
