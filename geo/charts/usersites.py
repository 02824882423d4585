"""A visitor's confirmed sites counted per borough (and per 100,000 people) and per colonia of one borough.

The rows are a :class:`~geo.userlayers.UserLayer`'s: each carries the
``borough`` (code) and ``colonia`` (key) the check located it in; rows kept
as context outside the city have neither and are not counted. The counts are
the user's data: every title says so and every source note cites the user's
source line beside the shipped population's source and year. A borough
without a population figure has no rate: missing, never zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go

from geo import markup
from geo.charts._common import (
    html_text,
    layout,
    plural_text,
    ranked_bars,
    title,
    value_column,
)
from geo.citations import citations, cite
from geo.filters import HEADLINE_YEAR
from geo.formatting import format_count, format_value
from geo.i18n import t
from geo.indicators import rows_for
from geo.userindicator import source_of
from geo.userlayers import UserLayer

PER = 100_000
TOP = 15
#: How a rate per 100,000 people is written (up to two decimals).
RATE = "rate"


def _located(values: pd.Series) -> pd.Series:
    """A location column's non-empty keys, as text."""
    values = values.dropna().astype(str)
    return values[values != ""]


def user_sites_by_borough_data(
    rows: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    names: Mapping[str, str],
    year: int = HEADLINE_YEAR,
    selected: Iterable[str] = (),
) -> pd.DataFrame:
    """Every borough's count of the layer's sites and sites per 100,000 people, most per person first.

    The population is the shipped ``population_total`` of ``year``; a borough
    without it has no population and no rate (NaN), never 0. Boroughs with no
    site are listed with 0, so the table compares all of them. Columns:
    cvegeo, borough, sites, population, population_year, per_100k,
    population_source, selected.
    """
    counts = _located(rows["borough"]).value_counts()
    population = rows_for(indicators, "population_total", year).dropna(subset=["value"]).set_index("cvegeo")
    codes = list(names)
    sites = [int(counts.get(code, 0)) for code in codes]
    people = population["value"].reindex(codes).astype(float).to_numpy()
    chosen = set(selected)
    table = pd.DataFrame(
        {
            "cvegeo": codes,
            "borough": [names[code] for code in codes],
            "sites": sites,
            "population": people,
            "population_year": year,
            "per_100k": [
                count / total * PER if total > 0 else float("nan")
                for count, total in zip(sites, people, strict=True)
            ],
            "population_source": population["source"].reindex(codes).to_numpy(),
            "selected": [code in chosen for code in codes],
        }
    )
    return table.sort_values(
        ["per_100k", "sites", "borough"], ascending=[False, False, True], na_position="last"
    ).reset_index(drop=True)


def user_sites_by_colonia_data(
    rows: pd.DataFrame, borough: str, colonias: pd.DataFrame, *, top: int = TOP, selected: str = ""
) -> pd.DataFrame:
    """The ``top`` colonias of ``borough`` with most of the layer's sites, most first (ties by name, key).

    ``colonias`` is the colonia table (``cveut``, ``name``); a key it lacks is
    named by the key. Columns: cveut, colonia, sites, selected.
    """
    inside = rows[rows["borough"].astype(str) == borough]
    counts = _located(inside["colonia"]).value_counts()
    named = colonias.set_index("cveut")["name"]
    table = pd.DataFrame(
        {
            "cveut": counts.index.to_list(),
            "colonia": [str(named.get(key, key)) for key in counts.index],
            "sites": counts.astype(int).to_numpy(),
        }
    )
    table = table.sort_values(["sites", "colonia", "cveut"], ascending=[False, True, True])
    table = table.head(top).reset_index(drop=True)
    return table.assign(selected=table["cveut"] == selected)


