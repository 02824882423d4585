"""Plotly charts of the Atlas data: borough rankings, need against provision,
change over time, UTOPÍAS openings and PCMB figures.

Pure builders: data in, a :class:`plotly.graph_objects.Figure` and the same
data as a tidy table out (the table is the chart's text alternative and its
download). Every figure names its source under the plot, uses colour-blind-safe
colours (Paul Tol's "safe" set as shipped by plotly, plus lightness, dashes or
patterns so nothing is told by hue alone) and puts the borough code in
``customdata`` of every borough mark, so a Streamlit selection maps back to
boroughs (:func:`boroughs_from_selection`). Texts from data files are
HTML-escaped before plotly renders them.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import pandas as pd
import plotly.graph_objects as go
from babel.numbers import format_decimal
from plotly.colors import qualitative

from geo import markup
from geo.filters import opened_year
from geo.formatting import format_count, format_value
from geo.indicators import REGISTRY, mappable, rows_for
from geo.mapview import PROGRAMME_LABELS, STATUS_LABELS

# INEGI names of the 16 alcaldías (the loader checks the boundary file has exactly these codes).
BOROUGH_NAMES: dict[str, str] = {
    "09002": "Azcapotzalco",
    "09003": "Coyoacán",
    "09004": "Cuajimalpa de Morelos",
    "09005": "Gustavo A. Madero",
    "09006": "Iztacalco",
    "09007": "Iztapalapa",
    "09008": "La Magdalena Contreras",
    "09009": "Milpa Alta",
    "09010": "Álvaro Obregón",
    "09011": "Tláhuac",
    "09012": "Tlalpan",
    "09013": "Xochimilco",
    "09014": "Benito Juárez",
    "09015": "Cuauhtémoc",
    "09016": "Miguel Hidalgo",
    "09017": "Venustiano Carranza",
}
CITY_CODE = "09"  # INEGI state code of Mexico City: the city row of a ranking table
CITY_NAME = "Mexico City (all boroughs)"
UNKNOWN_OPENING = "opening date unknown"
PER = 100_000

SAFE = qualitative.Safe  # Paul Tol's colour-blind-safe qualitative set
INK = "#222222"
MUTED = SAFE[10]  # grey
BAR = SAFE[4]  # indigo
ROSE = SAFE[1]
PROGRAMME_COLOURS = {"utopias": SAFE[4], "pcmb": SAFE[3]}
PROGRAMME_SYMBOLS = ("circle", "diamond", "square", "triangle-up", "cross")
UNSELECTED_OPACITY = 0.35
SOURCE_WIDTH = 120  # characters per line of the source note
AREA_SOURCE = "INEGI Marco Geoestadístico (areas)"
SITES_SOURCE = "UTOPÍAS sites compiled by the Atlas from public reports (sources per site in the table)"

_SOURCE_CUT = re.compile(r" \(|, |; |: ")


# --- shared helpers ------------------------------------------------------------------------------


def short_source(source: str, limit: int = 80) -> str:
    """Return a source's name without its provenance notes, for a one-line citation.

    The full text stays in the table (``source`` column); the figure only has
    room for "CONEVAL Medición de la pobreza municipal 2020".
    """
    head = _SOURCE_CUT.split(source.strip(), maxsplit=1)[0]
    return head if len(head) <= limit else head[: limit - 1].rstrip() + "…"


def source_line(citations: Iterable[tuple[str, object]]) -> str:
    """Return "Source: name (year); …" from (name, year) pairs, each name once.

    A year already in the name is not repeated ("INEGI Censo 2010", not
    "INEGI Censo 2010 (2010)").
    """
    years: dict[str, list[str]] = {}
    for name, year in citations:
        listed = years.setdefault(name, [])
        if str(year) not in listed:
            listed.append(str(year))
    parts = []
    for name, listed in years.items():
        missing = [year for year in listed if year not in name]
        parts.append(f"{name} ({', '.join(missing)})" if missing else name)
    return "Source: " + "; ".join(parts)


def _citations(indicators: pd.DataFrame, indicator: str, year: int) -> list[tuple[str, int]]:
    """Short source names of an indicator-year; a derived indicator cites its inputs."""
    spec = REGISTRY.get(indicator)
    if spec is not None and spec.derived_from:
        inputs: list[str] = []
        for name in spec.derived_from:
            if name in REGISTRY:
                inputs += [cited for cited, _ in _citations(indicators, name, year)]
            else:
                inputs.append(AREA_SOURCE)
        return [(f"Atlas calculation from {' and '.join(dict.fromkeys(inputs))}", year)]
    rows = rows_for(indicators, indicator, year)
    return [(short_source(source), year) for source in dict.fromkeys(rows["source"])]


def _label(indicator: str) -> str:
    spec = REGISTRY.get(indicator)
    return spec.title("en") if spec else indicator


def _fmt(indicator: str) -> str:
    spec = REGISTRY.get(indicator)
    return spec.fmt if spec else "count"


def _unit(rows: pd.DataFrame) -> str:
    units = list(dict.fromkeys(rows["unit"]))
    return "; ".join(units)


def _name(cvegeo: str) -> str:
    return BOROUGH_NAMES.get(cvegeo, cvegeo)


def _host(url: str) -> str:
    pairs = markup.source_pairs(url)
    return pairs[0][0] if pairs else url


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str, source: str, *, height: int) -> go.Figure:
    """Give a figure its title, axis titles and the source note under the plot."""
    lines = textwrap.wrap(source, SOURCE_WIDTH) or [""]
    fig.add_annotation(
        name="source",
        text="<br>".join(markup.text(line) for line in lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-62,
        align="left",
        showarrow=False,
        font={"size": 11, "color": "#444444"},
    )
    fig.update_layout(
        title={
            "text": title,
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 28},
        },
        xaxis_title=markup.text(x_title),
        yaxis_title=markup.text(y_title),
        template="plotly_white",
        height=height,
        margin={"l": 10, "r": 30, "t": 110, "b": 80 + 15 * len(lines)},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"},
        font={"family": "sans-serif", "size": 13, "color": INK},
        hoverlabel={"align": "left"},
    )
    return fig


def _title(text: str, note: str = "") -> str:
    """A bold title with an optional smaller line under it (both escaped)."""
    return f"<b>{markup.text(text)}</b>" + (f"<br><sup>{markup.text(note)}</sup>" if note else "")


def boroughs_from_selection(selection: Mapping[str, object]) -> tuple[str, ...]:
    """Return the borough codes of the points selected in a chart (Streamlit ``on_select``).

    Streamlit hands back ``{"selection": {"points": [{"customdata": …}, …]}}``
    (or just the inner ``{"points": …}``); ``customdata`` may be the code or
    a list whose first item is the code. Marks without a code are ignored.
    """
    inner = selection.get("selection", selection)
    points = inner.get("points", []) if isinstance(inner, Mapping) else []
    codes: list[str] = []
    for point in points:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        code = data[0] if isinstance(data, list | tuple) and data else data
        if isinstance(code, str) and code in BOROUGH_NAMES and code not in codes:
            codes.append(code)
    return tuple(codes)


# --- 1. ranking ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CityValue:
    """The whole city's value of an indicator and how it was obtained (``value`` None: not computed)."""

    value: float | None
    method: str


