"""Which AGEB polygons the naive AGEB page draws, so the page and the report agree.

INEGI's raw file (``ageb_urbana_09a.shp``, about 158,000 vertices) is in the
research brief, present on development machines only; elsewhere the page falls
back to the Atlas's shipped, simplified ``data/agebs.topojson``, which makes
the naive page lighter than a naive developer's would be.
"""

from __future__ import annotations

import geopandas as gpd

from geo import paths
from geo.loaders import decode_topojson
from geo.neighbourhoods import BRIEF_AGEBS

RAW_AGEBS = paths.NEIGHBOURHOODS_BRIEF / BRIEF_AGEBS


def describe() -> str:
    """The file the naive AGEB page reads, in words."""
    if RAW_AGEBS.is_file():
        return f"INEGI's raw urban AGEBs ({RAW_AGEBS.name}, full resolution)"
    return f"the shipped, simplified {paths.AGEB_SHAPES.name} ({RAW_AGEBS.name} absent)"


def read_polygons() -> gpd.GeoDataFrame:
    """The AGEB polygons in EPSG:4326 with their key in ``cvegeo`` (and the raw file's other columns)."""
    if RAW_AGEBS.is_file():
        frame = gpd.read_file(RAW_AGEBS, engine="pyogrio").rename(columns={"CVEGEO": "cvegeo"})
        return frame.to_crs("EPSG:4326")
    return decode_topojson(paths.AGEB_SHAPES).rename(columns={"id": "cvegeo"})
