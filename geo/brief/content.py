"""What a one-page brief says: its texts, colours and shapes, from the model of the screen it prints.

Three briefs, one per kind of screen:

* :func:`map_brief`: the Map screen (:class:`geo.mapmodel.MapModel`): the
  boroughs in the web map's classes and colours (at the AGEB or colonia level,
  those areas in theirs, the borough borders over them), the sites by status,
  the walking-reach circles and figures when the view asks for them, the
  legend, the key figures and their sources;
* :func:`profile_brief`: a borough's profile (:class:`geo.profilemodel.ProfileModel`):
  its figures against the city (and a second borough), numbered sources and a
  locator map with its sites;
* :func:`chart_brief`: the main chart of the Compare or Programmes screen,
  from the same table as the page's plotly chart, with its text alternative.

:func:`slide_brief` picks the brief of a slide's page. Every text is in the
view's language; :mod:`geo.brief.layout` draws them.

Pure Python: no Streamlit, no matplotlib.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import pandas as pd
from babel.dates import format_date

from geo.areamodel import AreaShading
from geo.charts._common import programme_label
from geo.charts.need import PER, describe_need_vs_provision, need_vs_provision_data
from geo.charts.ranking import city_value, describe_ranking, ranking_data
from geo.charts.sites import describe_openings, openings_per_year_data
from geo.citations import indicator_sources
from geo.classify import Classes
from geo.filters import highlighted_boroughs
from geo.formatting import format_count, format_value, locale_of
from geo.i18n import translator
from geo.indicators import REGISTRY, Indicator
from geo.legend import legend_rows
from geo.loaders import Atlas
from geo.mapmodel import MAPPED_PROGRAMME, MapModel
from geo.profilemodel import ProfileModel, profile_boroughs, profile_model
from geo.screens import BY_SLUG, HOME
from geo.slides import page_name
from geo.state import ViewState
from geo.units import unit_label
from geo.vocabulary import CITY_CODE, COLONIA_LEVEL, STATUSES

#: Fills of the profile's locator map: the borough, the one it is compared with, the others.
LOCATOR_FILLS = ("#6a51a3", "#bcbddc", "#eeeeee")


@dataclass(frozen=True)
class Frame:
    """What frames every brief: title and subtitle above, sources and footer below."""

    lang: str
    title: str
    subtitle: tuple[str, ...]
    sources: tuple[str, ...]
    footer: str
    document_title: str


@dataclass(frozen=True, eq=False)
class MapDrawing:
    """A map of the 16 boroughs as a brief draws it.

    ``fills`` colour each borough; boroughs outside ``highlighted`` (when
    given) are faded; ``outlined`` boroughs get a dark outline, ``selected``
    the thickest. ``sites`` are markers by status; ``reach`` the walking-reach
    areas (``geo.coverage.reach_areas``), if drawn. ``labelled`` names the
    boroughs whose names are written (``None``: all of them).

    At a neighbourhood level, ``areas`` are the AGEBs or colonias drawn under
    the boroughs (which are then borders only), filled with ``area_fills``;
    ``extent`` (west, south, east, north), when given, is what the map frames
    instead of the whole city.
    """

    boroughs: gpd.GeoDataFrame
    names: Mapping[str, str]
    fills: Mapping[str, str]
    sites: gpd.GeoDataFrame
    highlighted: tuple[str, ...] = ()
    outlined: tuple[str, ...] = ()
    selected: str = ""
    contrast: bool = False
    reach: gpd.GeoDataFrame | None = None
    labelled: tuple[str, ...] | None = None
    areas: gpd.GeoSeries | None = None
    area_fills: tuple[str, ...] = ()
    extent: tuple[float, float, float, float] | None = None


@dataclass(frozen=True, eq=False)
class MapBrief:
    """The Map screen on a page: map, legend, site markers, key figures and, if asked, walking reach."""

    frame: Frame
    map: MapDrawing
    legend_title: str
    legend_rows: tuple[tuple[str, str], ...]
    legend_notes: tuple[str, ...]
    site_rows: tuple[tuple[str, str], ...]
    figures: tuple[tuple[str, str, str], ...]
    reach_title: str = ""
    reach_rows: tuple[tuple[bool, str], ...] = ()


@dataclass(frozen=True, eq=False)
class ProfileBrief:
    """A borough's profile on a page: its figures in a table, numbered sources, a locator map."""

    frame: Frame
    map: MapDrawing
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...]
    site_rows: tuple[tuple[str, str], ...]
    sites_title: str


