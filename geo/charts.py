"""Plotly charts of the Atlas data: borough rankings, need against provision,
change over time, UTOPÍAS openings and PCMB figures.

Pure builders: data in, a :class:`plotly.graph_objects.Figure` and the same
data as a tidy table out (the table is the chart's download and, with the
``describe_*`` sentence, its text alternative). Every figure names its source
under the plot, uses colour-blind-safe colours (Paul Tol's "safe" set as
shipped by plotly, plus lightness, dashes or patterns so nothing is told by
hue alone) and puts the borough code in ``customdata`` of every borough mark,
so a Streamlit selection maps back to boroughs (:func:`boroughs_from_selection`).

Every text is in the view's language (``lang``; catalogue ``geo/locales/charts.toml``)
and numbers follow its locale: babel formats the texts, and the layout's
``separators`` make plotly's own ticks and hover numbers agree with it.
Borough names come from the loaded boundaries (``Atlas.borough_names``),
passed in as ``names``. Texts from data files and from the catalogue are
HTML-escaped before plotly renders them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import pandas as pd
import plotly.graph_objects as go
from babel import Locale
from babel.lists import format_list
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol
from plotly.colors import qualitative

from geo import markup
from geo.citations import short_source
from geo.filters import opened_year
from geo.formatting import LOCALES, format_count, format_value
from geo.i18n import catalogue, t
from geo.indicators import REGISTRY, mappable, rows_for
from geo.loaders import EXPECTED_BOROUGHS
from geo.vocabulary import STATUSES

CITY_CODE = "09"  # INEGI state code of Mexico City: the city row of a ranking table
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
HALF_SOURCE_WIDTH = 65  # the same for charts drawn side by side (Programmes page)
HALF_NOTE_WIDTH = 85  # characters per line of the note under a half-page chart's title
NO_TRACE_BOX = "<extra></extra>"  # a hover without plotly's trace-name box
TRACE_BOX = "<extra>%{fullData.name}</extra>"
# The units data/indicators.csv gives, and their catalogue keys (charts.unit.*).
UNIT_KEYS = {
    "% of population": "percent_population",
    "persons": "persons",
    "persons (approx., as reported)": "persons_reported",
    "persons (estimate)": "persons_estimate",
    "persons per km²": "persons_per_km2",
    "years": "years",
    "index (CONAPO 2020 method; higher = less marginalised)": "conapo_index",
}
# Columns of the chart tables whose values are codes with a name in the catalogue.
_CODED_COLUMNS = ("programme", "indicator", "need_indicator", "unit", "need_unit", "shown_as")


# --- shared helpers ------------------------------------------------------------------------------


def _html(key: str, lang: str, /, **values: str) -> str:
    """Return catalogue text ``charts.<key>`` escaped, with ``values`` (already safe HTML) filled in."""
    return markup.text(t(f"charts.{key}", lang)).format(**values)


def plural_form(n: int, lang: str) -> str:
    """Return the catalogue's plural key for ``n`` things in ``lang``: "one" or "other".

    CLDR's rule: French says "0 site" and "1 site", Spanish and English "1 site" only.
    """
    return "one" if Locale.parse(LOCALES.get(lang, "en_US")).plural_form(n) == "one" else "other"


def _plural(key: str, n: int, lang: str, /, **values: object) -> str:
    """Return ``charts.<key>.one`` or ``.other`` for ``n`` things, with ``n`` formatted."""
    return t(f"charts.{key}.{plural_form(n, lang)}", lang, n=format_count(n, lang), **values)


def separators(lang: str) -> str:
    """Return plotly's ``separators`` for ``lang``: the decimal then the thousands character (babel's)."""
    locale = LOCALES.get(lang, "en_US")
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def programme_label(programme: str, lang: str) -> str:
    """Return a programme's name in ``lang`` (``labels.programme.<id>``), or its id if it has none."""
    key = f"labels.programme.{programme}"
    return t(key, lang) if key in catalogue() else programme


def unit_label(unit: str, lang: str) -> str:
    """Return a unit of the indicator table in ``lang``; a unit the catalogue lacks stays as given."""
    key = UNIT_KEYS.get(unit)
    return t(f"charts.unit.{key}", lang) if key else unit


