"""qip_site.site.rawhtml: a page that is one HTML block comes out exactly as Python-Markdown makes it."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from mkdocs.utils import meta

from qip_site.reading.validate import load_site
from qip_site.site.rawhtml import _single_block
from qip_site.site.render import render_site

REPO = Path(__file__).resolve().parents[1]
EXTENSIONS = ["attr_list", "toc"]
CONFIG = {"toc": {"permalink": True}}


def convert(text: str, fast: bool, extensions: list[str] = EXTENSIONS) -> str:
    return markdown.Markdown(extensions=extensions + (["qip_site.site.rawhtml"] if fast else []),
                             extension_configs=CONFIG).convert(text)


CASES = {
    "one block": '<div class="a">\n<p>x &amp; y &#34;z&#34;</p>\n<br>\n<hr>\n<input type="checkbox" />\n</div>\n',
    "blank lines inside": "<div>\n<p>a</p>\n\n<p>b</p>\n\n</div>",
    "upper case": "<DIV><P>a</P></Div>",
    "text after": "<div>a</div>\n\n# Heading\n\ntext",
    "text on the same line": "<div>a</div> *b*",
    "text before": "Lead *in*\n\n<div>a</div>",
    "two blocks": "<div>a</div>\n<div>b</div>",
    "unclosed": "<div><p>a</p>",
    "mismatched": "<div><section>a</div></section>",
    "stray end tag": "<div>a</span></div>",
    "inline first": "<span>a</span>",
    "hr first": "<hr>\n<div>a</div>",
    "comment": "<div><!-- c --></div>",
    "script": "<div><script>if (a<b) {}</script></div>",
    "pre": "<div><pre>\n  a\n\n    b <code>c</code>\n</pre></div>",
    "textarea": "<div><textarea><p></textarea></div>",
    "svg title": '<div><svg><title id="t">a &amp; b</title><rect/></svg></div>',
    "script with a tag": "<div><script>document.write('<p>')</script></div>",
    "less-than in text": "<div>a < b</div>",
    "greater-than in attribute": '<div title="a>b">c</div>',
    "backtick": "<div><p `x`>a</p></div>",
    "self-closing": "<div><div/>a</div>",
    "indented": "    <div>a</div>",
    "markdown inside": '<div markdown="1">*a*</div>',
    "empty": "",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_same_html_as_python_markdown(text: str) -> None:
    assert convert(text, fast=True) == convert(text, fast=False)
    with_md_in_html = EXTENSIONS + ["md_in_html"]
    assert convert(text, True, with_md_in_html) == convert(text, False, with_md_in_html)


def test_generated_pages_take_the_fast_way_and_come_out_the_same() -> None:
    site, _ = load_site(REPO / "plans", REPO)
    pages = render_site(site)
    md = markdown.Markdown()
    fast = [p.path for p in pages if _single_block(meta.get_data(p.text)[0].strip("\n"), md)]
    assert len(fast) == len(pages), sorted({p.path for p in pages} - set(fast))[:5]
    for page in pages:
        body = meta.get_data(page.text)[0]
        assert convert(body, fast=True) == convert(body, fast=False), page.path