@dataclass(frozen=True)
class Chart:
    """A chart as the brief draws it, from the same table as the page's plotly chart.

    ``kind`` is ``"bars"`` (horizontal, first label on top, an optional
    ``reference`` line), ``"columns"`` (vertical, ``hatched`` ones told apart,
    an optional ``line`` over them) or ``"scatter"`` (``x`` against ``values``).
    ``highlighted`` marks stand out; ``texts`` label the marks.
    """

    kind: str
    title: str
    note: str
    x_title: str
    y_title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    texts: tuple[str, ...]
    highlighted: tuple[bool, ...]
    hatched: tuple[bool, ...] = ()
    x: tuple[float, ...] = ()
    line: tuple[float | None, ...] = ()
    line_label: str = ""
    bar_label: str = ""
    reference: float | None = None
    reference_label: str = ""


@dataclass(frozen=True, eq=False)
class ChartBrief:
    """A screen's main chart on a page, with its text alternative."""

    frame: Frame
    chart: Chart
    description: str


Brief = MapBrief | ProfileBrief | ChartBrief
#: A brief's chart, its text alternative and its sources.
ChartParts = tuple[Chart, str, tuple[str, ...]]


def _footer(lang: str, url: str, exported: date | None) -> str:
    tr = translator(lang)
    day = format_date(exported or date.today(), format="long", locale=locale_of(lang))
    footer = tr("exports.brief.exported", atlas=tr("app.name"), date=day)
    return footer + (" · " + tr("exports.brief.view", url=url) if url else "")


def _site_rows(sites: gpd.GeoDataFrame, lang: str) -> tuple[tuple[str, str], ...]:
    """(status, "Status (n)") of the mapped sites, in the vocabulary's order."""
    tr = translator(lang)
    counts = sites.loc[sites.geometry.notna(), "status"].value_counts()
    return tuple(
        (status, tr("exports.brief.site_count", label=tr(f"labels.status.{status}"), n=int(counts[status])))
        for status in STATUSES
        if int(counts.get(status, 0))
    )


def _sites_line(model: MapModel) -> str:
    """The subtitle's line on which sites the view shows."""
    tr, view = translator(model.lang), model.view
    if not (view.prog and view.status):
        return tr("exports.brief.no_sites_filter")
    return tr(
        "exports.brief.sites_filter",
        programmes=", ".join(tr(f"labels.programme.{p}") for p in view.prog),
        statuses=", ".join(tr(f"labels.status.{s}") for s in STATUSES if s in view.status),
        year=min(view.opened, model.latest_year),
    )


def _scope_line(model: MapModel) -> str:
    tr = translator(model.lang)
    if model.whole_city:
        return tr("exports.brief.scope_all")
    return tr("exports.brief.scope_some", names=", ".join(model.scope_names))


def _legend_rows(classes: Classes, indicator: Indicator, lang: str) -> tuple[tuple[str, str], ...]:
    """The class swatches with their counts ("No data" last, when some area has none)."""
    return tuple(
        (colour, f"{label} ({format_count(count, lang)})")
        for colour, label, count in legend_rows(classes, indicator.fmt, lang)
    )