def source_line(citations: Iterable[tuple[str, object]], lang: str) -> str:
    """Return "Source: name (year); …" from (name, year) pairs, each name once.

    A year already in the name is not repeated ("INEGI Censo 2010", not
    "INEGI Censo 2010 (2010)"). Source names are data and stay as given.
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
    return t("charts.source.line", lang, sources="; ".join(parts))


def _citations(indicators: pd.DataFrame, indicator: str, year: int, lang: str) -> list[tuple[str, int]]:
    """Short source names of an indicator-year; a derived indicator cites its inputs."""
    spec = REGISTRY.get(indicator)
    if spec is not None and spec.derived_from:
        inputs: list[str] = []
        for name in spec.derived_from:
            if name in REGISTRY:
                inputs += [cited for cited, _ in _citations(indicators, name, year, lang)]
            else:
                inputs.append(t("charts.source.areas", lang))
        listed = format_list(list(dict.fromkeys(inputs)), locale=LOCALES.get(lang, "en_US"))
        return [(t("charts.source.calculation", lang, inputs=listed), year)]
    rows = rows_for(indicators, indicator, year)
    return [(short_source(source), year) for source in dict.fromkeys(rows["source"])]


def _label(indicator: str, lang: str) -> str:
    spec = REGISTRY.get(indicator)
    return spec.title(lang) if spec else indicator


def _fmt(indicator: str) -> str:
    spec = REGISTRY.get(indicator)
    return spec.fmt if spec else "count"


def _unit(units: Iterable[str], lang: str) -> str:
    return "; ".join(unit_label(unit, lang) for unit in dict.fromkeys(units) if isinstance(unit, str))


def _host(url: str) -> str:
    pairs = markup.source_pairs(url)
    return pairs[0][0] if pairs else url


def _layout(
    fig: go.Figure,
    title: str,
    x_title: str,
    y_title: str,
    source: str,
    *,
    height: int,
    lang: str,
    source_width: int = SOURCE_WIDTH,
    tick_lines: int = 1,
) -> go.Figure:
    """Give a figure its title, axis titles, the source note under the plot and ``lang``'s number format.

    ``source_width`` is the note's line length in characters (less for a chart
    drawn in half the page); ``tick_lines`` the lines of the tallest x tick
    label, so the note stays clear of the x axis title.
    """
    lines = textwrap.wrap(source, source_width) or [""]
    below_ticks = 15 * (tick_lines - 1)
    fig.add_annotation(
        name="source",
        text="<br>".join(markup.text(line) for line in lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-62 - below_ticks,
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
        # Room above the plot for the title and each line of its note after the first.
        margin={
            "l": 10,
            "r": 30,
            "t": 110 + 18 * max(0, title.count("<br>") - 1),
            "b": 80 + below_ticks + 15 * len(lines),
        },
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"},
        font={"family": "sans-serif", "size": 13, "color": INK},
        hoverlabel={"align": "left"},
        separators=separators(lang),
    )
    # Ticks as babel writes numbers: thousands grouped from 1,000 on (plotly waits for 10,000
    # unless told) and in full, not "1.5M" (an SI suffix babel's texts never use).
    fig.update_xaxes(separatethousands=True, exponentformat="none")
    fig.update_yaxes(separatethousands=True, exponentformat="none")
    return fig


def _title(text: str, note: str = "", *, note_width: int | None = None) -> str:
    """A bold title with an optional smaller note under it (both escaped).

    With ``note_width`` the note is wrapped to lines of that many characters
    (for charts drawn in half the page, whose notes run longer in Spanish and French).
    """
    lines = (textwrap.wrap(note, note_width) if note_width else [note]) if note else []
    return f"<b>{markup.text(text)}</b>" + "".join(f"<br><sup>{markup.text(line)}</sup>" for line in lines)


def boroughs_from_selection(selection: Mapping[str, object], boroughs: Collection[str]) -> tuple[str, ...]:
    """Return the borough codes of the points selected in a chart (Streamlit ``on_select``).

    Streamlit hands back ``{"selection": {"points": [{"customdata": …}, …]}}``
    (or just the inner ``{"points": …}``); ``customdata`` may be the code or
    a list whose first item is the code. Marks without a code of ``boroughs``
    are ignored.
    """
    inner = selection.get("selection", selection)
    points = inner.get("points", []) if isinstance(inner, Mapping) else []
    codes: list[str] = []
    for point in points:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        code = data[0] if isinstance(data, list | tuple) and data else data
        if isinstance(code, str) and code in boroughs and code not in codes:
            codes.append(code)
    return tuple(codes)


def display_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return a chart table as a reader sees it: headers in ``lang``, codes as names.

    Programme, indicator, unit and mark-kind codes become their names in
    ``lang``; place names, sources and numbers are left as they are, and a
    status code gives way to its label. The builders' own tables keep their
    machine-readable columns.
    """
    shown = table.copy()
    for column in _CODED_COLUMNS:
        if column not in shown:
            continue
        if column == "programme":
            shown[column] = shown[column].map(lambda p: programme_label(p, lang))
        elif column.endswith("indicator"):
            shown[column] = shown[column].map(lambda i: _label(i, lang))
        elif column.endswith("unit"):
            shown[column] = shown[column].map(lambda u: unit_label(u, lang) if isinstance(u, str) else u)
        else:
            shown[column] = shown[column].map(lambda k: t(f"charts.shown_as.{k}", lang))
    if "status_label" in shown:
        shown = shown.drop(columns="status")  # the label says it in words
    names = catalogue()
    return shown.rename(
        columns={c: t(f"charts.column.{c}", lang) for c in shown.columns if f"charts.column.{c}" in names}
    )


