"""The map's neighbourhood levels as data: which AGEBs or colonias are drawn, shaded how, cited how.

At the AGEB level the areas are CONAPO's urban AGEBs shaded by the view's
AGEB indicator (``view.aind``): the marginalisation grade in CONAPO's five
ordinal grades, the index (darker = lower = more marginalised) or one of its
eleven components, classed like the boroughs (mapclassify). At the colonia
level they are the IECM colonias shaded by the estimated share of their
people who live in AGEBs of high or very high marginalisation (an area-weighted
estimate, labelled so). A borough filter restricts the drawn areas to those
boroughs. Missing values are "no data", never zero.

Pure Python: no Streamlit or folium. :mod:`geo.mapmodel` puts an
:class:`AreaShading` in the Map screen's model; :mod:`geo.mapview` draws it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import pandas as pd

from geo import markup
from geo.citations import cite, short_source
from geo.classify import Classes, classify, fixed_classes, ordinal_classes
from geo.formatting import format_value
from geo.i18n import t
from geo.indicators import NEIGHBOURHOOD_POPULATION, NEIGHBOURHOOD_REGISTRY, Indicator
from geo.loaders import NeighbourhoodLayers
from geo.state import ViewState
from geo.topology import packed_topology
from geo.units import unit_label
from geo.vocabulary import AGEB_INDICATORS, AGEB_LEVEL, COLONIA_LEVEL, MARGINALISATION_GRADES, grade_key

#: The colonia level's shading: a column of data/colonias.csv, as a share (0–1).
COLONIA_INDICATOR = "people_high_share"
#: CONAPO's index and the census it rests on.
INDEX_YEAR = 2020
COLONIA_UNIT = "% of people (estimate)"
#: The colonia shading's upper bounds (%): none, then quarters. Most colonias have no one in an
#: Alto or Muy alto AGEB, so quantiles would put 0 % and 100 % in one class.
COLONIA_BINS = (0.0, 25.0, 50.0, 75.0, 100.0)


@dataclass(frozen=True, eq=False)
class AreaShading:
    """The neighbourhood areas a view draws, in the view's language where it is text.

    ``keys`` are the drawn areas in drawing order; ``titles`` and ``shown``
    the two lines of their tooltips (name or key, then the value as shown);
    ``values`` and ``classes`` are indexed by key; ``packed`` is their shapes
    for the browser (:func:`geo.topology.packed_topology`), ``shapes`` the
    same shapes (EPSG:4326, indexed by key) for the one-page brief.
    """

    level: str
    indicator: Indicator
    year: int
    keys: tuple[str, ...]
    titles: tuple[str, ...]
    shown: tuple[str, ...]
    values: pd.Series
    classes: Classes
    unit: str
    sources: tuple[tuple[str, str | None], ...]
    citation: str
    packed: dict
    shapes: gpd.GeoSeries

    @property
    def count(self) -> int:
        """How many areas are drawn."""
        return len(self.keys)


def _in_boroughs(frame: pd.DataFrame, boroughs: tuple[str, ...]) -> pd.DataFrame:
    return frame[frame["borough"].isin(boroughs)] if boroughs else frame


def level_areas(layers: NeighbourhoodLayers, view: ViewState) -> tuple[gpd.GeoDataFrame, tuple[str, ...]]:
    """The areas ``view`` draws at its level (indexed by key, in drawing order) and their tooltip titles.

    AGEBs are CONAPO's urban ones on the map, colonias the IECM's; both only in
    the view's boroughs when it filters them.
    """
    if view.level == AGEB_LEVEL:
        frame = _in_boroughs(layers.agebs[layers.agebs["on_map"]], view.boro).set_index("cvegeo")
        return frame, tuple(f"AGEB {key}" for key in frame.index)
    frame = _in_boroughs(layers.colonias, view.boro).set_index("cveut")
    return frame, tuple(frame["name"])


def bin_names(bins: tuple[float, ...], lang: str) -> tuple[str, ...]:
    """Names of percentage classes with these upper bounds: "0 %", then "0 % – 25 %"… in ``lang``."""
    shown = [format_value(bound, "percent", lang) for bound in bins]
    return (shown[0], *(f"{low} – {high}" for low, high in itertools.pairwise(shown)))


def grade_names(lang: str) -> tuple[str, ...]:
    """CONAPO's grades in ``lang``, least marginalised first."""
    return tuple(t(f"labels.grade.{grade_key(grade)}", lang) for grade in MARGINALISATION_GRADES)


def _ageb_shading(layers: NeighbourhoodLayers, view: ViewState) -> AreaShading:
    indicator = NEIGHBOURHOOD_REGISTRY[view.aind]
    frame, titles = level_areas(layers, view)
    column = frame[view.aind]
    if view.aind == "gm_2020":
        names = grade_names(view.lang)
        classes = ordinal_classes(column, MARGINALISATION_GRADES, names, view.palette)
        shown = [names[number] if number >= 0 else t("labels.missing", view.lang) for number in classes.of]
    else:
        classes = classify(
            column, view.scheme, view.k, view.palette, higher_is_worse=indicator.higher_is_worse
        )
        shown = [format_value(value, indicator.fmt, view.lang) for value in column]
    field = layers.fields.loc[view.aind]
    return AreaShading(
        level=AGEB_LEVEL,
        indicator=indicator,
        year=int(field["year"]),
        keys=tuple(frame.index),
        titles=titles,
        shown=tuple(shown),
        values=column,
        classes=classes,
        unit=str(field["unit"]),
        sources=((str(field["source"]), markup.to_url(str(field["source_url"]))),),
        citation=cite([short_source(str(field["source"]))], int(field["year"])),
        packed=packed_areas(layers, AGEB_LEVEL, tuple(frame.index)),
        shapes=frame.geometry,
    )