def city_value(indicators: pd.DataFrame, indicator: str, year: int) -> CityValue:
    """Return the city value that a borough ranking is read against.

    Only computed when every borough has a value, since a partial sum or mean
    is not the city's: percentages are averaged weighting each borough by its
    population_total of the same year (not computed if that is missing);
    counts are summed; density is total population over total area (area
    recovered as population / density from the same rows). An index, a median
    or a category has no city value that follows from the boroughs' ones.
    """
    rows = rows_for(indicators, indicator, year).dropna(subset=["value"])
    n = len(BOROUGH_NAMES)
    if rows["cvegeo"].nunique() < n:
        return CityValue(None, f"not computed: known for {rows['cvegeo'].nunique()} of {n} boroughs")
    values = rows.set_index("cvegeo")["value"]
    fmt = _fmt(indicator)
    if fmt == "count":
        return CityValue(float(values.sum()), f"sum of the {n} boroughs")
    if fmt in {"percent", "density"}:
        population = rows_for(indicators, "population_total", year).dropna(subset=["value"])
        weights = population.set_index("cvegeo")["value"].reindex(values.index)
        if weights.isna().any():
            return CityValue(None, f"not computed: population_total {year} not known for every borough")
        if fmt == "density":
            return CityValue(
                float(weights.sum() / (weights / values).sum()),
                f"total population / total area of the {n} boroughs ({year})",
            )
        return CityValue(
            float((values * weights).sum() / weights.sum()),
            f"population-weighted mean of the {n} boroughs (weights: population_total {year})",
        )
    return CityValue(None, f"not computed: a city {fmt} does not follow from the boroughs' values")


