"""The site's icon: the browser tab's favicon and the app icon a phone shows when the site is
added to its home screen (apple-touch-icon, 180×180 PNG).

By default qip-site's own icon (a page with a tick, in the site's indigo): `DEFAULT_SVG` for the
tab, and the same drawing as a PNG, drawn here with Pillow. `icon:` of the qip plugin in mkdocs.yml
names another picture (PNG, JPEG or SVG, inside the project folder, like every file the site
publishes): a PNG or JPEG gives both icons (scaled, on white), an SVG the favicon only.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from PIL import Image, ImageDraw, UnidentifiedImageError

from ..site import urls

log = logging.getLogger("mkdocs.plugins.qip")

TOUCH_SIZE = 180  # what iPhones and iPads ask for
FAVICON_SIZE = 64
MAX_BYTES = 1024 * 1024
RASTER = {".png", ".jpg", ".jpeg"}
INDIGO = "#303f9f"
PALE = "#c5cae9"

# The drawing, on a 64-unit square: a page with a folded corner and a tick.
DEFAULT_SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<title>Kế hoạch cải tiến chất lượng giáo dục</title>
<rect width="64" height="64" rx="12" fill="{INDIGO}"/>
<path d="M17 9h21l10 10v36H17z" fill="#fff"/>
<path d="M38 9v10h10z" fill="{PALE}"/>
<path d="M24 36l6 6 11-13" fill="none" stroke="{INDIGO}" stroke-width="5" stroke-linecap="round" stroke-linejoin="round"/>
</svg>
"""


class IconError(ValueError):
    """The icon named in mkdocs.yml cannot be used: the message says why, in Vietnamese."""


def default_touch_icon(size: int = TOUCH_SIZE) -> bytes:
    """DEFAULT_SVG drawn as a PNG, square and opaque (the phone rounds the corners itself)."""
    scale = size * 4 / 64  # drawn 4 times larger, then reduced: smooth edges
    big = Image.new("RGB", (size * 4, size * 4), INDIGO)
    pen = ImageDraw.Draw(big)

    def points(*xy: float) -> list[tuple[float, float]]:
        return [(xy[i] * scale, xy[i + 1] * scale) for i in range(0, len(xy), 2)]

    pen.polygon(points(17, 9, 38, 9, 48, 19, 48, 55, 17, 55), fill="#fff")
    pen.polygon(points(38, 9, 48, 19, 38, 19), fill=PALE)
    pen.line(points(24, 36, 30, 42, 41, 29), fill=INDIGO, width=round(5 * scale), joint="curve")
    for x, y in points(24, 36, 41, 29):  # round line ends
        r = 2.5 * scale
        pen.ellipse((x - r, y - r, x + r, y + r), fill=INDIGO)
    return _png(big.resize((size, size), Image.Resampling.LANCZOS))


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _square(image: Image.Image, size: int, background: tuple[int, int, int, int]) -> Image.Image:
    """The picture scaled to fit a `size` square, centred on `background`."""
    image = image.convert("RGBA")
    image.thumbnail((size, size), Image.Resampling.LANCZOS)
    square = Image.new("RGBA", (size, size), background)
    square.alpha_composite(image, ((size - image.width) // 2, (size - image.height) // 2))
    return square


def resolve(root: Path, setting: str) -> Path:
    """The icon file `setting` names, relative to mkdocs.yml's folder, checked as every published
    file is: it exists, is a regular file, stays inside the project and out of .git."""
    where = f'mkdocs.yml: icon: "{setting}"'
    path = root / setting
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise IconError(f"{where}: không có tệp này (đường dẫn tính từ thư mục chứa mkdocs.yml).") from None
    project = root.resolve()
    if not real.is_relative_to(project):
        raise IconError(f"{where}: tệp nằm ngoài thư mục dự án; chỉ những gì nằm trong dự án mới được đăng. "
                        "Hãy chép ảnh vào dự án, ví dụ vào docs/assets/.")
    if real.is_relative_to(project / ".git"):
        raise IconError(f"{where}: tệp nằm trong thư mục .git; không được đăng gì từ đó.")
    if not real.is_file():
        raise IconError(f"{where}: đây không phải một tệp ảnh.")
    if real.suffix.lower() not in RASTER | {".svg"}:
        raise IconError(f"{where}: biểu tượng phải là ảnh PNG, JPEG hoặc SVG.")
    if real.stat().st_size > MAX_BYTES:
        raise IconError(f"{where}: ảnh lớn hơn 1 MB; biểu tượng chỉ cần ảnh vuông khoảng 512×512 điểm ảnh.")
    return real


def site_icons(root: Path, setting: str) -> tuple[dict[str, bytes], str, str | None]:
    """The icon files to publish ({site path: bytes}), the favicon's path and the app icon's (or None)."""
    if not setting:
        files = {urls.FAVICON: DEFAULT_SVG.encode("utf-8"), urls.APPLE_TOUCH_ICON: default_touch_icon()}
        return files, urls.FAVICON, urls.APPLE_TOUCH_ICON
    path = resolve(root, setting)
    if path.suffix.lower() == ".svg":
        data = path.read_bytes()
        if b"<svg" not in data[:4096]:
            raise IconError(f'mkdocs.yml: icon: "{setting}": tệp không phải ảnh SVG.')
        log.info(f'mkdocs.yml: icon: "{setting}" là ảnh SVG: dùng làm biểu tượng trên thẻ trình duyệt; điện thoại '
                 "lưu trang ra màn hình chính sẽ dùng ảnh chụp trang. Dùng ảnh PNG vuông để có cả biểu tượng đó.")
        return {urls.FAVICON: data}, urls.FAVICON, None
    try:
        with Image.open(path) as image:
            image.load()
            favicon = _square(image, FAVICON_SIZE, (255, 255, 255, 0))
            touch = _square(image, TOUCH_SIZE, (255, 255, 255, 255)).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise IconError(f'mkdocs.yml: icon: "{setting}": không đọc được ảnh này (tệp hỏng, hoặc không phải '
                        "ảnh PNG hay JPEG).") from None
    favicon_path = urls.FAVICON.removesuffix(".svg") + ".png"
    return {favicon_path: _png(favicon), urls.APPLE_TOUCH_ICON: _png(touch)}, favicon_path, urls.APPLE_TOUCH_ICON
