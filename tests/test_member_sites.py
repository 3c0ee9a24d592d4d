"""Member sites (issue 18): one `qip-site build` of a district's repository publishes the district's
site and a small site per school listed in `member_sites`, each in site/thanh-vien/<school>/.

One build of three seed schools, two of them members (one with its own address), is read as a
visitor would: the district keeps every school; each member's home page is its school's page; its
search data holds its school only and links to the district's search; every relative link of a
member site resolves inside it, except the links to the district's pages, which resolve in the
district's site. A wrong school name stops the build and the previous site stays.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO, content, content_text, new_project, run_cli, soup
from test_browser import DESKTOP, served
from test_links import broken_links

SCHOOLS = ("mn-thuy-tien", "th-le-dinh-chinh", "mn-hoa-mi")
MEMBERS = ("mn-thuy-tien", "th-le-dinh-chinh")
OWN = "https://kehoach.thledinhchinh.example.vn/"
DISTRICT = "Phòng Giáo dục và Đào tạo thử"
SETTING = (f"      member_sites:\n        district: {DISTRICT}\n        schools:\n"
           f"          mn-thuy-tien: \"\"\n          th-le-dinh-chinh: {OWN}\n")


def configure(root: Path, setting: str) -> None:
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      schools: []\n" in config
    (root / "mkdocs.yml").write_text(config.replace("      schools: []\n", "      schools: []\n" + setting, 1),
                                     encoding="utf-8")


def build(root: Path) -> subprocess.CompletedProcess:
    return run_cli("build", cwd=root)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = new_project(tmp_path_factory.mktemp("member-sites") / "phong")
    for school in SCHOOLS:
        shutil.copytree(REPO / "plans" / school, root / "plans" / school)
    configure(root, SETTING)
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert f"Đã dựng trang riêng của 2 trường trong thanh-vien/: {', '.join(MEMBERS)}." in result.stderr
    return root


def member(project: Path, school: str) -> Path:
    return project / "site" / "thanh-vien" / school


def test_the_district_site_still_has_every_school(project: Path) -> None:
    site = project / "site"
    listed = content_text(site / "truong" / "index.html")
    home = content_text(site / "index.html")
    for school in SCHOOLS:
        name = content(site / "truong" / school / "index.html").h1.get_text(strip=True)
        assert name in listed and name in home
    assert sorted(p.name for p in (site / "search").iterdir()) == sorted(SCHOOLS)
    assert (site / "so-sanh" / "index.html").is_file()


@pytest.mark.parametrize("school", MEMBERS)
def test_a_member_site_is_its_school(project: Path, school: str) -> None:
    site = member(project, school)
    district_page = project / "site" / "truong" / school / "index.html"
    home = content(site / "index.html")
    # The home page is the school's page: its name, its facts, each of its plans, linked.
    assert home.h1.get_text(strip=True) == content(district_page).h1.get_text(strip=True)
    assert home.select_one(".qip-facts") is not None
    plans = sorted(p.stem for p in (REPO / "plans" / school).glob("20*.yml"))
    links = [a["href"] for a in home.select(".qip-plans a")]
    assert links == [f"truong/{school}/ke-hoach-{p}/" for p in sorted(plans, reverse=True)]
    for link in links:
        assert content((site / link / "index.html")).h1 is not None
    # The school is the only one; no district home, list of districts' schools or comparison page.
    assert [p.name for p in (site / "truong").iterdir() if p.is_dir()] == [school]
    assert not (site / "so-sanh" / "index.html").exists()
    assert not list(site.glob("nam-hoc/*/cong-khai/index.html"))
    note = home.select_one(".qip-member-note")
    assert f"Trang này chỉ có kế hoạch của {home.h1.get_text(strip=True)}." in note.get_text()
    assert note.a.get_text() == f"Tìm trong tất cả các trường của {DISTRICT}"


@pytest.mark.parametrize("school", MEMBERS)
def test_member_search_holds_its_school_and_links_to_the_district(project: Path, school: str) -> None:
    site = member(project, school)
    plans = list((REPO / "plans" / school).glob("20*.yml"))
    # The rows the results show, and the Pagefind records: this school's only (one record each
    # for the school and its plans).
    assert [p.name for p in (site / "search").iterdir()] == [school]
    assert sorted(p.name for p in (site / "search" / school).iterdir()) == sorted(f"{p.stem}.json" for p in plans)
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["vi"]["page_count"] == 1 + len(plans)
    assert json.loads((site / "qip-search.json").read_text(encoding="utf-8"))["n"] == 1 + len(plans)


@pytest.mark.browser
def test_member_search_box_links_to_the_district(project: Path, tab) -> None:  # noqa: F811
    """Every page's search box (drawn by qip-search.js) links to the district's search; without a
    district address, relatively. The district's own box has no such link."""
    with served(project / "site") as address:
        page = tab(DESKTOP)
        for school in MEMBERS:
            plan = sorted(p.stem for p in (REPO / "plans" / school).glob("20*.yml"))[0]
            for path, up in (("", "./"), (f"truong/{school}/ke-hoach-{plan}/", "../../../")):
                page.goto(f"{address}thanh-vien/{school}/{path}")
                link = page.locator("[data-qip-search] .qip-search__district a")
                assert link.count() == 1, path
                assert link.inner_text() == f"Tìm trong tất cả các trường của {DISTRICT}"
                assert link.get_attribute("href") == f"{up}../../?tim="
        for path in ("", "truong/mn-thuy-tien/"):
            page.goto(address + path)
            assert page.locator("[data-qip-search]").count() == 1
            assert page.locator(".qip-search__district").count() == 0  # no member's link on the district


