"""The choropleth legend as safe HTML, and a sentence that says what the map shows.

Both are in the view's language: words come from ``geo/locales/legend.toml``, units
from :mod:`geo.units`, numbers are formatted for the language (``geo.formatting``),
place and source names are shown as they are in the data.
"""

from __future__ import annotations

from collections.abc import Sequence

from geo import markup
from geo.classify import NO_DATA_COLOUR, Classes
from geo.formatting import format_count, format_distances, format_value, join_list
from geo.i18n import t, translator
from geo.indicators import Indicator
from geo.units import unit_label
from geo.userlayers import UserLayer, drawn_rows


def class_labels(classes: Classes, fmt: str, lang: str = "en") -> list[str]:
    """Return one "lower – upper" label per class, formatted like the values."""
    if classes.names:
        return list(classes.names)
    if not classes.bins:  # every value missing: no classes, only "No data"
        return []
    lowers = [classes.lower, *classes.bins[:-1]]
    return [
        f"{format_value(low, fmt, lang)} – {format_value(high, fmt, lang)}"
        for low, high in zip(lowers, classes.bins, strict=True)
    ]


def legend_rows(classes: Classes, fmt: str, lang: str = "en") -> list[tuple[str, str, int]]:
    """(colour, label, boroughs) of each class, then of "No data" when some borough has no value."""
    counts = classes.of.value_counts()
    rows = [
        (colour, label, int(counts.get(number, 0)))
        for number, (colour, label) in enumerate(
            zip(classes.colours, class_labels(classes, fmt, lang), strict=True)
        )
    ]
    missing = int(counts.get(-1, 0))
    if missing:
        rows.append((NO_DATA_COLOUR, t("legend.no_data", lang), missing))
    return rows


def direction_note(indicator: Indicator, lang: str = "en") -> str:
    """Return what darker means for ``indicator`` ("" when it has no need direction)."""
    if indicator.higher_is_worse is None:
        return ""
    key = "legend.darker_more_need" if indicator.higher_is_worse else "legend.darker_more_need_lower"
    return t(key, lang)


def legend_html(
    classes: Classes,
    indicator: Indicator,
    year: int,
    unit: str,
    sources: list[tuple[str, str | None]],
    *,
    scheme_label: str,
    areas: str = "",
    lang: str = "en",
) -> str:
    """Return the legend block shown under the map.

    ``sources`` pairs each source's name with its URL (or None); counts per
    class say how many boroughs fall in each. ``scheme_label`` is the
    classification's name, already in ``lang`` (``labels.scheme.<id>``);
    ``areas`` the level the counts are of ("agebs", "colonias"; boroughs by default).
    """
    tr = translator(lang)
    items = "".join(
        f"<li><span class='swatch' style='background:{markup.text(colour)}'></span>"
        f"{markup.text(label)} <span class='n'>({format_count(count, lang)})</span></li>"
        for colour, label, count in legend_rows(classes, indicator.fmt, lang)
    )
    cited = "; ".join(markup.link(url, name) if url else markup.text(name) for name, url in sources)
    meta = tr(f"legend.meta_{areas}" if areas else "legend.meta", scheme=scheme_label)
    return (
        "<div class='atlas-legend'>"
        f"<div class='title'><b>{markup.text(indicator.title(lang))}</b>, {year} "
        f"<span class='unit'>({markup.text(unit_label(unit, lang))})</span></div>"
        f"<ul>{items}</ul>"
        f"<div class='meta'>{markup.text(meta)} {markup.text(direction_note(indicator, lang))}</div>"
        f"<div class='source'>{markup.text(tr('legend.source'))} {cited}</div>"
        "</div>"
    )


def user_legend_html(layers: Sequence[UserLayer], lang: str = "en") -> str:
    """The visitor's layers under the map's legend, as safe HTML ("" with none): each one's name, kind, rows drawn, source.

    Name and source line are the user's typing: escaped, never read as
    Markdown; the count is of what the map draws for the view (filters applied).
    A layer restored from a deck file says so.
    """
    if not layers:
        return ""
    tr = translator(lang)
    items = "".join(
        f"<li><b>{markup.text(layer.name)}</b> <span class='n'>"
        + markup.text(
            tr(
                "legend.user.line",
                kind=tr(f"your_data.kinds.{layer.kind}"),
                n=format_count(len(drawn_rows(layer)), lang),
            )
        )
        + f"</span><br><span class='source'>{markup.text(tr('legend.source'))} {markup.text(layer.source)}</span>"
        + (
            f"<br><span class='origin'>{markup.text(tr('your_data.from_deck'))}</span>"
            if layer.from_deck
            else ""
        )
        + "</li>"
        for layer in layers
    )
    return (
        "<div class='atlas-legend atlas-user-legend'>"
        f"<div class='title'><b>{markup.text(tr('legend.user.heading'))}</b></div>"
        f"<ul>{items}</ul>"
        "</div>"
    )


