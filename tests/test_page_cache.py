"""The page cache (outputs/page_cache.py, site/cached_pages.py) and the render cache (site/render_cache.py):
a build that reuses pages from .cache/qip-pages/ and schools' rendered pages from .cache/qip-render/ writes
the same site, byte for byte, as a build without them.

A project of the seed plans is built once (its cache then holds every generated page not in the
nav). Each test copies it, with its cache, changes one input (a plan file, its school, a template,
the catalogue, qip-site's version, mkdocs.yml, the theme folder), builds with the cache and without
it, and compares every file of the two sites. Builds run in this process (MkDocs' own `build`), so
that the templates and the catalogue can be pointed at changed copies without touching the repository.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from conftest import REPO, new_project, run_cli
from test_disclosure import git

import qip_site
from qip_site.domain import catalogue
from qip_site.outputs import page_cache
from qip_site.outputs.page_cache import CACHE
from qip_site.reading import validate
from qip_site.site import render, render_cache

SITE_URL = "https://example.org/qip/"  # so that sitemap.xml lists every page, with its date
REUSED = re.compile(r"Dùng lại (\d+) trang đã dựng ở lần trước .*, dựng mới (\d+) trang\.")
SCHOOLS_REUSED = re.compile(r"Dùng lại trang của (\d+) trường đã dựng ở lần trước \(lưu trong \.cache/qip-render/\), "
                            r"dựng mới trang của (\d+) trường\.")
SCHOOLS = len([path for path in (REPO / "plans").iterdir() if (path / "school.yml").is_file()])
PLAN = "plans/mn-thuy-tien/2022-2027.yml"
SCHOOL = "plans/mn-thuy-tien/school.yml"
# Pages in the nav (mkdocs.yml) are always built: their menu marks them, and they have neighbours.
NAV_PAGES = {"index.html", "truong/index.html", "nam-hoc/index.html", "tieu-chi/index.html", "du-lieu/index.html",
             "gioi-thieu/index.html"}


class Said(NamedTuple):
    pages: tuple[int, int] | None  # (reused, built) generated pages, when the build said so
    schools: tuple[int, int] | None  # (reused, rendered) schools' own pages, when the build said so
    plugin: Any  # the qip plugin of the build


def build(project: Path, site: Path, cache: bool = True) -> Said:
    """Build `project` into `site` in this process; what the build said of its caches."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins["qip"].config["cache"] = cache
    with said_lines() as lines:
        mkdocs_build(config)
    found = []
    for pattern in (REUSED, SCHOOLS_REUSED):
        said = [match for line in lines if (match := pattern.search(line))]
        assert len(said) <= 1, lines
        found.append((int(said[0][1]), int(said[0][2])) if said else None)
    if not cache:
        assert found == [None, None], lines
    return Said(found[0], found[1], config.plugins["qip"])


@contextlib.contextmanager
def said_lines() -> Iterator[list[str]]:
    """What the qip plugin says (INFO and above) inside the block."""
    lines: list[str] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("mkdocs.plugins.qip")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()}


def assert_same_site(cached: Path, cold: Path) -> None:
    got, expected = files(cached), files(cold)
    assert sorted(got) == sorted(expected)
    differ = [name for name in expected if got[name] != expected[name]]
    assert not differ, f"{len(differ)} files differ, e.g. {differ[:5]}"


def entries(project: Path) -> list[Path]:
    return sorted((project / CACHE).rglob("*.html"))


