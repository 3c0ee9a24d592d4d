"""The picture a shared link shows (Open Graph `og:image`, Zalo, Facebook): one small PNG for the
site and one for each school, with the school's name and level, drawn with Pillow in Noto Sans (OFL, vendored in fonts/ with its licence:
full Vietnamese, so no letter falls back to another font).

- `cards(site, site_name)` says which pictures exist and what each says; the plugin reads it to
  write the meta tags, `write_cards` draws them: the same list, so no tag points to nothing.
- The school's name is never cut: it is wrapped, in smaller type if it needs more than three
  lines. The other texts are wrapped too, and a text that still does not fit ends with "…".
- Cached between builds in `.cache/qip-og/` (git-ignored) under a hash of the texts, the fonts
  and this file: an unchanged school costs a file copy, a renamed one draws a new picture. A
  picture's time is its last use; one unused for `KEEP_DAYS` is removed (a renamed school's, or all
  of them after this file changes), so the cache the publishing jobs keep does not grow forever.
  By time, not by this build's list: a member site's build shares the folder with its district's.
- Deterministic: the same texts give the same bytes (no date in the PNG), so builds stay
  reproducible.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..domain.model import Site
from ..site import urls
from .sitedir import store

FONTS = Path(__file__).parent / "fonts"
BOLD = FONTS / "NotoSans-Bold.ttf"
REGULAR = FONTS / "NotoSans-Regular.ttf"
WIDTH, HEIGHT = 1200, 630
MARGIN = 72
CACHE = Path(".cache") / "qip-og"  # under the project folder
KEEP_DAYS = 30
INDIGO = (48, 63, 159)  # Material's indigo 700: the site's colour
INK = (33, 33, 33)
GREY = (97, 97, 97)
PAPER = (255, 255, 255)


@dataclass(frozen=True)
class Card:
    """One picture: the page it belongs to and what it says, top to bottom."""

    url: str  # the page's site-relative URL; the picture is urls.share_image(url)
    school: str  # the school's name, or the site's on the site's own picture
    title: str  # what the page is about
    foot: str  # the last line, in grey: the school's level ("Mầm non"), or ""
    site_name: str

    @property
    def alt(self) -> str:
        """The picture's text alternative (og:image:alt)."""
        return ". ".join(" ".join(part.split()) for part in (self.school, self.title, self.foot) if part.strip())

    @property
    def path(self) -> str:
        return urls.share_image(self.url)


def cards(site: Site, site_name: str) -> list[Card]:
    """Every picture of the site: its own, then each school's. Every page of a school (its plans, school
years, comparisons) shows the school's picture (`card_for`: the nearest page above it): a picture per
plan cost 12 KB and a file a plan, 9 % of a province's site and an eighth of its files, for a card that
differed only by the plan's title and years, which the shared link's own title and description
already say (og:title, og:description)."""
    out = [Card(urls.HOME, site_name, "Kế hoạch cải tiến chất lượng giáo dục của các trường, công khai theo "
                "Thông tư 09/2024/TT-BGDĐT", "", site_name)]
    for school in site.schools:
        out.append(Card(urls.school(school.slug), school.name, "Kế hoạch cải tiến chất lượng giáo dục",
                        school.level.label, site_name))
    return out


def card_for(page_url: str, by_url: dict[str, Card]) -> Card | None:
    """The picture a page shows: its own, else that of the nearest page above it, else the site's."""
    url = page_url
    while url not in by_url and url:
        url = url.rstrip("/").rpartition("/")[0]
        url = url + "/" if url else urls.HOME
    return by_url.get(url)


@functools.cache
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


@functools.cache
def _version() -> str:
    """What a picture depends on besides its texts: the fonts and this code."""
    digest = hashlib.sha256()
    for path in (BOLD, REGULAR, Path(__file__)):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def card_key(card: Card) -> str:
    texts = [card.school, card.title, card.foot, card.site_name, WIDTH, HEIGHT]
    return hashlib.sha256((_version() + json.dumps(texts, ensure_ascii=False)).encode("utf-8")).hexdigest()[:32]


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, most: int | None = None) -> list[str]:
    """The text in lines no wider than `width`, broken between words (a word wider than a line
    is broken between letters); with `most`, only the first `most + 1` lines (enough for `shorten`)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if most is not None and len(lines) > most:
            break
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= width and font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while most is None or len(lines) <= most:
            cut = _fitting(line, font, width)
            if cut == len(line):
                break
            lines.append(line[:cut])
            line = line[cut:]
    if line and (most is None or len(lines) <= most):
        lines.append(line)
    return lines


def _fitting(word: str, font: ImageFont.FreeTypeFont, width: int) -> int:
    """How many of the word's first letters fit in `width` (at least one): a binary search among the first
    `width` letters only (no letter is narrower than a pixel, but for zero-width ones, which then make a line
    of `width` letters), as a word may be thousands of letters long."""
    low, high = 1, min(len(word), width)  # word[:low] is kept whatever its width; word[:high + 1] is not tried
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(word[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def shorten(lines: list[str], most: int, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """At most `most` lines; when some are left out, the last one kept ends with "…"."""
    if len(lines) <= most:
        return lines
    last = lines[most - 1]
    while last and font.getlength(last + " …") > width:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    return lines[:most - 1] + [(last + " …").strip()]


def school_lines(name: str, width: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The school's name whole: in the largest size (64 down to 30 px) that fits in three lines,
    else in as many lines as it needs at 30 px (a name has at most 80 letters: three lines), up to
    MOST_NAME_LINES, the last ending with "…" when more are left out (the page and the alt text have it whole)."""
    for size in (64, 58, 52, 46, 40, 34):
        font = _font(BOLD, size)
        lines = wrap(name, font, width, most=3)
        if len(lines) <= 3:
            return font, lines
    font = _font(BOLD, 30)
    return font, shorten(wrap(name, font, width, most=MOST_NAME_LINES), MOST_NAME_LINES, font, width)