def ranking_data(
    indicators: pd.DataFrame, indicator: str, year: int, *, selected: Iterable[str] = ()
) -> pd.DataFrame:
    """Return the boroughs ranked by value (highest first), then one city row.

    Columns: rank, cvegeo, borough, indicator, year, value, unit, selected,
    source, source_url. The city row has code ``"09"``, no rank, and says in
    ``source`` how its value was computed (or why it was not).
    """
    if _fmt(indicator) == "category":
        msg = f"{indicator} is a category; it has no values to rank"
        raise ValueError(msg)
    rows = rows_for(indicators, indicator, year).dropna(subset=["value"])
    if rows.empty:
        msg = f"no values for {indicator} in {year}"
        raise ValueError(msg)
    chosen = set(selected)
    table = rows.assign(borough=rows["cvegeo"].map(_name), selected=rows["cvegeo"].isin(chosen))
    table = table.sort_values(["value", "borough"], ascending=[False, True]).reset_index(drop=True)
    table.insert(0, "rank", pd.array(range(1, len(table) + 1), dtype="Int64"))
    city = city_value(indicators, indicator, year)
    city_row = {
        "rank": pd.NA,
        "cvegeo": CITY_CODE,
        "borough": CITY_NAME,
        "indicator": indicator,
        "year": year,
        "value": city.value if city.value is not None else float("nan"),
        "unit": _unit(rows),
        "selected": False,
        "source": f"Derived by the Atlas: {city.method}" if city.value is not None else city.method,
        "source_url": "",
    }
    columns = ["rank", "cvegeo", "borough", "indicator", "year", "value", "unit", "selected"]
    columns += ["source", "source_url"]
    data = {column: [*table[column].tolist(), city_row[column]] for column in columns}
    return pd.DataFrame(data).astype({"rank": "Int64", "year": int, "value": float, "selected": bool})


