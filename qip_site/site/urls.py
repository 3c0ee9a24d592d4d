"""Where each page lives. One place decides every URL, so links and pages always agree.

URLs have no diacritics ("đ" becomes "d", which Python-Markdown's default slugify drops) and are
stable: they come from folder and file names the editor chose, school years and criterion codes.
"""

from __future__ import annotations

import posixpath
from typing import Any

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


def original_name(suffix: str) -> str:
    """The signed original's file name in its plan page's folder: "ban-goc.pdf"."""
    return f"ban-goc{suffix}"


def original(school_slug: str, plan_slug: str, suffix: str) -> str:
    return plan(school_slug, plan_slug) + original_name(suffix)


def plan_data_name(extension: str) -> str:
    """A plan's open-data file in its page's folder: "ke-hoach.json", "ke-hoach.csv"."""
    return f"ke-hoach.{extension}"


def plan_data(school_slug: str, plan_slug: str, extension: str) -> str:
    return plan(school_slug, plan_slug) + plan_data_name(extension)


def download_name(file_name: str, school_slug: str, plan_slug: str) -> str:
    """The name a plan's file is saved under: "ke-hoach.csv" -> "ke-hoach-mn-thuy-tien-2022-2027.csv".
    The files themselves share one name per plan folder, which would collide in a Downloads folder."""
    stem, dot, extension = file_name.rpartition(".")
    return f"{stem}-{school_slug}-{plan_slug}{dot}{extension}"


def year(year: SchoolYear) -> str:
    return f"nam-hoc/{year.label}/"


def year_budget(year: SchoolYear) -> str:
    return f"nam-hoc/{year.label}/kinh-phi/"


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