def _direction(indicator: Indicator, lang: str) -> str:
    """What darker means on the map."""
    direction = {True: "darker", False: "darker_lower", None: "darker_more"}[indicator.higher_is_worse]
    return translator(lang)(f"exports.brief.{direction}")


def _legend(model: MapModel) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The class swatches with their counts, and the notes under them."""
    tr, classes, indicator = translator(model.lang), model.classes, model.indicator
    notes = [_direction(indicator, model.lang)]
    if classes.colours:  # none when every value is missing
        scheme = tr(f"labels.scheme.{model.view.scheme}")
        notes.insert(0, tr("exports.brief.classes", scheme=scheme, k=len(classes.colours)))
    if model.view.boro:
        notes.append(tr("exports.brief.faded"))
    return _legend_rows(classes, indicator, model.lang), tuple(notes)


def _area_legend(areas: AreaShading, view: ViewState) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The AGEBs' or colonias' classes (CONAPO's grades by name) with their counts, and the notes under them:
    how they are classed, what darker means, what grey means, what the figures cover. (A borough filter
    needs no note: the map frames the filtered boroughs, the subtitle names them.)"""
    tr, classes, level = translator(view.lang), areas.classes, areas.level
    notes = []
    if areas.indicator.fmt == "category":  # CONAPO's grades, by name
        notes.append(tr("exports.brief.area_grades"))
    elif classes.names:  # classes named by fixed bounds
        notes.append(tr("exports.brief.area_fixed"))
    elif classes.colours:
        scheme = tr(f"labels.scheme.{view.scheme}")
        notes.append(tr(f"exports.brief.area_classes_{level}", scheme=scheme, k=len(classes.colours)))
    notes.append(_direction(areas.indicator, view.lang))
    if (classes.of < 0).any():
        notes.append(tr(f"exports.brief.no_data_{level}"))
    notes.append(tr(f"exports.brief.about_{level}"))
    return _legend_rows(classes, areas.indicator, view.lang), tuple(notes)


def _key_figures(model: MapModel) -> tuple[tuple[str, str, str], ...]:
    """(value, label, note) of the four headline figures."""
    tr, lang, figures = translator(model.lang), model.lang, model.headline
    weighted = tr("exports.brief.poverty_weighted") if len(figures.boroughs) > 1 else ""
    persons = tr("exports.brief.poverty_persons", n=format_count(figures.poverty_persons, lang))
    return (
        (format_count(figures.sites_on_map, lang), tr("exports.brief.sites_on_map"), ""),
        (format_count(figures.sites_not_mapped, lang), tr("exports.brief.sites_not_mapped"), ""),
        (format_count(figures.population, lang), tr("exports.brief.population", year=figures.year), ""),
        (
            format_value(figures.poverty_pct, "percent", lang),
            tr("exports.brief.poverty", year=figures.year),
            persons + (f"; {weighted}" if weighted else ""),
        ),
    )


def _mapped(model: MapModel) -> gpd.GeoDataFrame:
    """The markers a brief's map draws: the map's own (none when its sites layer is off)."""
    return model.drawn_sites if model.drawn_sites is not None else model.sites.iloc[0:0]


def _area_drawing(model: MapModel, areas: AreaShading) -> MapDrawing:
    """The map of a neighbourhood level: the shaded areas, the borough borders over them, the sites.

    With a borough filter the map frames the filtered boroughs (only their
    areas are drawn) and names only them.
    """
    view, boroughs = model.view, model.boroughs
    chosen = boroughs[boroughs["cvegeo"].isin(view.boro)]
    return MapDrawing(
        boroughs=boroughs,
        names=model.names,
        fills=dict.fromkeys(boroughs["cvegeo"], "none"),
        sites=_mapped(model),
        outlined=view.boro,
        selected=view.sel,
        contrast=view.contrast,
        reach=model.reach.areas if model.reach else None,
        labelled=view.boro or None,
        areas=areas.shapes.loc[list(areas.keys)],
        area_fills=tuple(areas.classes.colour_of(key) for key in areas.keys),
        extent=tuple(chosen.total_bounds) if view.boro else None,
    )


