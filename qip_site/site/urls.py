"""Where each page lives. One place decides every URL, so links and pages always agree.

URLs have no diacritics ("đ" becomes "d", which Python-Markdown's default slugify drops) and are
stable: they come from folder and file names the editor chose, school years and criterion codes.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..domain.years import SchoolYear

HOME = ""
SCHOOLS = "truong/"
YEARS = "nam-hoc/"
CRITERIA = "tieu-chi/"


# Member sites (issue 18): a district's build also publishes one small site per school, each in its own
# folder of the district's site (`member_site`), so that it can be served on the school's own domain too.
# Inside a member site its school's page is the home page, and the pages only a district has (the
# comparison, the district lists) are the district's: the plugin calls `set_member` before each build.
MEMBERS = "thanh-vien/"


def member_site(slug: str) -> str:
    """The folder of a school's member site inside the district's site: "thanh-vien/mn-thuy-tien/"."""
    return f"{MEMBERS}{slug}/"


# From a member site's home to the district's home, when the district has no address (a local build).
MEMBER_TO_DISTRICT = "../" * member_site("x").count("/")
# A site's public address as mkdocs.yml may give it (site_url, a member site's own): http(s), a host, a path of
# the characters an address holds as they are; no quote, angle bracket, space, query or fragment.
_PUBLIC_ADDRESS_RE = re.compile(r"https?://[\w.\-]+(?::[0-9]{1,5})?(?:/[\w\-.~%!$&()*+,;=:@/]*)?")


def is_public_address(address: str) -> bool:
    """"https://kehoach.truong.edu.vn/" yes; "https://a.vn/\"><script>" no."""
    return bool(_PUBLIC_ADDRESS_RE.fullmatch(address))


SEARCH_QUERY = "tim"  # "…/?tim=sân chơi" opens a site's search box with that query (qip-search-link.js)


@dataclass(frozen=True)
class Member:
    """The member site being built: its school, and the district it belongs to."""

    school: str  # the school's folder in plans/
    district: str  # the district site's home: absolute ("https://…/"), or MEMBER_TO_DISTRICT
    district_name: str  # who publishes the district site, as "Tìm trong tất cả các trường của …" names it


_member: Member | None = None  # None: a district's (or one school's) site


def set_member(member: Member | None) -> None:
    global _member
    _member = member


def member() -> Member | None:
    """The member site being built, or None."""
    return _member


def in_district(page_url: str, target: str) -> str:
    """A link from `page_url` to `target`, a page every district site has: in a member site, the
    district's page (absolute when the district has an address, else relative), else this site's."""
    if _member is None:
        return relative(page_url, target)
    if "://" in _member.district:
        return _member.district + target
    return relative(page_url, HOME).rstrip("/") + "/" + _member.district + target


def district_search(page_url: str) -> str:
    """From a member site's page: the district's home page with its search box open."""
    return in_district(page_url, HOME) + f"?{SEARCH_QUERY}="


def school(slug: str) -> str:
    return HOME if _member is not None and slug == _member.school else f"truong/{slug}/"


def school_year(slug: str, year: SchoolYear) -> str:
    return f"truong/{slug}/{year.label}/"


def plan(school_slug: str, plan_slug: str) -> str:
    return f"truong/{school_slug}/ke-hoach-{plan_slug}/"


def plan_versions(school_slug: str, plan_slug: str) -> str:
    """The page comparing any two versions of an amended plan."""
    return plan(school_slug, plan_slug) + "so-sanh/"


def original_name(suffix: str) -> str:
    """The signed original's file name in its plan page's folder: "ban-goc.pdf"."""
    return f"ban-goc{suffix}"


def original(school_slug: str, plan_slug: str, suffix: str) -> str:
    return plan(school_slug, plan_slug) + original_name(suffix)


def evidence(school_slug: str, plan_slug: str, name: str) -> str:
    """A result's evidence file, published beside its plan's page: "…/ke-hoach-2024-2025/minh-chung/x.pdf"."""
    return plan(school_slug, plan_slug) + "minh-chung/" + name


def plan_data_name(extension: str) -> str:
    """A plan's file by its kind: "ke-hoach.pdf" in its page's folder; "ke-hoach.json" and "ke-hoach.csv"
    in its school's zip (`school_data`), at the path they would have on the site."""
    return f"ke-hoach.{extension}"


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_TYPE = "application/zip"


