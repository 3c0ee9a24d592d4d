"""The national hub: one static page whose search covers several qip-site sites (shards).

`qip-site hub --shard "Hà Nội=https://…/ha-noi/" … --out DIR` writes into DIR:

- `index.html`: the search box, the list of shards as plain links (so a parent reaches every
  province without script), and the shards as JSON for the script;
- `qip-search.js`: the header search's own code (overrides/assets/javascripts/qip-search.js), whose
  engine reads one site's index at a given address;
- `qip-hub.js` (`hub.js` beside this module): one engine per shard, the results merged.

Shard names and addresses are data: escaped in HTML, and in the JSON block `<`, `>` and `&` are
written as \\u escapes so no name can close the script element. See guide/developer.md, "Scaling
beyond a province".
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

__all__ = ["HubError", "Shard", "parse_shard", "write_hub"]

HUB_SCRIPT = Path(__file__).with_name("hub.js")
SEARCH_SCRIPT = Path(__file__).resolve().parents[2] / "overrides" / "assets" / "javascripts" / "qip-search.js"
FILES = ("index.html", "qip-search.js", "qip-hub.js")
TITLE = "Kế hoạch cải tiến chất lượng giáo dục trên cả nước"
HINT = "Gõ tên trường, tiêu chí, người phụ trách hay khoản kinh phí. Có dấu hay không dấu, viết tắt hay gõ sai một chữ đều được."


class HubError(Exception):
    """What the editor typed or the folder given cannot make a hub; the message is Vietnamese."""


@dataclass(frozen=True)
class Shard:
    name: str  # the province, as people write it: "Hà Nội"
    url: str  # the shard's address, ending with "/": absolute (https://…) or relative to the hub


def parse_shard(text: str) -> Shard:
    """`TÊN=ĐỊA_CHỈ` → a Shard, or HubError saying what is wrong."""
    name, sep, url = text.partition("=")
    name, url = unicodedata.normalize("NFC", name.strip()), url.strip()
    if not sep or not name or not url:
        raise HubError(f"\"{text}\" không đúng dạng TÊN=ĐỊA_CHỈ, ví dụ \"Hà Nội=https://ha-noi.example.vn/\".")
    if any(unicodedata.category(c).startswith("C") for c in name + url):
        raise HubError(f"Tên hoặc địa chỉ \"{text}\" có ký tự điều khiển.")
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        raise HubError(f"Địa chỉ \"{url}\" phải bắt đầu bằng https:// hoặc http://, hoặc là đường dẫn tương đối.")
    return Shard(name, url if url.endswith("/") else url + "/")


def _json_for_script(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def render_page(shards: list[Shard], title: str) -> str:
    e = html.escape
    links = "\n".join(f'      <li><a href="{e(s.url)}">{e(s.name)}</a></li>' for s in shards)
    data = _json_for_script([{"name": s.name, "url": s.url} for s in shards])
    return f"""<!doctype html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{e(title)}</title>
  <style>{STYLE}</style>
</head>
<body>
  <header class="qip-hub__header"><h1>{e(title)}</h1></header>
  <main class="qip-hub">
    <form role="search" class="qip-hub__form">
      <label for="qip-hub-input">Tìm trong kế hoạch của {len(shards)} tỉnh, thành phố</label>
      <input id="qip-hub-input" type="search" autocomplete="off" spellcheck="false"
             placeholder="Tìm trường, tiêu chí, kinh phí…">
    </form>
    <p class="qip-hub__status" data-qip-hub-status role="status" aria-live="polite">{e(HINT)}</p>
    <ul class="qip-hub__notes" data-qip-hub-notes hidden></ul>
    <ol class="qip-hub__list" data-qip-hub-list></ol>
    <button type="button" class="qip-hub__more" data-qip-hub-more hidden>Xem thêm kết quả</button>
    <h2>Trang của từng tỉnh, thành phố</h2>
    <ul class="qip-hub__shards">
{links}
    </ul>
  </main>
  <script type="application/json" id="qip-shards">{data}</script>
  <script src="qip-search.js"></script>
  <script src="qip-hub.js"></script>
