"""A visitor's indicator table on Compare: their values for one year, ranked, marked as theirs.

A table keyed by borough is drawn as bars, highest first, with its values in
a column (:func:`user_indicator`); one keyed by AGEB or colonia is listed
unit by unit with its names (:func:`user_indicator_data`, shown as a table).
Every title and source note says the values are the user's, with the unit,
year and source line they gave. Units the table lacks are left out: no data,
never zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go

from geo import markup
from geo.charts._common import (
    html_text,
    layout,
    ranked_bars,
    title,
    value_column,
)
from geo.formatting import format_count, format_value
from geo.i18n import t
from geo.userindicator import USER_FORMAT, source_of, table_level, unit_of
from geo.userlayers import UserLayer
from geo.vocabulary import AGEB_LEVEL, BOROUGH_LEVEL


def year_text(year: int | None, lang: str) -> str:
    """A table's year as shown: the year, or words saying the user gave none."""
    return str(year) if year is not None else t("charts.user_indicator.no_year", lang)


def user_indicator_data(
    layer: UserLayer,
    year: int | None,
    *,
    names: Mapping[str, str],
    lang: str,
    colonias: pd.DataFrame | None = None,
    selected: Iterable[str] = (),
) -> pd.DataFrame:
    """The table's values of ``year`` (None: those given without a year), highest first (ties by name, key).

    Each unit is named: a borough by the loaded boundaries (``names``), a
    colonia by the IECM table (``colonias``: ``cveut``, ``name``; by its key
    without it), an AGEB by its code. Columns: rank, key, name, cvegeo (the borough), borough, year,
    value, unit, source (the user's, marked so), selected.
    """
    rows = layer.rows
    rows = rows[rows["year"].isna()] if year is None else rows[rows["year"] == year]
    level = table_level(layer)
    keys = rows["key"].astype(str)
    if level == BOROUGH_LEVEL:
        unit_names = [names.get(key, key) for key in keys]
    elif level == AGEB_LEVEL:
        unit_names = [f"AGEB {key}" for key in keys]
    else:
        named = colonias.set_index("cveut")["name"] if colonias is not None else pd.Series(dtype=str)
        unit_names = [str(named.get(key, key)) for key in keys]
    chosen = set(selected)
    boroughs = rows["borough"].astype(str)
    table = pd.DataFrame(
        {
            "key": keys.to_numpy(),
            "name": unit_names,
            "cvegeo": boroughs.to_numpy(),
            "borough": [names.get(code, code) for code in boroughs],
            "year": pd.array([year] * len(rows), dtype="Int64"),
            "value": rows["value"].astype(float).to_numpy(),
            "unit": unit_of(layer, lang),
            "source": source_of(layer, lang),
            "selected": [key in chosen for key in keys],
        }
    )
    table = table.sort_values(["value", "name", "key"], ascending=[False, True, True]).reset_index(drop=True)
    table.insert(0, "rank", range(1, len(table) + 1))
    return table


def user_indicator(
    layer: UserLayer, year: int | None, *, names: Mapping[str, str], lang: str, selected: Iterable[str] = ()
) -> tuple[go.Figure, pd.DataFrame]:
    """Bars of a borough table's values, highest on top, each value in a column right of the plot.

    The marks carry the borough code in ``customdata``; selected boroughs
    keep full colour and an outline. A table by AGEB or colonia is listed, not drawn (ValueError).
    """
    if table_level(layer) != BOROUGH_LEVEL:
        msg = f"{layer.name!r} is not keyed by borough; its values are listed, not drawn"
        raise ValueError(msg)
    table = user_indicator_data(layer, year, names=names, lang=lang, selected=selected)
    labels = [markup.text(name) for name in table["name"]]
    shown = [format_value(value, USER_FORMAT, lang) for value in table["value"]]
    unit = unit_of(layer, lang)
    n = str(len(table))
    hover = [
        f"<b>{label}</b><br>{markup.text(f'{value} ({unit})')}<br>"
        + html_text("ranking.hover_rank", lang, rank=str(rank), n=n)
        for label, value, rank in zip(labels, shown, table["rank"], strict=True)
    ]
    fig = ranked_bars(
        table["value"].tolist(), labels, table["key"].tolist(), hover, table["selected"].tolist()
    )
    note = t(
        "charts.user_indicator.note",
        lang,
        known=format_count(len(table), lang),
        n=format_count(len(names), lang),
    )
    layout(
        fig,
        title(t("charts.user_indicator.title", lang, name=layer.name, year=year_text(year, lang)), note),
        t("charts.axis.value", lang, label=layer.name, unit=unit),
        t("charts.ranking.axis_y", lang),
        t("charts.source.line", lang, sources=source_of(layer, lang)),
        height=200 + 28 * max(len(table), 4),
        lang=lang,
    )
    value_column(fig, labels, shown)
    return fig, table


def describe_user_indicator(table: pd.DataFrame, *, layer: UserLayer, n: int, lang: str) -> str:
    """Text alternative of :func:`user_indicator` and of an area table: highest, lowest, how many of ``n`` units have a value."""
    top, bottom = table.iloc[0], table.iloc[-1]
    year = top["year"]
    return t(
        "charts.describe.user_indicator",
        lang,
        name=layer.name,
        units=t(f"charts.user_indicator.units.{table_level(layer)}", lang),
        year=year_text(None if pd.isna(year) else int(year), lang),
        unit=unit_of(layer, lang),
        top=top["name"],
        top_value=format_value(top["value"], USER_FORMAT, lang),
        bottom=bottom["name"],
        bottom_value=format_value(bottom["value"], USER_FORMAT, lang),
        known=format_count(len(table), lang),
        n=format_count(n, lang),
    )
