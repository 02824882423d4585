"""Borough profile: one borough against the city and a second borough, with its sites."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import charts, markup
from geo.filters import borough_profile
from geo.formatting import format_value
from geo.indicators import REGISTRY, display_value
from geo.mapview import base_map, outline_layer, sites_layer
from geo.panel import sites_html
from ui.data import get_atlas
from ui.view import current_view, set_view, show_url_notices

atlas = get_atlas()
view = current_view()
names = atlas.borough_names
codes = list(names)
# Shown when no borough is selected yet: the largest borough and the UTOPÍAS' birthplace.
DEFAULT_BOROUGH = "09007"

st.title("Borough profile")
show_url_notices()


def _choose() -> None:
    """Make the chosen boroughs the view's selection (and so the map's and the URL's)."""
    chosen = st.session_state["profile_borough"]
    second = st.session_state.get("profile_second", "")
    set_view(replace(current_view(), sel=chosen, cmp="" if second == chosen else second))


left, right = st.columns(2)
borough = left.selectbox(
    "Borough",
    codes,
    index=codes.index(view.sel) if view.sel else codes.index(DEFAULT_BOROUGH),
    format_func=names.get,
    key="profile_borough",
    on_change=_choose,
)
others = ["", *(c for c in codes if c != borough)]
second = right.selectbox(
    "Compare with",
    others,
    index=others.index(view.cmp) if view.cmp in others else 0,
    format_func=lambda c: names.get(c, "— the city only —"),
    key="profile_second",
    on_change=_choose,
)


rows = []
profile = borough_profile(atlas, borough)
other = borough_profile(atlas, second).set_index(["indicator", "year"]) if second else None
for row in profile.itertuples():
    city = charts.city_value(atlas.indicators, row.indicator, row.year) if pd.notna(row.value) else None
    entry = {
        "Indicator": REGISTRY[row.indicator].title(),
        "Year": str(row.year),
        names[borough]: display_value(row.indicator, row.value, row.category),
    }
    if other is not None:
        match = other.loc[(row.indicator, row.year)] if (row.indicator, row.year) in other.index else None
        entry[names[second]] = (
            display_value(row.indicator, match["value"], match["category"])
            if match is not None
            else "no data"
        )
    entry["Mexico City"] = (
        format_value(city.value, REGISTRY[row.indicator].fmt)
        if city and city.value is not None
        else "not computed"
    )
    entry["Source"] = row.source
    entry["Link"] = markup.to_url(row.source_url.split(" | ")[0])
    rows.append(entry)
st.dataframe(
    pd.DataFrame(rows),
    hide_index=True,
    column_config={"Link": st.column_config.LinkColumn("Link", display_text="open")},
)
st.caption(
    "Mexico City values: population-weighted for shares, sums for counts, computed only when all 16 "
    "boroughs have a value (see the Compare page). 'No data' means no source gives that figure."
)

st.subheader(f"UTOPÍAS in {names[borough]}")
borough_sites = atlas.sites[atlas.sites["cvegeo"] == borough]
map_col, list_col = st.columns([1, 1])
with map_col:
    shape = atlas.boroughs.loc[atlas.boroughs["cvegeo"] == borough, "geometry"].iloc[0]
    small = base_map(current_view().base, (shape.centroid.y, shape.centroid.x), 11)
    small.fit_bounds([[shape.bounds[1], shape.bounds[0]], [shape.bounds[3], shape.bounds[2]]])
    st_folium(
        small,
        key=f"profile_map_{borough}",
        feature_group_to_add=[outline_layer(atlas.boroughs, borough), sites_layer(borough_sites)],
        height=320,
        use_container_width=True,
        returned_objects=[],
    )
with list_col:
    st.html(sites_html(borough_sites))
st.page_link("pages/map.py", label=f"See {names[borough]} on the map", icon="🗺️")
