"""Headline figures (label, value, help) as safe HTML: the map page's four numbers.

Streamlit's ``st.metric`` would draw them too, but it makes the browser fetch
nine more frontend files (about 68 kB) before the map is visible; this block
costs under 2 kB of the page's websocket message instead, its styles about
1 kB more. Its look (small label, large value, and the high-contrast
version) comes from ``ui/style.py``, like the legend's.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo import markup
from geo.i18n import t


@dataclass(frozen=True)
class Figure:
    """One headline figure: ``key`` names it for tests and styles, the rest is shown (already translated)."""

    key: str
    label: str
    value: str
    help: str


def figures_html(figures: list[Figure], lang: str = "en") -> str:
    """Return the figures as one description list: a visible label and value each, the help a click away.

    The help text sits in a ``<details>`` after the value, its ``<summary>`` a
    small "?" named "About <label>" by visually hidden text. A native
    disclosure is reachable with Tab, opens with Enter or Space, is announced
    as a collapsed button, works by touch and needs no script. A ``title``
    tooltip would be none of these (mouse hover only, read inconsistently),
    and help text that is only visually hidden would be read out at every
    pass through the figures while sighted keyboard users never see it.
    """
    items = []
    for figure in figures:
        about = t("map.metric.about", lang, label=figure.label)
        items.append(
            f"<div class='atlas-figure' data-figure='{markup.text(figure.key)}'>"
            f"<dt>{markup.text(figure.label)}</dt>"
            f"<dd class='atlas-figure-value'>{markup.text(figure.value)}</dd>"
            "<dd class='atlas-figure-help'><details><summary>"
            f"<span aria-hidden='true'>?</span><span class='atlas-sr'>{markup.text(about)}</span>"
            f"</summary><p>{markup.text(figure.help)}</p></details></dd>"
            "</div>"
        )
    return f"<dl class='atlas-figures'>{''.join(items)}</dl>"
