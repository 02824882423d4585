"""The choropleth legend as safe HTML: classes, unit, year and source."""

from __future__ import annotations

from geo import markup
from geo.classify import NO_DATA_COLOUR, Classes
from geo.formatting import format_value
from geo.indicators import Indicator


def class_labels(classes: Classes, fmt: str, lang: str = "en") -> list[str]:
    """Return one "lower – upper" label per class, formatted like the values."""
    if not classes.bins:  # every value missing: no classes, only "No data"
        return []
    lowers = [classes.lower, *classes.bins[:-1]]
    return [
        f"{format_value(low, fmt, lang)} – {format_value(high, fmt, lang)}"
        for low, high in zip(lowers, classes.bins, strict=True)
    ]


def legend_html(
    classes: Classes,
    indicator: Indicator,
    year: int,
    unit: str,
    sources: list[tuple[str, str | None]],
    *,
    scheme_label: str,
    lang: str = "en",
) -> str:
    """Return the legend block shown under the map.

    ``sources`` pairs each source's name with its URL (or None); counts per
    class say how many boroughs fall in each.
    """
    counts = classes.of.value_counts()
    rows = []
    for number, (colour, label) in enumerate(
        zip(classes.colours, class_labels(classes, indicator.fmt, lang), strict=True)
    ):
        rows.append((colour, label, int(counts.get(number, 0))))
    missing = int(counts.get(-1, 0))
    if missing:
        rows.append((NO_DATA_COLOUR, "No data", missing))
    items = "".join(
        f"<li><span class='swatch' style='background:{markup.text(colour)}'></span>"
        f"{markup.text(label)} <span class='n'>({count})</span></li>"
        for colour, label, count in rows
    )
    cited = "; ".join(markup.link(url, name) if url else markup.text(name) for name, url in sources)
    direction = {True: "Darker = more need.", False: "Darker = more need (lower values).", None: ""}[
        indicator.higher_is_worse
    ]
    return (
        "<div class='atlas-legend'>"
        f"<div class='title'><b>{markup.text(indicator.title(lang))}</b>, {year} "
        f"<span class='unit'>({markup.text(unit)})</span></div>"
        f"<ul>{items}</ul>"
        f"<div class='meta'>{markup.text(scheme_label)}; number of boroughs in brackets. {markup.text(direction)}</div>"
        f"<div class='source'>Source: {cited}</div>"
        "</div>"
    )
