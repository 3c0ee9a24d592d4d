"""Outputs behind one switch each (`outputs` of the qip plugin in mkdocs.yml): what is switched off is
neither written nor linked from any page, and the build stays clean (--strict)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, new_project, run_cli, soup

from qip_site.outputs import OUTPUTS, Build, write_outputs


def project_with(tmp_path: Path, outputs: str) -> Path:
    project = new_project(tmp_path / "project")
    shutil.copytree(REPO / "plans" / "th-le-dinh-chinh", project / "plans" / "th-le-dinh-chinh")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "      plans_dir: plans\n" in text
    config.write_text(text.replace("      plans_dir: plans\n", f"      plans_dir: plans\n      outputs: {outputs}\n"),
                      encoding="utf-8")
    return project


def built(project: Path) -> Path:
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def links(site: Path) -> set[str]:
    found = set()
    for page in site.rglob("*.html"):
        html = soup(page)
        found |= {a["href"] for a in html.select("a[href]")} | {link["href"] for link in html.select("link[href]")}
    return found


def test_every_output_switched_off(tmp_path: Path) -> None:
    site = built(project_with(tmp_path, "{search: false, feed: false, open_data: false, share_images: false, "
                                        "robots: false}"))
    names = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert "truong/th-le-dinh-chinh/ke-hoach-2023-2024/index.html" in names
    assert not [n for n in names if n in ("feed.xml", "robots.txt") or n.startswith(("pagefind/", "search/", "du-lieu"))
                or n.endswith(("du-lieu.zip", "ke-hoach.json", "ke-hoach.csv", "ke-hoach.xlsx", "chia-se.png"))
                or n == "qip-search.json"], names
    assert not [h for h in links(site) if "feed.xml" in h or "du-lieu" in h or "ke-hoach.xlsx" in h]
    plan = soup(site / "truong/th-le-dinh-chinh/ke-hoach-2023-2024/index.html")
    assert plan.select_one("[data-qip-search-box], label[for=__search]") is None  # the search box's script and button
    assert "Tải dữ liệu" not in plan.get_text()
    assert plan.select_one('meta[property="og:image"]') is None
    assert plan.select_one('meta[name="twitter:card"]')["content"] == "summary"


def test_one_output_switched_off_leaves_the_others(tmp_path: Path) -> None:
    site = built(project_with(tmp_path, "{feed: false}"))
    assert not (site / "feed.xml").exists()
    assert (site / "pagefind").is_dir() and (site / "du-lieu" / "du-lieu.zip").is_file()
    assert (site / "truong/th-le-dinh-chinh/du-lieu.zip").is_file()
    assert (site / "truong/th-le-dinh-chinh/ke-hoach.xlsx").is_file()
    assert not [h for h in links(site) if "feed.xml" in h]
    assert soup(site / "index.html").select_one("script[data-qip-search-box]") is not None  # draws the search box


def test_an_unknown_output_is_refused(tmp_path: Path) -> None:
    result = run_cli("build", cwd=project_with(tmp_path, "{rss: false}"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "rss" in result.stderr


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_write_outputs_writes_only_what_is_on(tmp_path: Path, name: str) -> None:
    """The interface alone: write_outputs calls exactly the outputs switched on."""
    from qip_site.domain.catalogue import load_catalogue
    from qip_site.domain.model import Site

    written = write_outputs(Build(Site([], load_catalogue()), tmp_path, "Trang"),
                            {other: other == name for other in OUTPUTS})
    assert written == [name]
    expected = {"feed": "feed.xml", "search": "qip-search.json", "open_data": "du-lieu/du-lieu.zip",
                "share_images": "chia-se.png", "robots": "robots.txt"}[name]
    assert (tmp_path / expected).is_file()
    assert {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*") if p.is_file()} <= {
        "feed": {"feed.xml"}, "search": {"pagefind", "qip-search.json"},
        "open_data": {"du-lieu"}, "share_images": {"chia-se.png"}, "robots": {"robots.txt"}}[name]