def map_summary(
    classes: Classes,
    indicator: Indicator,
    year: int,
    *,
    boroughs: int,
    sites: int | None,
    highlighted: Sequence[str] = (),
    selected: str = "",
    reach_m: Sequence[float] = (),
    lang: str = "en",
) -> str:
    """Return a few plain sentences that say what the map draws: its text alternative.

    ``boroughs`` is how many boroughs are drawn, ``sites`` how many site
    markers (None when the sites layer is off), ``highlighted`` the names of
    the boroughs a filter keeps, ``selected`` the name of the selected
    borough and ``reach_m`` the walking-reach distances drawn, if any. The
    result is plain text: escape it before it goes into HTML.
    """
    tr = translator(lang)
    labels = class_labels(classes, indicator.fmt, lang)
    common = {"boroughs": format_count(boroughs, lang), "indicator": indicator.title(lang), "year": year}
    if not labels:
        parts = [tr("legend.summary.unshaded", **common)]
    else:
        low = format_value(classes.lower, indicator.fmt, lang)
        high = format_value(classes.bins[-1], indicator.fmt, lang)
        if len(labels) == 1:
            parts = [tr("legend.summary.shaded_one", low=low, high=high, **common)]
        else:
            parts = [tr("legend.summary.shaded", classes=len(labels), low=low, high=high, **common)]
        direction = direction_note(indicator, lang)
        if direction:
            parts.append(direction)
        missing = int((classes.of < 0).sum())
        if missing == 1:
            parts.append(tr("legend.summary.missing_one"))
        elif missing > 1:
            parts.append(tr("legend.summary.missing_many", n=format_count(missing, lang)))
    if highlighted:
        parts.append(tr("legend.summary.highlighted", names=join_list(highlighted, lang)))
    return " ".join([*parts, *_overlay_sentences(selected, sites, reach_m, lang)])


def _overlay_sentences(selected: str, sites: int | None, reach_m: Sequence[float], lang: str) -> list[str]:
    """What the summary says about the selection, the site markers and the walking reach."""
    tr = translator(lang)
    parts = []
    if selected:
        parts.append(tr("legend.summary.selected", name=selected))
    if sites is not None:
        if sites == 0:
            parts.append(tr("legend.summary.sites_none"))
        elif sites == 1:
            parts.append(tr("legend.summary.sites_one"))
        else:
            parts.append(tr("legend.summary.sites_many", n=format_count(sites, lang)))
    if reach_m:
        parts.append(tr("legend.summary.reach", distances=format_distances(reach_m, lang)))
    return parts


def areas_summary(
    classes: Classes,
    indicator: Indicator,
    year: int,
    *,
    level: str,
    areas: int,
    highlighted: Sequence[str] = (),
    selected: str = "",
    sites: int | None = None,
    reach_m: Sequence[float] = (),
    lang: str = "en",
) -> str:
    """The text alternative of a map at a neighbourhood ``level``: how many areas, shaded by what.

    Like :func:`map_summary`, plain text: escape it before it goes into HTML.
    """
    tr = translator(lang)
    parts = [
        tr(
            "areas.summary.shaded",
            n=format_count(areas, lang),
            areas=tr(f"areas.areas.{level}"),
            indicator=indicator.title(lang),
            year=year,
        )
    ]
    direction = direction_note(indicator, lang)
    if direction:
        parts.append(direction)
    missing = int((classes.of < 0).sum())
    if missing:
        parts.append(tr("areas.summary.missing", n=format_count(missing, lang)))
    if highlighted:
        parts.append(tr("areas.summary.filtered", names=join_list(highlighted, lang)))
    return " ".join([*parts, *_overlay_sentences(selected, sites, reach_m, lang)])
