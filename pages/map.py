"""Map page: boroughs shaded by an indicator, programme sites on top, a borough panel."""

from __future__ import annotations

from dataclasses import replace

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import markup
from geo.classify import SCHEME_LABELS, classify
from geo.coverage import METHOD as COVERAGE_METHOD
from geo.coverage import SITES_SOURCE, city_summary, coverage_by_borough, need_inputs
from geo.filters import borough_at, borough_profile, filter_sites, headline, opened_year_range
from geo.formatting import format_count, format_value
from geo.indicators import REGISTRY, rows_for
from geo.legend import legend_html
from geo.mapview import PROGRAMME_LABELS, base_map, choropleth_layer, coverage_layer, sites_layer
from geo.panel import profile_html, sites_html
from geo.state import ViewState
from ui.data import get_atlas, offline_status, reach_of
from ui.view import current_view, set_view, show_url_notices

MAP_KEY = "atlas_map"
ORIGIN_KEY = "atlas_map_origin"
LAST_CLICK_KEY = "atlas_last_click"

atlas = get_atlas()
offline, asset_problem = offline_status()
view = current_view()
indicator = REGISTRY[view.ind]
names = atlas.borough_names

st.title("UTOPÍAS and need across Mexico City")
show_url_notices()
if asset_problem:
    st.warning(f"Offline mode, but the map's local scripts are missing: {asset_problem}")

selected_sites = filter_sites(atlas.sites, view, opened_year_range(atlas.sites)[1])
figures = headline(atlas, view, selected_sites)

scope = "all 16 boroughs" if len(figures.boroughs) == 16 else ", ".join(names[c] for c in figures.boroughs)
c1, c2, c3, c4 = st.columns(4)
c1.metric(
    "Sites on the map",
    format_count(figures.sites_on_map),
    help="UTOPÍAS matching the filters that have coordinates (third-party points).",
)
c2.metric(
    "Sites not on the map",
    format_count(figures.sites_not_mapped),
    help="Matching sites with no published coordinates: listed below the map, never placed at a guessed point.",
)
c3.metric(
    f"Population {figures.year}",
    format_count(figures.population),
    help=f"Census {figures.year}, {scope}. Source: {figures.population_source}",
)
c4.metric(
    f"In poverty {figures.year}",
    format_value(figures.poverty_pct, "percent"),
    help=f"{scope}. Source: {figures.poverty_source}",
)
st.caption(
    f"Figures for {scope}. Population: INEGI Censo 2020. Poverty: CONEVAL 2020"
    f"{' (population-weighted across boroughs, derived by the Atlas)' if len(figures.boroughs) > 1 else ''}; "
    f"≈{format_count(figures.poverty_persons)} people (estimate: share × census population). "
    "Details on the Sources page."
)


def map_origin(view: ViewState) -> tuple[tuple[float, float], int]:
    """Return where the map opens: the view of the session's first map, kept for the session."""
    if ORIGIN_KEY not in st.session_state:
        st.session_state[ORIGIN_KEY] = ((view.lat, view.lon), view.z)
    return st.session_state[ORIGIN_KEY]


def _on_map_change() -> None:
    """Turn a click into a selected borough and a pan/zoom into the view (and URL)."""
    returned = st.session_state.get(MAP_KEY) or {}
    current = current_view()
    changes: dict[str, object] = {}
    clicked = returned.get("last_clicked")
    if clicked and clicked != st.session_state.get(LAST_CLICK_KEY):
        st.session_state[LAST_CLICK_KEY] = clicked
        changes["sel"] = borough_at(atlas.boroughs, clicked["lat"], clicked["lng"]) or ""
    center, zoom = returned.get("center"), returned.get("zoom")
    if center:
        # Three decimals (about 100 m): the map reports its centre a few metres
        # off the one it was given, which must not count as a move.
        changes["lat"], changes["lon"] = round(center["lat"], 3), round(center["lng"], 3)
    if zoom:
        changes["z"] = int(zoom)
    set_view(replace(current, **changes))


