"""The Borough profile screen as data: one borough's figures against a second borough and the city.

The profile page (``pages/profile.py``) shows it as a table and a locator map;
a profile slide's picture (:mod:`geo.brief`) prints the same rows. Values are
texts in the view's language; sources are the data's own.

Pure Python: no Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo import markup
from geo.charts.ranking import city_value
from geo.citations import indicator_sources, short_source
from geo.filters import borough_profile
from geo.formatting import format_value
from geo.i18n import t
from geo.indicators import REGISTRY, display_value
from geo.loaders import Atlas
from geo.state import ViewState

#: Shown when no borough is selected yet: the largest borough and the UTOPÍAS' birthplace.
DEFAULT_BOROUGH = "09007"


@dataclass(frozen=True)
class ProfileRow:
    """One figure of the borough: its value, the second borough's and the city's, and its source.

    ``source`` is the data's full text; ``citation`` its short form (a derived
    figure cites its inputs, as the map does).
    """

    indicator: str
    title: str
    year: int
    value: str
    other: str | None
    city: str
    source: str
    citation: str
    link: str | None


@dataclass(frozen=True, eq=False)
class ProfileModel:
    """A borough's profile; ``second`` is "" when it is read against the city only."""

    lang: str
    borough: str
    second: str
    names: Mapping[str, str]
    rows: tuple[ProfileRow, ...]
    sites: gpd.GeoDataFrame
    boroughs: gpd.GeoDataFrame
    contrast: bool = False

    @property
    def name(self) -> str:
        return self.names[self.borough]

    @property
    def second_name(self) -> str:
        return self.names.get(self.second, "")


def profile_boroughs(view: ViewState, codes: Mapping[str, str]) -> tuple[str, str]:
    """The borough a view profiles (its selection, else :data:`DEFAULT_BOROUGH`) and the one it compares."""
    borough = view.sel if view.sel in codes else DEFAULT_BOROUGH
    return borough, view.cmp if view.cmp in codes and view.cmp != borough else ""


def profile_model(
    atlas: Atlas, borough: str, second: str, lang: str, *, contrast: bool = False
) -> ProfileModel:
    """Every figure known for ``borough`` (registry order, latest year first), with ``second``'s and the city's."""
    other = borough_profile(atlas, second).set_index(["indicator", "year"]) if second else None
    rows = []
    for row in borough_profile(atlas, borough, lang).itertuples():
        spec = REGISTRY[row.indicator]
        city = (
            city_value(atlas.indicators, row.indicator, row.year, names=atlas.borough_names, lang=lang)
            if pd.notna(row.value)
            else None
        )
        if other is None:
            shown_other = None
        elif (row.indicator, row.year) in other.index:
            match = other.loc[(row.indicator, row.year)]
            shown_other = display_value(row.indicator, match["value"], match["category"], lang)
        else:
            shown_other = t("labels.missing", lang)
        rows.append(
            ProfileRow(
                indicator=row.indicator,
                title=spec.title(lang),
                year=int(row.year),
                value=display_value(row.indicator, row.value, row.category, lang),
                other=shown_other,
                city=format_value(city.value, spec.fmt, lang)
                if city and city.value is not None
                else t("profile.not_computed", lang),
                source=row.source,
                citation=indicator_sources(atlas, row.indicator, row.year, lang)
                if spec.derived_from
                else short_source(row.source),
                link=markup.to_url(row.source_url.split(" | ")[0]),
            )
        )
    return ProfileModel(
        lang=lang,
        borough=borough,
        second=second,
        names=atlas.borough_names,
        rows=tuple(rows),
        sites=atlas.sites[atlas.sites["cvegeo"] == borough],
        boroughs=atlas.boroughs,
        contrast=contrast,
    )