# --- 1. ranking ----------------------------------------------------------------------------------


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


def city_value(indicators: pd.DataFrame, indicator: str, year: int, *, lang: str) -> CityValue:
    """Return the city value that a borough ranking is read against.

    Only computed when every borough has a value, since a partial sum or mean
    is not the city's: percentages are averaged weighting each borough by its
    population_total of the same year (not computed if that is missing);
    counts are summed; density is total population over total area (area
    recovered as population / density from the same rows). An index, a median
    or a category has no city value that follows from the boroughs' ones.
    """
    rows = rows_for(indicators, indicator, year).dropna(subset=["value"])
    n = len(EXPECTED_BOROUGHS)
    known = rows["cvegeo"].nunique()
    if known < n:
        return _not_computed(t("charts.city.known_for", lang, known=known, n=n), lang)
    values = rows.set_index("cvegeo")["value"]
    fmt = _fmt(indicator)
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
    table = rows.assign(
        borough=rows["cvegeo"].map(lambda code: names.get(code, code)), selected=rows["cvegeo"].isin(chosen)
    )
    table = table.sort_values(["value", "borough"], ascending=[False, True]).reset_index(drop=True)
    table.insert(0, "rank", pd.array(range(1, len(table) + 1), dtype="Int64"))
    city = city_value(indicators, indicator, year, lang=lang)
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

    Selected boroughs keep full colour and an outline; the others turn
    lighter, so the highlight does not depend on telling colours apart.
    """
    table = ranking_data(indicators, indicator, year, names=names, lang=lang, selected=selected)
    boroughs = table[table["cvegeo"] != CITY_CODE]
    fmt = _fmt(indicator)
    label = _label(indicator, lang)
    shown = [format_value(v, fmt, lang) for v in boroughs["value"]]
    any_selected = bool(boroughs["selected"].any())
    opacity = [1.0 if sel or not any_selected else UNSELECTED_OPACITY for sel in boroughs["selected"]]
    labels = [markup.text(name) for name in boroughs["borough"]]
    fig = go.Figure(
        go.Bar(
            x=boroughs["value"].tolist(),
            y=labels,
            orientation="h",
            customdata=boroughs["cvegeo"].tolist(),
            text=shown,
            textposition="outside",
            cliponaxis=False,
            hovertext=[
                f"<b>{name}</b><br>{markup.text(value)}<br>"
                + _html("ranking.hover_rank", lang, rank=str(rank), n=str(len(boroughs)))
                for name, value, rank in zip(labels, shown, boroughs["rank"], strict=True)
            ],
            hovertemplate="%{hovertext}" + NO_TRACE_BOX,
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
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed")
    city = city_value(indicators, indicator, year, lang=lang)
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
    return (
        _layout(
            fig,
            _title(t("charts.ranking.title", lang, label=label, year=year), note),
            t("charts.axis.value", lang, label=label, unit=_unit(boroughs["unit"], lang)),
            t("charts.ranking.axis_y", lang),
            source_line(_citations(indicators, indicator, year, lang), lang),
            height=560,
            lang=lang,
        ),
        table,
    )


def describe_ranking(table: pd.DataFrame, *, lang: str) -> str:
    """Text alternative of :func:`ranking`: the highest and lowest borough and the city value."""
    boroughs = table[table["cvegeo"] != CITY_CODE]
    city = table[table["cvegeo"] == CITY_CODE]
    indicator = str(table["indicator"].iloc[0])
    fmt = _fmt(indicator)
    top, bottom = boroughs.iloc[0], boroughs.iloc[-1]
    city_text = (
        t("charts.describe.city", lang, value=format_value(city["value"].iloc[0], fmt, lang))
        if not city.empty and pd.notna(city["value"].iloc[0])
        else t("charts.describe.city_missing", lang)
    )
    return t(
        "charts.describe.ranking",
        lang,
        label=_label(indicator, lang),
        year=int(table["year"].iloc[0]),
        top=top["borough"],
        top_value=format_value(top["value"], fmt, lang),
        bottom=bottom["borough"],
        bottom_value=format_value(bottom["value"], fmt, lang),
        city=city_text,
    )


# --- 2. need against provision -------------------------------------------------------------------


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
    return format_decimal(value, "#,##0.00", locale=LOCALES.get(lang, "en_US"))


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
    fmt = _fmt(need)
    label = _label(need, lang)
    per = format_count(PER, lang)
    max_population = float(table["population"].max())
    fig = go.Figure()
    for number, (programme, rows) in enumerate(table.groupby("programme", sort=True)):
        name = programme_label(programme, lang)
        colour = PROGRAMME_COLOURS.get(programme, SAFE[number % len(SAFE)])
        hover = [
            f"<b>{markup.text(row.borough)}</b><br>"
            + _html(
                "need.hover_value",
                lang,
                label=markup.text(label),
                value=markup.text(format_value(row.need_value, fmt, lang)),
            )
            + "<br>"
            + _html(
                "need.hover_open",
                lang,
                programme=markup.text(name),
                n=markup.text(format_count(row.open_sites, lang)),
                rate=markup.text(_rate(row.sites_per_100k, lang)),
                per=markup.text(per),
            )
            + "<br>"
            + _html(
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
        "charts.need.axis_x", lang, label=label, year=year, unit=_unit(table["need_unit"].dropna(), lang)
    )
    if REGISTRY.get(need) and REGISTRY[need].higher_is_worse:
        x_title = t("charts.need.more_need", lang, axis=x_title)
    citations = [
        *_citations(indicators, need, year, lang),
        *_citations(indicators, "population_total", year, lang),
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
        _layout(
            fig,
            _title(t("charts.need.title", lang, label=label, year=year), note),
            x_title,
            t("charts.need.axis_y", lang, per=per, year=year),
            source_line(citations, lang),
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
                need=format_value(top["need_value"], _fmt(need), lang),
            )
        sentences.append(
            t(
                "charts.describe.need",
                lang,
                label=_label(need, lang),
                year=int(rows["year"].iloc[0]),
                programme=programme_label(programme, lang),
                per=per,
                detail=detail,
            )
        )
    return " ".join(sentences)


# --- 3. change over time -------------------------------------------------------------------------


def change_over_time_data(
    indicators: pd.DataFrame, indicator: str, *, names: Mapping[str, str]
) -> pd.DataFrame | None:
    """Return one row per borough and year for the years every borough has a value; None if < 2."""
    years = mappable(indicators, len(names)).get(indicator, [])
    if len(years) < 2:
        return None
    rows = indicators[(indicators["indicator"] == indicator) & indicators["year"].isin(years)]
    rows = rows[rows["cvegeo"].isin(names)].dropna(subset=["value"])
    table = rows.assign(borough=rows["cvegeo"].map(names))
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
    table = change_over_time_data(indicators, indicator, names=names)
    if table is None:
        return None
    chosen = set(selected)
    fmt = _fmt(indicator)
    label = _label(indicator, lang)
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
    citations = [pair for year in years for pair in _citations(indicators, indicator, year, lang)]
    return (
        _layout(
            fig,
            _title(
                t("charts.change.title", lang, label=label, first=first, last=last),
                t("charts.change.note", lang, n=len(names)),
            ),
            t("charts.axis.year", lang),
            t("charts.axis.value", lang, label=label, unit=_unit(table["unit"], lang)),
            source_line(citations, lang),
            height=560,
            lang=lang,
        ),
        table,
    )


def describe_change_over_time(table: pd.DataFrame, *, lang: str) -> str:
    """Text alternative of :func:`change_over_time`: how many boroughs rose or fell, and the largest moves."""
    indicator = str(table["indicator"].iloc[0])
    fmt = _fmt(indicator)
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
            label=_label(indicator, lang),
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


# --- 4. openings ---------------------------------------------------------------------------------


def openings_per_year_data(sites: pd.DataFrame, *, lang: str, programme: str = "utopias") -> pd.DataFrame:
    """Return open sites per year by which each is known to be open, plus an "opening date unknown" row.

    Columns: label, year (missing for the unknown row), opened, cumulative
    (known openings up to that year; missing for the unknown row), sites
    (their names). Every year from the first to the last known opening is
    listed, with 0 where no opening is known; years before the first known
    opening are left out rather than shown as a misleading 0 (so with no
    known date at all there is only the unknown row). Open sites with no
    known year are never dropped: they are the last row, labelled in ``lang``.
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
    rows.append((t("charts.openings.unknown", lang), pd.NA, len(unknown), pd.NA, "; ".join(unknown)))
    table = pd.DataFrame(rows, columns=["label", "year", "opened", "cumulative", "sites"])
    return table.astype({"year": "Int64", "opened": int, "cumulative": "Int64"})


