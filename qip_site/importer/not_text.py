"""What a Word file shows that is not text: pictures, charts, SmartArt diagrams, formulas and
embedded objects (an Excel table, an equation of the old editor). The site publishes text only, and
the count of every text of the file (source_text) sees none of these: each kind is counted here, in
the document's body (a page header's logo is not the plan's), to be said, so that nothing the
document shows is left out in silence.

Word writes a drawing twice (mc:Choice, and mc:Fallback for old readers): only the first counts.
A shape that is a text box is text (read where it is anchored), not a picture.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .ooxml import MC_NS, w

_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/"
_PICTURE = f"{{{_DRAWING}picture}}pic"
_CHART = f"{{{_DRAWING}chart}}chart"
_DIAGRAM = f"{{{_DRAWING}diagram}}relIds"
_MATH = "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath"
_VML_PICTURE = "{urn:schemas-microsoft-com:vml}imagedata"
_FALLBACK = f"{{{MC_NS}}}Fallback"
_OBJECT = w("object")

# Kind -> its name in the editor's message, in the order said.
KINDS = {_PICTURE: "hình ảnh", _VML_PICTURE: "hình ảnh", _CHART: "biểu đồ", _DIAGRAM: "sơ đồ SmartArt",
         _MATH: "công thức", _OBJECT: "đối tượng nhúng (bảng Excel, công thức kiểu cũ…)"}


def not_text(body: Any) -> Counter[str]:
    """How many of each kind (by its name in KINDS) stand in `body`, the document's element."""
    counts: Counter[str] = Counter()
    for node in body.iter(*KINDS):
        if any(a.tag in (_FALLBACK, _OBJECT) for a in node.iterancestors()):
            continue  # the copy for old readers, or the picture Word shows for an embedded object
        counts[KINDS[node.tag]] += 1
    return counts


def message(counts: Counter[str]) -> str | None:
    """The editor's warning for `counts`, or None when the file holds only text."""
    if not counts:
        return None
    said = ", ".join(f"{counts[name]} {name}" for name in dict.fromkeys(KINDS.values()) if counts[name])
    return (f"Tệp Word có {said}: trang web chỉ đăng chữ, nên các phần này không có trong tệp kế hoạch. "
            "Nếu chúng mang nội dung của kế hoạch (số liệu của biểu đồ, công thức), hãy gõ lại thành chữ "
            "trong tệp kế hoạch; bản gốc đã ký (PDF) đăng kèm vẫn giữ nguyên chúng.")
