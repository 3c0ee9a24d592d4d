"""Found and shared: Open Graph, schema.org JSON-LD and the Atom feed carry plan text as data."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

from conftest import soup
from test_injection import EVIL, evil_site  # noqa: F401  (fixture)

ATOM = "{http://www.w3.org/2005/Atom}"


def meta(page, prop: str) -> str | None:
    tag = page.find("meta", attrs={"property": prop})
    return tag.get("content") if tag else None


def jsonld(page) -> dict:
    scripts = page.find_all("script", attrs={"type": "application/ld+json"})
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def test_every_page_has_open_graph_and_json_ld(seed_site: Path) -> None:
    pages = [p for p in seed_site.rglob("index.html")]
    assert len(pages) > 50
    for path in pages:
        page = soup(path)
        assert meta(page, "og:title") and meta(page, "og:description") is not None, path
        assert meta(page, "og:locale") == "vi_VN"
        data = jsonld(page)
        assert data["@context"] == "https://schema.org", path


def test_plan_and_school_data(seed_site: Path) -> None:
    plan = soup(seed_site / "truong/th-le-dinh-chinh/ke-hoach-2023-2024/index.html")
    assert meta(plan, "og:type") == "article"
    assert meta(plan, "og:title") == "Trường Tiểu học Lê Đình Chinh – Kế hoạch năm học 2023-2024"
    data = jsonld(plan)
    assert data["@type"] == "DigitalDocument"
    assert data["identifier"] == "107/KH-LĐC" and data["dateCreated"] == "2023-08-18"
    assert data["author"]["name"] == "Trường Tiểu học Lê Đình Chinh"
    assert data["temporalCoverage"] == "2023/2024"
    school = jsonld(soup(seed_site / "truong/mn-hoa-mi/index.html"))
    assert school["@type"] == "EducationalOrganization"
    assert school["address"]["addressRegion"] == "Tỉnh Điện Biên"


def test_feed_lists_the_plans(seed_site: Path) -> None:
    feed = ET.parse(seed_site / "feed.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert "Trường Mầm non Thủy Tiên: Kế hoạch nhiều năm 2022-2027" in titles
    assert len(titles) == 5  # every seed plan has a commit date or a date of issue
    updated = [e.findtext(f"{ATOM}updated") for e in feed.iter(f"{ATOM}entry")]
    assert updated == sorted(updated, reverse=True)
    # Each entry also says when the plan went online (the plan page's "Ngày đăng lên trang").
    published = {e.find(f"{ATOM}link").get("href"): e.findtext(f"{ATOM}published")
                 for e in feed.iter(f"{ATOM}entry")}
    page = soup(seed_site / "truong/th-le-dinh-chinh/ke-hoach-2023-2024/index.html")
    shown = page.find("dt", string="Ngày đăng lên trang").find_next_sibling("dd").get_text(" ", strip=True)
    day, month, year = shown.split()[0].split("/")
    assert published["truong/th-le-dinh-chinh/ke-hoach-2023-2024/"] == f"{year}-{month}-{day}T00:00:00+00:00"
    assert soup(seed_site / "index.html").find("link", attrs={"type": "application/atom+xml"}).get("href") == "feed.xml"


def test_hostile_text_is_data_in_shared_metadata(evil_site: Path) -> None:  # noqa: F811
    page = soup(evil_site / "truong/mn-a/index.html")
    name = "Trường <b>Mầm non</b> *A* {{ x }}"
    assert meta(page, "og:title").startswith(name)
    assert jsonld(page)["name"].startswith(name)
    plan = soup(evil_site / "truong/mn-a/ke-hoach-2023-2025/index.html")
    assert jsonld(plan)["name"] == " ".join(EVIL)  # the title lines, as written
    # The hostile "<script>" stays inside the JSON-LD string; no other script carries it.
    code = [s for s in plan.find_all("script") if s.get("type") != "application/ld+json"]
    assert all("alert" not in (s.string or "") for s in code)
    feed = ET.parse(evil_site / "feed.xml").getroot()
    entry = next(feed.iter(f"{ATOM}entry"))
    assert entry.findtext(f"{ATOM}author/{ATOM}name").startswith(name)
    assert entry.findtext(f"{ATOM}summary") == " ".join(EVIL)


def test_links_in_json_ld_resolve_from_the_page(seed_site: Path) -> None:
    """Without a public address, schema.org URLs are relative to the page they are on."""
    from urllib.parse import urljoin

    page_url = "http://127.0.0.1/truong/th-le-dinh-chinh/ke-hoach-2023-2024/"
    data = jsonld(soup(seed_site / "truong/th-le-dinh-chinh/ke-hoach-2023-2024/index.html"))
    assert urljoin(page_url, data["url"]) == page_url
    assert urljoin(page_url, data["author"]["url"]) == "http://127.0.0.1/truong/th-le-dinh-chinh/"


def test_public_address_from_the_publishing_job_reaches_sitemap_and_shared_data(tmp_path: Path) -> None:
    """The publishing jobs set QIP_SITE_URL (tests/test_publish.py): sitemap, og:url and JSON-LD use it."""
    import subprocess
    import sys

    from conftest import ENV, REPO

    out = tmp_path / "site"
    built = subprocess.run([sys.executable, "-m", "qip_site", "build", "-d", str(out)], cwd=REPO,
                           env={**ENV, "QIP_SITE_URL": "https://kehoach.example.edu.vn/pgd"},
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    base = "https://kehoach.example.edu.vn/pgd/"
    sitemap = ET.parse(out / "sitemap.xml").getroot()
    locations = {e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    pages = {base + p.parent.relative_to(out).as_posix() + "/" for p in out.rglob("index.html")}
    assert {url.replace(base + "./", base) for url in pages} == locations
    plan = soup(out / "truong/mn-thuy-tien/ke-hoach-2022-2027/index.html")
    assert meta(plan, "og:url") == base + "truong/mn-thuy-tien/ke-hoach-2022-2027/"
    data = jsonld(plan)
    assert data["url"] == base + "truong/mn-thuy-tien/ke-hoach-2022-2027/"
    assert data["author"]["url"] == base + "truong/mn-thuy-tien/"
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.find(f"{ATOM}link").get("href").startswith(base)


def test_feed_holds_the_newest_plans_with_stable_ids(tmp_path: Path) -> None:
    """A province's feed is the newest 50 plans, newest first; ids do not depend on the site's address."""
    from conftest import REPO, run_cli

    from qip_site.outputs.feed import FEED_ENTRIES, atom_feed
    from qip_site.reading.validate import load_site

    made = run_cli("demo", "--schools", "16", "--years", "5", "--seed", "2", "--out", "plans",
                   "--from", str(REPO / "plans"), "--into-plans", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    site, _ = load_site(tmp_path / "plans", tmp_path)
    dated = [p for p in site.plans if p.date is not None]
    assert len(dated) > FEED_ENTRIES == 50
    feeds = [ET.fromstring(atom_feed(site, "Phòng GD", url)) for url in ("", "https://kehoach.example.vn/")]
    entries = [list(feed.iter(f"{ATOM}entry")) for feed in feeds]
    assert [len(e) for e in entries] == [FEED_ENTRIES, FEED_ENTRIES]
    ids = [[e.findtext(f"{ATOM}id") for e in es] for es in entries]
    assert ids[0] == ids[1] and all(i.startswith("urn:qip-site:truong/") for i in ids[0])
    newest = sorted((p.date for p in dated), reverse=True)[:FEED_ENTRIES]
    assert [e.findtext(f"{ATOM}updated")[:10] for e in entries[0]] == [d.isoformat() for d in newest]
    assert entries[1][0].find(f"{ATOM}link").get("href").startswith("https://kehoach.example.vn/truong/")