def openings_per_year(
    sites: pd.DataFrame, *, lang: str, programme: str = "utopias"
) -> tuple[go.Figure, pd.DataFrame]:
    """Bars of sites first known open each year, a cumulative line, and a bar of unknown openings.

    The unknown bar is grey and hatched (told apart without colour) and is
    left out of the cumulative line, which counts known openings only.
    """
    table = openings_per_year_data(sites, lang=lang, programme=programme)
    name = programme_label(programme, lang)
    is_unknown = table["year"].isna()
    known = table[~is_unknown]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=table["label"].tolist(),
            y=table["opened"].tolist(),
            name=markup.text(t("charts.openings.bar", lang)),
            text=[format_count(n, lang) for n in table["opened"]],
            textposition="outside",
            cliponaxis=False,
            hovertext=[
                _html(
                    "openings.hover",
                    lang,
                    label=f"<b>{markup.text(row.label)}</b>",
                    sites=markup.text(_plural("openings.sites", row.opened, lang)),
                )
                + (f"<br>{'<br>'.join(markup.text(n) for n in row.sites.split('; '))}" if row.sites else "")
                for row in table.itertuples()
            ],
            hovertemplate="%{hovertext}" + NO_TRACE_BOX,
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
            name=markup.text(t("charts.openings.cumulative", lang)),
            line={"color": ROSE, "width": 2},
            marker={"symbol": "diamond", "size": 8},
            hovertemplate=markup.text(t("charts.openings.hover_cumulative", lang)) + NO_TRACE_BOX,
        )
    )
    labels = table["label"].tolist()
    ticks = [textwrap.wrap(label, 10, break_long_words=False) or [""] for label in labels]
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=labels,
        # The unknown-date label on a few short lines, so the ticks stay level in every language.
        tickvals=labels,
        ticktext=["<br>".join(markup.text(line) for line in wrapped) for wrapped in ticks],
        tickangle=0,
    )
    latest = (
        t("charts.source.openings_to", lang, year=known["year"].max())
        if not known.empty
        else t("charts.source.no_openings", lang)
    )
    note = t(
        "charts.openings.note",
        lang,
        total=format_count(int(table["opened"].sum()), lang),
        unknown=format_count(int(table.loc[is_unknown, "opened"].sum()), lang),
    )
    return (
        _layout(
            fig,
            _title(t("charts.openings.title", lang, programme=name), note, note_width=HALF_NOTE_WIDTH),
            t("charts.openings.axis_x", lang),
            t("charts.axis.sites", lang),
            source_line([(t("charts.source.sites", lang), latest)], lang),
            height=480,
            lang=lang,
            source_width=HALF_SOURCE_WIDTH,
            tick_lines=max(len(lines) for lines in ticks),
        ),
        table,
    )


