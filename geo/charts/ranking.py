"""Boroughs ranked by an indicator, read against the whole city's value (bars and a dashed line).

The city value (:func:`city_value`) is also the Borough profile's "city" column.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from geo import markup
from geo.charts._common import (
    BAR,
    INK,
    NO_TRACE_BOX,
    bar_highlight,
    html_text,
    indicator_fmt,
    indicator_label,
    layout,
    source_line,
    title,
    units_text,
    value_column,
)
from geo.citations import citations
from geo.formatting import format_value
from geo.i18n import t
from geo.indicators import rows_for, shown_sources
from geo.vocabulary import CITY_CODE  # the city row of a ranking table


@dataclass(frozen=True)
class CityValue:
    """The whole city's value of an indicator and how it was obtained (``value`` None: not computed).

    ``method`` says how the value was computed, or "not computed: <reason>";
    ``reason`` is the bare reason when it was not computed.
    """

    value: float | None
    method: str
    reason: str = ""


def _not_computed(reason: str, lang: str) -> CityValue:
    return CityValue(None, t("charts.city.not_computed", lang, reason=reason), reason)


def _borough_rows(
    indicators: pd.DataFrame, indicator: str, year: int, names: Collection[str]
) -> pd.DataFrame:
    """The rows with a value of an indicator-year for the boroughs of ``names``."""
    rows = rows_for(indicators, indicator, year).dropna(subset=["value"])
    return rows[rows["cvegeo"].isin(names)]


def city_value(
    indicators: pd.DataFrame, indicator: str, year: int, *, names: Collection[str], lang: str
) -> CityValue:
    """Return the city value that a borough ranking is read against.

    The city is the boroughs of the loaded boundaries, ``names`` (their codes;
    ``Atlas.borough_names``). Only computed when every one of them has a value, since a partial sum or mean
    is not the city's: percentages are averaged weighting each borough by its
    population_total of the same year (not computed if that is missing);
    counts are summed; density is total population over total area (area
    recovered as population / density from the same rows). An index, a median
    or a category has no city value that follows from the boroughs' ones.
    """
    rows = _borough_rows(indicators, indicator, year, names)
    n = len(names)
    known = rows["cvegeo"].nunique()
    if known < n:
        return _not_computed(t("charts.city.known_for", lang, known=known, n=n), lang)
    values = rows.set_index("cvegeo")["value"]
    fmt = indicator_fmt(indicator)
    if fmt == "count":
        return CityValue(float(values.sum()), t("charts.city.sum", lang, n=n))
    if fmt in {"percent", "density"}:
        population = rows_for(indicators, "population_total", year).dropna(subset=["value"])
        weights = population.set_index("cvegeo")["value"].reindex(values.index)
        if weights.isna().any():
            return _not_computed(t("charts.city.no_population", lang, year=year), lang)
        if fmt == "density":
            return CityValue(
                float(weights.sum() / (weights / values).sum()),
                t("charts.city.density", lang, n=n, year=year),
            )
        return CityValue(
            float((values * weights).sum() / weights.sum()),
            t("charts.city.weighted_mean", lang, n=n, year=year),
        )
    return _not_computed(t("charts.city.not_additive", lang), lang)


def ranking_data(
    indicators: pd.DataFrame,
    indicator: str,
    year: int,
    *,
    names: Mapping[str, str],
    lang: str,
    selected: Iterable[str] = (),
    city: CityValue | None = None,
) -> pd.DataFrame:
    """Return the boroughs of ``names`` ranked by value (highest first), then one city row.

    Columns: rank, cvegeo, borough, indicator, year, value, unit, selected,
    source (in ``lang``), source_url. The city row has code ``"09"``, no rank, and says in
    ``source`` how its value was computed (or why it was not); ``city``, when the caller has
    already worked it out for the chart's line, is not computed again.
    """
    if indicator_fmt(indicator) == "category":
        msg = f"{indicator} is a category; it has no values to rank"
        raise ValueError(msg)
    rows = _borough_rows(indicators, indicator, year, names)
    if rows.empty:
        msg = f"no values for {indicator} in {year}"
        raise ValueError(msg)
    chosen = set(selected)
    table = rows.assign(
        borough=rows["cvegeo"].map(names),
        selected=rows["cvegeo"].isin(chosen),
        source=shown_sources(indicators, rows, lang),
    )
    table = table.sort_values(["value", "borough"], ascending=[False, True]).reset_index(drop=True)
    table.insert(0, "rank", pd.array(range(1, len(table) + 1), dtype="Int64"))
    city = city or city_value(indicators, indicator, year, names=names, lang=lang)
    city_row = {
        "rank": pd.NA,
        "cvegeo": CITY_CODE,
        "borough": t("charts.city.name", lang),
        "indicator": indicator,
        "year": year,
        "value": city.value if city.value is not None else float("nan"),
        "unit": "; ".join(dict.fromkeys(rows["unit"])),
        "selected": False,
        "source": t("charts.city.derived", lang, method=city.method)
        if city.value is not None
        else city.method,
        "source_url": "",
    }
    columns = ["rank", "cvegeo", "borough", "indicator", "year", "value", "unit", "selected"]
    columns += ["source", "source_url"]
    data = {column: [*table[column].tolist(), city_row[column]] for column in columns}
    return pd.DataFrame(data).astype({"rank": "Int64", "year": int, "value": float, "selected": bool})


def ranking(
    indicators: pd.DataFrame,
    indicator: str,
    year: int,
    *,
    names: Mapping[str, str],
    lang: str,
    selected: Iterable[str] = (),
) -> tuple[go.Figure, pd.DataFrame]:
    """Horizontal bars of the boroughs, highest value on top, with the city value as a line.

    Each bar's value stands in a column right of the plot, level with its bar.

    Selected boroughs keep full colour and an outline; the others turn
    lighter, so the highlight does not depend on telling colours apart.
    """
    city = city_value(indicators, indicator, year, names=names, lang=lang)
    table = ranking_data(indicators, indicator, year, names=names, lang=lang, selected=selected, city=city)
    boroughs = table[table["cvegeo"] != CITY_CODE]
    fmt = indicator_fmt(indicator)
    label = indicator_label(indicator, lang)
    shown = [format_value(v, fmt, lang) for v in boroughs["value"]]
    labels = [markup.text(name) for name in boroughs["borough"]]
    fig = go.Figure(
        go.Bar(
            x=boroughs["value"].tolist(),
            y=labels,
            orientation="h",
            customdata=boroughs["cvegeo"].tolist(),
            hovertext=[
                f"<b>{name}</b><br>{markup.text(value)}<br>"
                + html_text("ranking.hover_rank", lang, rank=str(rank), n=str(len(boroughs)))
                for name, value, rank in zip(labels, shown, boroughs["rank"], strict=True)
            ],
            hovertemplate="%{hovertext}" + NO_TRACE_BOX,
            name=markup.text(label),
            showlegend=False,
            **bar_highlight(boroughs["selected"].tolist(), BAR),
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed")
    if city.value is not None:
        fig.add_vline(
            x=city.value,
            line={"color": INK, "dash": "dash", "width": 1.5},
            annotation_text=markup.text(
                t("charts.city.label", lang, value=format_value(city.value, fmt, lang))
            ),
            annotation_position="top",
            annotation_font={"size": 12},
        )
        note = t("charts.city.line_note", lang, method=city.method)
    else:
        note = t("charts.city.missing_note", lang, reason=city.reason)
    layout(
        fig,
        title(t("charts.ranking.title", lang, label=label, year=year), note),
        t("charts.axis.value", lang, label=label, unit=units_text(boroughs["unit"], lang)),
        t("charts.ranking.axis_y", lang),
        source_line(citations(indicators, indicator, year, lang), lang),
        height=560,
        lang=lang,
    )
    # In a column, not at the bars' ends: there the city line ran through some values.
    value_column(fig, labels, shown)
    return fig, table


def describe_ranking(table: pd.DataFrame, *, lang: str) -> str:
    """Text alternative of :func:`ranking`: the highest and lowest borough and the city value."""
    boroughs = table[table["cvegeo"] != CITY_CODE]
    city = table[table["cvegeo"] == CITY_CODE]
    indicator = str(table["indicator"].iloc[0])
    fmt = indicator_fmt(indicator)
    top, bottom = boroughs.iloc[0], boroughs.iloc[-1]
    city_text = (
        t("charts.describe.city", lang, value=format_value(city["value"].iloc[0], fmt, lang))
        if not city.empty and pd.notna(city["value"].iloc[0])
        else t("charts.describe.city_missing", lang)
    )
    return t(
        "charts.describe.ranking",
        lang,
        label=indicator_label(indicator, lang),
        year=int(table["year"].iloc[0]),
        top=top["borough"],
        top_value=format_value(top["value"], fmt, lang),
        bottom=bottom["borough"],
        bottom_value=format_value(bottom["value"], fmt, lang),
        city=city_text,
    )
