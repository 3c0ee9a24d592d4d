"""Where each page lives. One place decides every URL, so links and pages always agree.

URLs have no diacritics ("đ" becomes "d", which Python-Markdown's default slugify drops) and are
stable: they come from folder and file names the editor chose, school years and criterion codes.
"""

from __future__ import annotations

import posixpath
from typing import Any
from urllib.parse import urlsplit

from slugify import slugify as _slugify

from ..domain.years import SchoolYear


def slugify(text: str) -> str:
    """"Trường Mầm non Đông Hòa" -> "truong-mam-non-dong-hoa" (python-slugify folds đ to d)."""
    return _slugify(text)


HOME = ""
SCHOOLS = "truong/"
YEARS = "nam-hoc/"
CRITERIA = "tieu-chi/"


def school(slug: str) -> str:
    return f"truong/{slug}/"


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
    """A plan's open-data file in its page's folder: "ke-hoach.json", "ke-hoach.csv"."""
    return f"ke-hoach.{extension}"


# A plan's downloads, in the order its page lists them: extension, label, media type.
PLAN_DOWNLOADS = (
    ("json", "JSON", "application/json"),
    ("csv", "CSV", "text/csv"),
    ("xlsx", "Excel (.xlsx)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
)


def plan_data(school_slug: str, plan_slug: str, extension: str) -> str:
    return plan(school_slug, plan_slug) + plan_data_name(extension)


DATA = "du-lieu/"


def site_measures(extension: str) -> str:
    """The whole site's measures in one file: "du-lieu/measures.csv", "du-lieu/measures.xlsx"."""
    return f"{DATA}measures.{extension}"


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
    """The name a plan's file is saved under: "ke-hoach.csv" -> "ke-hoach-mn-thuy-tien-2022-2027.csv".
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


def compare_data(slug: str, year: SchoolYear) -> str:
    """One school's year for the comparison page: a small file beside its school-year page."""
    return school_year(slug, year) + "so-sanh.json"


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
    rel = posixpath.relpath(target[0] or ".", from_url or ".")
    rel = "./" if rel == "." else rel + ("/" if target[0].endswith("/") else "")
    return rel + (f"#{target[1]}" if len(target) > 1 else "")


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