def render_entries(project: Path) -> list[Path]:
    return sorted((project / render_cache.CACHE).rglob("*.json"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Iterator[Path]:
    """The qip_site package's files as the key reads them, frozen for these tests: other engineers edit
    the working tree meanwhile, and any edit there rightly changes every key."""
    copy = tmp_path_factory.mktemp("page-cache-package") / "qip_site"
    shutil.copytree(page_cache.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(page_cache, "PACKAGE", copy)
        yield copy


@pytest.fixture(scope="module")
def warm(tmp_path_factory, package: Path) -> Path:
    """The seed plans' project, built once from an empty cache (so: every page built) into warm/site."""
    project = new_project(tmp_path_factory.mktemp("page-cache") / "warm")
    shutil.rmtree(project / "plans")
    shutil.copytree(REPO / "plans", project / "plans")
    edit(project / "mkdocs.yml", "site_url: !ENV [QIP_SITE_URL, null]\n", f"site_url: {SITE_URL}\n")
    # No search: Pagefind's own files (pagefind-ui.css, …) are sometimes cut short on a loaded machine,
    # in any build, with or without the cache; the search index is made from the plans, not the pages.
    edit(project / "mkdocs.yml", "      plans_dir: plans\n", "      plans_dir: plans\n      outputs: {search: false}\n")
    assert build(project, project / "site")[:2] == (None, None)  # nothing to reuse yet
    return project


@pytest.fixture
def project(warm: Path, tmp_path: Path) -> Path:
    """A copy of the warm project, its cache included."""
    copy = tmp_path / "project"
    shutil.copytree(warm, copy, ignore=lambda folder, names: ["site"] if Path(folder) == warm else [])
    return copy


def generated_pages(site: Path) -> int:
    """The site's generated pages that may come from the cache: every page but the nav's and 404.html."""
    return len([name for name in files(site) if name.endswith("index.html") and name not in NAV_PAGES])


def test_nothing_changed_reuses_every_page(warm: Path, project: Path, tmp_path: Path) -> None:
    pages = generated_pages(warm / "site")
    assert pages > 100 and len(entries(project)) == pages
    assert len(render_entries(project)) == SCHOOLS  # one per school
    assert build(project, tmp_path / "site")[:2] == ((pages, 0), (SCHOOLS, 0))
    assert_same_site(tmp_path / "site", warm / "site")
    # The pages of the nav are built by MkDocs every time: they are never stored.
    assert len(entries(project)) == pages
    assert len(render_entries(project)) == SCHOOLS


def package_copy(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the (frozen) package read by the keys, for this test only: a file changed in it changes them."""
    copy = tmp_path / "qip_site"
    shutil.copytree(page_cache.PACKAGE, copy)
    monkeypatch.setattr(page_cache, "PACKAGE", copy)
    return copy


@pytest.fixture
def templates(tmp_path: Path, monkeypatch):
    """The pages' templates from a copy of the package (render.TEMPLATES), for this test only."""
    copy = package_copy(tmp_path, monkeypatch) / "site" / "templates"
    monkeypatch.setattr(render, "TEMPLATES", copy)
    render._environment.cache_clear()
    yield copy
    render._environment.cache_clear()


def change_plan(project: Path, monkeypatch, tmp_path: Path) -> None:
    edit(project / PLAN, "Nhằm duy trì và phát huy", "Nhằm giữ vững và phát huy")


def change_school(project: Path, monkeypatch, tmp_path: Path) -> None:
    edit(project / SCHOOL, "as_written: Huyện Bình Chánh", "as_written: Huyện Bình Chánh, Thành phố Hồ Chí Minh")


def change_catalogue(project: Path, monkeypatch, tmp_path: Path) -> None:
    copy = package_copy(tmp_path, monkeypatch) / "catalogue"
    edit(copy / "tt19-2018.yml", "Phương hướng, chiến lược xây dựng và phát triển nhà trường",
         "Phương hướng và chiến lược phát triển nhà trường")
    load = catalogue.load_catalogue

    def changed(directory: Path = copy):
        return load(directory)

    monkeypatch.setattr(catalogue, "load_catalogue", changed)
    monkeypatch.setattr(validate, "load_catalogue", changed)


def change_version(project: Path, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(qip_site, "__version__", qip_site.__version__ + ".1")


def change_mkdocs_yml(project: Path, monkeypatch, tmp_path: Path) -> None:
    edit(project / "mkdocs.yml", "site_name: Kế hoạch cải tiến chất lượng giáo dục",
         "site_name: Kế hoạch cải tiến chất lượng của huyện")


def change_theme(project: Path, monkeypatch, tmp_path: Path) -> None:
    edit(project / "overrides/partials/copyright.html", "Trang web dựng bằng", "Trang web được dựng bằng")


# Each change, whether every page is built again (True) or only those it reaches (False), and the schools
# whose pages are rendered again: "one" (mn-thuy-tien), "all", "none" (the change reaches no template of ours).
# The catalogue is a file of the package: like any, it is in every key.
CHANGES = {"plan": (change_plan, False, "one"), "school": (change_school, False, "one"),
           "catalogue": (change_catalogue, True, "all"), "version": (change_version, True, "all"),
           "mkdocs.yml": (change_mkdocs_yml, True, "none"), "overrides": (change_theme, True, "none")}


@pytest.mark.parametrize("name", CHANGES)
def test_a_change_gives_the_site_of_a_cold_build(name: str, project: Path, tmp_path: Path, monkeypatch) -> None:
    change, everything, schools = CHANGES[name]
    change(project, monkeypatch, tmp_path)
    said, rendered, _ = build(project, tmp_path / "cached")
    build(project, tmp_path / "cold", cache=False)
    assert_same_site(tmp_path / "cached", tmp_path / "cold")
    pages = generated_pages(tmp_path / "cold")
    if everything:
        assert said is None  # nothing reused: every page built again
    else:
        assert said is not None and said[0] > 0 and said[1] > 0 and sum(said) == pages
    if schools == "all":
        assert rendered is None  # no school's pages reused
    else:
        assert rendered == {"one": (SCHOOLS - 1, 1), "none": (SCHOOLS, 0)}[schools]
    # The entries this build did not use are gone: one per page, one per school.
    assert len(entries(project)) == pages
    assert len(render_entries(project)) == SCHOOLS
    # And the next build reuses them all.
    assert build(project, tmp_path / "again")[:2] == ((pages, 0), (SCHOOLS, 0))
    assert_same_site(tmp_path / "again", tmp_path / "cold")


def test_a_changed_template_gives_the_site_of_a_cold_build(project: Path, tmp_path: Path, templates: Path) -> None:
    edit(templates / "school.md.j2", "<dt>Cơ quan chủ quản</dt>", "<dt>Cơ quan quản lý</dt>")
    said, rendered, _ = build(project, tmp_path / "cached")
    build(project, tmp_path / "cold", cache=False)
    assert_same_site(tmp_path / "cached", tmp_path / "cold")
    assert "Cơ quan quản lý" in (tmp_path / "cached/truong/mn-thuy-tien/index.html").read_text(encoding="utf-8")
    # Our templates are files of the package: every page is built again, every school rendered again.
    assert said is None and rendered is None


def test_a_corrupt_entry_is_never_published(warm: Path, project: Path, tmp_path: Path) -> None:
    pages = generated_pages(warm / "site")
    stored = entries(project)
    truncated, altered, removed = stored[0], stored[1], stored[2]
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size // 2])
    data = altered.read_bytes()
    assert b"</html>" in data
    altered.write_bytes(data.replace(b"</html>", b"<p>h\xe1\xbb\x8fng</p></html>"))  # same checksum line
    removed.unlink()
    with said_lines() as lines:
        said = build(project, tmp_path / "site")
    assert said.pages == (pages - 3, 3)
    assert any(line.startswith("2 trang lưu sẵn trong ") and "bị hỏng" in line for line in lines), lines
    assert_same_site(tmp_path / "site", warm / "site")
    # The three entries are whole again.
    assert build(project, tmp_path / "again").pages == (pages, 0)
    assert_same_site(tmp_path / "again", warm / "site")


def test_a_damaged_render_entry_is_rendered_again(warm: Path, project: Path, tmp_path: Path) -> None:
    stored = render_entries(project)
    truncated, altered = stored[0], stored[1]
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size // 2])
    data = altered.read_bytes()
    assert data.count(b"<dt>") > 0
    altered.write_bytes(data.replace(b"<dt>", b"<dt>h\xe1\xbb\x8fng ", 1))  # valid JSON, same checksum line
    with said_lines() as lines:
        said = build(project, tmp_path / "site")
    assert said.schools == (SCHOOLS - 2, 2)
    assert any(line.startswith("2 bản lưu sẵn trong ") and "qip-render" in line and "bị hỏng" in line
               for line in lines), lines
    assert_same_site(tmp_path / "site", warm / "site")
    assert "hỏng" not in "".join(path.read_text(encoding="utf-8") for path in (tmp_path / "site").rglob("*.html"))
    # The two entries are whole again.
    assert build(project, tmp_path / "again").schools == (SCHOOLS, 0)
    assert_same_site(tmp_path / "again", warm / "site")


def test_a_pdf_printed_after_the_pages_were_cached_is_linked(project: Path, tmp_path: Path) -> None:
    """The PDF link is put in after a plan page is taken from the render cache, as after it is rendered."""
    first = build(project, tmp_path / "first")
    assert first.schools == (SCHOOLS, 0)
    entry = next(entry for entry in first.plugin.pdf_plans.missing if entry.url == "truong/mn-thuy-tien/ke-hoach-2022-2027/")
    pdf = b"%PDF-1.4\n%%EOF\n"
    entry.path.parent.mkdir(parents=True, exist_ok=True)
    entry.path.write_bytes(pdf)  # as `qip-site pdf` would have printed it
    said = build(project, tmp_path / "cached")
    assert said.schools == (SCHOOLS, 0)  # every school's pages from the render cache, the link put in after
    build(project, tmp_path / "cold", cache=False)
    assert_same_site(tmp_path / "cached", tmp_path / "cold")
    page = (tmp_path / "cached" / entry.url / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{entry.name}" download="{entry.download}" type="application/pdf">Bản PDF</a> (15 byte)' in page
    assert (tmp_path / "cached" / entry.url / entry.name).read_bytes() == pdf
    assert entry.name not in (tmp_path / "first" / entry.url / "index.html").read_text(encoding="utf-8")


def test_a_commit_shows_on_the_next_build(project: Path, tmp_path: Path) -> None:
    """A plan's history is read from git: a commit that leaves the files as they were still changes its pages."""
    page = "truong/mn-thuy-tien/ke-hoach-2022-2027/index.html"
    git(project, "init", "-q", "-b", "main")
    assert build(project, tmp_path / "before").schools == (SCHOOLS, 0)  # no commit yet: the same history (none)
    before = (tmp_path / "before" / page).read_text(encoding="utf-8")
    assert "Chưa có lịch sử: tệp kế hoạch chưa được commit." in before
    git(project, "add", "plans/mn-thuy-tien")
    git(project, "commit", "-q", "-m", "Add files via upload", date="2025-09-10T08:00:00+07:00")
    assert build(project, tmp_path / "cached").schools == (SCHOOLS - 1, 1)
    build(project, tmp_path / "cold", cache=False)
    assert_same_site(tmp_path / "cached", tmp_path / "cold")
    text = (tmp_path / "cached" / page).read_text(encoding="utf-8")
    assert "Chưa có lịch sử" not in text and "10/09/2025" in text
    # The same files, another commit (its message, written by a person, is shown).
    git(project, "commit", "-q", "--amend", "-m", "Đăng kế hoạch của trường Thủy Tiên", date="2025-09-11T08:00:00+07:00")
    assert build(project, tmp_path / "amended").schools == (SCHOOLS - 1, 1)
    assert "Đăng kế hoạch của trường Thủy Tiên" in (tmp_path / "amended" / page).read_text(encoding="utf-8")


def test_no_template_prints_the_build_date() -> None:
    """The build date (page.update_date, from git) is not in the key: it changes with every commit, and
    no template but MkDocs' sitemap.xml (written for every page, cached or not) prints it."""
    import material

    themes = [Path(material.__file__).parent / "templates", REPO / "overrides"]
    reading = [path for folder in themes for path in folder.rglob("*.html") if "update_date" in path.read_text("utf-8")]
    assert reading == []


def test_a_schools_pages_read_nothing_of_the_site() -> None:
    """A school's own pages are kept by school (render_cache.py): their templates, and the partials they import
    or include, read neither the `site` object (other schools, the build date) nor anything else outside it."""
    from jinja2 import meta

    env = render._environment()

    def reads(name: str) -> set[str]:
        return meta.find_undeclared_variables(env.parse(env.loader.get_source(env, name)[0]))

    partials = sorted(path.name for path in render.TEMPLATES.glob("_*.j2"))
    cached = ["school.md.j2", "school_year.md.j2", "plan.md.j2", "plan_versions.md.j2", *partials]
    assert [name for name in cached if "site" in reads(name)] == []
    assert "site" in reads("compare.md.j2")  # what a page reading the site looks like (not cached by school)


def test_a_code_change_changes_every_key(package: Path, tmp_path: Path) -> None:
    """Any file of the package (the plugin, what post-processes a page) is in the site's fingerprint."""
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    before = page_cache.site_fingerprint([], config, {"a": 1})
    assert page_cache.site_fingerprint([], config, {"a": 1}) == before
    plugin = package / "site" / "plugin.py"
    plugin.write_bytes(plugin.read_bytes() + b"\n")
    try:
        assert page_cache.site_fingerprint([], config, {"a": 1}) != before
    finally:
        plugin.write_bytes(plugin.read_bytes()[:-1])
    assert page_cache.site_fingerprint([], config, {"a": 1}) == before
    assert page_cache.site_fingerprint([], config, {"a": 2}) != before


def test_not_with_another_plugin(project: Path, tmp_path: Path) -> None:
    """Another plugin may read every page's content (Material's search does): every page is built then,
    and the build says why."""
    edit(project / "mkdocs.yml", "  - qip:\n", "  - search\n  - qip:\n")
    before = {path.name for path in entries(project)}
    build(project, tmp_path / "first")
    with said_lines() as lines:
        said = build(project, tmp_path / "site")  # the same inputs again: still every page built
    assert said.pages is None
    assert said.schools == (SCHOOLS, 0)  # our rendering does not depend on the other plugins
    assert any(line.startswith("Không dùng lại các trang đã dựng (.cache/qip-pages/) vì mkdocs.yml có thêm plugin")
               and "search" in line for line in lines), lines
    assert {path.name for path in entries(project)} == before  # nothing stored, nothing removed
    index = json.loads((tmp_path / "site/search/search_index.json").read_text(encoding="utf-8"))
    texts = {doc["location"]: doc["text"] for doc in index["docs"]}
    assert "Nhằm duy trì và phát huy" in texts["truong/mn-thuy-tien/ke-hoach-2022-2027/"]


MEMBER_SETTING = ("      member_sites:\n        district: Phòng Giáo dục và Đào tạo thử\n        schools:\n"
                  "          mn-thuy-tien: \"\"\n          th-le-dinh-chinh: https://kehoach.example.vn/\n")


def test_member_sites(tmp_path: Path) -> None:
    """`qip-site build` with member sites: each site has its own entries, reused by the next build, and a
    member no longer listed loses them; the site is the one a build without the cache writes."""
    root = new_project(tmp_path / "phong")
    for school in ("mn-thuy-tien", "th-le-dinh-chinh", "mn-hoa-mi"):
        shutil.copytree(REPO / "plans" / school, root / "plans" / school)
    edit(root / "mkdocs.yml", "      schools: []\n", "      schools: []\n      outputs: {search: false}\n" + MEMBER_SETTING)

    def qip_build(site: str, config: str = "mkdocs.yml") -> str:
        result = run_cli("build", "-f", config, "-d", site, cwd=root)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stderr

    assert "Dùng lại" not in qip_build("site1")
    folders = sorted(path.relative_to(root / CACHE).as_posix() for path in (root / CACHE).rglob("*") if path.is_dir())
    assert folders == ["site", "thanh-vien", "thanh-vien/mn-thuy-tien", "thanh-vien/th-le-dinh-chinh"]
    rendered = root / render_cache.CACHE
    assert sorted(path.relative_to(rendered).as_posix() for path in rendered.rglob("*") if path.is_dir()) == folders
    lines = qip_build("site2").splitlines()
    said = [match for line in lines if (match := REUSED.search(line))]
    assert len(said) == 3 and all(int(match[1]) > 0 and match[2] == "0" for match in said), said
    said = [match for line in lines if (match := SCHOOLS_REUSED.search(line))]
    assert len(said) == 3 and all(int(match[1]) > 0 and match[2] == "0" for match in said), said
    assert_same_site(root / "site2", root / "site1")
    # th-le-dinh-chinh is no longer a member: its entries go (mkdocs.yml changed: every page is built again).
    edit(root / "mkdocs.yml", "          th-le-dinh-chinh: https://kehoach.example.vn/\n", "")
    qip_build("site3")
    assert not (root / CACHE / "thanh-vien/th-le-dinh-chinh").exists()
    assert not (rendered / "thanh-vien/th-le-dinh-chinh").exists() and (rendered / "thanh-vien/mn-thuy-tien").is_dir()
    cold = (root / "mkdocs.yml").read_text(encoding="utf-8").replace("      plans_dir: plans\n",
                                                                     "      plans_dir: plans\n      cache: false\n")
    (root / "cold.yml").write_text(cold, encoding="utf-8")
    qip_build("site4", "cold.yml")
    assert_same_site(root / "site3", root / "site4")
