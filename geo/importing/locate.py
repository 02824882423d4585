"""The city's units a visitor's rows are placed in: boroughs, AGEBs and colonias, found by point, code or name.

A row with coordinates is placed by them (and joined to the units under its
point, only inside the city); a row without is placed at the representative
point of the unit its key or name gives (always inside the unit), and says so
(``located_by``): the Atlas never draws a colonia-level row as if its address
were known. A code is found as written or repaired (a lost leading zero); a
name is found when its folded form (:func:`geo.colonias.search_key`) equals a
unit's, otherwise the closest names are offered and the user chooses.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz, process

from geo.colonias import search_key
from geo.importing.values import ageb_code, borough_code, colonia_code
from geo.loaders import Atlas, NeighbourhoodLayers, load_atlas, load_neighbourhoods

Level = Literal["ageb", "colonia", "borough"]
LEVELS: tuple[Level, ...] = ("ageb", "colonia", "borough")  # finest first
LOCATED_BY = ("coordinates", *LEVELS)
# A point this close to the city (degrees, about 110 m) is inside: the shipped outlines are simplified.
TOLERANCE_DEG = 0.001
# How many close names a finding offers.
CANDIDATES = 3
# Words people put before a borough's name, and short forms of two official names.
_BOROUGH_PREFIXES = ("alcaldia ", "delegacion ", "municipio ")
_BOROUGH_SHORT = ((r"^la ", ""), (r" de morelos$", ""))
_REPAIR = {"ageb": ageb_code, "colonia": colonia_code, "borough": borough_code}


@dataclass(frozen=True)
class Candidate:
    """A unit a name might mean: its level, key, name, borough code and similarity (0–100)."""

    level: Level
    key: str
    name: str
    borough: str
    score: float

    def label(self) -> str:
        """ "SAN MIGUEL TEOTONGO I (07-291)": how a finding lists it."""
        return f"{self.name} ({self.key})"


@dataclass(frozen=True)
class NameMatch:
    """Units whose folded name equals a text (one: found; several: ambiguous), and close ones otherwise."""

    keys: tuple[str, ...]
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True, eq=False, repr=False)
class Units:
    """The Atlas's units, in EPSG:4326: boroughs (cvegeo, name), AGEBs (cvegeo, borough), colonias (cveut, name, borough).

    Units without a shape are left out: nothing can be drawn at them.
    """

    boroughs: gpd.GeoDataFrame
    agebs: gpd.GeoDataFrame
    colonias: gpd.GeoDataFrame

    @classmethod
    def of(cls, atlas: Atlas, neighbourhoods: NeighbourhoodLayers) -> Units:
        """The units of the loaded Atlas (the page passes its cached layers)."""
        return cls(atlas.boroughs, neighbourhoods.agebs, neighbourhoods.colonias)

    def table(self, level: Level) -> gpd.GeoDataFrame:
        """The units of ``level`` indexed by key, with ``name`` (an AGEB's is its key), ``borough`` and geometry."""
        return self._tables[level]

    @cached_property
    def _tables(self) -> dict[Level, gpd.GeoDataFrame]:
        boroughs = self.boroughs.assign(key=self.boroughs["cvegeo"], borough=self.boroughs["cvegeo"])
        agebs = self.agebs.assign(key=self.agebs["cvegeo"], name=self.agebs["cvegeo"])
        colonias = self.colonias.assign(key=self.colonias["cveut"])
        tables = {"borough": boroughs, "ageb": agebs, "colonia": colonias}
        return {
            level: frame.loc[
                frame.geometry.notna() & ~frame.geometry.is_empty, ["key", "name", "borough", "geometry"]
            ]
            .set_index("key")
            .to_crs("EPSG:4326")
            for level, frame in tables.items()
        }

    @cached_property
    def city(self) -> shapely.Geometry:
        """Mexico City: the union of the boroughs, grown by :data:`TOLERANCE_DEG`, prepared for point tests."""
        shape = shapely.union_all(self.table("borough").geometry.to_numpy()).buffer(TOLERANCE_DEG)
        shapely.prepare(shape)
        return shape

    def in_city(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Which points (EPSG:4326) lie in the city; NaN is outside."""
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        inside = np.zeros(lon.shape, dtype=bool)
        finite = np.isfinite(lon) & np.isfinite(lat)
        inside[finite] = shapely.contains_xy(self.city, lon[finite], lat[finite])
        return inside

    def code(self, level: Level, text: str) -> tuple[str | None, bool]:
        """The unit key ``text`` gives at ``level`` and whether it had to be repaired; (None, False) if none."""
        keys = self.table(level).index
        plain = text.strip()
        if plain in keys:
            return plain, False
        repaired = _REPAIR[level](plain)
        return (repaired, True) if repaired in keys else (None, False)

    def any_code(self, text: str) -> tuple[str | None, bool]:
        """The key ``text`` gives at any level (finest first), repaired or not."""
        for level in LEVELS:
            key, repaired = self.code(level, text)
            if key is not None:
                return key, repaired
        return None, False

    @cached_property
    def _names(self) -> dict[Level, pd.Series]:
        """Each unit's folded name (boroughs also by their short forms), indexed by key."""
        boroughs = self.table("borough")["name"].map(search_key)
        short = boroughs.replace(dict(_BOROUGH_SHORT), regex=True)
        return {
            "borough": pd.concat([boroughs, short[short != boroughs]]),
            "colonia": self.table("colonia")["name"].map(search_key),
        }

    def name(self, level: Literal["colonia", "borough"], text: str, borough: str | None = None) -> NameMatch:
        """Units of ``level`` named ``text`` (colonias within ``borough`` if given), or the closest names."""
        wanted = search_key(text)
        if level == "borough":
            for prefix in _BOROUGH_PREFIXES:
                wanted = wanted.removeprefix(prefix)
        scope = borough if level == "colonia" else None
        memo = (level, wanted, scope)
        if memo not in self._matches:
            self._matches[memo] = self._match(level, wanted, self._choices(level, scope))
        return self._matches[memo]

    @cached_property
    def _matches(self) -> dict[tuple[str, str, str | None], NameMatch]:
        """Names already matched: a list repeats its colonias and boroughs."""
        return {}

    def _choices(self, level: Level, borough: str | None) -> pd.Series:
        """The folded names to match against: every unit of ``level``, or the colonias of ``borough``."""
        names = self._names[level]
        if borough is None:
            return names
        if borough not in self._by_borough:
            in_borough = self.table("colonia").loc[names.index, "borough"].to_numpy() == borough
            self._by_borough[borough] = names[in_borough]
        return self._by_borough[borough]

    @cached_property
    def _by_borough(self) -> dict[str, pd.Series]:
        return {}

    def _match(self, level: Level, wanted: str, names: pd.Series) -> NameMatch:
        """The units whose folded name is ``wanted``, or the :data:`CANDIDATES` closest (one entry per unit)."""
        exact = tuple(dict.fromkeys(names.index[names.to_numpy() == wanted]))
        if len(exact) == 1:
            return NameMatch(exact, ())
        if exact:
            return NameMatch(exact, tuple(self._candidate(level, key, 100.0) for key in exact))
        found: list[Candidate] = []
        ranked = process.extract(wanted, names.to_list(), scorer=fuzz.ratio, limit=2 * CANDIDATES)
        for _, score, index in ranked:
            key = names.index[index]
            if len(found) < CANDIDATES and all(candidate.key != key for candidate in found):
                found.append(self._candidate(level, key, round(float(score), 1)))
        return NameMatch((), tuple(found))

    @cached_property
    def _labels(self) -> dict[Level, dict[str, tuple[str, str]]]:
        """Each unit's (name, borough) by key: a row's lookups without pandas indexing."""
        return {
            level: dict(zip(table.index, zip(table["name"], table["borough"], strict=True), strict=True))
            for level, table in self._tables.items()
        }

    def _candidate(self, level: Level, key: str, score: float) -> Candidate:
        name, borough = self._labels[level][key]
        return Candidate(level, key, str(name), str(borough), score)

    def borough_of(self, level: Level, key: str) -> str:
        """The borough code of a unit."""
        return str(self._labels[level][key][1])

    def name_of(self, level: Level, key: str) -> str:
        """The unit's name (an AGEB's is its key)."""
        return str(self._labels[level][key][0])

    @cached_property
    def _points(self) -> dict[Level, gpd.GeoSeries]:
        return {level: self.table(level).geometry.representative_point() for level in LEVELS}

    def point(self, level: Level, key: str) -> shapely.Point:
        """A point inside the unit (its representative point): where a row located by it is drawn."""
        return self._points[level][key]

    def shape(self, level: Level, key: str) -> shapely.Geometry:
        """The unit's outline."""
        return self.table(level).geometry[key]

    def place(self, points: np.ndarray) -> pd.DataFrame:
        """The units under each point (shapely points in EPSG:4326, all inside the city).

        Returns ``borough``, ``colonia`` and ``ageb`` keys per point, "" where
        none covers it; a point within the tolerance of the city but outside
        every borough gets the nearest one. Where IECM units overlap, the
        smallest wins (as :func:`geo.colonias.colonia_at`).
        """
        placed = pd.DataFrame({level: [""] * len(points) for level in ("borough", "colonia", "ageb")})
        for level in LEVELS:
            table = self.table(level)
            shapes = table.geometry.to_numpy()
            tree = shapely.STRtree(shapes)
            point_at, unit_at = tree.query(points, predicate="intersects")
            if level == "borough":
                missing = np.setdiff1d(np.arange(len(points)), point_at)
                near_point, near_unit = tree.query_nearest(points[missing], max_distance=2 * TOLERANCE_DEG)
                point_at = np.concatenate([point_at, missing[near_point]])
                unit_at = np.concatenate([unit_at, near_unit])
            order = np.lexsort((shapely.area(shapes[unit_at]), point_at))
            first = np.unique(point_at[order], return_index=True)[1]
            chosen_point, chosen_unit = point_at[order][first], unit_at[order][first]
            placed.iloc[chosen_point, placed.columns.get_loc(level)] = table.index.to_numpy()[chosen_unit]
        return placed


def load_units() -> Units:
    """The shipped units, read from disk (tests and the benchmark; the page passes its cached layers)."""
    return Units.of(load_atlas(), load_neighbourhoods())