def _colonia_shading(layers: NeighbourhoodLayers, view: ViewState) -> AreaShading:
    indicator = NEIGHBOURHOOD_REGISTRY[COLONIA_INDICATOR]
    frame, titles = level_areas(layers, view)
    column = frame[COLONIA_INDICATOR].astype(float) * 100
    classes = fixed_classes(column, COLONIA_BINS, bin_names(COLONIA_BINS, view.lang), view.palette)
    source = t("areas.colonia_source", view.lang)
    return AreaShading(
        level=COLONIA_LEVEL,
        indicator=indicator,
        year=INDEX_YEAR,
        keys=tuple(frame.index),
        titles=titles,
        shown=tuple(format_value(value, indicator.fmt, view.lang) for value in column),
        values=column,
        classes=classes,
        unit=COLONIA_UNIT,
        sources=((source, None),),
        citation=cite([t("areas.colonia_citation", view.lang)], INDEX_YEAR),
        packed=packed_areas(layers, COLONIA_LEVEL, tuple(frame.index)),
        shapes=frame.geometry,
    )


@lru_cache(maxsize=64)
def packed_areas(layers: NeighbourhoodLayers, level: str, keys: tuple[str, ...]) -> dict:
    """The shapes of ``keys`` at ``level`` for the browser, packed once per set of areas.

    The shapes do not change with the indicator or the language, so a view
    that only changes those packs nothing again. Treat the result as read-only.
    """
    if level == AGEB_LEVEL:
        return packed_topology(layers.ageb_topology, "agebs", [layers.ageb_positions[key] for key in keys])
    return packed_topology(
        layers.colonia_topology, "colonias", [layers.colonia_positions[key] for key in keys]
    )


def area_shading(layers: NeighbourhoodLayers, view: ViewState) -> AreaShading:
    """The areas ``view`` draws at its (AGEB or colonia) level."""
    if view.level == AGEB_LEVEL:
        return _ageb_shading(layers, view)
    if view.level == COLONIA_LEVEL:
        return _colonia_shading(layers, view)
    msg = f"the {view.level!r} level has no neighbourhood areas"
    raise ValueError(msg)


def selection_shapes(layers: NeighbourhoodLayers, view: ViewState) -> tuple[dict, ...]:
    """The shapes of the selected colonia and AGEB (packed), drawn as thick outlines at every level."""
    shapes = []
    if view.col in layers.colonia_positions:
        shapes.append(packed_areas(layers, COLONIA_LEVEL, (view.col,)))
    if view.ageb in layers.ageb_positions:
        shapes.append(packed_areas(layers, AGEB_LEVEL, (view.ageb,)))
    return tuple(shapes)


@dataclass(frozen=True)
class AgebProfile:
    """One AGEB's figures as shown in the panel: (label, value as shown, unit) rows and their one source."""

    key: str
    borough: str
    rows: tuple[tuple[str, str, str], ...]
    year: int
    source: str
    source_url: str | None


def ageb_at(layers: NeighbourhoodLayers, lat: float, lon: float) -> str | None:
    """The key of the AGEB under a clicked point, if any."""
    agebs = layers.agebs[layers.agebs["on_map"]]
    hits = agebs[agebs.contains(gpd.points_from_xy([lon], [lat])[0])]
    return str(hits["cvegeo"].iloc[0]) if not hits.empty else None


def ageb_profile(layers: NeighbourhoodLayers, key: str, lang: str) -> AgebProfile:
    """Every CONAPO figure of AGEB ``key`` in ``lang``, population first; "no data" where CONAPO has none."""
    row = layers.agebs.set_index("cvegeo").loc[key]
    names = dict(zip(MARGINALISATION_GRADES, grade_names(lang), strict=True))
    shown = [("pob_total", NEIGHBOURHOOD_POPULATION)] + [
        (column, NEIGHBOURHOOD_REGISTRY[column]) for column in AGEB_INDICATORS
    ]
    rows = []
    for column, indicator in shown:
        value = row[column]
        if column == "gm_2020":
            text = names.get(value, t("labels.missing", lang))
        else:
            text = format_value(float(value) if pd.notna(value) else None, indicator.fmt, lang)
        rows.append((indicator.title(lang), text, unit_label(str(layers.fields.loc[column, "unit"]), lang)))
    field = layers.fields.loc["gm_2020"]
    return AgebProfile(
        key=key,
        borough=str(row["borough"]),
        rows=tuple(rows),
        year=int(field["year"]),
        source=str(field["source"]),
        source_url=markup.to_url(str(field["source_url"])),
    )