def ranking(
    indicators: pd.DataFrame, indicator: str, year: int, *, selected: Iterable[str] = ()
) -> tuple[go.Figure, pd.DataFrame]:
    """Horizontal bars of the boroughs, highest value on top, with the city value as a line.

    Selected boroughs keep full colour and an outline; the others turn
    lighter, so the highlight does not depend on telling colours apart.
    """
    table = ranking_data(indicators, indicator, year, selected=selected)
    boroughs = table[table["cvegeo"] != CITY_CODE]
    city = table[table["cvegeo"] == CITY_CODE].iloc[0]
    fmt = _fmt(indicator)
    label = _label(indicator)
    shown = [format_value(v, fmt) for v in boroughs["value"]]
    any_selected = bool(boroughs["selected"].any())
    opacity = [1.0 if sel or not any_selected else UNSELECTED_OPACITY for sel in boroughs["selected"]]
    names = [markup.text(name) for name in boroughs["borough"]]
    fig = go.Figure(
        go.Bar(
            x=boroughs["value"].tolist(),
            y=names,
            orientation="h",
            customdata=boroughs["cvegeo"].tolist(),
            text=shown,
            textposition="outside",
            cliponaxis=False,
            hovertext=[
                f"<b>{name}</b><br>{markup.text(value)}<br>rank {rank} of {len(boroughs)}"
                for name, value, rank in zip(names, shown, boroughs["rank"], strict=True)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={
                "color": BAR,
                "opacity": opacity,
                "line": {"color": [INK if sel else BAR for sel in boroughs["selected"]], "width": 1.5},
            },
            name=markup.text(label),
            showlegend=False,
            # Explicit selection styles: with per-bar opacities and outside labels,
            # plotly.js otherwise fails on click-to-select and never reports it.
            selected={"marker": {"opacity": 1.0}},
            unselected={"marker": {"opacity": UNSELECTED_OPACITY}},
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed")
    if pd.notna(city["value"]):
        fig.add_vline(
            x=float(city["value"]),
            line={"color": INK, "dash": "dash", "width": 1.5},
            annotation_text=markup.text(f"City: {format_value(city['value'], fmt)}"),
            annotation_position="top",
            annotation_font={"size": 12},
        )
        note = f"Dashed line: city value, {city['source'].removeprefix('Derived by the Atlas: ')}"
    else:
        note = f"City value {city['source']}"
    unit = _unit(boroughs)
    return (
        _layout(
            fig,
            _title(f"{label}, {year}", note),
            f"{label} ({unit})",
            "Borough (alcaldía)",
            source_line(_citations(indicators, indicator, year)),
            height=560,
        ),
        table,
    )


# --- 2. need against provision -------------------------------------------------------------------


def need_vs_provision_data(
    indicators: pd.DataFrame, sites: pd.DataFrame, *, need: str = "poverty_pct", year: int = 2020
) -> pd.DataFrame:
    """Return one row per borough and programme: need, open sites, population, sites per 100,000.

    Sites are those with status "open" now, counted in their borough whether
    or not they have coordinates; a borough without any has 0. Population is
    population_total of ``year``; every borough must have it.
    """
    need_rows = rows_for(indicators, need, year).set_index("cvegeo")
    population = rows_for(indicators, "population_total", year).dropna(subset=["value"]).set_index("cvegeo")
    codes = list(BOROUGH_NAMES)
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
                    "borough": [_name(code) for code in codes],
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


def need_vs_provision(
    indicators: pd.DataFrame,
    sites: pd.DataFrame,
    *,
    need: str = "poverty_pct",
    year: int = 2020,
    selected: Iterable[str] = (),
) -> tuple[go.Figure, pd.DataFrame]:
    """Scatter of need (x) against open programme sites per 100,000 inhabitants (y).

    Bubble area is the borough's population; each programme has its own
    colour and marker shape. Selected boroughs get a dark outline.
    """
    table = need_vs_provision_data(indicators, sites, need=need, year=year)
    chosen = set(selected)
    fmt = _fmt(need)
    label = _label(need)
    max_population = float(table["population"].max())
    fig = go.Figure()
    for number, (programme, rows) in enumerate(table.groupby("programme", sort=True)):
        programme_label = PROGRAMME_LABELS.get(programme, programme)
        colour = PROGRAMME_COLOURS.get(programme, SAFE[number % len(SAFE)])
        hover = [
            f"<b>{markup.text(row.borough)}</b><br>{markup.text(label)}: {markup.text(format_value(row.need_value, fmt))}"
            f"<br>{markup.text(programme_label)} open: {row.open_sites} "
            f"({format_decimal(row.sites_per_100k, '#,##0.00', locale='en_US')} per 100,000)"
            f"<br>Population {year}: {format_count(row.population)}"
            for row in rows.itertuples()
        ]
        fig.add_trace(
            go.Scatter(
                x=rows["need_value"].tolist(),
                y=rows["sites_per_100k"].tolist(),
                mode="markers",
                name=markup.text(programme_label),
                customdata=rows["cvegeo"].tolist(),
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
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
    direction = " → more need" if REGISTRY.get(need) and REGISTRY[need].higher_is_worse else ""
    unit = "; ".join(dict.fromkeys(table["need_unit"].dropna()))
    citations = [*_citations(indicators, need, year), *_citations(indicators, "population_total", year)]
    citations.append((SITES_SOURCE, "status as listed now"))
    fig.update_layout(legend={"title": {"text": "Programme (bubble area = population)"}})
    top = float(table["sites_per_100k"].max()) or 1.0
    fig.update_yaxes(range=[-0.08 * top, 1.15 * top])  # room for half the bubbles at 0
    return (
        _layout(
            fig,
            _title(
                f"{label} ({year}) and open programme sites",
                f"Sites open now, {len(open_sites)} in all ({unmapped} without coordinates, counted in their borough)",
            ),
            f"{label}, {year} ({unit}){direction}",
            f"Open sites per 100,000 inhabitants (population {year})",
            source_line(citations),
            height=520,
        ),
        table,
    )


# --- 3. change over time -------------------------------------------------------------------------


def change_over_time_data(indicators: pd.DataFrame, indicator: str) -> pd.DataFrame | None:
    """Return one row per borough and year for the years every borough has a value; None if < 2."""
    years = mappable(indicators, len(BOROUGH_NAMES)).get(indicator, [])
    if len(years) < 2:
        return None
    rows = indicators[(indicators["indicator"] == indicator) & indicators["year"].isin(years)]
    rows = rows[rows["cvegeo"].isin(BOROUGH_NAMES)].dropna(subset=["value"])
    table = rows.assign(borough=rows["cvegeo"].map(_name))
    columns = ["cvegeo", "borough", "indicator", "year", "value", "unit", "source", "source_url"]
    return table.sort_values(["cvegeo", "year"])[columns].reset_index(drop=True)


def change_over_time(
    indicators: pd.DataFrame, indicator: str, *, selected: Iterable[str] = ()
) -> tuple[go.Figure, pd.DataFrame] | None:
    """Slope chart: one line per borough across the indicator's years; None with fewer than two.

    Lines that rose are solid rose, lines that fell dotted indigo (shape and
    colour both tell the direction); selected boroughs stay opaque.
    """
    table = change_over_time_data(indicators, indicator)
    if table is None:
        return None
    chosen = set(selected)
    fmt = _fmt(indicator)
    label = _label(indicator)
    years = sorted(table["year"].unique())
    first, last = years[0], years[-1]
    fig = go.Figure()
    shown_legend: set[str] = set()
    for code, rows in table.groupby("cvegeo", sort=True):
        rows = rows.sort_values("year")
        values = rows["value"].tolist()
        rose = values[-1] > values[0]
        group = f"Rose {first}–{last}" if rose else f"Fell or unchanged {first}–{last}"
        name = markup.text(_name(code))
        fig.add_trace(
            go.Scatter(
                x=rows["year"].tolist(),
                y=values,
                mode="lines+markers+text",
                name=group,
                legendgroup=group,
                showlegend=group not in shown_legend,
                customdata=[code] * len(rows),
                text=[""] * (len(rows) - 1) + [name],
                textposition="middle right",
                textfont={"size": 11},
                hovertext=[
                    f"<b>{name}</b>, {year}<br>{markup.text(format_value(value, fmt))}"
                    for year, value in zip(rows["year"], values, strict=True)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
                line={"color": ROSE if rose else BAR, "dash": "solid" if rose else "dot", "width": 2},
                marker={"size": 7},
                opacity=1.0 if not chosen or code in chosen else UNSELECTED_OPACITY,
            )
        )
        shown_legend.add(group)
    span = last - first
    fig.update_xaxes(
        tickvals=years, ticktext=[str(y) for y in years], range=[first - 0.05 * span, last + 0.3 * span]
    )
    unit = _unit(table)
    citations = [pair for year in years for pair in _citations(indicators, indicator, year)]
    return (
        _layout(
            fig,
            _title(
                f"{label}, {first}–{last}",
                f"Each line is a borough; years with a value for all {len(BOROUGH_NAMES)}",
            ),
            "Year",
            f"{label} ({unit})",
            source_line(citations),
            height=560,
        ),
        table,
    )


# --- 4. openings ---------------------------------------------------------------------------------


def openings_per_year_data(sites: pd.DataFrame, *, programme: str = "utopias") -> pd.DataFrame:
    """Return open sites per year by which each is known to be open, plus an "opening date unknown" row.

    Columns: label, year (missing for the unknown row), opened, cumulative
    (known openings up to that year; missing for the unknown row), sites
    (their names). Every year from the first to the last known opening is
    listed, with 0 where no opening is known; years before the first known
    opening are left out rather than shown as a misleading 0 (so with no
    known date at all there is only the unknown row). Open sites with no
    known year are never dropped: they are the last row.
    """
    open_sites = sites[(sites["programme"] == programme) & (sites["status"] == "open")]
    years = opened_year(open_sites)
    known = years.dropna()
    span = range(int(known.min()), int(known.max()) + 1) if not known.empty else range(0)
    rows = []
    cumulative = 0
    for year in span:
        names = open_sites.loc[years.eq(year).fillna(False), "name"].tolist()
        cumulative += len(names)
        rows.append((str(year), year, len(names), cumulative, "; ".join(names)))
    unknown = open_sites.loc[years.isna(), "name"].tolist()
    rows.append((UNKNOWN_OPENING, pd.NA, len(unknown), pd.NA, "; ".join(unknown)))
    table = pd.DataFrame(rows, columns=["label", "year", "opened", "cumulative", "sites"])
    return table.astype({"year": "Int64", "opened": int, "cumulative": "Int64"})


def openings_per_year(sites: pd.DataFrame, *, programme: str = "utopias") -> tuple[go.Figure, pd.DataFrame]:
    """Bars of sites first known open each year, a cumulative line, and a bar of unknown openings.

    The unknown bar is grey and hatched (told apart without colour) and is
    left out of the cumulative line, which counts known openings only.
    """
    table = openings_per_year_data(sites, programme=programme)
    programme_label = PROGRAMME_LABELS.get(programme, programme)
    is_unknown = table["label"] == UNKNOWN_OPENING
    known = table[~is_unknown]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=table["label"].tolist(),
            y=table["opened"].tolist(),
            name="Opened that year (first known open)",
            text=[str(n) for n in table["opened"]],
            textposition="outside",
            cliponaxis=False,
            hovertext=[
                f"<b>{markup.text(row.label)}</b>: {row.opened} site{'s' * (row.opened != 1)}"
                + (f"<br>{'<br>'.join(markup.text(n) for n in row.sites.split('; '))}" if row.sites else "")
                for row in table.itertuples()
            ],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={
                "color": [MUTED if unknown else BAR for unknown in is_unknown],
                "pattern": {"shape": ["/" if unknown else "" for unknown in is_unknown]},
            },
        )
    )
    fig.add_trace(
        go.Scatter(
            x=known["label"].tolist(),
            y=known["cumulative"].astype(int).tolist(),
            mode="lines+markers",
            name="Cumulative (known opening year)",
            line={"color": ROSE, "width": 2},
            marker={"symbol": "diamond", "size": 8},
            hovertemplate="%{x}: %{y} known open by the end of the year<extra></extra>",
        )
    )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=table["label"].tolist())
    latest = f"openings to {known['year'].max()}" if not known.empty else "no known opening dates"
    note = (
        f"{int(table['opened'].sum())} open now; {int(table.loc[is_unknown, 'opened'].sum())} "
        "with no known opening date are shown as their own bar"
    )
    return (
        _layout(
            fig,
            _title(f"{programme_label} opened per year", note),
            "Year by which the site is known to be open",
            "Sites (count)",
            source_line([(SITES_SOURCE, latest)]),
            height=480,
        ),
        table,
    )


def sites_by_status_data(sites: pd.DataFrame, *, programme: str = "utopias") -> pd.DataFrame:
    """Return site counts per status, split by whether the site has coordinates."""
    chosen = sites[sites["programme"] == programme]
    mapped = chosen.geometry.notna() if "geometry" in chosen else chosen["lat"].notna()
    rows = []
    for status, status_label in STATUS_LABELS.items():
        of_status = chosen["status"] == status
        for on_map in (True, False):
            rows.append((status, status_label, on_map, int((of_status & (mapped == on_map)).sum())))
    return pd.DataFrame(rows, columns=["status", "status_label", "on_map", "sites"])


def sites_by_status(sites: pd.DataFrame, *, programme: str = "utopias") -> tuple[go.Figure, pd.DataFrame]:
    """Stacked bars of sites by status (open, under construction, announced), mapped or not."""
    table = sites_by_status_data(sites, programme=programme)
    programme_label = PROGRAMME_LABELS.get(programme, programme)
    fig = go.Figure()
    for on_map, rows in table.groupby("on_map", sort=False):
        fig.add_trace(
            go.Bar(
                y=rows["status_label"].tolist(),
                x=rows["sites"].tolist(),
                orientation="h",
                name="With coordinates (on the map)" if on_map else "Without coordinates (not on the map)",
                marker={
                    "color": BAR if on_map else MUTED,
                    "pattern": {"shape": "" if on_map else "/"},
                },
                text=[str(n) if n else "" for n in rows["sites"]],
                textposition="inside",
                hovertemplate="%{y}: %{x}<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(barmode="stack")
    return (
        _layout(
            fig,
            _title(f"{programme_label} sites by status", f"{int(table['sites'].sum())} sites listed"),
            "Sites (count)",
            "Status",
            source_line([(SITES_SOURCE, "status as listed now")]),
            height=320,
        ),
        table,
    )


# --- 5. PCMB -------------------------------------------------------------------------------------


def _pcmb_data(pcmb: pd.DataFrame, column: str) -> pd.DataFrame:
    rows = pcmb.dropna(subset=[column]).copy()
    rows["shown_as"] = [
        "span" if end > start else "bar"
        for start, end in zip(rows["year_start"], rows["year_end"], strict=True)
    ]
    rows["source"] = [_host(url) for url in rows["source_url"]]
    columns = ["period", "year_start", "year_end", column]
    if column == "projects":
        columns.append("projects_qualifier")
    columns += ["shown_as", "source", "source_url", "note"]
    return rows.sort_values(["year_start", "year_end", column])[columns].reset_index(drop=True)


def pcmb_series_data(pcmb: pd.DataFrame) -> pd.DataFrame:
    """Return every reported PCMB project count, conflicting reports kept as separate rows."""
    return _pcmb_data(pcmb, "projects")


def pcmb_budget_data(pcmb: pd.DataFrame) -> pd.DataFrame:
    """Return every reported PCMB budget (MXN, nominal), one row per report."""
    return _pcmb_data(pcmb, "budget_mxn")


def _pcmb_figure(
    table: pd.DataFrame, column: str, *, scale: float, labels: list[str], shown: list[str]
) -> go.Figure:
    """Bars for single-year reports (several reports of one year side by side), spans for periods.

    The x axis is continuous years, so a year without a report is an empty
    gap, and a period total covers its years as a horizontal span (not a
    point, and not spread per year). ``labels`` are the short texts on the
    marks, ``shown`` the full values in the hover.
    """
    fig = go.Figure()
    single = table[table["shown_as"] == "bar"]
    width = 0.8
    legend_done: set[str] = set()
    for year, reports in single.groupby("year_start", sort=True):
        n = len(reports)
        for i, row in enumerate(reports.itertuples()):
            name = "Reported for one year"
            fig.add_trace(
                go.Bar(
                    x=[round(year + 0.5 - width / 2 + (i + 0.5) * width / n, 3)],
                    y=[getattr(row, column) / scale],
                    width=[width / n * 0.92],
                    name=name,
                    legendgroup=name,
                    showlegend=name not in legend_done,
                    marker={"color": BAR if i % 2 == 0 else SAFE[0], "line": {"color": INK, "width": 1}},
                    text=[markup.text(labels[row.Index])],
                    textposition="outside",
                    constraintext="none",
                    cliponaxis=False,
                    hovertext=[_pcmb_hover(row, shown[row.Index])],
                    hovertemplate="%{hovertext}<extra></extra>",
                )
            )
            legend_done.add(name)
    for row in table[table["shown_as"] == "span"].itertuples():
        name = "Total reported for a multi-year period"
        value = getattr(row, column) / scale
        start, end = row.year_start, row.year_end + 1
        hover = _pcmb_hover(row, shown[row.Index])
        fig.add_trace(
            go.Scatter(
                x=[start, (start + end) / 2, end],
                y=[value, value, value],
                mode="lines+markers+text",
                name=name,
                legendgroup=name,
                showlegend=name not in legend_done,
                line={"color": ROSE, "width": 3},
                marker={"symbol": "line-ns-open", "size": [14, 0, 14], "color": ROSE, "line": {"width": 3}},
                text=[markup.text(f"{labels[row.Index]} ({row.period})"), "", ""],
                textposition="top right",
                hovertext=[hover] * 3,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
        legend_done.add(name)
    first, last = int(table["year_start"].min()), int(table["year_end"].max())
    ticks = list(range(first, last + 1))
    fig.update_xaxes(
        tickvals=[y + 0.5 for y in ticks],
        ticktext=[str(y) for y in ticks],
        range=[first - 0.2, last + 1.2],
        showgrid=False,
    )
    fig.update_yaxes(rangemode="tozero")
    fig.update_layout(bargap=0)
    return fig


def _pcmb_hover(row: Any, shown: str) -> str:
    """Period, value, source host and the report's note (wrapped), all escaped."""
    note = textwrap.wrap(str(row.note or ""), 70)
    return (
        f"<b>{markup.text(row.period)}</b>: {markup.text(shown)}<br>Source: {markup.text(row.source)}"
        + "".join(f"<br>{markup.text(line)}" for line in note)
    )


def _pcmb_source(table: pd.DataFrame) -> str:
    hosts = ", ".join(dict.fromkeys(urlparse(url).netloc or url for url in table["source_url"]))
    years = f"{int(table['year_start'].min())}–{int(table['year_end'].max())}"
    return source_line([(f"reports as cited per row ({hosts})", years)])


def pcmb_series(pcmb: pd.DataFrame) -> tuple[go.Figure, pd.DataFrame]:
    """PCMB project counts as reported: conflicting reports side by side, periods as spans.

    Budgets are a separate figure (:func:`pcmb_budget`), not a secondary axis:
    two scales on one plot invite reading crossings and slopes that mean
    nothing, and the two series cover different reports and periods.
    """
    table = pcmb_series_data(pcmb)
    pairs = list(zip(table["projects"], table["projects_qualifier"], strict=True))
    labels = [f"{qualifier}{format_count(value)}" for value, qualifier in pairs]
    shown = [("more than " if qualifier == ">" else "") + format_count(value) for value, qualifier in pairs]
    fig = _pcmb_figure(table, "projects", scale=1, labels=labels, shown=shown)
    return (
        _layout(
            fig,
            _title(
                "PCMB (Mejoramiento Barrial): projects as reported",
                "Reports that disagree are shown side by side; no bar = no report found for that year",
            ),
            "Year",
            "Projects (count, as reported)",
            _pcmb_source(table),
            height=480,
        ),
        table,
    )


def pcmb_budget(pcmb: pd.DataFrame) -> tuple[go.Figure, pd.DataFrame]:
    """PCMB budgets as reported (million MXN, nominal), drawn like :func:`pcmb_series`."""
    table = pcmb_budget_data(pcmb)
    labels = [format_decimal(value / 1e6, "#,##0.#", locale="en_US") for value in table["budget_mxn"]]
    shown = [f"{label} million MXN" for label in labels]
    fig = _pcmb_figure(table, "budget_mxn", scale=1e6, labels=labels, shown=shown)
    return (
        _layout(
            fig,
            _title(
                "PCMB (Mejoramiento Barrial): budget as reported",
                "Nominal pesos, not adjusted for inflation; no bar = no report found for that year",
            ),
            "Year",
            "Budget (million MXN, nominal)",
            _pcmb_source(table),
            height=480,
        ),
        table,
    )
