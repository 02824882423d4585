"""A visitor's indicator table as the map's shading: their values for one year, marked as theirs.

A confirmed indicator layer offers one choice per year it holds at the map
level of its keys (:func:`shading_choices`): a table by borough shades the
borough choropleth instead of the shipped indicator (:func:`user_shading`),
one by AGEB or colonia shades the areas of that level with the same
:class:`~geo.areamodel.AreaShading` as the shipped ones
(:func:`user_area_shading`). Values are classed like the shipped ones
(mapclassify); areas the table lacks are "no data". The choice is the
visitor's only: it lives in their session, never in the URL (nobody else
has the layer).

Plain Python: no Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from geo.areamodel import AreaShading, level_areas, packed_areas
from geo.classify import Classes, classify
from geo.formatting import format_value
from geo.i18n import t
from geo.indicators import Indicator
from geo.loaders import NeighbourhoodLayers
from geo.state import ViewState
from geo.userlayers import UserLayer
from geo.vocabulary import AGEB_LEVEL, BOROUGH_LEVEL, COLONIA_LEVEL

#: A choice of shading: (the layer's ``ident``, the year of its values).
Choice = tuple[str, int]
#: A user's values are numbers of unknown kind: shown with up to two decimals, no need direction.
USER_FORMAT = "number"
#: The map level each ``located_by`` of an indicator row (:func:`geo.importing.check.check_indicators`) shades.
MAP_LEVELS = {"borough": BOROUGH_LEVEL, "ageb": AGEB_LEVEL, "colonia": COLONIA_LEVEL}


@dataclass(frozen=True)
class UserIndicator(Indicator):
    """An indicator from a visitor's table: titled with the user's name for it, marked as theirs."""

    label: str = ""

    def title(self, lang: str = "en") -> str:
        return t("your_indicator.title", lang, name=self.label)


@dataclass(frozen=True, eq=False)
class UserShading:
    """The boroughs shaded by a visitor's values for one year, with the user's unit and source line."""

    indicator: UserIndicator
    year: int
    values: pd.Series
    classes: Classes
    unit: str
    sources: tuple[tuple[str, str | None], ...]


def _rows(layer: UserLayer, level: str, year: int | None = None) -> pd.DataFrame:
    """The layer's rows that shade ``level`` (all years with one, or ``year``'s)."""
    rows = layer.rows
    if layer.kind != "indicators" or rows.empty:
        return rows.iloc[0:0]
    keep = rows["located_by"].map(MAP_LEVELS).eq(level) & rows["year"].notna()
    if year is not None:
        keep &= rows["year"] == year
    return rows[keep.fillna(False).astype(bool)]


def shading_choices(layers: Sequence[UserLayer], level: str) -> tuple[Choice, ...]:
    """Every (layer, year) that can shade the map at ``level``, latest year first.

    A table without years offers nothing: a shading is always of one year.
    """
    return tuple(
        (layer.ident, int(year))
        for layer in layers
        for year in sorted(_rows(layer, level)["year"].unique(), reverse=True)
    )


def _values(layer: UserLayer, level: str, year: int, keys: pd.Index) -> pd.Series:
    return _rows(layer, level, year).set_index("key")["value"].astype(float).reindex(keys)


def _indicator(layer: UserLayer) -> UserIndicator:
    return UserIndicator(id="user", fmt=USER_FORMAT, higher_is_worse=None, label=layer.name)


def unit_of(layer: UserLayer, lang: str) -> str:
    """The user's unit for the layer's values, or words saying they gave none."""
    return layer.unit or t("your_indicator.no_unit", lang)


def source_of(layer: UserLayer, lang: str) -> str:
    """The user's source line for the layer, marked as their data."""
    return t("your_indicator.source", lang, source=layer.source)


def table_level(layer: UserLayer) -> str | None:
    """The map level an indicator table is keyed by (all its rows share it), or None for another kind or no rows."""
    if layer.kind != "indicators" or layer.rows.empty:
        return None
    return MAP_LEVELS.get(str(layer.rows["located_by"].iloc[0]))


def table_years(layer: UserLayer) -> tuple[int | None, ...]:
    """The years an indicator table's values are for, latest first; None (last) for values given without a year."""
    years = layer.rows["year"]
    found = sorted((int(year) for year in years.dropna().unique()), reverse=True)
    return (*found, *((None,) if years.isna().any() else ()))


def compare_year(layer: UserLayer, chosen: Choice | None) -> int | None:
    """The year of a table Compare shows: the one shading the map if this table does, else its latest."""
    years = table_years(layer)
    if chosen is not None and chosen[0] == layer.ident and chosen[1] in years:
        return chosen[1]
    return years[0] if years else None


def user_shading(layer: UserLayer, year: int, boroughs: pd.Series, view: ViewState) -> UserShading:
    """The shading of ``boroughs`` (their codes, in drawing order) by ``layer``'s values for ``year``."""
    values = _values(layer, BOROUGH_LEVEL, year, pd.Index(boroughs, name="cvegeo"))
    return UserShading(
        indicator=_indicator(layer),
        year=year,
        values=values,
        classes=classify(values, view.scheme, view.k, view.palette, higher_is_worse=None),
        unit=unit_of(layer, view.lang),
        sources=((source_of(layer, view.lang), None),),
    )


def user_area_shading(
    layers: NeighbourhoodLayers, layer: UserLayer, year: int, view: ViewState
) -> AreaShading:
    """The AGEBs or colonias ``view`` draws, shaded by ``layer``'s values for ``year`` (its keys' level)."""
    frame, titles = level_areas(layers, view)
    values = _values(layer, view.level, year, frame.index)
    source = source_of(layer, view.lang)
    return AreaShading(
        level=view.level,
        indicator=_indicator(layer),
        year=year,
        keys=tuple(frame.index),
        titles=titles,
        shown=tuple(format_value(value, USER_FORMAT, view.lang) for value in values),
        values=values,
        classes=classify(values, view.scheme, view.k, view.palette, higher_is_worse=None),
        unit=unit_of(layer, view.lang),
        sources=((source, None),),
        citation=source,
        packed=packed_areas(layers, view.level, tuple(frame.index)),
        shapes=frame.geometry,
    )


def choice_label(layer: UserLayer, year: int, lang: str) -> str:
    """How the sidebar lists a choice: the user's name for the layer and the year (plain text)."""
    return t("your_indicator.choice", lang, name=layer.name, year=year)