def describe_openings(table: pd.DataFrame, *, lang: str, programme: str = "utopias") -> str:
    """Text alternative of :func:`openings_per_year`: the years covered, the peak and the unknown ones."""
    is_unknown = table["year"].isna()
    known = table[~is_unknown]
    total = format_count(int(table["opened"].sum()), lang)
    name = programme_label(programme, lang)
    if known.empty or int(known["opened"].sum()) == 0:
        return t("charts.describe.openings_none", lang, total=total, programme=name)
    peak = known.sort_values(["opened", "year"], ascending=[False, True]).iloc[0]
    return t(
        "charts.describe.openings",
        lang,
        total=total,
        programme=name,
        first=int(known["year"].min()),
        last=int(known["year"].max()),
        known=format_count(int(known["opened"].sum()), lang),
        peak_year=int(peak["year"]),
        peak=format_count(int(peak["opened"]), lang),
        unknown=format_count(int(table.loc[is_unknown, "opened"].sum()), lang),
    )


def sites_by_status_data(sites: pd.DataFrame, *, lang: str, programme: str = "utopias") -> pd.DataFrame:
    """Return site counts per status (named in ``lang``), split by whether the site has coordinates."""
    chosen = sites[sites["programme"] == programme]
    mapped = chosen.geometry.notna() if "geometry" in chosen else chosen["lat"].notna()
    rows = []
    for status in STATUSES:
        of_status = chosen["status"] == status
        status_label = t(f"labels.status.{status}", lang)
        for on_map in (True, False):
            rows.append((status, status_label, on_map, int((of_status & (mapped == on_map)).sum())))
    return pd.DataFrame(rows, columns=["status", "status_label", "on_map", "sites"])