def user_sites_by_borough(
    layer: UserLayer,
    indicators: pd.DataFrame,
    *,
    names: Mapping[str, str],
    lang: str,
    year: int = HEADLINE_YEAR,
    selected: Iterable[str] = (),
) -> tuple[go.Figure, pd.DataFrame]:
    """Bars of the user's sites per 100,000 people in every borough, most on top; the counts in a column.

    A borough without a population has no bar and says so in the column.
    """
    table = user_sites_by_borough_data(layer.rows, indicators, names=names, year=year, selected=selected)
    per = format_count(PER, lang)
    labels = [markup.text(name) for name in table["borough"]]
    rates = [format_value(rate, RATE, lang) for rate in table["per_100k"]]
    counts = [plural_text("user_sites.sites", int(n), lang) for n in table["sites"]]
    hover = [
        f"<b>{label}</b><br>"
        + html_text("user_sites.hover", lang, sites=markup.text(count), rate=markup.text(rate), per=per)
        for label, count, rate in zip(labels, counts, rates, strict=True)
    ]
    fig = ranked_bars(
        table["per_100k"].tolist(), labels, table["cvegeo"].tolist(), hover, table["selected"].tolist()
    )
    note = t(
        "charts.user_sites.note",
        lang,
        sites=plural_text("user_sites.sites", int(table["sites"].sum()), lang),
        year=year,
    )
    cited = cite((name for name, _ in citations(indicators, "population_total", year, lang)), year)
    layout(
        fig,
        title(t("charts.user_sites.title", lang, name=layer.name, per=per), note),
        t("charts.user_sites.axis_x", lang, per=per, year=year),
        t("charts.ranking.axis_y", lang),
        t("charts.user_sites.source", lang, source=source_of(layer, lang), year=year, population=cited),
        height=560,
        lang=lang,
    )
    value_column(fig, labels, [f"{rate} ({count})" for rate, count in zip(rates, counts, strict=True)])
    return fig, table


def describe_user_sites_by_borough(table: pd.DataFrame, *, layer: str, lang: str) -> str:
    """Text alternative of :func:`user_sites_by_borough`: how many sites, the highest rate, boroughs without one."""
    rated = table.dropna(subset=["per_100k"])
    with_sites = rated[rated["sites"] > 0]
    per = format_count(PER, lang)
    top = (
        t(
            "charts.describe.user_sites_top",
            lang,
            borough=with_sites.iloc[0]["borough"],
            rate=format_value(with_sites.iloc[0]["per_100k"], RATE, lang),
            per=per,
        )
        if not with_sites.empty
        else t("charts.describe.need_none", lang)
    )
    return t(
        "charts.describe.user_sites",
        lang,
        name=layer,
        per=per,
        sites=plural_text("user_sites.sites", int(table["sites"].sum()), lang),
        boroughs=format_count(int((table["sites"] > 0).sum()), lang),
        n=format_count(len(table), lang),
        top=top,
        missing=format_count(len(table) - len(rated), lang),
    )


def user_sites_by_colonia(
    layer: UserLayer,
    borough: str,
    colonias: pd.DataFrame,
    *,
    names: Mapping[str, str],
    lang: str,
    selected: str = "",
) -> tuple[go.Figure, pd.DataFrame] | None:
    """Bars of the user's sites in the colonias of ``borough`` with most, or None if it has none.

    The marks carry the colonia key (``cveut``) in ``customdata``; colonia
    names are the IECM's, made unique when two colonias share one.
    """
    table = user_sites_by_colonia_data(layer.rows, borough, colonias, selected=selected)
    if table.empty:
        return None
    repeated = table["colonia"].duplicated(keep=False)
    labels = [
        markup.text(f"{name} ({key})" if twice else name)
        for name, key, twice in zip(table["colonia"], table["cveut"], repeated, strict=True)
    ]
    counts = [plural_text("user_sites.sites", int(n), lang) for n in table["sites"]]
    hover = [f"<b>{label}</b><br>{markup.text(count)}" for label, count in zip(labels, counts, strict=True)]
    fig = ranked_bars(
        table["sites"].tolist(), labels, table["cveut"].tolist(), hover, table["selected"].tolist()
    )
    layout(
        fig,
        title(
            t("charts.user_sites.colonia_title", lang, name=layer.name, borough=names.get(borough, borough)),
            t("charts.user_sites.colonia_note", lang, n=format_count(len(table), lang)),
        ),
        t("charts.axis.sites", lang),
        t("charts.colonias.axis_y", lang),
        t("charts.user_sites.colonia_source", lang, source=source_of(layer, lang)),
        height=200 + 28 * len(table),
        lang=lang,
    )
    fig.update_xaxes(dtick=1 if int(table["sites"].max()) <= 10 else None, rangemode="tozero")
    return fig, table


def describe_user_sites_by_colonia(table: pd.DataFrame, *, layer: str, borough: str, lang: str) -> str:
    """Text alternative of :func:`user_sites_by_colonia`: how many colonias, the first and the last."""
    first, last = table.iloc[0], table.iloc[-1]
    return t(
        "charts.describe.user_sites_colonias",
        lang,
        name=layer,
        n=format_count(len(table), lang),
        borough=borough,
        top=first["colonia"],
        top_sites=plural_text("user_sites.sites", int(first["sites"]), lang),
        last=last["colonia"],
        last_sites=plural_text("user_sites.sites", int(last["sites"]), lang),
    )