MOST_NAME_LINES = 6  # at 30 px, what the picture has room for above the title


# The picture is drawn straight into a palette of 13 colours: the paper, then for each of the three
# text colours 4 steps from the paper to the colour (the letters' smoothed edges in quarter steps:
# 0 to 100 % of the colour). White text on the indigo band uses the indigo steps backwards. Quarter
# steps look the same as 16 on the card (each edge pixel is at most 1/8 of the contrast off) and
# cost a third fewer bytes (10 KB a picture, 15 KB with 16 steps, measured on a 112-picture demo).
# The palette is padded to 17 entries so that the PNG stores a byte a pixel: deflate packs bytes
# about 10 % better than the pairs of 4-bit indices it gets with 16 colours or fewer.
_STEPS = 4
_INKS = (INDIGO, INK, GREY)
_PALETTE = [*PAPER, *(round(PAPER[k] + (ink[k] - PAPER[k]) * i / _STEPS)
                      for ink in _INKS for i in range(1, _STEPS + 1) for k in range(3))]
_PALETTE += [0, 0, 0] * (17 - len(_PALETTE) // 3)


def _index(ink: int, coverage: int) -> int:
    """The palette index of text colour `ink` (0 indigo, 1 ink, 2 grey) over the paper at `coverage` (0–255)."""
    step = round(coverage * _STEPS / 255)
    return ink * _STEPS + step if step else 0


_BAND = _index(0, 255)  # the indigo band


def _text(canvas: Image.Image, xy: tuple[int, int], text: str, font: ImageFont.FreeTypeFont, ink: int,
          anchor: str = "la") -> None:
    """Draw `text` in colour `ink` of _INKS onto `canvas` (an "L" image of palette indices); ink -1 is
    white on the indigo band."""
    left, top, right, bottom = (round(v) for v in font.getbbox(text, anchor=anchor))
    if right <= left or bottom <= top:
        return
    mask = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(mask).text((-left, -top), text, font=font, fill=255, anchor=anchor)
    lut = [_index(0, 255 - v) for v in range(256)] if ink < 0 else [_index(ink, v) for v in range(256)]
    canvas.paste(mask.point(lut), (xy[0] + left, xy[1] + top))


def draw(card: Card) -> bytes:
    """The picture as PNG bytes: a coloured band with the site's name, the school's name, the
    title and the foot line."""
    canvas = Image.new("L", (WIDTH, HEIGHT), 0)  # palette indices; 0 is the paper
    canvas.paste(_BAND, (0, 0, WIDTH, 96))
    width = WIDTH - 2 * MARGIN
    small = _font(REGULAR, 30)
    site_line = shorten(wrap(card.site_name, small, width, most=1), 1, small, width)
    if site_line:
        _text(canvas, (MARGIN, 48), site_line[0], small, -1, anchor="lm")
    y = 140
    school_font, names = school_lines(card.school, width)
    for line in names:
        _text(canvas, (MARGIN, y), line, school_font, 0)
        y += round(school_font.size * 1.25)
    y += 18
    foot_font = _font(BOLD, 36)
    bottom = HEIGHT - MARGIN - (foot_font.size if card.foot else 0) - 24
    title_font = _font(REGULAR, 38)
    step = round(title_font.size * 1.3)
    room = max(0, round(bottom - y) // step)
    if room:
        for line in shorten(wrap(card.title, title_font, width, most=room), room, title_font, width):
            _text(canvas, (MARGIN, y), line, title_font, 1)
            y += step
    if card.foot:
        foot = shorten(wrap(card.foot, foot_font, width, most=1), 1, foot_font, width)[0]
        _text(canvas, (MARGIN, HEIGHT - MARGIN), foot, foot_font, 2, anchor="ls")
    image = Image.frombytes("P", canvas.size, canvas.tobytes())
    image.putpalette(_PALETTE)
    out = io.BytesIO()
    # Deflate at level 7, no metadata. Level 9 (`optimize`) saves 9 % more but costs 60 ms a picture instead
    # of 12 (03/12/2026): 15 minutes of a 12,000-plan site's first build.
    image.save(out, "PNG", compress_level=7)
    return out.getvalue()


def write_cards(items: Iterable[Card], site_dir: Path, cache: Path) -> list[Path]:
    """Every card's picture into the site, from the cache; a picture not in the cache is drawn
    first (only those: an unchanged text costs a file copy). Returns the site's files."""
    items = list(items)
    sources = {card: cache / f"{card_key(card)}.png" for card in items}
    missing = list({path: card for card, path in sources.items() if not path.is_file()}.items())
    if missing:
        cache.mkdir(parents=True, exist_ok=True)
        for path, card in missing:
            store(path, draw(card))  # about 20 ms each
    written = []
    for card in items:
        target = site_dir / card.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sources[card], target)
        os.utime(sources[card])  # used now: kept for KEEP_DAYS more
        written.append(target)
    _forget_unused(cache)
    return written


def _forget_unused(cache: Path) -> None:
    """Remove the cache's files not used for KEEP_DAYS (and parts a killed build left as long)."""
    if not cache.is_dir():
        return
    oldest = time.time() - KEEP_DAYS * 86400
    with os.scandir(cache) as entries:
        for entry in entries:
            try:
                if entry.is_file() and entry.stat().st_mtime < oldest:
                    os.unlink(entry.path)
            except OSError:
                pass  # gone already (another build at once): nothing to do