rows = rows_for(atlas.indicators, view.ind, view.year)
values = rows.set_index("cvegeo")["value"].reindex(atlas.boroughs["cvegeo"])
classes = classify(values, view.scheme, view.k, view.palette, higher_is_worse=indicator.higher_is_worse)
layers = [
    choropleth_layer(
        atlas.boroughs, values, classes, indicator, view.year, highlighted=view.boro, selected=view.sel
    )
]
if view.reach:
    reach = reach_of(atlas, selected_sites)
    layers.append(coverage_layer(reach))
if "utopias" in view.prog:
    layers.append(sites_layer(selected_sites[selected_sites["programme"] == "utopias"]))

map_col, panel_col = st.columns([3, 1.25], gap="medium")
with map_col:
    st_folium(
        base_map(view.base, *map_origin(view)),
        key=MAP_KEY,
        feature_group_to_add=layers,
        layer_control=folium.LayerControl(collapsed=True),
        center=(view.lat, view.lon),
        zoom=view.z,
        height=560,
        use_container_width=True,
        returned_objects=["last_clicked", "center", "zoom"],
        on_change=_on_map_change,
    )
    sources = sorted(
        {
            (name, markup.to_url(url.split(" | ")[0]))
            for name, url in zip(rows["source"], rows["source_url"], strict=True)
        }
    )
    st.html(
        legend_html(
            classes,
            indicator,
            view.year,
            str(rows["unit"].iloc[0]),
            sources,
            scheme_label=SCHEME_LABELS[view.scheme],
        )
    )
    if view.reach:
        population, poor, need_sources = need_inputs(atlas.indicators)
        summary = city_summary(
            coverage_by_borough(atlas.boroughs, reach, population, poor, sources=need_sources)
        )
        lines = [
            f"**{row.distance_m:,.0f} m**: {row.share:.1%} of the city's area; "
            f"≈{format_count(row.people_within_est)} people ({row.people_within_share:.1%}) and "
            f"≈{format_count(row.poor_within_est)} people in poverty ({row.poor_within_share:.1%})"
            for row in summary.itertuples()
        ]
        st.markdown(
            f"**Walking reach of the {int(reach['sites'].iloc[0])} open UTOPÍAS shown (estimate)**  \n"
            + "  \n".join(lines)
        )
        st.caption(f"{COVERAGE_METHOD} Sources: {need_sources}; {SITES_SOURCE}.")
    st.page_link("pages/sources.py", label="All sources, terms and vintages", icon="📚")
    if offline:
        st.caption("Offline mode: no basemap; map scripts served by the Atlas itself.")

with panel_col:
    if view.sel:
        st.subheader(names[view.sel])
        if st.button("Clear selection", key="clear_sel"):
            set_view(replace(current_view(), sel=""))
            st.rerun()
        st.html(profile_html(borough_profile(atlas, view.sel)))
        borough_sites = atlas.sites[atlas.sites["cvegeo"] == view.sel]
        st.markdown(f"**UTOPÍAS in {names[view.sel]}: {len(borough_sites)}**")
        st.html(sites_html(borough_sites))
    else:
        st.info("Click a borough on the map to see its figures, with their sources and years, and its sites.")

unmapped = selected_sites[selected_sites.geometry.isna()]
with st.expander(f"Sites not on the map ({len(unmapped)}): no published coordinates"):
    st.html(
        markup.table(
            ["Site", "Borough", "Status", "Location known"],
            unmapped[["name", "borough", "status_detail", "location_precision"]].values.tolist(),
        )
    )

if "pcmb" in view.prog:
    st.subheader(PROGRAMME_LABELS["pcmb"])
    st.markdown(
        "No public per-project dataset with locations was found for the Neighbourhood Improvement "
        "Community Programme, so it is not drawn on the map. Its reported figures, conflicting ones side by side:"
    )
    st.html(
        markup.table(
            ["Period", "Projects", "Budget (MXN)", "Note", "Source"],
            [
                [
                    row.period,
                    f"{row.projects_qualifier}{format_count(row.projects)}"
                    if pd.notna(row.projects)
                    else "not reported",
                    format_count(row.budget_mxn) if pd.notna(row.budget_mxn) else "not reported",
                    row.note,
                    markup.source_pairs(row.source_url)[0],
                ]
                for row in atlas.pcmb.itertuples()
            ],
        )
    )
