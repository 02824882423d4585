"""Benchmark baseline: the boroughs drawn the naive way.

The 16 alcaldías at INEGI's full resolution (17,096 vertices), reprojected to
EPSG:4326 and drawn with ``GeoDataFrame.explore()`` inside ``st_folium`` with
its default ``returned_objects``: every filter change builds a new map, whose
script differs, so streamlit-folium remounts the component and re-sends the
whole GeoJSON. A checkbox switches the fill between "by area" and one colour,
which is the filter change ``python -m bench`` times.

Deliberate choices, so the comparison with the Atlas is about the map and not
about the set-up: the data are read once (``st.cache_data``), scripts come from
the vendored copies (``apply_asset_mode("local")``, as the Atlas does offline),
there is no tile layer (``tiles=None``, as the Atlas offline) and no branca
legend (``legend=False``: its d3 scripts only exist on CDNs).
"""

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from geo.assets.serve import apply_asset_mode
from geo.boundaries import read_inegi_municipalities

TOGGLE_LABEL = "Colour boroughs by area"

st.set_page_config(page_title="Naive map", layout="wide")
st.title("Naive map: full-resolution boroughs with explore()")


@st.cache_data
def boroughs() -> gpd.GeoDataFrame:
    """Return the full-resolution boroughs in EPSG:4326, with their area in km²."""
    frame = read_inegi_municipalities()
    frame["area_km2"] = (frame.geometry.area / 1e6).round(1)
    return frame.to_crs("EPSG:4326")


by_area = st.checkbox(TOGGLE_LABEL, value=True)
apply_asset_mode("local")
fmap = boroughs().explore(column="area_km2" if by_area else None, legend=False, tiles=None)
st_folium(fmap, height=560, use_container_width=True)
