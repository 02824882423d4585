"""Compare page: boroughs ranked, need against provision, change over time, walking reach."""

from __future__ import annotations

import streamlit as st

from geo import charts, exports
from geo.coverage import METHOD as COVERAGE_METHOD
from geo.coverage import SITES_SOURCE, coverage_by_borough, need_inputs
from geo.indicators import REGISTRY, rows_for
from ui.data import get_atlas, reach_of
from ui.view import current_view, select_boroughs, show_url_notices

atlas = get_atlas()
view = current_view()
indicator = REGISTRY[view.ind]
highlighted = tuple(dict.fromkeys((*view.boro, *((view.sel,) if view.sel else ()))))


def _on_select(key: str) -> None:
    select_boroughs(charts.boroughs_from_selection(st.session_state.get(key) or {}))


def chart(figure, table, key: str) -> None:
    """Show a figure whose borough marks select boroughs, and its data as a table."""
    st.plotly_chart(
        figure,
        key=key,
        on_select=lambda: _on_select(key),
        selection_mode=("points", "box", "lasso"),
        config={"displaylogo": False},
    )
    with st.expander("Data as a table"):
        st.dataframe(table, hide_index=True)


st.title("Compare boroughs")
show_url_notices()
st.caption(
    "Select boroughs in a chart (click, box or lasso) to filter the map and every page by them; "
    "clear the selection in the sidebar's Boroughs filter. A borough clicked on the map is highlighted here."
)

if indicator.fmt == "category":
    st.info(f"{indicator.title()} is a category, so it cannot be ranked.")
else:
    chart(*charts.ranking(atlas.indicators, view.ind, view.year, selected=highlighted), key="rank_chart")

st.subheader("Need and provision")
chart(
    *charts.need_vs_provision(atlas.indicators, atlas.sites, selected=highlighted),
    key="need_chart",
)

over_time = charts.change_over_time(atlas.indicators, view.ind, selected=highlighted)
if over_time is not None:
    st.subheader("Change over time")
    chart(*over_time, key="change_chart")

st.subheader("Walking reach of open UTOPÍAS (estimate)")
population, poor, need_sources = need_inputs(atlas.indicators)
reach = reach_of(atlas, atlas.sites)
coverage = coverage_by_borough(atlas.boroughs, reach, population, poor, sources=need_sources)
st.dataframe(
    coverage[
        ["name", "distance_m", "share", "people_within_est", "poor_within_est", "poor_beyond_est"]
    ].rename(
        columns={
            "name": "Borough",
            "distance_m": "Distance (m)",
            "share": "Share of area within reach",
            "people_within_est": "People within reach (est.)",
            "poor_within_est": "People in poverty within reach (est.)",
            "poor_beyond_est": "People in poverty beyond reach (est.)",
        }
    ),
    hide_index=True,
    column_config={"Share of area within reach": st.column_config.NumberColumn(format="percent")},
)
st.caption(f"{COVERAGE_METHOD} Sources: {need_sources}; {SITES_SOURCE}.")

st.subheader("Download what you see")
rows = rows_for(atlas.indicators, view.ind, view.year)
c1, c2, c3 = st.columns(3)
c1.download_button(
    f"{indicator.title()} {view.year} (CSV)",
    exports.indicators_csv(rows),
    file_name=f"cdmx-{view.ind}-{view.year}.csv",
    mime="text/csv",
)
c2.download_button(
    f"{indicator.title()} {view.year} (GeoJSON)",
    exports.indicators_geojson(atlas.boroughs, atlas.indicators, view.ind, view.year),
    file_name=f"cdmx-{view.ind}-{view.year}.geojson",
    mime="application/geo+json",
)
c3.download_button(
    "Walking reach by borough (CSV)",
    exports.table_csv(coverage),
    file_name="cdmx-utopias-walking-reach.csv",
    mime="text/csv",
)
