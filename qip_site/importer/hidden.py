"""Hidden text (Font → Hidden, w:vanish): set on the run itself, or through the run's character style or
its paragraph's style (styles.xml, inherited along w:basedOn; the default paragraph style and the
document's default run properties when nothing nearer says). The nearest says: the run's own formatting,
then its character style, then the paragraph's style. Word neither shows nor prints hidden text.
"""

from __future__ import annotations

from typing import Any

from .ooxml import style_chain, style_elements, val, w, xpath

_OFF = ("0", "false", "off")


def _vanish(properties: Any) -> bool | None:
    """What run properties (w:rPr) say of hiding: True, False, or None when they say nothing."""
    if properties is None:
        return None
    node = properties.find(w("vanish"))
    return None if node is None else node.get(w("val")) not in _OFF


class HiddenText:
    """`hidden(run)`: whether a w:r is hidden text, as Word shows the document."""

    def __init__(self, document: Any):
        self.styles = style_elements(document)
        # Several styles marked default: the last counts (ECMA-376 §17.7.4.17).
        defaults = [sid for sid, style in self.styles.items()
                    if style.get(w("type")) == "paragraph" and style.get(w("default")) in ("1", "true", "on")]
        self.default_paragraph = defaults[-1] if defaults else None
        self._by_style: dict[str | None, bool | None] = {}
        try:
            self.default = _vanish(document.styles.element.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}"))
        except Exception:  # no styles part: nothing is hidden by a style
            self.default = None

    def style(self, sid: str | None) -> bool | None:
        """What a style (or the styles it is based on) says of hiding."""
        if sid not in self._by_style:
            said = (_vanish(style.find(w("rPr"))) for style in style_chain(self.styles, sid))
            self._by_style[sid] = next((vanish for vanish in said if vanish is not None), None)
        return self._by_style[sid]

    def __call__(self, run: Any) -> bool:
        properties = run.find(w("rPr"))
        said = _vanish(properties)
        if said is None and properties is not None:
            said = self.style(val(properties, "rStyle"))
        if said is None:
            paragraph = xpath(run, "ancestor::w:p[1]")
            p_properties = paragraph[0].find(w("pPr")) if paragraph else None
            p_style = val(p_properties, "pStyle") if p_properties is not None else None
            said = self.style(p_style or self.default_paragraph)
        return bool(said if said is not None else self.default)
