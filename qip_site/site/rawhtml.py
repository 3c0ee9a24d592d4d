"""A Markdown extension: a page that is one HTML block skips Python-Markdown's HTML parser.

Every generated page (render.py) is a single `<div class="qip-page">…</div>` block of escaped
HTML. Python-Markdown finds where a raw HTML block ends by feeding the whole page to
`html.parser`, pure Python: over a third of the build time of a thousand-plan site. This
preprocessor does the same job with one regular expression over the tags, following the same
rule (a block ends when the stack of its open tags empties), and stashes the block unchanged.
The page then comes out byte for byte as before. Anything it is not sure about (a comment, a
script, text after the block, a `<` that is not a tag) goes the usual way.

Enabled in mkdocs.yml (`markdown_extensions: - qip_site.site.rawhtml`); without it the site is the
same, only slower.
"""

from __future__ import annotations

import re

from markdown import Extension
from markdown.preprocessors import HtmlBlockPreprocessor, Preprocessor

_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>")
# What only the real parser handles: comments, declarations, processing instructions (`<!`, `<?`),
# and tags inside elements whose content the parser reads as text (some of them only in some
# Python versions), such as the <title> of an SVG chart.
_NOT_HTML_CONTENT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
                               "noscript", "plaintext"})


def _single_block(text: str, md) -> bool:
    """True when `text` (stripped) is exactly one raw HTML block as Python-Markdown would see it.

    Python-Markdown's rule: a block starts with a block-level tag at the start of a line and
    ends when the end tag of the tag at the bottom of its stack of open tags comes (an end tag
    pops every tag opened after its own start tag; an end tag not in the stack is ignored).
    """
    if not text.startswith("<") or not text.endswith(">") or "<!" in text or "<?" in text:
        return False
    tags = _TAG_RE.findall(text)
    # Every "<" is a tag (escaped text has none), and the text ends with the last one.
    if len(tags) != text.count("<") or not _TAG_RE.fullmatch(text, text.rfind("<")):
        return False
    first = tags[0]
    if first[0] or not md.is_block_level(first[1].lower()) or first[1].lower() == "hr":
        return False
    stack: list[str] = []
    last = len(tags) - 1
    for index, (closing, name, rest) in enumerate(tags):
        if rest and (rest[0] not in " \t\n/" or "`" in rest):
            return False  # Python-Markdown's parser reads such a tag differently: let it
        name = name.lower()
        if name in _NOT_HTML_CONTENT and not closing and (
                index == last or tags[index + 1][0] != "/" or tags[index + 1][1].lower() != name):
            return False  # text up to its end tag only: no tag inside that the parser would read as text
        if not closing:
            if name != "hr" and not rest.endswith("/"):  # as Python-Markdown: these have no end tag
                stack.append(name)
        elif name in stack:
            while stack.pop() != name:
                pass
            if not stack:
                return index == last
    return False


class SingleBlock(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        # Another extension's HTML block parser (md_in_html: Markdown inside HTML) has its own rules.
        if "html_block" not in self.md.preprocessors or \
                type(self.md.preprocessors["html_block"]) is not HtmlBlockPreprocessor:
            return lines
        text = "\n".join(lines).strip("\n")
        if not _single_block(text, self.md):
            return lines
        return ["", self.md.htmlStash.store(text + "\n"), "", ""]


class RawHtmlExtension(Extension):
    def extendMarkdown(self, md) -> None:
        # After whitespace normalisation (30), before the HTML block parser (20).
        md.preprocessors.register(SingleBlock(md), "qip_single_block", 25)


def makeExtension(**kwargs) -> RawHtmlExtension:
    return RawHtmlExtension(**kwargs)
