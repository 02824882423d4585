"""Which coordinate system a file's coordinates are in: the declared one if they fit it, or a suggestion.

Coordinates "fit" a system when their median point, read in it, falls in
Mexico (a declared system) or near Mexico City (a suggestion: the city's
bounds grown by :data:`REGION_MARGIN_DEG`, which takes in the neighbouring
municipalities). The suggestions are the systems Mexican files come in:
longitude/latitude, UTM zone 14N (EPSG:32614) and INEGI's Lambert conformal
conic (EPSG:6372); the three put the city far apart from each other, so at
most one fits. A suggestion is only used once the user accepts it.
"""

from __future__ import annotations

import numpy as np
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError, ProjError

from geo.importing.findings import Finding

WGS84 = "EPSG:4326"
SUGGESTED_CRS = (WGS84, "EPSG:32614", "EPSG:6372")
# Mexico's extent in longitude/latitude (west, south, east, north), with a margin.
MEXICO_BOUNDS = (-118.6, 14.3, -86.5, 32.8)
REGION_MARGIN_DEG = 1.0

CRS_ASSUMED = "import_check.crs.assumed"  # info: no CRS, longitudes and latitudes read as EPSG:4326
CRS_MISSING = "import_check.crs.missing"  # error {suggested}: no CRS, the coordinates fit a suggestion
CRS_UNKNOWN = "import_check.crs.unknown"  # error: no CRS, and no suggestion fits
CRS_IMPLAUSIBLE = "import_check.crs.implausible"  # error {declared} {suggested}
CRS_WRONG = "import_check.crs.wrong"  # error {declared}: the coordinates fit neither it nor a suggestion
CRS_APPLIED = "import_check.crs.applied"  # repaired {crs}: read in the system the user accepted
CRS_CODES = (CRS_ASSUMED, CRS_MISSING, CRS_UNKNOWN, CRS_IMPLAUSIBLE, CRS_WRONG, CRS_APPLIED)
# The findings whose fix is to read the file in their ``suggested`` system.
CRS_FIXABLE = (CRS_MISSING, CRS_IMPLAUSIBLE)

Bounds = tuple[float, float, float, float]


def region(city_bounds: Bounds) -> Bounds:
    """Where a suggested system must put the coordinates: the city's bounds and a margin."""
    west, south, east, north = city_bounds
    margin = REGION_MARGIN_DEG
    return west - margin, south - margin, east + margin, north + margin


def is_degrees(x: np.ndarray, y: np.ndarray) -> bool:
    """Whether every finite coordinate is a longitude and latitude."""
    finite = np.isfinite(x) & np.isfinite(y)
    return bool(finite.any()) and bool((np.abs(x[finite]) <= 180).all() and (np.abs(y[finite]) <= 90).all())


def label(crs: CRS | str) -> str:
    """A system as a finding names it: "EPSG:32614", or its name when it has no EPSG code."""
    parsed = CRS.from_user_input(crs)
    code = parsed.to_epsg()
    return f"EPSG:{code}" if code else parsed.name


def _lands(crs: CRS | str, point: tuple[float, float], box: Bounds) -> bool:
    """Whether ``point``, read in ``crs``, falls inside ``box`` (longitude/latitude)."""
    try:
        lon, lat = Transformer.from_crs(crs, WGS84, always_xy=True).transform(*point)
    except (CRSError, ProjError):
        return False
    west, south, east, north = box
    return bool(np.isfinite(lon) and np.isfinite(lat) and west <= lon <= east and south <= lat <= north)


def _suggest(point: tuple[float, float], near: Bounds, degrees: bool, declared: str | None) -> str | None:
    """The first suggested system (other than ``declared``) that puts ``point`` near the city."""
    for crs in SUGGESTED_CRS:
        if crs != declared and (crs != WGS84 or degrees) and _lands(crs, point, near):
            return crs
    return None


def read_crs(
    x: np.ndarray, y: np.ndarray, declared: CRS | str | None, decided: str | None, city_bounds: Bounds
) -> tuple[CRS | str | None, Finding | None]:
    """The system to read coordinates ``x``, ``y`` in, and what to report; None when the user must decide.

    ``decided`` (accepted by the user) wins. A declared system is kept when
    the coordinates fit it; without one, longitudes and latitudes are read as
    EPSG:4326 (and reported), anything else waits for an accepted suggestion.
    """
    if decided is not None:
        return decided, Finding(CRS_APPLIED, "repaired", detail={"crs": decided})
    finite = np.isfinite(x) & np.isfinite(y)
    if not finite.any():
        return declared or WGS84, None
    point = (float(np.median(x[finite])), float(np.median(y[finite])))
    degrees = is_degrees(x, y)
    named = None if declared is None else label(declared)
    suggested = _suggest(point, region(city_bounds), degrees, named)
    if declared is not None:
        if _lands(declared, point, MEXICO_BOUNDS):
            return declared, None
        if suggested is None:
            return None, Finding(CRS_WRONG, "error", detail={"declared": named})
        return None, Finding(CRS_IMPLAUSIBLE, "error", detail={"declared": named, "suggested": suggested})
    if degrees:
        return WGS84, Finding(CRS_ASSUMED, "info")
    if suggested is None:
        return None, Finding(CRS_UNKNOWN, "error")
    return None, Finding(CRS_MISSING, "error", detail={"suggested": suggested})