def map_brief(model: MapModel, *, url: str = "", exported: date | None = None) -> MapBrief:
    """The Map screen of ``model`` as a brief: what the page shows, in the view's language.

    At the AGEB or colonia level the map, the legend, the title and the first
    source are those of the shaded areas (``model.areas``); the key figures
    stay the page's.
    """
    lang, view, areas = model.lang, model.view, model.areas
    tr = translator(lang)
    indicator, year = (areas.indicator, areas.year) if areas else (model.indicator, view.year)
    title_key = f"exports.brief.title_{areas.level}" if areas else "exports.brief.title"
    count = areas.count if areas else len(model.boroughs)
    subtitle = [_scope_line(model), _sites_line(model)]
    if model.panel is not None:
        subtitle.append(tr("exports.brief.selected", name=model.panel.name))
    boundaries = [tr("exports.brief.source_boundaries")]
    if areas is not None and areas.level == COLONIA_LEVEL:
        boundaries.append(tr("exports.brief.source_colonias"))
    sources = [
        tr(
            "exports.brief.source_indicator",
            indicator=indicator.title(lang),
            sources=areas.citation if areas else model.indicator_citation,
        ),
        tr("exports.brief.source_figures", sources=model.figures_citation),
        " · ".join([*boundaries, tr("exports.brief.source_sites")]),
    ]
    legend_rows, legend_notes = _area_legend(areas, view) if areas else _legend(model)
    reach = model.reach
    if reach:
        sources.append(tr("exports.brief.reach_note"))
    nearest = min(reach.distances) if reach and reach.distances else None
    return MapBrief(
        frame=Frame(
            lang=lang,
            title=tr(title_key, indicator=indicator.title(lang), year=year, n=format_count(count, lang)),
            subtitle=tuple(subtitle),
            sources=tuple(sources),
            footer=_footer(lang, url, exported),
            document_title=f"{indicator.title(lang)}, {year}",
        ),
        map=_area_drawing(model, areas)
        if areas
        else MapDrawing(
            boroughs=model.boroughs,
            names=model.names,
            fills={code: model.classes.colour_of(code) for code in model.boroughs["cvegeo"]},
            sites=_mapped(model),
            highlighted=view.boro,
            outlined=view.boro,
            selected=view.sel,
            contrast=view.contrast,
            reach=reach.areas if reach else None,
        ),
        legend_title=f"{indicator.title(lang)}, {year}",
        legend_rows=legend_rows,
        legend_notes=legend_notes,
        site_rows=_site_rows(_mapped(model), lang),
        figures=_key_figures(model),
        reach_title=tr("exports.brief.reach", n=format_count(reach.sites, lang)) if reach else "",
        reach_rows=tuple(
            (distance == nearest, tr("exports.brief.reach_line", **fields))
            for distance, fields in zip(reach.distances, reach.figures(lang), strict=True)
        )
        if reach
        else (),
    )


