"""Member sites: from one build, the district's site and a small site per school it lists.

`member_sites` in mkdocs.yml names the schools (each with the address its own site is served at,
or nothing: the district's address + thanh-vien/<school>/). `qip-site build` runs this module in
its child process (`python -m qip_site.outputs.members SITE CONFIG STAGING`): MkDocs builds the
district's site into the staging folder (sitedir.child), then, in the same process (the theme's
templates are compiled once), each member site into `STAGING/thanh-vien/<school>/`, with
QIP_MEMBER_SITE naming the school. The plugin then reads only that school (`schools: [x]`), sets the
member's address, makes the school's page the home page (`urls.set_member`) and leaves the pages only a
district has (its home, the comparison, the district lists) to the district, linked there. Any
failure fails the whole build before the swap (sitedir.py): the site online stays as it was.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from ..domain.district import district_years
from ..domain.model import Site
from ..reading.names import is_slug
from ..site import urls

MEMBER_ENV = "QIP_MEMBER_SITE"  # the school whose member site this MkDocs build is


def member_site(settings: Any, config: Any, plans_dir: Path) -> urls.Member | None:
    """Check the `member_sites` setting (the plugin's `settings`), then, in a member's build, make
    MkDocs' `config` that member's: its school only, its address, the district's address to link to."""
    sites = settings.member_sites
    for slug, address in sites.schools.items():
        problem = _problem(slug, address or "", settings, plans_dir)
        if problem:
            raise PluginError(f"mkdocs.yml: lỗi: member_sites: {problem}")
    slug = os.environ.get(MEMBER_ENV)
    if not slug:
        urls.set_member(None)
        return None
    if slug not in sites.schools:
        raise PluginError(f"mkdocs.yml: lỗi: member_sites: không có trường \"{slug}\" ({MEMBER_ENV}).")
    district = config.site_url or ""
    own = _slashed(sites.schools[slug] or "")
    config.site_url = own or (district + urls.member_site(slug) if district else None)
    settings.schools = [slug]
    name = sites.district.strip() or f"trang “{config.site_name}”"
    member = urls.Member(slug, district or urls.MEMBER_TO_DISTRICT, name)
    urls.set_member(member)
    # The header's search box links to the district's search (overrides/partials/qip-search.html).
    config.extra["qip_member"] = {"district": member.district, "name": name, "absolute": bool(district),
                                  "query": urls.SEARCH_QUERY}
    return member


def _problem(slug: str, address: str, settings: Any, plans_dir: Path) -> str | None:
    plans = settings.plans_dir.rstrip("/")
    if not isinstance(slug, str) or not is_slug(slug) or not (plans_dir / slug).is_dir():
        return f"không có thư mục trường \"{slug}\" trong {plans}/; hãy ghi đúng tên thư mục của trường."
    if settings.schools and slug not in settings.schools:
        return (f"trường \"{slug}\" không nằm trong các trường được đăng (schools: "
                f"{', '.join(settings.schools)}); hãy thêm vào schools hoặc bỏ khỏi member_sites.")
    if address and not urls.is_public_address(address.strip()):
        return (f"địa chỉ \"{address}\" của trường \"{slug}\" phải là địa chỉ web đầy đủ, ví dụ "
                "https://kehoach.truong.edu.vn/, hoặc để trống (\"\").")
    return None


def _slashed(address: str) -> str:
    address = address.strip()
    return address if not address or address.endswith("/") else address + "/"


def district_pages(site: Site) -> set[str]:
    """Pages a member site leaves to its district (by source path): the district's home (the school's
    page is the member's home), the comparison and the district lists (their links go to the district)."""
    return {urls.source_path(urls.HOME), urls.source_path(urls.COMPARE),
            *(urls.source_path(urls.district(year)) for year in district_years(site))}


def child(site_dir: str, config_file: str, staging: str) -> int:
    """Build the district's site into `staging`, then each member site into its folder inside it."""
    from . import sitedir

    args = ["--strict", "-f", config_file]
    code = sitedir.child([site_dir, *args, "-d", staging])
    if code != 0:
        return code
    try:
        from mkdocs.config import load_config

        plugin = load_config(config_file).plugins.get("qip")
        schools = list(plugin.config.member_sites.schools) if plugin else []
    except Exception as error:  # noqa: BLE001 - the district's build read it already; one line anyway
        if os.environ.get("QIP_DEBUG"):
            raise
        print(sitedir.fault_line(site_dir, error), file=sys.stderr)
        return sitedir.FAULT_EXIT
    for slug in schools:
        os.environ[MEMBER_ENV] = slug
        try:
            code = sitedir.child([site_dir, *args, "-d", str(Path(staging) / urls.member_site(slug))])
        finally:
            del os.environ[MEMBER_ENV]
            urls.set_member(None)
        if code != 0:
            print(f"Trang riêng của trường {slug} (member_sites) không dựng được.", file=sys.stderr)
            return code
    if schools:
        from .host_limits import check_site

        for line in check_site(Path(staging)):  # the whole site, members included
            print(line, file=sys.stderr)
        print(f"Đã dựng trang riêng của {len(schools)} trường trong {urls.MEMBERS}: {', '.join(schools)}.",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(child(*sys.argv[1:4]))
