"""Need against provision: each borough's need (x) against its open programme sites per 100,000 (y)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go
from babel.numbers import format_decimal

from geo import markup
from geo.charts._common import (
    INK,
    NO_TRACE_BOX,
    SAFE,
    html_text,
    indicator_fmt,
    indicator_label,
    layout,
    programme_label,
    source_line,
    title,
    units_text,
)
from geo.citations import citations
from geo.formatting import format_count, format_value, locale_of
from geo.i18n import t
from geo.indicators import REGISTRY, rows_for
from geo.vocabulary import PCMB, UTOPIAS

PER = 100_000
PROGRAMME_COLOURS = {UTOPIAS: SAFE[4], PCMB: SAFE[3]}
PROGRAMME_SYMBOLS = ("circle", "diamond", "square", "triangle-up", "cross")


def need_vs_provision_data(
    indicators: pd.DataFrame,
    sites: pd.DataFrame,
    *,
    names: Mapping[str, str],
    need: str = "poverty_pct",
    year: int = 2020,
) -> pd.DataFrame:
    """Return one row per borough and programme: need, open sites, population, sites per 100,000.

    Sites are those with status "open" now, counted in their borough whether
    or not they have coordinates; a borough without any has 0. Population is
    population_total of ``year``; every borough must have it.
    """
    need_rows = rows_for(indicators, need, year).set_index("cvegeo")
    population = rows_for(indicators, "population_total", year).dropna(subset=["value"]).set_index("cvegeo")
    codes = list(names)
    missing = [code for code in codes if code not in population.index]
    if missing:
        msg = f"population_total {year} is not known for {len(missing)} borough(s); cannot compute rates"
        raise ValueError(msg)
    open_sites = sites[sites["status"] == "open"]
    frames = []
    for programme in sorted(sites["programme"].unique()):
        counts = open_sites[open_sites["programme"] == programme].groupby("cvegeo").size()
        count = counts.reindex(codes, fill_value=0).astype(int)
        pop = population["value"].reindex(codes)
        frames.append(
            pd.DataFrame(
                {
                    "cvegeo": codes,
                    "borough": [names[code] for code in codes],
                    "programme": programme,
                    "need_indicator": need,
                    "year": year,
                    "need_value": need_rows["value"].reindex(codes).to_numpy(),
                    "need_unit": need_rows["unit"].reindex(codes).to_numpy(),
                    "open_sites": count.to_numpy(),
                    "population": pop.to_numpy(),
                    "sites_per_100k": (count / pop * PER).to_numpy(),
                    "need_source": need_rows["source"].reindex(codes).to_numpy(),
                    "need_source_url": need_rows["source_url"].reindex(codes).to_numpy(),
                    "population_source": population["source"].reindex(codes).to_numpy(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _rate(value: float, lang: str) -> str:
    return format_decimal(value, "#,##0.00", locale=locale_of(lang))


def need_vs_provision(
    indicators: pd.DataFrame,
    sites: pd.DataFrame,
    *,
    names: Mapping[str, str],
    lang: str,
    need: str = "poverty_pct",
    year: int = 2020,
    selected: Iterable[str] = (),
) -> tuple[go.Figure, pd.DataFrame]:
    """Scatter of need (x) against open programme sites per 100,000 inhabitants (y).

    Bubble area is the borough's population; each programme has its own
    colour and marker shape. Selected boroughs get a dark outline.
    """
    table = need_vs_provision_data(indicators, sites, names=names, need=need, year=year)
    chosen = set(selected)
    fmt = indicator_fmt(need)
    label = indicator_label(need, lang)
    per = format_count(PER, lang)
    max_population = float(table["population"].max())
    fig = go.Figure()
    for number, (programme, rows) in enumerate(table.groupby("programme", sort=True)):
        name = programme_label(programme, lang)
        colour = PROGRAMME_COLOURS.get(programme, SAFE[number % len(SAFE)])
        hover = [
            f"<b>{markup.text(row.borough)}</b><br>"
            + html_text(
                "need.hover_value",
                lang,
                label=markup.text(label),
                value=markup.text(format_value(row.need_value, fmt, lang)),
            )
            + "<br>"
            + html_text(
                "need.hover_open",
                lang,
                programme=markup.text(name),
                n=markup.text(format_count(row.open_sites, lang)),
                rate=markup.text(_rate(row.sites_per_100k, lang)),
                per=markup.text(per),
            )
            + "<br>"
            + html_text(
                "need.hover_population",
                lang,
                year=str(year),
                n=markup.text(format_count(row.population, lang)),
            )
            for row in rows.itertuples()
        ]
        fig.add_trace(
            go.Scatter(
                x=rows["need_value"].tolist(),
                y=rows["sites_per_100k"].tolist(),
                mode="markers",
                name=markup.text(name),
                customdata=rows["cvegeo"].tolist(),
                hovertext=hover,
                hovertemplate="%{hovertext}" + NO_TRACE_BOX,
                marker={
                    "size": rows["population"].tolist(),
                    "sizemode": "area",
                    "sizeref": 2.0 * max_population / 45**2,
                    "sizemin": 4,
                    "color": colour,
                    "opacity": 0.75,
                    "symbol": PROGRAMME_SYMBOLS[number % len(PROGRAMME_SYMBOLS)],
                    "line": {
                        "color": [INK if code in chosen else "white" for code in rows["cvegeo"]],
                        "width": [2.5 if code in chosen else 1 for code in rows["cvegeo"]],
                    },
                },
            )
        )
    open_sites = sites[sites["status"] == "open"]
    unmapped = int(open_sites.geometry.isna().sum()) if "geometry" in open_sites else 0
    x_title = t(
        "charts.need.axis_x", lang, label=label, year=year, unit=units_text(table["need_unit"].dropna(), lang)
    )
    if REGISTRY.get(need) and REGISTRY[need].higher_is_worse:
        x_title = t("charts.need.more_need", lang, axis=x_title)
    cited = [
        *citations(indicators, need, year, lang),
        *citations(indicators, "population_total", year, lang),
        (t("charts.source.sites", lang), t("charts.source.status_now", lang)),
    ]
    fig.update_layout(legend={"title": {"text": markup.text(t("charts.need.legend", lang))}})
    top = float(table["sites_per_100k"].max()) or 1.0
    fig.update_yaxes(range=[-0.08 * top, 1.15 * top])  # room for half the bubbles at 0
    note = t(
        "charts.need.note",
        lang,
        total=format_count(len(open_sites), lang),
        unmapped=format_count(unmapped, lang),
    )
    return (
        layout(
            fig,
            title(t("charts.need.title", lang, label=label, year=year), note),
            x_title,
            t("charts.need.axis_y", lang, per=per, year=year),
            source_line(cited, lang),
            height=520,
            lang=lang,
        ),
        table,
    )


def describe_need_vs_provision(table: pd.DataFrame, *, lang: str) -> str:
    """Text alternative of :func:`need_vs_provision`: per programme, how many boroughs have a site
    and which has the most per inhabitant."""
    sentences = []
    per = format_count(PER, lang)
    for programme, rows in table.groupby("programme", sort=True):
        need = str(rows["need_indicator"].iloc[0])
        with_sites = rows[rows["open_sites"] > 0]
        if with_sites.empty:
            detail = t("charts.describe.need_none", lang)
        else:
            top = with_sites.sort_values(["sites_per_100k", "borough"], ascending=[False, True]).iloc[0]
            detail = t(
                "charts.describe.need_top",
                lang,
                with_sites=format_count(len(with_sites), lang),
                n=format_count(len(rows), lang),
                top=top["borough"],
                rate=_rate(top["sites_per_100k"], lang),
                per=per,
                need=format_value(top["need_value"], indicator_fmt(need), lang),
            )
        sentences.append(
            t(
                "charts.describe.need",
                lang,
                label=indicator_label(need, lang),
                year=int(rows["year"].iloc[0]),
                programme=programme_label(programme, lang),
                per=per,
                detail=detail,
            )
        )
    return " ".join(sentences)
