"""Measuring and wrapping the brief's text before it is drawn, so no line runs off its box.

Widths come from the glyph outlines of matplotlib's default font, in inches
at a point size; nothing is drawn here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextPath

_BREAKS = re.compile(r"[ \t\r\n]+")
#: Rendered text runs a little wider than its outlines (hinting, bearings).
WRAP_SAFETY = 0.95


@lru_cache(maxsize=4096)
def text_width_in(text: str, size: float, bold: bool = False) -> float:
    """How wide ``text`` is drawn at ``size`` points, in inches (from its glyph outlines)."""
    if not text.strip():
        return 0.0
    prop = FontProperties(weight="bold" if bold else "normal")
    xs = TextPath((0, 0), text, size=size, prop=prop).vertices[:, 0]
    return float(xs.max() - xs.min()) / 72


def _space_in(size: float, bold: bool) -> float:
    return text_width_in("a a", size, bold) - text_width_in("aa", size, bold)


def wrap(text: str, width_in: float, size: float, *, bold: bool = False) -> list[str]:
    """Wrap ``text`` into lines no wider than ``width_in`` inches at ``size`` points.

    Widths are summed word by word (each word measured once). Lines break at
    plain spaces only: the no-break spaces inside numbers ("1 527 876",
    "33,8 %") hold. Words longer than a line (a URL) are cut where they must be.
    """
    space = _space_in(size, bold)
    width_in *= WRAP_SAFETY
    lines: list[str] = []
    current, current_w = "", 0.0
    for word in _BREAKS.split(text.strip()):
        if not word:
            continue
        word_w = text_width_in(word, size, bold)
        if current and current_w + space + word_w <= width_in:
            current, current_w = f"{current} {word}", current_w + space + word_w
            continue
        if current:
            lines.append(current)
        while word_w > width_in and len(word) > 1:
            cut = max(1, int(len(word) * width_in / word_w))
            while cut > 1 and text_width_in(word[:cut], size, bold) > width_in:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
            word_w = text_width_in(word, size, bold)
        current, current_w = word, word_w
    if current or not lines:
        lines.append(current)
    return lines
