"""Apply a view's filters to the sites and sum up what the selection shows.

Pure functions of the loaded data and a :class:`geo.state.ViewState`; the map,
the headline figures and the borough panel all read their selection from here
so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.indicators import REGISTRY, rows_for, shown_sources
from geo.loaders import Atlas
from geo.state import ViewState

# The first UTOPÍA opened in 2019 (Secretaría de Turismo CDMX); the year filter starts there.
FIRST_PROGRAMME_YEAR = 2019
HEADLINE_YEAR = 2020


def opened_year(sites: pd.DataFrame) -> pd.Series:
    """Return the year by which each site is known to be open (nullable int).

    Exact dates and "by" bounds both say the site was open in that year;
    unknown openings give a missing year.
    """
    known = sites["opened_kind"].isin(["exact", "by"]) & sites["opened_date"].fillna("").ne("")
    years = pd.to_numeric(sites["opened_date"].where(known).str[:4], errors="coerce")
    return years.astype("Int64")


def opened_year_range(sites: pd.DataFrame) -> tuple[int, int]:
    """Return the span of the "opened by" year filter for these sites."""
    years = opened_year(sites).dropna()
    last = int(years.max()) if not years.empty else FIRST_PROGRAMME_YEAR
    return FIRST_PROGRAMME_YEAR, max(last, FIRST_PROGRAMME_YEAR)


def filter_sites(sites: gpd.GeoDataFrame, state: ViewState, latest_year: int) -> gpd.GeoDataFrame:
    """Return the sites the view selects, mapped or not.

    The year filter shows the situation at the end of ``state.opened``: for a
    past year only sites known to have opened by then qualify (statuses such
    as "announced" describe the present, so they only apply to the latest year).
    """
    keep = sites["programme"].isin(state.prog) & sites["status"].isin(state.status)
    if state.boro:
        keep &= sites["cvegeo"].isin(state.boro)
    if state.opened < latest_year:
        years = opened_year(sites)
        keep &= (sites["status"] == "open") & years.le(state.opened).fillna(False)
    return sites[keep]


def highlighted_boroughs(state: ViewState) -> tuple[str, ...]:
    """The boroughs a chart highlights: the borough filter's, then the selected one, each once."""
    return tuple(dict.fromkeys((*state.boro, *((state.sel,) if state.sel else ()))))


@dataclass(frozen=True)
class Headline:
    """The figures above the map, each with what it covers and its source.

    Sources are the data's own names; ``poverty_derived`` says the poverty
    share was computed by the Atlas from them (the page says so in its language).
    """

    sites_on_map: int
    sites_not_mapped: int
    boroughs: tuple[str, ...]
    population: float
    population_source: str
    poverty_pct: float
    poverty_persons: float
    poverty_source: str
    poverty_derived: bool = False
    year: int = HEADLINE_YEAR


def _values(indicators: pd.DataFrame, indicator: str, year: int, codes: tuple[str, ...]) -> pd.DataFrame:
    rows = rows_for(indicators, indicator, year)
    return rows[rows["cvegeo"].isin(codes)]


def headline(atlas: Atlas, state: ViewState, selected_sites: gpd.GeoDataFrame) -> Headline:
    """Sum up the selection: sites on and off the map, people and poverty (2020).

    Poverty for several boroughs is the population-weighted share, computed
    from the estimated people in poverty, and is marked as derived.
    """
    codes = state.boro or tuple(atlas.boroughs["cvegeo"])
    population = _values(atlas.indicators, "population_total", HEADLINE_YEAR, codes)
    persons = _values(atlas.indicators, "poverty_persons_est", HEADLINE_YEAR, codes)
    poverty = _values(atlas.indicators, "poverty_pct", HEADLINE_YEAR, codes)
    total_population = float(population["value"].sum()) if len(population) == len(codes) else float("nan")
    total_persons = float(persons["value"].sum()) if len(persons) == len(codes) else float("nan")
    derived = not (len(codes) == 1 and len(poverty) == 1)
    if derived:
        share = 100 * total_persons / total_population
        share_source = "; ".join(sorted(set(poverty["source"])))
    else:
        share = float(poverty["value"].iloc[0])
        share_source = str(poverty["source"].iloc[0])
    return Headline(
        sites_on_map=int(selected_sites.geometry.notna().sum()),
        sites_not_mapped=int(selected_sites.geometry.isna().sum()),
        boroughs=codes,
        population=total_population,
        population_source="; ".join(sorted(set(population["source"]))),
        poverty_pct=share,
        poverty_persons=total_persons,
        poverty_source=share_source,
        poverty_derived=derived,
    )


def borough_profile(atlas: Atlas, cvegeo: str, lang: str = "en") -> pd.DataFrame:
    """Return every figure known for one borough, in registry order, latest year first.

    Its ``source`` column is as a reader of ``lang`` sees it (:func:`geo.indicators.shown_sources`).
    """
    rows = atlas.indicators[atlas.indicators["cvegeo"] == cvegeo]
    order = {indicator: rank for rank, indicator in enumerate(REGISTRY)}
    ranked = rows.assign(_rank=rows["indicator"].map(order))
    profile = (
        ranked.sort_values(["_rank", "year"], ascending=[True, False])
        .drop(columns="_rank")
        .reset_index(drop=True)
    )
    return profile.assign(source=shown_sources(atlas.indicators, profile, lang))


def borough_at(boroughs: gpd.GeoDataFrame, lat: float, lon: float) -> str | None:
    """Return the code of the borough containing a clicked point, if any."""
    hits = boroughs[boroughs.contains(gpd.points_from_xy([lon], [lat])[0])]
    return str(hits["cvegeo"].iloc[0]) if not hits.empty else None
