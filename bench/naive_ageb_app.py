"""Benchmark baseline at AGEB level: the city's ~2,400 urban AGEBs drawn the naive way.

The polygons (:func:`bench.agebsource.read_polygons`: INEGI's raw file when
present, else the shipped TopoJSON) joined to CONAPO's 2020 marginalisation
grade (``data/agebs.csv``), drawn with ``GeoDataFrame.explore()`` coloured by
grade inside ``st_folium`` with its default ``returned_objects``: every
property goes into the GeoJSON and every feature's tooltip, and each map
report reruns the script.

The same deliberate choices as ``bench/naive_app.py``, so the comparison is
about the map: cached data, vendored scripts, no tile layer, no legend.
"""

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from bench.agebsource import read_polygons
from geo import paths
from geo.assets.serve import apply_asset_mode

st.set_page_config(page_title="Naive AGEB map", layout="wide")
st.title("Naive map: urban AGEBs with explore()")


@st.cache_data
def agebs() -> gpd.GeoDataFrame:
    """Return the AGEB polygons with CONAPO's grade (missing where CONAPO has no row)."""
    grades = pd.read_csv(paths.AGEBS, usecols=["cvegeo", "gm_2020"], dtype=str)
    return read_polygons().merge(grades, on="cvegeo", how="left")


apply_asset_mode("local")
fmap = agebs().explore(column="gm_2020", legend=False, tiles=None)
st_folium(fmap, height=560, use_container_width=True)