def test_member_links_stay_inside_it_or_reach_the_district(project: Path) -> None:
    site = project / "site"
    for school in MEMBERS:
        folder = member(project, school)
        # Alone (as on the school's own domain), every link resolves inside the member site, except
        # the links to the district's pages: its search, its comparison and its district lists.
        leaving = broken_links(folder)
        assert all(line.endswith(" (ra ngoài trang web)") for line in leaving), leaving
        for line in leaving:
            page, link = line.removesuffix(" (ra ngoài trang web)").split(" → ")
            path = urlsplit(link).path
            target = posixpath.normpath(posixpath.join(f"thanh-vien/{school}", posixpath.dirname(page), path))
            assert target in ("", ".", "so-sanh") or target.endswith("/cong-khai"), line
            assert (site / target / "index.html").is_file(), line  # and the district has that page


def test_a_member_with_its_own_address(project: Path) -> None:
    site = member(project, "th-le-dinh-chinh")
    canonical = soup(site / "truong/th-le-dinh-chinh/ke-hoach-2023-2024/index.html").select_one('link[rel="canonical"]')
    assert canonical["href"] == OWN + "truong/th-le-dinh-chinh/ke-hoach-2023-2024/"
    assert f"<loc>{OWN}</loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")
    # The other member, under the district that has no address, has none either.
    assert soup(member(project, "mn-thuy-tien") / "index.html").select_one('link[rel="canonical"]') is None


def test_a_school_missing_from_plans_stops_the_build_and_keeps_the_site(project: Path, tmp_path: Path) -> None:
    root = tmp_path / "phong"
    shutil.copytree(project, root, ignore=shutil.ignore_patterns(".cache"))
    before = _digest(root / "site")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert SETTING in config
    (root / "mkdocs.yml").write_text(config.replace(SETTING, SETTING.replace("th-le-dinh-chinh:", "truong-khong-co:")),
                                     encoding="utf-8")
    result = build(root)
    assert result.returncode == 1
    assert ("mkdocs.yml: lỗi: member_sites: không có thư mục trường \"truong-khong-co\" trong plans/; hãy ghi "
            "đúng tên thư mục của trường.") in result.stderr.splitlines()[0], result.stderr
    assert "Traceback" not in result.stderr
    assert _digest(root / "site") == before


HOSTILE_ADDRESS = 'https://a.example/"><script>alert(1)</script>'


@pytest.mark.parametrize("where", ["member", "site_url"])
def test_an_address_that_would_be_markup_stops_the_build_and_keeps_the_site(project: Path, tmp_path: Path,
                                                                            where: str) -> None:
    """A member's own address and site_url are written into every page's links (canonical, icons): an address
    with a quote or an angle bracket is refused in one line, before anything is written."""
    root = tmp_path / "phong"
    shutil.copytree(project, root, ignore=shutil.ignore_patterns(".cache"))
    before = _digest(root / "site")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    if where == "member":
        config = config.replace(SETTING, SETTING.replace(OWN, f"'{HOSTILE_ADDRESS}'"))
        expected = (f'mkdocs.yml: lỗi: member_sites: địa chỉ "{HOSTILE_ADDRESS}" của trường "th-le-dinh-chinh" phải là '
                    'địa chỉ web đầy đủ')
    else:
        assert "site_url: !ENV [QIP_SITE_URL, null]" in config
        config = config.replace("site_url: !ENV [QIP_SITE_URL, null]", f"site_url: '{HOSTILE_ADDRESS}'")
        expected = f'mkdocs.yml: lỗi: site_url: địa chỉ "{HOSTILE_ADDRESS}/" phải là địa chỉ web đầy đủ'
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = build(root)
    assert result.returncode == 1
    assert expected in result.stderr.splitlines()[0], result.stderr
    assert "Traceback" not in result.stderr
    assert _digest(root / "site") == before


def _digest(site: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(site.rglob("*")):
        digest.update(path.relative_to(site).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.mark.browser
def test_member_search_finds_its_school_and_offers_the_district(project: Path, tab) -> None:  # noqa: F811
    with served(project / "site") as address:
        page = tab(DESKTOP)
        page.goto(address + "thanh-vien/mn-thuy-tien/")
        page.keyboard.press("/")
        page.keyboard.type("mam non")
        page.wait_for_function("document.querySelector('[data-qip-list]').dataset.query === 'mam non'")
        page.wait_for_selector(".qip-search__item a")
        found = page.eval_on_selector_all(".qip-search__item a", "links => links.map(a => a.href)")
        assert found and all(href.startswith(address + "thanh-vien/mn-thuy-tien/") for href in found), found
        link = page.locator(".qip-search__district a")
        assert link.is_visible()
        assert link.inner_text() == f"Tìm trong tất cả các trường của {DISTRICT}"
        link.click()
        page.wait_for_url(address + "?tim=mam%20non")
        page.wait_for_function("document.querySelector('[data-qip-list]').dataset.query === 'mam non'")
        page.wait_for_selector(".qip-search__item a")
        found = page.eval_on_selector_all(".qip-search__item a", "links => links.map(a => a.href)")
        # The district's search: both kindergartens, on the district's pages.
        assert any("truong/mn-hoa-mi/" in href for href in found) and not any("thanh-vien" in href for href in found)