def sites_by_status(
    sites: pd.DataFrame, *, lang: str, programme: str = "utopias"
) -> tuple[go.Figure, pd.DataFrame]:
    """Stacked bars of sites by status (open, under construction, announced), mapped or not."""
    table = sites_by_status_data(sites, lang=lang, programme=programme)
    fig = go.Figure()
    for on_map, rows in table.groupby("on_map", sort=False):
        fig.add_trace(
            go.Bar(
                y=[markup.text(label) for label in rows["status_label"]],
                x=rows["sites"].tolist(),
                orientation="h",
                name=markup.text(t("charts.status.on_map" if on_map else "charts.status.off_map", lang)),
                marker={
                    "color": BAR if on_map else MUTED,
                    "pattern": {"shape": "" if on_map else "/"},
                },
                text=[format_count(n, lang) if n else "" for n in rows["sites"]],
                textposition="inside",
                hovertemplate=markup.text(t("charts.status.hover", lang)) + TRACE_BOX,
            )
        )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(barmode="stack")
    return (
        _layout(
            fig,
            _title(
                t("charts.status.title", lang, programme=programme_label(programme, lang)),
                _plural("status.note", int(table["sites"].sum()), lang),
                note_width=HALF_NOTE_WIDTH,
            ),
            t("charts.axis.sites", lang),
            t("charts.status.axis_y", lang),
            source_line([(t("charts.source.sites", lang), t("charts.source.status_now", lang))], lang),
            height=320,
            lang=lang,
            source_width=HALF_SOURCE_WIDTH,
        ),
        table,
    )


