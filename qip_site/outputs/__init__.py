"""What a build writes besides pages: the search index (search), open data (opendata, with its
Excel workbooks: spreadsheet), the Atom feed (feed), the sharing pictures (og_image), robots.txt
(robots), reproducible bytes (reproducible), the site's icons (icons, added by the plugin as
files), the site folder itself: lock, staging, swap (sitedir), and the second process that writes the
outputs beside the pages (background).

Every output is one function of the same `Build`, listed in OUTPUTS under the name of its switch
in mkdocs.yml (`plugins: [qip: {outputs: {feed: false}}]`); `write_outputs` writes those switched on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `qip-site build` reads the site folder's helpers (sitedir) without loading the model
    from ..domain.model import Site

log = logging.getLogger("mkdocs.plugins.qip")


@dataclass(frozen=True)
class Build:
    """What every output is given: the site's model and where and how it is published."""

    site: Site
    site_dir: Path
    site_name: str
    site_url: str = ""  # "" when mkdocs.yml has no site_url: outputs then write relative addresses
    licence: str = "CC BY 4.0"
    plans_dir: str = "plans/"  # as the open data names its source
    root: Path | None = None  # the project folder (mkdocs.yml's): caches live under it; None: no cache kept


def _search(build: Build) -> None:
    from .search import records, write_index

    # The index is built from the plans, not from the HTML (see search.py).
    write_index(records(build.site), build.site_dir)


def _feed(build: Build) -> None:
    from .feed import atom_feed

    (build.site_dir / "feed.xml").write_bytes(atom_feed(build.site, build.site_name, build.site_url))


def _open_data(build: Build) -> None:
    from .opendata import write_site_data

    write_site_data(build.site, build.site_dir, build.licence, generated_from=build.plans_dir,
                    site_url=build.site_url)
    from .district import write_district

    write_district(build.site, build.site_dir, build.site_url)  # the district lists, as CSV
    from .compare import write_compare

    write_compare(build.site, build.site_dir)  # the comparison page's small per-school files


def _share_images(build: Build) -> None:
    import tempfile

    from .og_image import CACHE, cards, write_cards

    if build.root is not None:
        write_cards(cards(build.site, build.site_name), build.site_dir, build.root / CACHE)
        return
    with tempfile.TemporaryDirectory() as cache:
        write_cards(cards(build.site, build.site_name), build.site_dir, Path(cache))


def _robots(build: Build) -> None:
    from ..site import urls
    from .robots import KEPT, robots_txt

    path = build.site_dir / urls.ROBOTS
    if path.exists():  # docs/robots.txt, written by hand, wins (as a hand-written page does)
        log.info(KEPT)
        return
    path.write_text(robots_txt(build.site_url), encoding="utf-8")


# name (the switch in mkdocs.yml) -> the function that writes it
OUTPUTS: dict[str, Callable[[Build], None]] = {"search": _search, "feed": _feed, "open_data": _open_data,
                                               "share_images": _share_images, "robots": _robots}
# Those that read what the pages wrote (robots.txt yields to a hand-written one): written after them. The
# others need only the model, and the plugin has them written beside the pages, by a second process.
AFTER_PAGES = frozenset({"robots"})


def write_outputs(build: Build, enabled: Mapping[str, bool], only: Collection[str] = tuple(OUTPUTS)) -> list[str]:
    """Write every output switched on (all are, unless `enabled` says False) among `only` (all, unless
    given); return their names."""
    written = [name for name in OUTPUTS if enabled.get(name, True) and name in only]
    for name in written:
        OUTPUTS[name](build)
    return written