def profile_brief(profile: ProfileModel, *, url: str = "", exported: date | None = None) -> ProfileBrief:
    """A borough's profile as a brief: its figures with numbered sources, and where it is."""
    lang = profile.lang
    tr = translator(lang)
    numbers: dict[str, int] = {}
    rows = []
    for row in profile.rows:
        number = numbers.setdefault(row.citation, len(numbers) + 1)
        other = (row.other or "",) if profile.second else ()
        rows.append((row.title, str(row.year), row.value, *other, row.city, str(number)))
    against = (
        tr("exports.brief.profile_against_both", name=profile.second_name)
        if profile.second
        else tr("exports.brief.profile_against_city")
    )
    title = tr("exports.brief.profile_title", name=profile.name)
    borough_fill, second_fill, other_fill = LOCATOR_FILLS
    fills = dict.fromkeys(profile.boroughs["cvegeo"], other_fill)
    fills.update({profile.second: second_fill} if profile.second else {})
    fills[profile.borough] = borough_fill
    second_column = (profile.second_name,) if profile.second else ()
    chosen = tuple(code for code in (profile.borough, profile.second) if code)
    return ProfileBrief(
        frame=Frame(
            lang=lang,
            title=title,
            subtitle=(against, tr("profile.caption", missing=tr("labels.missing"), n=len(profile.names))),
            sources=(tr("exports.brief.source_boundaries") + " · " + tr("exports.brief.source_sites"),),
            footer=_footer(lang, url, exported),
            document_title=title,
        ),
        map=MapDrawing(
            boroughs=profile.boroughs,
            names=profile.names,
            fills=fills,
            sites=profile.sites[profile.sites.geometry.notna()],
            outlined=chosen,
            selected=profile.borough,
            contrast=profile.contrast,
            labelled=chosen,
        ),
        columns=(
            tr("profile.column.indicator"),
            tr("profile.column.year"),
            profile.name,
            *second_column,
            tr("profile.column.city"),
            tr("profile.column.source"),
        ),
        rows=tuple(rows),
        notes=tuple(f"{number}. {name}" for name, number in numbers.items()),
        site_rows=_site_rows(profile.sites, lang),
        sites_title=tr("profile.sites", borough=profile.name),
    )


def _ranking(atlas: Atlas, model: MapModel) -> ChartParts:
    """The Compare screen's ranking of the view's indicator."""
    view, lang = model.view, model.lang
    city = city_value(atlas.indicators, view.ind, view.year, names=model.names, lang=lang)
    table = ranking_data(
        atlas.indicators,
        view.ind,
        view.year,
        names=model.names,
        lang=lang,
        selected=highlighted_boroughs(view),
        city=city,
    )
    boroughs = table[table["cvegeo"] != CITY_CODE]
    fmt, label = model.indicator.fmt, model.indicator.title(lang)
    tr = translator(lang)
    chart = Chart(
        kind="bars",
        title=tr("charts.ranking.title", label=label, year=view.year),
        note=tr("charts.city.line_note", method=city.method)
        if city.value is not None
        else tr("charts.city.missing_note", reason=city.reason),
        x_title=tr("charts.axis.value", label=label, unit=unit_label(model.unit, lang)),
        y_title=tr("charts.ranking.axis_y"),
        labels=tuple(boroughs["borough"]),
        values=tuple(float(v) for v in boroughs["value"]),
        texts=tuple(format_value(v, fmt, lang) for v in boroughs["value"]),
        highlighted=tuple(bool(s) for s in boroughs["selected"]),
        reference=city.value,
        reference_label=tr("charts.city.label", value=format_value(city.value, fmt, lang))
        if city.value is not None
        else "",
    )
    return chart, describe_ranking(table, lang=lang), (model.indicator_citation,)


def _need(atlas: Atlas, model: MapModel) -> ChartParts:
    """The Compare screen's need against provision (UTOPÍAS)."""
    lang, tr = model.lang, translator(model.lang)
    table = need_vs_provision_data(atlas.indicators, atlas.sites, names=model.names)
    rows = table[table["programme"] == MAPPED_PROGRAMME]
    need = str(rows["need_indicator"].iloc[0])
    year = int(rows["year"].iloc[0])
    label = REGISTRY[need].title(lang)
    chosen = set(highlighted_boroughs(model.view))
    per = format_count(PER, lang)
    chart = Chart(
        kind="scatter",
        title=tr("charts.need.title", label=label, year=year),
        note="",
        x_title=tr(
            "charts.need.axis_x",
            label=label,
            year=year,
            unit=unit_label(str(rows["need_unit"].dropna().iloc[0]), lang),
        ),
        y_title=tr("charts.need.axis_y", per=per, year=year),
        labels=tuple(rows["borough"]),
        values=tuple(float(v) for v in rows["sites_per_100k"]),
        texts=tuple(rows["borough"]),
        highlighted=tuple(code in chosen for code in rows["cvegeo"]),
        x=tuple(float(v) for v in rows["need_value"]),
    )
    sources = (
        indicator_sources(atlas, need, year, lang),
        indicator_sources(atlas, "population_total", year, lang),
        tr("deck.sites_source"),
    )
    return chart, describe_need_vs_provision(table, lang=lang), sources