def describe_sites_by_status(table: pd.DataFrame, *, lang: str, programme: str = "utopias") -> str:
    """Text alternative of :func:`sites_by_status`: the count of each status and how many are mapped."""
    per_status = table.groupby("status_label", sort=False)["sites"].sum()
    locale = LOCALES.get(lang, "en_US")
    counts = format_list(
        [
            t("charts.describe.item", lang, label=label, value=format_count(int(n), lang))
            for label, n in per_status.items()
        ],
        locale=locale,
    )
    return t(
        "charts.describe.status",
        lang,
        total=format_count(int(table["sites"].sum()), lang),
        programme=programme_label(programme, lang),
        counts=counts,
        mapped=format_count(int(table.loc[table["on_map"], "sites"].sum()), lang),
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
    table: pd.DataFrame, column: str, *, scale: float, labels: list[str], shown: list[str], lang: str
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
    one_year = markup.text(t("charts.pcmb.one_year", lang))
    for year, reports in single.groupby("year_start", sort=True):
        n = len(reports)
        for i, row in enumerate(reports.itertuples()):
            fig.add_trace(
                go.Bar(
                    x=[round(year + 0.5 - width / 2 + (i + 0.5) * width / n, 3)],
                    y=[getattr(row, column) / scale],
                    width=[width / n * 0.92],
                    name=one_year,
                    legendgroup="bar",
                    showlegend="bar" not in legend_done,
                    marker={"color": BAR if i % 2 == 0 else SAFE[0], "line": {"color": INK, "width": 1}},
                    text=[markup.text(labels[row.Index])],
                    textposition="outside",
                    constraintext="none",
                    cliponaxis=False,
                    hovertext=[_pcmb_hover(row, shown[row.Index], lang)],
                    hovertemplate="%{hovertext}" + NO_TRACE_BOX,
                )
            )
            legend_done.add("bar")
    period = markup.text(t("charts.pcmb.period", lang))
    for row in table[table["shown_as"] == "span"].itertuples():
        value = getattr(row, column) / scale
        start, end = row.year_start, row.year_end + 1
        hover = _pcmb_hover(row, shown[row.Index], lang)
        fig.add_trace(
            go.Scatter(
                x=[start, (start + end) / 2, end],
                y=[value, value, value],
                mode="lines+markers+text",
                name=period,
                legendgroup="span",
                showlegend="span" not in legend_done,
                line={"color": ROSE, "width": 3},
                marker={"symbol": "line-ns-open", "size": [14, 0, 14], "color": ROSE, "line": {"width": 3}},
                text=[markup.text(f"{labels[row.Index]} ({row.period})"), "", ""],
                textposition="top right",
                hovertext=[hover] * 3,
                hovertemplate="%{hovertext}" + NO_TRACE_BOX,
            )
        )
        legend_done.add("span")
    first, last = int(table["year_start"].min()), int(table["year_end"].max())
    ticks = list(range(first, last + 1))
    fig.update_xaxes(
        tickvals=[y + 0.5 for y in ticks],
        ticktext=[str(y) for y in ticks],
        range=[first - 0.2, last + 1.2],
        showgrid=False,
    )
    top = float(table[column].max()) / scale
    fig.update_yaxes(rangemode="tozero", range=[0, 1.15 * top])  # room for the labels above the marks
    fig.update_layout(bargap=0)
    return fig


def _pcmb_hover(row: Any, shown: str, lang: str) -> str:
    """Period, value, source host and the report's note (wrapped), all escaped."""
    note = textwrap.wrap(str(row.note or ""), 70)
    return (
        _html("pcmb.hover", lang, period=f"<b>{markup.text(row.period)}</b>", value=markup.text(shown))
        + "<br>"
        + markup.text(t("charts.source.line", lang, sources=row.source))
        + "".join(f"<br>{markup.text(line)}" for line in note)
    )


def _pcmb_source(table: pd.DataFrame, lang: str) -> str:
    hosts = ", ".join(dict.fromkeys(urlparse(url).netloc or url for url in table["source_url"]))
    years = f"{int(table['year_start'].min())}–{int(table['year_end'].max())}"
    return source_line([(t("charts.source.pcmb_reports", lang, hosts=hosts), years)], lang)


def _project_counts(table: pd.DataFrame, lang: str) -> tuple[list[str], list[str]]:
    """Short labels (">150") and full values ("more than 150") of the reported project counts."""
    pairs = list(zip(table["projects"], table["projects_qualifier"], strict=True))
    labels = [f"{qualifier}{format_count(value, lang)}" for value, qualifier in pairs]
    shown = [
        t("charts.pcmb.more_than", lang, n=format_count(value, lang))
        if qualifier == ">"
        else format_count(value, lang)
        for value, qualifier in pairs
    ]
    return labels, shown


def _millions(table: pd.DataFrame, lang: str) -> list[str]:
    locale = LOCALES.get(lang, "en_US")
    return [format_decimal(value / 1e6, "#,##0.#", locale=locale) for value in table["budget_mxn"]]


def pcmb_series(pcmb: pd.DataFrame, *, lang: str) -> tuple[go.Figure, pd.DataFrame]:
    """PCMB project counts as reported: conflicting reports side by side, periods as spans.

    Budgets are a separate figure (:func:`pcmb_budget`), not a secondary axis:
    two scales on one plot invite reading crossings and slopes that mean
    nothing, and the two series cover different reports and periods.
    """
    table = pcmb_series_data(pcmb)
    labels, shown = _project_counts(table, lang)
    return _pcmb_chart(table, "projects", 1, labels, shown, "projects", lang)


def pcmb_budget(pcmb: pd.DataFrame, *, lang: str) -> tuple[go.Figure, pd.DataFrame]:
    """PCMB budgets as reported (million MXN, nominal), drawn like :func:`pcmb_series`."""
    table = pcmb_budget_data(pcmb)
    labels = _millions(table, lang)
    shown = [t("charts.pcmb.millions", lang, amount=label) for label in labels]
    return _pcmb_chart(table, "budget_mxn", 1e6, labels, shown, "budget", lang)


def _pcmb_chart(
    table: pd.DataFrame, column: str, scale: float, labels: list[str], shown: list[str], texts: str, lang: str
) -> tuple[go.Figure, pd.DataFrame]:
    """One PCMB figure with its titles (``charts.pcmb.<texts>_title``/``_note``/``_axis``) and source."""
    fig = _pcmb_figure(table, column, scale=scale, labels=labels, shown=shown, lang=lang)
    return (
        _layout(
            fig,
            _title(
                t(f"charts.pcmb.{texts}_title", lang, programme=programme_label("pcmb", lang)),
                t(f"charts.pcmb.{texts}_note", lang),
                note_width=HALF_NOTE_WIDTH,
            ),
            t("charts.axis.year", lang),
            t(f"charts.pcmb.{texts}_axis", lang),
            _pcmb_source(table, lang),
            height=480,
            lang=lang,
            source_width=HALF_SOURCE_WIDTH,
        ),
        table,
    )


def _reports(table: pd.DataFrame, values: list[str], lang: str) -> str:
    items = [
        t("charts.describe.item", lang, label=period, value=value)
        for period, value in zip(table["period"], values, strict=True)
    ]
    return format_list(items, locale=LOCALES.get(lang, "en_US"))


def describe_pcmb_series(table: pd.DataFrame, *, lang: str) -> str:
    """Text alternative of :func:`pcmb_series`: every reported count with its period."""
    _, shown = _project_counts(table, lang)
    return t(
        "charts.describe.pcmb_projects",
        lang,
        programme=programme_label("pcmb", lang),
        reports=_reports(table, shown, lang),
    )


def describe_pcmb_budget(table: pd.DataFrame, *, lang: str) -> str:
    """Text alternative of :func:`pcmb_budget`: every reported budget (million MXN) with its period."""
    return t(
        "charts.describe.pcmb_budget",
        lang,
        programme=programme_label("pcmb", lang),
        reports=_reports(table, _millions(table, lang), lang),
    )