def plan_data(school_slug: str, plan_slug: str, extension: str) -> str:
    return plan(school_slug, plan_slug) + plan_data_name(extension)


DATA_ZIP_NAME = "du-lieu.zip"


def school_data(slug: str) -> str:
    """Every plan of a school as JSON and CSV, in one zip beside the school's page: "truong/mn-thuy-tien/du-lieu.zip"
    (one compressed file per school, not two files per plan: the hosts' limits, issue 15)."""
    return school(slug) + DATA_ZIP_NAME


def school_data_download(slug: str) -> str:
    """The name a school's zip is saved under: "du-lieu-mn-thuy-tien.zip" (every school's zip has the same name)."""
    return f"du-lieu-{slug}.zip"


WORKBOOK_NAME = plan_data_name("xlsx")  # "ke-hoach.xlsx", named as a plan's data and the site's workbook are
SHEET_NAME_CHARS = 31  # Excel's limit for a sheet's name
_NOT_IN_SHEET_NAME = re.compile(r"[\\/?*\[\]:\x00-\x1f]")  # Excel refuses these in a sheet's name


def school_workbook(slug: str) -> str:
    """Every plan of a school in one Excel workbook, one sheet per plan, beside the school's zip:
    "truong/mn-thuy-tien/ke-hoach.xlsx" (one file per school, not one per plan: the hosts' limits, issue 15)."""
    return school(slug) + WORKBOOK_NAME


def school_workbook_download(slug: str) -> str:
    """The name a school's workbook is saved under: "ke-hoach-mn-thuy-tien.xlsx" (every school's has the same name)."""
    return f"ke-hoach-{slug}.xlsx"


def workbook_sheets(plan_slugs: Iterable[str]) -> dict[str, str]:
    """Each plan's sheet in its school's workbook, by the plan's slug: the slug itself ("2022-2027"), as
    Excel allows a sheet's name: at most 31 characters (a longer one is cut, ending in "…"), none of
    \\ / ? * [ ] : (each becomes "-"), no ' at either end, not "History" (Excel's own), unique ignoring
    case (a name already taken gets " (2)", " (3)"… as Excel numbers a copied sheet). The slugs are
    named in their sorted order, so a plan's sheet does not depend on the order it is asked in."""

    def cut(name: str, limit: int) -> str:
        return name if len(name) <= limit else name[:limit - 1] + "…"

    names: dict[str, str] = {}
    taken = {"history"}
    for slug in sorted(set(plan_slugs)):
        name = _NOT_IN_SHEET_NAME.sub("-", slug).strip("'") or "ke-hoach"
        chosen, number = cut(name, SHEET_NAME_CHARS), 1
        while chosen.casefold() in taken:
            number += 1
            chosen = cut(name, SHEET_NAME_CHARS - len(f" ({number})")) + f" ({number})"
        taken.add(chosen.casefold())
        names[slug] = chosen
    return names


def plan_pdf_name() -> str:
    """The plan printed as a PDF (outputs/pdf.py), in its page's folder beside its data: "ke-hoach.pdf"."""
    return plan_data_name("pdf")


DATA = "du-lieu/"


def site_data_file(extension: str) -> str:
    """The whole site's plans in one file of a kind, named as a plan's are (`plan_data_name`):
    "du-lieu/ke-hoach.xlsx" (the workbook), and "du-lieu/ke-hoach.json" and "du-lieu/ke-hoach.csv" (in `site_data`)."""
    return DATA + plan_data_name(extension)


def site_data() -> str:
    """The whole site's data in one zip: ke-hoach.json, ke-hoach.csv and the JSON Schema: "du-lieu/du-lieu.zip"."""
    return DATA + DATA_ZIP_NAME


def share_image_name() -> str:
    """A page's sharing picture (og:image) in its folder: "chia-se.png"."""
    return "chia-se.png"


def share_image(page_url: str) -> str:
    """The sharing picture of the page at `page_url` ("" for the home page: the site's own picture)."""
    return page_url + share_image_name()


ROBOTS = "robots.txt"
SITEMAP = "sitemap.xml"
FAVICON = "assets/qip-favicon.svg"  # the default icon (a PNG `icon:` in mkdocs.yml gives qip-favicon.png)
APPLE_TOUCH_ICON = "assets/qip-apple-touch-icon.png"


