"""Smaller pages: the white space Material's templates indent every line with, dropped where no
browser shows it (issue 15: 7 % of a site's HTML).

`collapse_whitespace` drops the white space after each line end in the text between tags: the
indentation and the blank lines. A browser shows a run of white space as one space (or nothing, at
a block's edge), and the line end stays, so the page looks and reads the same: two inline elements
on two lines are still one space apart. Left byte for byte:

- every tag, comment and doctype, attribute values included (a plan's text in an attribute keeps
  its line ends and blanks);
- the text of the elements whose white space a browser shows: `pre`, `listing`, `textarea`, and
  `code` and `kbd` (the theme sets `white-space: pre-wrap` on them); of `script`, `style` and `xmp`
  (not text); and of `svg` (SVG drops a line end in its text instead of showing a space: "a⏎  b"
  shows "a b", "a⏎b" would show "ab").

White space is HTML's (space, tab, line feed, form feed, carriage return): a no-break space, or any
other Unicode space, is text and stays. A plan's text reaches a page escaped ("&lt;pre&gt;"), so it
can neither open nor close one of these elements. A stylesheet that makes another element keep its
white space (`white-space: pre`, `pre-wrap`, `pre-line`, `break-spaces`) must add it to PRESERVED.
About 2 ms for a 40 KB plan page (03/12/2026, the shared 2-core machine): one regular expression
finds the tags, and Python sees only the few kept with their text (about 25 on a plan page: scripts,
icons, the embed box, a tag with a line end).
"""

from __future__ import annotations

import re

RAW_TEXT = ("script", "style", "textarea", "xmp")  # their text runs to the first "</name"
PRESERVED = ("pre", "listing", "code", "kbd", "svg")  # their text runs to their own end tag (nested or not)

_SPACE = "\t\n\f\r "
_REST = r"""(?:[^>"']++|"[^"]*+"|'[^']*+')*+>"""  # a tag's attributes to its ">" (a value may hold ">")
# What is kept as it is, with the text of the elements above after their opening tag: a comment, a
# doctype, a tag of those elements, and a tag with a line end inside (between or in its attributes).
# The text between them, and every other tag (no line end in them), is collapsed in one pass.
_KEEP = re.compile(
    r"<!--.*?-->|<[!?][^>]*+>"
    rf"|<(/?)({'|'.join(RAW_TEXT + PRESERVED)})(?=[{_SPACE}/>]){_REST}"
    rf"""|</?[A-Za-z][^{_SPACE}/>]*+(?:[^>"'\n]++|"[^"\n]*+"|'[^'\n]*+')*+(?=[\n"']){_REST}""",
    re.DOTALL | re.IGNORECASE)
_TAGS = {name: re.compile(rf"<(/?){name}(?=[{_SPACE}/>])", re.IGNORECASE) for name in RAW_TEXT + PRESERVED}
_BREAK = re.compile(r"\n[ \t\f\r\n]*")  # a line end and the white space after it


def collapse_whitespace(html: str) -> str:
    """`html` with the white space after each line end dropped, outside tags and the elements above."""
    out: list[str] = []
    pos = 0
    while (token := _KEEP.search(html, pos)) is not None:
        out.append(_BREAK.sub("\n", html[pos:token.start()]))
        closing, element = token.group(1, 2)
        end = token.end()
        if element and not closing and not (token.group().endswith("/>") and element.lower() == "svg"):
            end = _content_end(html, element.lower(), end)
        out.append(html[token.start():end])
        pos = end
    out.append(_BREAK.sub("\n", html[pos:]))
    return "".join(out)


def _content_end(html: str, element: str, start: int) -> int:
    """Where the text of `element`, opened just before `start`, ends: at the first "</element" for
    RAW_TEXT (as a browser reads it), else at its own end tag; at the end of `html` without one."""
    depth = 1
    for tag in _TAGS[element].finditer(html, start):
        depth += -1 if tag.group(1) else 0 if element in RAW_TEXT else 1
        if depth == 0:
            return tag.start()
    return len(html)
