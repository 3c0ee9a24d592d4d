"""The preview's error page: while plans have errors, `qip-site serve` shows them instead of the site.

One self-contained HTML page (no theme: the theme's pages may be what cannot be built), served at
every address of the preview. Every text is escaped: the lines quote what editors wrote.
"""

from __future__ import annotations

from html import escape

from ..reading.errors import PlanErrors

# The page reloads itself: once the files are fixed, the same address shows the site again.
RELOAD_SECONDS = 3

_PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="{reload}">
<title>Kế hoạch có lỗi — trang xem trước</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; line-height: 1.5;
       color: #1a1a1a; background: #fff; }}
h1 {{ color: #a40000; font-size: 1.5rem; }}
li {{ font-family: ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: anywhere; margin: .5rem 0; }}
</style>
</head>
<body>
<main>
<h1>Các tệp kế hoạch có lỗi</h1>
<p>Trang xem trước chỉ hiện danh sách lỗi cho đến khi sửa xong. Mỗi dòng ghi tệp:dòng:cột, rồi lỗi.
Sửa rồi lưu tệp: trang này tự tải lại và hiện trang web khi không còn lỗi.</p>
<ul>
{items}
</ul>
<p>{summary}</p>
</main>
</body>
</html>
"""


def error_page(errors: PlanErrors) -> str:
    """The page listing `errors` (and the warnings found with them), one line each, as the terminal does."""
    *lines, summary = str(errors).split("\n")
    items = "\n".join(f"<li>{escape(line)}</li>" for line in lines)
    return _PAGE.format(reload=RELOAD_SECONDS, items=items, summary=escape(summary))
