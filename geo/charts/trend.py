"""Change over time: a slope chart, one line per borough across the years every borough has a value."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go

from geo import markup
from geo.charts._common import (
    BAR,
    NO_TRACE_BOX,
    ROSE,
    UNSELECTED_OPACITY,
    indicator_fmt,
    indicator_label,
    layout,
    source_line,
    title,
    units_text,
)
from geo.citations import citations
from geo.formatting import format_count, format_value
from geo.i18n import t
from geo.indicators import mappable, shown_sources


def change_over_time_data(
    indicators: pd.DataFrame, indicator: str, *, names: Mapping[str, str], lang: str
) -> pd.DataFrame | None:
    """Return one row per borough and year for the years every borough has a value; None if < 2.

    Sources are as a reader of ``lang`` sees them (:func:`geo.indicators.shown_sources`).
    """
    years = mappable(indicators, len(names)).get(indicator, [])
    if len(years) < 2:
        return None
    rows = indicators[(indicators["indicator"] == indicator) & indicators["year"].isin(years)]
    rows = rows[rows["cvegeo"].isin(names)].dropna(subset=["value"])
    table = rows.assign(borough=rows["cvegeo"].map(names), source=shown_sources(indicators, rows, lang))
    columns = ["cvegeo", "borough", "indicator", "year", "value", "unit", "source", "source_url"]
    return table.sort_values(["cvegeo", "year"])[columns].reset_index(drop=True)


def change_over_time(
    indicators: pd.DataFrame,
    indicator: str,
    *,
    names: Mapping[str, str],
    lang: str,
    selected: Iterable[str] = (),
) -> tuple[go.Figure, pd.DataFrame] | None:
    """Slope chart: one line per borough across the indicator's years; None with fewer than two.

    Lines that rose are solid rose, lines that fell dotted indigo (shape and
    colour both tell the direction); selected boroughs stay opaque.
    """
    table = change_over_time_data(indicators, indicator, names=names, lang=lang)
    if table is None:
        return None
    chosen = set(selected)
    fmt = indicator_fmt(indicator)
    label = indicator_label(indicator, lang)
    years = sorted(table["year"].unique())
    first, last = years[0], years[-1]
    groups = {
        True: markup.text(t("charts.change.rose", lang, first=first, last=last)),
        False: markup.text(t("charts.change.fell", lang, first=first, last=last)),
    }
    fig = go.Figure()
    shown_legend: set[bool] = set()
    for code, rows in table.groupby("cvegeo", sort=True):
        rows = rows.sort_values("year")
        values = rows["value"].tolist()
        rose = values[-1] > values[0]
        name = markup.text(names.get(code, code))
        fig.add_trace(
            go.Scatter(
                x=rows["year"].tolist(),
                y=values,
                mode="lines+markers+text",
                name=groups[rose],
                legendgroup="rose" if rose else "fell",
                showlegend=rose not in shown_legend,
                customdata=[code] * len(rows),
                text=[""] * (len(rows) - 1) + [name],
                textposition="middle right",
                textfont={"size": 11},
                hovertext=[
                    f"<b>{name}</b>, {year}<br>{markup.text(format_value(value, fmt, lang))}"
                    for year, value in zip(rows["year"], values, strict=True)
                ],
                hovertemplate="%{hovertext}" + NO_TRACE_BOX,
                line={"color": ROSE if rose else BAR, "dash": "solid" if rose else "dot", "width": 2},
                marker={"size": 7},
                opacity=1.0 if not chosen or code in chosen else UNSELECTED_OPACITY,
            )
        )
        shown_legend.add(rose)
    span = last - first
    fig.update_xaxes(
        tickvals=years, ticktext=[str(y) for y in years], range=[first - 0.05 * span, last + 0.3 * span]
    )
    cited = [pair for year in years for pair in citations(indicators, indicator, year, lang)]
    return (
        layout(
            fig,
            title(
                t("charts.change.title", lang, label=label, first=first, last=last),
                t("charts.change.note", lang, n=len(names)),
            ),
            t("charts.axis.year", lang),
            t("charts.axis.value", lang, label=label, unit=units_text(table["unit"], lang)),
            source_line(cited, lang),
            height=560,
            lang=lang,
        ),
        table,
    )


def describe_change_over_time(table: pd.DataFrame, *, lang: str) -> str:
    """Text alternative of :func:`change_over_time`: how many boroughs rose or fell, and the largest moves."""
    indicator = str(table["indicator"].iloc[0])
    fmt = indicator_fmt(indicator)
    years = sorted(table["year"].unique())
    ends = (
        table.sort_values("year")
        .groupby("cvegeo", sort=True)
        .agg(borough=("borough", "first"), start=("value", "first"), end=("value", "last"))
    )
    ends["change"] = ends["end"] - ends["start"]
    rose, fell = ends[ends["change"] > 0], ends[ends["change"] <= 0]
    parts = [
        t(
            "charts.describe.change",
            lang,
            label=indicator_label(indicator, lang),
            n=len(ends),
            first=years[0],
            last=years[-1],
            rose=format_count(len(rose), lang),
            fell=format_count(len(fell), lang),
        )
    ]
    for key, rows, largest in (("change_rise", rose, True), ("change_fall", fell[fell["change"] < 0], False)):
        if rows.empty:
            continue
        row = rows.sort_values("change", ascending=not largest).iloc[0]
        parts.append(
            t(
                f"charts.describe.{key}",
                lang,
                borough=row["borough"],
                start=format_value(row["start"], fmt, lang),
                end=format_value(row["end"], fmt, lang),
            )
        )
    return " ".join(parts)
