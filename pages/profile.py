"""Borough profile: one borough against the city and a second borough, with its sites."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.i18n import translator
from geo.mapview import base_map, outline_layer, sites_layer
from geo.panel import sites_html
from geo.profilemodel import profile_boroughs, profile_model
from geo.screens import HOME
from ui.data import get_atlas
from ui.view import bind, current_view

atlas = get_atlas()
view = current_view()
lang = view.lang
tr = translator(lang)
names = atlas.borough_names
codes = list(names)

st.title(tr("profile.title"))


shown_borough, shown_second = profile_boroughs(view, names)
left, right = st.columns(2)
borough = left.selectbox(
    tr("profile.borough"),
    codes,
    format_func=names.get,
    # Choosing a borough selects it everywhere (map, URL); a visit alone selects nothing.
    **bind("sel", index=codes.index(shown_borough)),
)
others = ["", *(c for c in codes if c != borough)]
second = right.selectbox(
    tr("profile.compare_with"),
    others,
    format_func=lambda c: names.get(c, tr("profile.city_only")),
    **bind("cmp", index=others.index(shown_second) if shown_second in others else 0),
)
profile = profile_model(atlas, borough, second, lang, contrast=view.contrast)

# Column headers; the boroughs' own columns are headed by their names.
INDICATOR, YEAR, CITY = tr("profile.column.indicator"), tr("profile.column.year"), tr("profile.column.city")
SOURCE, LINK = tr("profile.column.source"), tr("profile.column.link")
rows = [
    {
        INDICATOR: row.title,
        YEAR: str(row.year),
        profile.name: row.value,
        **({profile.second_name: row.other} if second else {}),
        CITY: row.city,
        SOURCE: row.source,
        LINK: row.link,
    }
    for row in profile.rows
]
st.dataframe(
    pd.DataFrame(rows),
    hide_index=True,
    column_config={LINK: st.column_config.LinkColumn(LINK, display_text=tr("profile.open_link"))},
)
st.caption(tr("profile.caption", missing=tr("labels.missing"), n=len(names)))

st.subheader(tr("profile.sites", borough=profile.name))
map_col, list_col = st.columns([1, 1])
with map_col:
    shape = atlas.boroughs.loc[atlas.boroughs["cvegeo"] == borough, "geometry"].iloc[0]
    small = base_map(current_view().base, (shape.centroid.y, shape.centroid.x), 11, lang=lang)
    small.fit_bounds([[shape.bounds[1], shape.bounds[0]], [shape.bounds[3], shape.bounds[2]]])
    st_folium(
        small,
        key=f"profile_map_{borough}",
        feature_group_to_add=[
            outline_layer(atlas.boroughs, borough, lang=lang, high_contrast=view.contrast),
            sites_layer(profile.sites, lang=lang),
        ],
        height=320,
        use_container_width=True,
        returned_objects=[],
    )
with list_col:
    st.html(sites_html(profile.sites, lang))
st.page_link(HOME.file, label=tr("profile.map_link", borough=profile.name), icon=HOME.icon)
