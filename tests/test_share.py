"""Found and shared: Open Graph, schema.org JSON-LD and the Atom feed carry plan text as data."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
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

    from conftest import ENV, REPO, run_cli

    out = tmp_path / "site"
    built = run_cli("build", "-d", str(out), cwd=REPO, env={**ENV, "QIP_SITE_URL": "https://kehoach.example.edu.vn/pgd"})
    assert built.returncode == 0, built.stderr
    base = "https://kehoach.example.edu.vn/pgd/"
    sitemap = ET.parse(out / "sitemap.xml").getroot()
    locations = {e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    pages = {base + p.parent.relative_to(out).as_posix() + "/" for p in out.rglob("index.html")}
    assert {url.replace(base + "./", base) for url in pages} == locations
    plan = soup(out / "truong/mn-thuy-tien/ke-hoach-2022-2027/index.html")
    assert meta(plan, "og:url") == base + "truong/mn-thuy-tien/ke-hoach-2022-2027/"
    assert meta(plan, "og:image") == base + "truong/mn-thuy-tien/chia-se.png"
    assert meta(soup(out / "gioi-thieu/index.html"), "og:image") == base + "chia-se.png"
    assert (out / "robots.txt").read_text(encoding="utf-8").endswith(f"\nSitemap: {base}sitemap.xml\n")
    assert "không có site_url" not in built.stderr
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


# ---------------------------------------------------------------------------------------------
# The picture a shared link shows (og:image), the icons, robots.txt, the sitemap and the 404 page


PICTURED = {
    "truong/mn-thuy-tien/": ("Trường Mầm non Thủy Tiên", "Mầm non"),
    "truong/th-le-dinh-chinh/": ("Trường Tiểu học Lê Đình Chinh", "Tiểu học"),
}


def test_each_school_has_its_picture_and_its_plans_share_it(seed_site: Path) -> None:
    from PIL import Image

    for url, (school, level) in PICTURED.items():
        page = soup(seed_site / url / "index.html")
        assert meta(page, "og:image") == "chia-se.png", url  # relative: the seed site has no site_url
        assert meta(page, "og:image:width") == "1200" and meta(page, "og:image:height") == "630"
        assert meta(page, "og:image:alt").startswith(school + ". ") and meta(page, "og:image:alt").endswith(level)
        assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
        picture = seed_site / url / "chia-se.png"
        with Image.open(picture) as image:
            assert image.format == "PNG" and image.size == (1200, 630)
        assert picture.stat().st_size <= 16_000, picture.stat().st_size  # 7–14 KB on 03/12/2026 (deflate level 7)
    # A school's plans and school years show its picture, with its words; every page outside a school,
    # the site's own.
    for url, owner in [("truong/mn-thuy-tien/ke-hoach-2022-2027/", "truong/mn-thuy-tien/"),
                       ("truong/th-le-dinh-chinh/ke-hoach-2023-2024/", "truong/th-le-dinh-chinh/"),
                       ("truong/mn-thuy-tien/2024-2025/", "truong/mn-thuy-tien/"), ("", ""), ("truong/", ""),
                       ("tieu-chi/tt19-2018/", ""), ("gioi-thieu/", "")]:
        page = soup(seed_site / url / "index.html")
        target = (seed_site / url / meta(page, "og:image")).resolve()
        assert target == (seed_site / owner / "chia-se.png").resolve() and target.is_file(), url
        assert not (url.startswith("truong/") and (seed_site / url / "chia-se.png").exists()), url
    # No picture is left unnamed, and none is named without being there.
    named = {(path.parent / meta(soup(path), "og:image")).resolve() for path in seed_site.rglob("index.html")}
    assert named == {p.resolve() for p in seed_site.rglob("chia-se.png")}


def test_pictures_are_drawn_once_and_again_when_a_title_changes(tmp_path: Path, monkeypatch) -> None:
    from qip_site.outputs import og_image

    card = og_image.Card("truong/a/ke-hoach-2024-2025/", "Trường Mầm non A", "KẾ HOẠCH cải tiến chất lượng",
                         "Năm học 2024-2025", "Kế hoạch cải tiến chất lượng giáo dục")
    drawn = []
    draw = og_image.draw
    monkeypatch.setattr(og_image, "draw", lambda c: drawn.append(c) or draw(c))
    cache = tmp_path / "cache"
    og_image.write_cards([card], tmp_path / "site", cache)
    first = next(cache.iterdir())
    stamp = first.stat().st_ino  # a picture written again is a new file (written whole, then renamed)
    og_image.write_cards([card], tmp_path / "again", cache)
    assert drawn == [card] and list(cache.iterdir()) == [first] and first.stat().st_ino == stamp
    assert (tmp_path / "again" / card.path).read_bytes() == first.read_bytes()
    # A new title: a new picture, under another name; the old one is not rewritten.
    changed = og_image.Card(card.url, card.school, "KẾ HOẠCH đã sửa", card.foot, card.site_name)
    og_image.write_cards([changed], tmp_path / "site", cache)
    assert drawn == [card, changed] and len(list(cache.iterdir())) == 2 and first.stat().st_ino == stamp
    assert (tmp_path / "site" / card.path).read_bytes() != first.read_bytes()


def test_a_picture_unused_for_a_month_leaves_the_cache(tmp_path: Path) -> None:
    """The cache the publishing jobs keep: a picture is kept while some build uses it, and removed
    once no build has for KEEP_DAYS (a renamed school's old picture), with a killed build's part."""
    import os
    import time

    from qip_site.outputs import og_image

    cards = [og_image.Card(f"truong/{s}/", f"Trường Mầm non {s.upper()}", "", "Mầm non", "Kế hoạch") for s in "ab"]
    cache = tmp_path / "cache"
    og_image.write_cards(cards, tmp_path / "site", cache)
    used, renamed = (cache / f"{og_image.card_key(card)}.png" for card in cards)
    part = cache / ".x.png.123.part"
    part.write_bytes(b"half")
    long_ago = time.time() - (og_image.KEEP_DAYS + 1) * 86400
    recently = time.time() - (og_image.KEEP_DAYS - 1) * 86400
    for path, when in ((used, long_ago), (renamed, long_ago), (part, long_ago)):
        os.utime(path, (when, when))
    # School b was renamed a month ago: only a's picture is still used.
    og_image.write_cards(cards[:1], tmp_path / "site", cache)
    assert sorted(cache.iterdir()) == [used] and used.stat().st_mtime > recently
    # Used within the month, even by another site's build: kept.
    os.utime(used, (recently, recently))
    og_image.write_cards([], tmp_path / "other", cache)
    assert sorted(cache.iterdir()) == [used]


FULLEST = ("Trường Trung học cơ sở và Trung học phổ thông Nguyễn Thị Minh Khai Quận Ba thành phố Hồ Chí Minh",
           "KẾ HOẠCH cải tiến chất lượng giáo dục sau đánh giá ngoài " * 6,
           "Từ năm học 2022-2023 đến năm học 2026-2027",
           "Phòng Giáo dục và Đào tạo huyện Điện Biên Đông, tỉnh Điện Biên – Kế hoạch cải tiến chất lượng")


def test_a_picture_is_a_small_palette_png_with_smooth_vietnamese_letters() -> None:
    """The fullest card (three lines of name, two of title, the longest years, a site name cut with "…"):
    13 colours stored a byte a pixel, no other chunk, 19.8 KB on 03/12/2026 at deflate level 7 (the 64-colour drawing made
    26.9 KB of it; a seed plan's picture is 9–13 KB). Its letters are those of a drawing with full
    smoothing, each pixel within an eighth of the contrast (quarter steps of the colour)."""
    import io
    import struct

    from PIL import Image, ImageChops, ImageDraw

    from qip_site.outputs import og_image

    card = og_image.Card("truong/a/ke-hoach-2022-2027/", *FULLEST)
    data = og_image.draw(card)
    assert len(data) <= 20_000, len(data)
    chunks, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunks.append((kind.decode(), data[at + 8:at + 8 + length]))
        at += 12 + length
    assert [k for k, _ in chunks if k != "IDAT"] == ["IHDR", "PLTE", "IEND"]  # no text, date or profile
    width, height, depth, colour_type = struct.unpack(">IIBB", chunks[0][1][:10])
    assert (width, height, depth, colour_type) == (1200, 630, 8, 3)  # palette indices, a byte each
    with Image.open(io.BytesIO(data)) as image:
        drawn = image.convert("RGB")
        assert len(image.getcolors()) == 13
    assert data == og_image.draw(card)  # the same texts, the same bytes
    # The same texts drawn in full colour: the band's white line and the grey years.
    width = og_image.WIDTH - 2 * og_image.MARGIN
    small, bold = og_image._font(og_image.REGULAR, 30), og_image._font(og_image.BOLD, 36)
    site_line = og_image.shorten(og_image.wrap(card.site_name, small, width), 1, small, width)[0]
    assert site_line.endswith("…")
    full = Image.new("RGB", drawn.size, og_image.PAPER)
    pen = ImageDraw.Draw(full)
    pen.rectangle((0, 0, og_image.WIDTH, 95), fill=og_image.INDIGO)
    pen.text((og_image.MARGIN, 48), site_line, font=small, fill=og_image.PAPER, anchor="lm")
    pen.text((og_image.MARGIN, og_image.HEIGHT - og_image.MARGIN), card.foot, font=bold, fill=og_image.GREY,
             anchor="ls")
    for box, contrast in [((0, 0, 1200, 96), 255 - 48), ((0, 505, 1200, 630), 255 - 97)]:
        difference = ImageChops.difference(drawn.crop(box), full.crop(box))
        assert max(high for _, high in difference.getextrema()) <= contrast // 8 + 1, box
        assert len(drawn.crop(box).getcolors()) == 5, box  # two colours and three steps between them


def test_a_picture_drawn_by_another_version_of_the_code_is_drawn_again(tmp_path: Path, monkeypatch) -> None:
    """The cache key holds a hash of og_image.py and the fonts (`_version`): a picture cached by an older
    drawing (an RGB one, or one of 64 colours) is not copied into the site, the new one is drawn."""
    from PIL import Image

    from qip_site.outputs import og_image

    card = og_image.Card("truong/a/", "Trường Mầm non A", "Kế hoạch cải tiến chất lượng giáo dục", "Mầm non",
                         "Kế hoạch cải tiến chất lượng giáo dục")
    with monkeypatch.context() as patch:
        patch.setattr(og_image, "_version", lambda: "og_image.py before the palette of 13 colours")
        old = og_image.card_key(card)
    assert og_image.card_key(card) != old
    cache = tmp_path / "cache"
    cache.mkdir()
    Image.new("RGB", (og_image.WIDTH, og_image.HEIGHT), (200, 0, 0)).save(cache / f"{old}.png")
    og_image.write_cards([card], tmp_path / "site", cache)
    with Image.open(tmp_path / "site" / card.path) as image:
        assert image.mode == "P" and image.convert("RGB").getpixel((600, 300)) == og_image.PAPER
    assert (tmp_path / "site" / card.path).read_bytes() == og_image.draw(card)


def test_a_long_name_is_wrapped_whole_and_a_long_title_ends_with_an_ellipsis() -> None:
    from PIL import Image, ImageDraw

    from qip_site.outputs import og_image

    name = "Trường Trung học cơ sở và Trung học phổ thông Nguyễn Thị Minh Khai Quận Ba thành phố Hồ Chí Minh"
    font, lines = og_image.school_lines(name, 1056)
    assert " ".join(lines) == name and len(lines) <= 3
    assert all(font.getlength(line) <= 1056 for line in lines)
    title_font = og_image._font(og_image.REGULAR, 38)
    long = "KẾ HOẠCH cải tiến chất lượng giáo dục sau đánh giá ngoài " * 6
    kept = og_image.shorten(og_image.wrap(long, title_font, 1056), 2, title_font, 1056)
    assert len(kept) == 2 and kept[-1].endswith("…") and all(title_font.getlength(x) <= 1056 for x in kept)
    assert long.startswith(" ".join(kept).removesuffix(" …"))
    # Every Vietnamese letter has its own glyph in the font (none drawn as the missing-glyph box).
    letters = "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ₫"
    def glyph(font, char: str) -> bytes:
        image = Image.new("L", (80, 80))
        ImageDraw.Draw(image).text((10, 10), char, font=font, fill=255)
        return image.tobytes()

    for weight in (og_image.BOLD, og_image.REGULAR):
        font = og_image._font(weight, 40)
        missing = glyph(font, "\uffff")
        assert not [c for c in letters + letters.upper() if glyph(font, c) == missing]
    assert glyph(font, "\u4e00") == missing  # the check can fail: a letter the font lacks is found


def test_the_font_and_its_licence_are_in_the_package() -> None:
    from qip_site.outputs import og_image

    licence = (og_image.FONTS / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Noto Sans" in licence
    assert og_image.BOLD.is_file() and og_image.REGULAR.is_file()


def test_icons_are_linked_and_published(seed_site: Path) -> None:
    from PIL import Image

    for url in ("", "truong/mn-thuy-tien/ke-hoach-2022-2027/"):
        page = soup(seed_site / url / "index.html")
        icon = seed_site / url / page.find("link", rel="icon")["href"]
        touch = seed_site / url / page.find("link", rel="apple-touch-icon")["href"]
        assert icon.resolve() == (seed_site / "assets/qip-favicon.svg").resolve()
        assert ET.fromstring(icon.read_bytes()).tag == "{http://www.w3.org/2000/svg}svg"
        with Image.open(touch) as image:
            assert image.format == "PNG" and image.size == (180, 180) and image.mode == "RGB"
    assert (seed_site / "assets/images/favicon.png").read_bytes() not in (icon.read_bytes(), touch.read_bytes())


def test_icon_from_the_setting(tmp_path: Path) -> None:
    import shutil

    from conftest import REPO, new_project, run_cli
    from PIL import Image

    project = new_project(tmp_path / "project")
    shutil.copytree(REPO / "plans" / "mn-hoa-mi", project / "plans" / "mn-hoa-mi")
    (project / "docs/assets").mkdir(parents=True)
    Image.new("RGB", (400, 300), (200, 0, 0)).save(project / "docs/assets/logo.png")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert '      icon: ""\n' in text
    config.write_text(text.replace('      icon: ""\n', "      icon: docs/assets/logo.png\n"), encoding="utf-8")
    built = run_cli("build", cwd=project)
    assert built.returncode == 0, built.stderr
    page = soup(project / "site/index.html")
    assert page.find("link", rel="icon")["href"] == "assets/qip-favicon.png"
    with Image.open(project / "site/assets/qip-favicon.png") as image:
        assert image.size == (64, 64)
    with Image.open(project / "site" / page.find("link", rel="apple-touch-icon")["href"]) as image:
        assert image.size == (180, 180) and image.getpixel((90, 90)) == (200, 0, 0)
        assert image.getpixel((90, 5)) == (255, 255, 255)  # a wide picture is centred on white
    # A picture outside the project is refused, in one Vietnamese line.
    (tmp_path / "outside.png").write_bytes((project / "docs/assets/logo.png").read_bytes())
    config.write_text(config.read_text(encoding="utf-8").replace("icon: docs/assets/logo.png", "icon: ../outside.png"),
                      encoding="utf-8")
    refused = run_cli("build", cwd=project)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert 'icon: "../outside.png": tệp nằm ngoài thư mục dự án' in refused.stderr


def test_without_site_url_the_build_says_what_to_set(tmp_path: Path) -> None:
    import shutil

    from conftest import REPO, new_project, run_cli

    project = new_project(tmp_path / "project")
    shutil.copytree(REPO / "plans" / "mn-hoa-mi", project / "plans" / "mn-hoa-mi")
    built = run_cli("build", cwd=project)
    assert built.returncode == 0, built.stderr
    assert "không có site_url" in built.stderr and "QIP_SITE_URL" in built.stderr
    sitemap = ET.parse(project / "site/sitemap.xml").getroot()
    assert sitemap.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset" and len(sitemap) == 0
    robots = (project / "site/robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *\nAllow: /\n" in robots and "Sitemap" not in robots


def test_robots_txt_names_the_sitemap_when_the_site_has_an_address() -> None:
    from qip_site.outputs.robots import robots_txt

    assert robots_txt("https://kehoach.example.edu.vn/pgd").endswith(
        "User-agent: *\nAllow: /\n\nSitemap: https://kehoach.example.edu.vn/pgd/sitemap.xml\n")
    assert "Sitemap" not in robots_txt("")


def test_not_found_page_is_vietnamese_with_the_search_box(seed_site: Path) -> None:
    page = soup(seed_site / "404.html")
    assert page.title.get_text() == "Không tìm thấy trang – Kế hoạch cải tiến chất lượng giáo dục"
    assert page.find("h1").get_text() == "Không tìm thấy trang"
    assert "Not found" not in page.get_text()
    # The search box: its button, and the script that draws it (test_not_found_page_in_chromium_leads_back).
    assert page.select_one("header label.md-header__button[for=__search]") is not None
    assert page.select_one("header script[data-qip-search-box]") is not None
    from urllib.parse import urljoin

    # Served for any address, however deep: the links start from the site's root.
    deep = "http://127.0.0.1/truong/khong-co/ke-hoach/"
    links = {a.get_text(): urljoin(deep, a["href"]) for a in page.select("article a")}
    assert links == {"Trang chủ": "http://127.0.0.1/", "Danh sách các trường": "http://127.0.0.1/truong/"}


@pytest.mark.browser
def test_not_found_page_in_chromium_leads_back(seed_site: Path, tab) -> None:  # noqa: F811
    """A mistyped address deep in the site, served as GitHub and GitLab Pages serve one (404.html,
    status 404): the Vietnamese page with the site's header and search box, and links that work."""
    from test_browser import DESKTOP, Quiet, served

    class Pages(Quiet):
        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            if code != 404:
                return super().send_error(code, message, explain)
            body = (seed_site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with served(seed_site, Pages) as base:
        page = tab(DESKTOP)
        response = page.goto(base + "truong/khong-co-truong-nay/ke-hoach/")
        assert response is not None and response.status == 404
        assert page.title() == "Không tìm thấy trang – Kế hoạch cải tiến chất lượng giáo dục"
        assert page.locator("h1").first.inner_text() == "Không tìm thấy trang"
        box = page.locator("#qip-search-input")
        assert box.is_visible()
        # The theme's styles load from this depth too: the header has its colour, not a bare list.
        assert page.locator("header.md-header").evaluate("e => getComputedStyle(e).position") in ("sticky", "fixed")
        page.get_by_role("link", name="Danh sách các trường").click()
        page.wait_for_url(base + "truong/")
        assert page.locator("article h1").first.inner_text() == "Các trường"
        # The search box works from the missing address's depth too.
        page.goto(base + "truong/khong-co-truong-nay/ke-hoach/")
        page.fill("#qip-search-input", "Thủy Tiên")
        page.locator("#qip-search-results a", has_text="Trường Mầm non Thủy Tiên").first.click()
        page.wait_for_url(base + "truong/mn-thuy-tien/**")


def test_a_hand_written_robots_txt_is_kept(tmp_path: Path, caplog) -> None:
    from qip_site.domain.catalogue import load_catalogue
    from qip_site.domain.model import Site
    from qip_site.outputs import OUTPUTS, Build, write_outputs

    (tmp_path / "robots.txt").write_text("User-agent: *\nDisallow: /nhap/\n", encoding="utf-8")
    with caplog.at_level("INFO", logger="mkdocs.plugins.qip"):
        write_outputs(Build(Site([], load_catalogue()), tmp_path, "Trang", "https://x.vn/"),
                      {name: name == "robots" for name in OUTPUTS})
    assert (tmp_path / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /nhap/\n"
    assert "docs/robots.txt được giữ" in caplog.text
