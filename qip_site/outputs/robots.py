"""robots.txt: every crawler may read every page, and the sitemap is named where it can be.

The sitemap protocol (sitemaps.org) and robots.txt both need absolute addresses, which a site
has only when `site_url` (or QIP_SITE_URL, set by the publishing jobs) is set. Without it MkDocs
writes a sitemap.xml with no page in it and robots.txt names no sitemap: the build says so
(`NO_SITE_URL`), with what setting the address gives.
"""

from __future__ import annotations

from ..site import urls

NO_SITE_URL = (
    "cảnh báo: mkdocs.yml không có site_url (địa chỉ công khai của trang web) và biến QIP_SITE_URL để trống. "
    "Vì vậy sitemap.xml không liệt kê trang nào (sơ đồ trang chỉ nhận địa chỉ đầy đủ), robots.txt không chỉ tới "
    "sơ đồ trang, còn ảnh chia sẻ (og:image), og:url và dữ liệu schema.org chỉ có địa chỉ tương đối, mà Zalo, "
    "Facebook và máy tìm kiếm không dùng được. Trang vẫn xem được bình thường. Khi đăng trang, hãy ghi "
    "site_url: https://… trong mkdocs.yml, hoặc đặt biến QIP_SITE_URL (việc đăng trên GitHub Pages và GitLab "
    "Pages tự đặt biến này)."
)

KEPT = "docs/robots.txt được giữ như đã viết: trang web không tạo robots.txt của mình."


def robots_txt(site_url: str) -> str:
    """The text of robots.txt: allow all; the sitemap's absolute address when the site has one."""
    lines = ["# Mọi trang của trang web này đều được phép đọc và lập chỉ mục.", "User-agent: *", "Allow: /"]
    if site_url:
        lines += ["", f"Sitemap: {site_url.rstrip('/')}/{urls.SITEMAP}"]
    return "\n".join(lines) + "\n"