def download_name(file_name: str, school_slug: str, plan_slug: str) -> str:
    """The name a plan's file is saved under: "ke-hoach.pdf" -> "ke-hoach-mn-thuy-tien-2022-2027.pdf".
    The files themselves share one name per plan folder, which would collide in a Downloads folder."""
    stem, dot, extension = file_name.rpartition(".")
    return f"{stem}-{school_slug}-{plan_slug}{dot}{extension}"


def year(year: SchoolYear) -> str:
    return f"nam-hoc/{year.label}/"


def year_budget(year: SchoolYear) -> str:
    return f"nam-hoc/{year.label}/kinh-phi/"


def district(year: SchoolYear) -> str:
    """Which schools have published their plan for `year`, and which have not."""
    return f"nam-hoc/{year.label}/cong-khai/"


def district_csv_name(year: SchoolYear) -> str:
    """The district list as CSV, in its page's folder: "cong-khai-2024-2025.csv" (one name per year,
    so downloads of several years do not collide)."""
    return f"cong-khai-{year.label}.csv"


def district_csv(year: SchoolYear) -> str:
    return district(year) + district_csv_name(year)


COMPARE = "so-sanh/"  # schools side by side, drawn in the browser from the files below
COMPARE_INDEX = COMPARE + "truong.json"  # every school: slug, name, level, place, school years
COMPARE_SCRIPT = COMPARE + "so-sanh.js"


def compare_data(slug: str) -> str:
    """One school's years for the comparison page: one small file beside its school page (one file per
    school, not per school year: fewer files for the hosts' limits, issue 15)."""
    return school(slug) + "so-sanh.json"


def circular(slug: str) -> str:
    return f"tieu-chi/{slug}/"


def criterion(circular_slug: str, code: str, page: int = 1) -> str:
    base = f"tieu-chi/{circular_slug}/{code.replace('.', '-')}/"
    return base if page == 1 else f"{base}trang-{page}/"


def source_path(url: str) -> str:
    """The Markdown file that produces `url` with directory URLs: "truong/x/" -> "truong/x/index.md"."""
    return f"{url}index.md"


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url` (both site-relative directory URLs)."""
    target = to_url.split("#", 1)
    rel = _relative_path(target[0], from_url)
    return rel + (f"#{target[1]}" if len(target) > 1 else "")


@functools.lru_cache(maxsize=8192)  # a page links to the same few pages many times (its rows' anchors)
def _relative_path(path: str, from_url: str) -> str:
    rel = posixpath.relpath(path or ".", from_url or ".")
    return "./" if rel == "." else rel + ("/" if path.endswith("/") else "")


def resolve(data: Any, page_url: str, site_url: str = "") -> Any:
    """Structured data with its site-relative `url` and `contentUrl` values made usable on a page.

    schema.org readers resolve a relative URL against the page, so a site-relative path is wrong
    on any page but the home page: it becomes absolute under `site_url` when the site has one,
    and relative to `page_url` otherwise.
    """
    if isinstance(data, dict):
        return {key: (_resolved(value, page_url, site_url) if key in ("url", "contentUrl") and isinstance(value, str)
                      else resolve(value, page_url, site_url)) for key, value in data.items()}
    if isinstance(data, list):
        return [resolve(value, page_url, site_url) for value in data]
    return data


def _resolved(url: str, page_url: str, site_url: str) -> str:
    if "://" in url:
        return url
    return site_url.rstrip("/") + "/" + url if site_url else relative(page_url, url)


# Embedding a page in a school's own website: the same page with `?nhung=1` shows without the
# site's header, menu and footer (overrides/main.html, qip-embed.js), so no page is built twice.
EMBED_QUERY = "nhung=1"
EMBED_HEIGHT = 800  # the iframe's height in pixels when the host's editor strips the script


def embed(page_url: str, site_url: str) -> str:
    """The absolute address an iframe shows ("" without `site_url`: the page fills it from `location`)."""
    return f"{site_url.rstrip('/')}/{page_url}?{EMBED_QUERY}" if site_url else ""


def origin(site_url: str) -> str:
    """"https://kehoach.example.vn/quan-5/" -> "https://kehoach.example.vn" ("" without `site_url`)."""
    parts = urlsplit(site_url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
