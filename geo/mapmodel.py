"""The Map screen as data: everything the map page shows, worked out once from the data and a view.

The map page draws it (``pages/map.py`` with :func:`geo.mapview.map_layers`),
and so do the one-page brief (:mod:`geo.brief`), the map's HTML export
(``ui.exports.map_html``) and a slide's source line
(:func:`geo.slides.slide_sources`): none of them classifies, filters, sums or
cites again, so they cannot disagree.

The walking reach takes a while to compute, so :func:`map_model` takes the
function that makes it: ``ui.data.walking_reach_of`` caches it per set of
sites; the default, :func:`fresh_reach`, computes it afresh.

Pure Python: no Streamlit, folium or matplotlib.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import geopandas as gpd
import pandas as pd

from geo import markup
from geo.areamodel import AgebProfile, AreaShading, ageb_profile, area_shading, selection_shapes
from geo.citations import cite, indicator_sources, short_source
from geo.classify import Classes, classify
from geo.colonias import ColoniaSummary, colonia_summary
from geo.coverage import need_inputs, reach_areas, reachable_sites
from geo.dasymetric import (
    AGEB_DASYMETRIC,
    COMBINED,
    NEED_DISTANCE_M,
    ReachPeople,
    beyond_by_colonia,
    beyond_layer,
    need_beyond,
    reach_people,
)
from geo.filters import HEADLINE_YEAR, Headline, borough_profile, filter_sites, headline, opened_year_range
from geo.formatting import format_count, format_value
from geo.i18n import t
from geo.indicators import REGISTRY, Indicator, rows_for, shown_sources
from geo.legend import areas_summary, legend_html, map_summary, user_legend_html
from geo.loaders import Atlas, NeighbourhoodLayers, load_neighbourhoods
from geo.state import ViewState
from geo.userindicator import Choice, UserShading, shading_choices, user_area_shading, user_shading
from geo.userlayers import UserLayer, published_in_view, shown_layer
from geo.vocabulary import AGEB_LEVEL, BOROUGH_LEVEL, COLONIA_LEVEL, HIGH_GRADES, PCMB, UTOPIAS

#: Makes the walking reach of some sites (:func:`fresh_reach`, or a cached copy of it).
ReachBuilder = Callable[[Atlas, NeighbourhoodLayers, gpd.GeoDataFrame], "Reach"]
#: The programme whose sites have a map layer (the PCMB has no located sites).
MAPPED_PROGRAMME = UTOPIAS


@dataclass(frozen=True, eq=False)
class Reach:
    """Walking reach of the open sites with coordinates, counted in people with CONAPO's AGEB populations.

    ``areas`` are the reach areas drawn (:func:`geo.coverage.reach_areas`);
    ``people`` the people within reach by AGEB, borough, grade and city, each
    row naming its method (:func:`geo.dasymetric.reach_people`); ``need`` the
    parts of Alto / Muy alto AGEBs beyond the farthest distance, with their
    people, ``need_colonias`` the same people by colonia and ``need_shapes``
    those parts lightened for the map. Language-free: the texts come from the
    methods.
    """

    areas: gpd.GeoDataFrame
    people: ReachPeople
    need: gpd.GeoDataFrame
    need_colonias: pd.DataFrame
    need_shapes: gpd.GeoDataFrame

    @property
    def sites(self) -> int:
        """How many sites the reach is drawn around."""
        return int(self.areas["sites"].iloc[0]) if len(self.areas) else 0

    @property
    def distances(self) -> tuple[float, ...]:
        return tuple(self.areas["distance_m"])

    @property
    def city(self) -> pd.DataFrame:
        """The whole city's people within reach per distance, both methods added (one row per distance).

        Whatever :meth:`within` keeps: the city is the city.
        """
        city = self.people.city
        return city[city["method"] == COMBINED].reset_index(drop=True)

    @property
    def need_distance(self) -> float:
        """The distance beyond which people in high marginalisation count as out of reach."""
        return NEED_DISTANCE_M

    def figures(self, lang: str) -> list[dict[str, str]]:
        """Per distance, the reach figures as texts in ``lang``, to fill a catalogue line.

        ``people`` within reach (both methods) and their share of the people
        counted; ``high`` the people of Alto and Muy alto AGEBs within reach and
        their share of all the people in those AGEBs.
        """
        units = self.people.units
        high = units[(units["method"] == AGEB_DASYMETRIC) & units["grade"].isin(HIGH_GRADES)]
        rows = []
        for distance, group in units.groupby("distance_m", sort=True):
            within, population = group["people_within"].sum(), group["population"].sum()
            high_here = high[high["distance_m"] == distance]
            high_within, high_population = high_here["people_within"].sum(), high_here["population"].sum()
            rows.append(
                {
                    "distance": format_count(distance, lang),
                    "people": format_count(within, lang),
                    "people_share": format_value(100 * within / population, "percent", lang),
                    "high": format_count(high_within, lang),
                    "high_share": format_value(100 * high_within / high_population, "percent", lang)
                    if high_population
                    else t("labels.missing", lang),
                }
            )
        return rows

    def need_figures(self, lang: str) -> dict[str, str]:
        """The people of Alto / Muy alto AGEBs beyond reach, as texts in ``lang``: how many, where."""
        return {
            "distance": format_count(self.need_distance, lang),
            "people": format_count(self.need["people_beyond"].sum(), lang),
            "agebs": format_count(len(self.need), lang),
            "colonias": format_count(len(self.need_colonias), lang),
        }

    def within(self, boroughs: tuple[str, ...]) -> Reach:
        """The same reach with its people and needs counted in ``boroughs`` only (all when empty).

        The reach areas stay whole: a site reaches across a borough line.
        """
        if not boroughs:
            return self
        units = self.people.units
        return replace(
            self,
            people=replace(self.people, units=units[units["borough"].isin(boroughs)]),
            need=self.need[self.need["borough"].isin(boroughs)],
            need_colonias=self.need_colonias[self.need_colonias["borough"].isin(boroughs)],
            need_shapes=self.need_shapes[self.need_shapes["borough"].isin(boroughs)],
        )


def fresh_reach(atlas: Atlas, layers: NeighbourhoodLayers, sites: gpd.GeoDataFrame) -> Reach:
    """The walking reach of ``sites`` (only open ones with coordinates count), computed now (no cache)."""
    return reach_in_people(atlas, layers, reach_areas(sites, clip_to=atlas.boroughs))


def reach_in_people(atlas: Atlas, layers: NeighbourhoodLayers, areas: gpd.GeoDataFrame) -> Reach:
    """The people within and beyond reach areas already drawn (``geo.coverage.reach_areas``, clipped to the city)."""
    population = need_inputs(atlas.indicators)[0]
    need = need_beyond(layers.agebs, areas)
    return Reach(
        areas=areas,
        people=reach_people(layers.agebs, areas, atlas.boroughs, population),
        need=need,
        need_colonias=beyond_by_colonia(need, layers.colonias),
        need_shapes=beyond_layer(need, by="ageb"),
    )


@dataclass(frozen=True, eq=False)
class Panel:
    """The selected borough: every figure known for it (sources in the view's language) and its sites."""

    code: str
    name: str
    profile: pd.DataFrame
    sites: gpd.GeoDataFrame


@dataclass(frozen=True, eq=False)
class MapModel:
    """What the Map screen shows for one view, in the view's language where it is text.

    ``sites`` are the sites the filters select, mapped or not; ``drawn_sites``
    the markers on the map (``None`` when the sites layer is off);
    ``unmapped`` the selected sites with no coordinates. ``summary`` is the
    map's text alternative. At a neighbourhood level ``areas`` are the
    shaded AGEBs or colonias (drawn instead of the boroughs' shading, under
    the borough borders); ``None`` at the borough level. ``user_layers``: the
    visitor's confirmed layers and the team's published ones the view draws,
    their sites filtered by the view (``missing_published``: the published ids
    the view names that are not published);
    ``user_shading`` their indicator table the boroughs are shaded by instead
    of the view's indicator (``indicator``, ``values``, ``classes``, ``unit``
    and the sources are then the user's), ``None`` otherwise (a table by AGEB
    or colonia shades ``areas`` instead).
    """

    view: ViewState
    indicator: Indicator
    names: Mapping[str, str]
    boroughs: gpd.GeoDataFrame
    values: pd.Series
    classes: Classes
    unit: str
    legend_sources: tuple[tuple[str, str | None], ...]
    headline: Headline
    sites: gpd.GeoDataFrame
    drawn_sites: gpd.GeoDataFrame | None
    unmapped: gpd.GeoDataFrame
    reach: Reach | None
    panel: Panel | None
    pcmb: pd.DataFrame | None
    indicator_citation: str
    figures_citation: str
    latest_year: int
    summary: str
    areas: AreaShading | None = None
    selection: tuple[dict, ...] = ()
    ageb: AgebProfile | None = None
    colonia: ColoniaSummary | None = None
    user_layers: tuple[UserLayer, ...] = ()
    user_shading: UserShading | None = None
    missing_published: tuple[str, ...] = ()

    @property
    def shaded_year(self) -> int:
        """The year of the borough shading: the user's table's when it shades the map, the view's otherwise."""
        return self.user_shading.year if self.user_shading is not None else self.view.year

    @property
    def lang(self) -> str:
        return self.view.lang

    @property
    def whole_city(self) -> bool:
        """Whether the headline figures cover every borough."""
        return len(self.headline.boroughs) == len(self.boroughs)

    @property
    def scope_names(self) -> tuple[str, ...]:
        """The names of the boroughs the headline figures cover."""
        return tuple(self.names[code] for code in self.headline.boroughs)

    @property
    def user_sites(self) -> int:
        """How many of the visitor's own sites the map draws (the line under the headline figures)."""
        return sum(layer.count for layer in self.user_layers if layer.kind == "sites" and not layer.published)

    @property
    def team_sites(self) -> int:
        """How many sites of the team's published layers the map draws (a line of their own)."""
        return sum(layer.count for layer in self.user_layers if layer.kind == "sites" and layer.published)


def _legend_sources(atlas: Atlas, rows: pd.DataFrame, lang: str) -> tuple[tuple[str, str | None], ...]:
    """Each source of the shaded values once (as a reader of ``lang`` sees it), with the link of its first URL."""
    pairs = {
        (name, markup.to_url(url.split(" | ")[0]))
        for name, url in zip(shown_sources(atlas.indicators, rows, lang), rows["source_url"], strict=True)
    }
    return tuple(sorted(pairs, key=lambda pair: (pair[0], pair[1] or "")))


def _figures_citation(atlas: Atlas) -> str:
    """The short sources of the headline figures (population and poverty, all boroughs)."""
    names = [
        short_source(source)
        for indicator in ("population_total", "poverty_pct")
        for source in rows_for(atlas.indicators, indicator, HEADLINE_YEAR)["source"]
    ]
    return cite(names, HEADLINE_YEAR)


def needs_neighbourhoods(view: ViewState) -> bool:
    """Whether ``view`` needs AGEBs or colonias: its level, the walking reach (counted by AGEB), a selection."""
    return view.level != BOROUGH_LEVEL or view.reach or bool(view.col or view.ageb)


def map_model(
    atlas: Atlas,
    view: ViewState,
    *,
    reach: ReachBuilder = fresh_reach,
    neighbourhoods: Callable[[], NeighbourhoodLayers] = load_neighbourhoods,
    user_layers: Sequence[UserLayer] = (),
    shade_by: Choice | None = None,
) -> MapModel:
    """Work out what the Map screen shows for ``view``; ``reach`` makes the walking-reach areas.

    ``neighbourhoods`` gives the AGEB and colonia layers; it is called only
    for a view that needs them (:func:`needs_neighbourhoods`): the page passes
    its cached copy (``ui.data.get_neighbourhoods``), the default reads the
    shipped files. ``user_layers`` are the visitor's confirmed layers (their
    sites filtered like the shipped ones where they have years and statuses,
    their boundaries by the borough filter);
    ``shade_by`` picks one of their indicator tables and a year to shade the
    map with, at the level of the table's keys (ignored at another level or
    once the layer is gone).
    """
    indicator = REGISTRY[view.ind]
    names = atlas.borough_names
    rows = rows_for(atlas.indicators, view.ind, view.year)
    values = rows.set_index("cvegeo")["value"].reindex(atlas.boroughs["cvegeo"])
    classes = classify(values, view.scheme, view.k, view.palette, higher_is_worse=indicator.higher_is_worse)
    unit, sources = str(rows["unit"].iloc[0]) if len(rows) else "", _legend_sources(atlas, rows, view.lang)
    citation = indicator_sources(atlas, view.ind, view.year, view.lang)
    drawn_layers, missing_published = published_in_view(user_layers, view.pub)
    chosen = _chosen(drawn_layers, shade_by, view.level)
    own = (
        user_shading(*chosen, atlas.boroughs["cvegeo"], view)
        if chosen and view.level == BOROUGH_LEVEL
        else None
    )
    if own is not None:
        indicator, values, classes, unit, sources = (
            own.indicator,
            own.values,
            own.classes,
            own.unit,
            own.sources,
        )
        citation = sources[0][0]
    latest = opened_year_range(atlas.sites)[1]
    sites = filter_sites(atlas.sites, view, latest)
    drawn = (
        sites[(sites["programme"] == MAPPED_PROGRAMME) & sites.geometry.notna()]
        if MAPPED_PROGRAMME in view.prog
        else None
    )
    layers = neighbourhoods() if needs_neighbourhoods(view) else None
    walking = reach(atlas, layers, sites).within(view.boro) if layers is not None and view.reach else None
    panel = (
        Panel(
            code=view.sel,
            name=names[view.sel],
            profile=borough_profile(atlas, view.sel, view.lang),
            sites=atlas.sites[atlas.sites["cvegeo"] == view.sel],
        )
        if view.sel in names
        else None
    )
    areas = None
    if layers is not None and view.level != BOROUGH_LEVEL:
        areas = user_area_shading(layers, *chosen, view) if chosen else area_shading(layers, view)
    context = {
        "highlighted": [names[code] for code in view.boro],
        "selected": names.get(view.sel, ""),
        "sites": len(drawn) if drawn is not None else None,
        "reach_m": walking.distances if walking else (),
        "lang": view.lang,
    }
    summary = (
        areas_summary(
            areas.classes, areas.indicator, areas.year, level=view.level, areas=areas.count, **context
        )
        if areas is not None
        else map_summary(
            classes, indicator, own.year if own else view.year, boroughs=len(atlas.boroughs), **context
        )
    )
    return MapModel(
        view=view,
        indicator=indicator,
        names=names,
        boroughs=atlas.boroughs,
        values=values,
        classes=classes,
        unit=unit,
        legend_sources=sources,
        headline=headline(atlas, view, sites),
        sites=sites,
        drawn_sites=drawn,
        unmapped=sites[sites.geometry.isna()],
        reach=walking,
        panel=panel,
        pcmb=atlas.pcmb if PCMB in view.prog else None,
        indicator_citation=citation,
        figures_citation=_figures_citation(atlas),
        latest_year=latest,
        summary=summary,
        areas=areas,
        selection=selection_shapes(layers, view) if layers is not None else (),
        ageb=ageb_profile(layers, view.ageb, view.lang)
        if layers is not None and view.ageb in layers.ageb_positions
        else None,
        colonia=_colonia(atlas, layers, view.col),
        user_layers=tuple(shown_layer(layer, view, latest, atlas.boroughs) for layer in drawn_layers),
        missing_published=missing_published,
        user_shading=own,
    )


def _chosen(layers: Sequence[UserLayer], choice: Choice | None, level: str) -> tuple[UserLayer, int] | None:
    """The user's layer and year ``choice`` names, if that layer exists and shades the map at ``level``."""
    layer = next((layer for layer in layers if choice and layer.ident == choice[0]), None)
    return (layer, choice[1]) if layer is not None and choice in shading_choices([layer], level) else None


def _colonia(atlas: Atlas, layers: NeighbourhoodLayers | None, key: str) -> ColoniaSummary | None:
    """The selected colonia's summary, its nearest site among the open UTOPÍAS with coordinates (all of them)."""
    if layers is None or key not in layers.colonia_positions:
        return None
    open_sites = reachable_sites(atlas.sites[atlas.sites["programme"] == MAPPED_PROGRAMME])
    return colonia_summary(layers.colonias, key, open_sites)


def map_legend(model: MapModel) -> str:
    """The legend under the map, as safe HTML: the shaded areas' (classes and sources), then the visitor's layers."""
    return _shading_legend(model) + user_legend_html(model.user_layers, model.lang)


def _shading_legend(model: MapModel) -> str:
    """The legend of the shaded areas of the view's level: their classes, scheme and sources."""
    view = model.view
    if model.areas is not None:
        shading = model.areas
        scheme = {AGEB_LEVEL: "areas.grade_scheme", COLONIA_LEVEL: "areas.fixed_scheme"}[view.level]
        if not shading.classes.names:
            scheme = f"labels.scheme.{view.scheme}"
        return legend_html(
            shading.classes,
            shading.indicator,
            shading.year,
            shading.unit,
            list(shading.sources),
            scheme_label=t(scheme, view.lang),
            areas=view.level,
            lang=view.lang,
        )
    return legend_html(
        model.classes,
        model.indicator,
        model.shaded_year,
        model.unit,
        list(model.legend_sources),
        scheme_label=t(f"labels.scheme.{view.scheme}", view.lang),
        lang=view.lang,
    )