def _openings(atlas: Atlas, model: MapModel) -> ChartParts:
    """The Programmes screen's UTOPÍAS openings per year."""
    lang, tr = model.lang, translator(model.lang)
    table = openings_per_year_data(atlas.sites, lang=lang)
    unknown = table["year"].isna()
    chart = Chart(
        kind="columns",
        title=tr("charts.openings.title", programme=programme_label(MAPPED_PROGRAMME, lang)),
        note=tr(
            "charts.openings.note",
            total=format_count(int(table["opened"].sum()), lang),
            unknown=format_count(int(table.loc[unknown, "opened"].sum()), lang),
        ),
        x_title=tr("charts.openings.axis_x"),
        y_title=tr("charts.axis.sites"),
        labels=tuple(table["label"]),
        values=tuple(float(n) for n in table["opened"]),
        texts=tuple(format_count(n, lang) for n in table["opened"]),
        highlighted=tuple(False for _ in table["opened"]),
        hatched=tuple(bool(u) for u in unknown),
        line=tuple(None if pd.isna(n) else float(n) for n in table["cumulative"]),
        line_label=tr("charts.openings.cumulative"),
        bar_label=tr("charts.openings.bar"),
    )
    return chart, describe_openings(table, lang=lang), (tr("deck.sites_source"),)


def chart_brief(
    page: str, atlas: Atlas, model: MapModel, *, url: str = "", exported: date | None = None
) -> ChartBrief:
    """The main chart of ``page`` (a Compare or Programmes URL path) for the view, as a brief.

    Compare's main chart ranks the boroughs by the view's indicator (need
    against provision when the indicator is a category, as on the page);
    Programmes' shows the UTOPÍAS opened per year.
    """
    lang, tr = model.lang, translator(model.lang)
    if BY_SLUG[page].name == "programmes":
        chart, description, sources = _openings(atlas, model)
    elif model.indicator.fmt == "category":
        chart, description, sources = _need(atlas, model)
    else:
        chart, description, sources = _ranking(atlas, model)
    highlighted = [model.names[code] for code in highlighted_boroughs(model.view)]
    subtitle = [page_name(page, lang)]
    if highlighted and BY_SLUG[page].name != "programmes":
        subtitle.append(tr("exports.brief.scope_some", names=", ".join(highlighted)))
    return ChartBrief(
        frame=Frame(
            lang=lang,
            title=chart.title,
            subtitle=tuple(subtitle),
            sources=sources,
            footer=_footer(lang, url, exported),
            document_title=chart.title,
        ),
        chart=chart,
        description=description,
    )


def slide_brief(
    page: str, atlas: Atlas, model: MapModel, *, url: str = "", exported: date | None = None
) -> Brief:
    """The brief of a slide on ``page`` (a URL path of :data:`geo.screens.SCREENS`): what that page shows.

    ``model`` is the slide's view on the Map screen: the map brief itself, and
    the view, language and sources every other brief starts from.
    """
    name = BY_SLUG.get(page, HOME).name
    if name == "profile":
        borough, second = profile_boroughs(model.view, model.names)
        profile = profile_model(atlas, borough, second, model.lang, contrast=model.view.contrast)
        return profile_brief(profile, url=url, exported=exported)
    if name in {"compare", "programmes"}:
        return chart_brief(page, atlas, model, url=url, exported=exported)
    return map_brief(model, url=url, exported=exported)
