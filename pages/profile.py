"""Borough profile: one borough against the city and a second borough, with its sites."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import markup
from geo.charts.ranking import city_value
from geo.filters import borough_profile
from geo.formatting import MISSING, format_value
from geo.i18n import translator
from geo.indicators import REGISTRY, display_value
from geo.mapview import base_map, outline_layer, sites_layer
from geo.panel import sites_html
from geo.screens import HOME
from ui.data import get_atlas
from ui.view import bind, current_view

atlas = get_atlas()
view = current_view()
lang = view.lang
tr = translator(lang)
names = atlas.borough_names
codes = list(names)
# Shown when no borough is selected yet: the largest borough and the UTOPÍAS' birthplace.
DEFAULT_BOROUGH = "09007"

st.title(tr("profile.title"))


left, right = st.columns(2)
borough = left.selectbox(
    tr("profile.borough"),
    codes,
    format_func=names.get,
    # Choosing a borough selects it everywhere (map, URL); a visit alone selects nothing.
    **bind("sel", view.sel or DEFAULT_BOROUGH),
)
others = ["", *(c for c in codes if c != borough)]
second = right.selectbox(
    tr("profile.compare_with"),
    others,
    format_func=lambda c: names.get(c, tr("profile.city_only")),
    **bind("cmp", view.cmp),
)

# Column headers; the boroughs' own columns are headed by their names.
INDICATOR, YEAR, CITY = tr("profile.column.indicator"), tr("profile.column.year"), tr("profile.column.city")
SOURCE, LINK = tr("profile.column.source"), tr("profile.column.link")

rows = []
profile = borough_profile(atlas, borough)
other = borough_profile(atlas, second).set_index(["indicator", "year"]) if second else None
for row in profile.itertuples():
    city = (
        city_value(atlas.indicators, row.indicator, row.year, names=names, lang=lang)
        if pd.notna(row.value)
        else None
    )
    entry = {
        INDICATOR: REGISTRY[row.indicator].title(lang),
        YEAR: str(row.year),
        names[borough]: display_value(row.indicator, row.value, row.category, lang),
    }
    if other is not None:
        match = other.loc[(row.indicator, row.year)] if (row.indicator, row.year) in other.index else None
        entry[names[second]] = (
            display_value(row.indicator, match["value"], match["category"], lang)
            if match is not None
            else MISSING[lang]
        )
    entry[CITY] = (
        format_value(city.value, REGISTRY[row.indicator].fmt, lang)
        if city and city.value is not None
        else tr("profile.not_computed")
    )
    entry[SOURCE] = row.source
    entry[LINK] = markup.to_url(row.source_url.split(" | ")[0])
    rows.append(entry)
st.dataframe(
    pd.DataFrame(rows),
    hide_index=True,
    column_config={LINK: st.column_config.LinkColumn(LINK, display_text=tr("profile.open_link"))},
)
st.caption(tr("profile.caption", missing=MISSING[lang], n=len(names)))

st.subheader(tr("profile.sites", borough=names[borough]))
borough_sites = atlas.sites[atlas.sites["cvegeo"] == borough]
map_col, list_col = st.columns([1, 1])
with map_col:
    shape = atlas.boroughs.loc[atlas.boroughs["cvegeo"] == borough, "geometry"].iloc[0]
    small = base_map(view.base, (shape.centroid.y, shape.centroid.x), 11, lang=lang)
    small.fit_bounds([[shape.bounds[1], shape.bounds[0]], [shape.bounds[3], shape.bounds[2]]])
    st_folium(
        small,
        key=f"profile_map_{borough}",
        feature_group_to_add=[
            outline_layer(atlas.boroughs, borough, lang=lang, high_contrast=view.contrast),
            sites_layer(borough_sites, lang=lang),
        ],
        height=320,
        use_container_width=True,
        returned_objects=[],
    )
with list_col:
    st.html(sites_html(borough_sites, lang))
st.page_link(HOME.file, label=tr("profile.map_link", borough=names[borough]), icon=HOME.icon)