</body>
</html>
"""


# The site's look in a few rules (Material's indigo header, its type sizes), without its theme.
STYLE = """
  body { margin: 0; font-family: -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
         color: #1f2328; line-height: 1.5; }
  .qip-hub__header { background: #4051b5; color: #fff; padding: .6rem 1rem; }
  .qip-hub__header h1 { font-size: 1.1rem; margin: 0; font-weight: 700; }
  .qip-hub { max-width: 50rem; margin: 0 auto; padding: 1rem; }
  .qip-hub__form label { display: block; font-weight: 700; margin-bottom: .3rem; }
  .qip-hub__form input { box-sizing: border-box; width: 100%; min-height: 44px; font-size: 1rem;
                         padding: .4rem .6rem; border: 1px solid #6b7280; border-radius: .2rem; }
  .qip-hub__status { color: #4b5563; font-size: .9rem; }
  .qip-hub__notes { color: #8a1c00; padding-left: 1.2rem; }
  .qip-hub__list { list-style: none; padding: 0; }
  .qip-search__item a { display: block; color: inherit; text-decoration: none; padding: .5rem 0;
                        border-bottom: 1px solid #e5e7eb; }
  .qip-search__item a:hover .qip-search__title, .qip-search__item a:focus .qip-search__title { text-decoration: underline; }
  .qip-search__title { font-size: 1rem; margin: 0; color: #4051b5; }
  .qip-search__where { font-size: .85rem; color: #4b5563; margin: .1rem 0; }
  .qip-search__heading { font-size: .9rem; font-weight: 700; margin: .2rem 0 0; }
  .qip-search__snippet { font-size: .9rem; margin: .2rem 0; overflow-wrap: anywhere; }
  .qip-search__approx { color: #4b5563; font-size: .85rem; padding: .5rem 0; }
  mark { background: #fff59d; color: inherit; }
  .qip-hub__more { min-height: 44px; padding: 0 1rem; font-size: 1rem; }
  .qip-hub__shards a { color: #4051b5; }
"""


def _ours(path: Path) -> bool:
    """A file a previous `qip-site hub` wrote (index.html holds the shards' JSON block)."""
    if path.name != "index.html":
        return path.is_file()
    try:
        return 'id="qip-shards"' in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def write_hub(shards: list[Shard], out: Path, title: str = TITLE) -> list[Path]:
    """Write the hub's three files into `out`; HubError when it cannot, nothing written then."""
    if not shards:
        raise HubError("Cần ít nhất một trang tỉnh, thành phố (--shard TÊN=ĐỊA_CHỈ).")
    names = [s.name for s in shards]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise HubError(f"Tên trang trùng nhau: {', '.join(twice)}. Mỗi tỉnh, thành phố một tên.")
    if out.exists() and not out.is_dir():
        raise HubError(f"{out} đã có và không phải thư mục.")
    others = sorted(p.name for p in out.iterdir() if p.name not in FILES or not _ours(p)) if out.is_dir() else []
    if others:
        listed = ", ".join(others[:3]) + ("…" if len(others) > 3 else "")
        raise HubError(f"Thư mục {out} đã có tệp khác ({listed}): hãy chọn thư mục trống để không ghi đè gì "
                       "ngoài trang tìm kiếm chung.")
    if not SEARCH_SCRIPT.is_file():
        raise HubError(f"Không thấy {SEARCH_SCRIPT}: lệnh hub chạy trong bản sao của dự án qip-site.")
    out.mkdir(parents=True, exist_ok=True)
    written = [out / name for name in FILES]
    written[0].write_text(render_page(shards, title), encoding="utf-8")
    written[1].write_bytes(SEARCH_SCRIPT.read_bytes())
    written[2].write_bytes(HUB_SCRIPT.read_bytes())
    return written
