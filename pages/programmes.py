"""Programmes page: UTOPÍAS openings and statuses, the PCMB series, the sites table and downloads."""

from __future__ import annotations

import streamlit as st

from geo import charts, exports
from geo.filters import filter_sites, opened_year_range
from geo.mapview import STATUS_LABELS
from ui.data import get_atlas
from ui.view import current_view, show_url_notices

atlas = get_atlas()
view = current_view()


def figure_with_table(figure, table, key: str) -> None:
    """Show a chart and, under it, its data as a table (the chart's text alternative)."""
    st.plotly_chart(figure, key=key, config={"displaylogo": False})
    with st.expander("Data as a table"):
        st.dataframe(table, hide_index=True)


st.title("Programmes")
show_url_notices()

st.header("UTOPÍAS")
left, right = st.columns(2)
with left:
    figure_with_table(*charts.openings_per_year(atlas.sites), key="openings")
with right:
    figure_with_table(*charts.sites_by_status(atlas.sites), key="status")
st.caption(
    "A site counts in the year by which it is known to be open (the date reported, or a 'by' date); "
    "open sites whose opening date no source gives are shown as their own bar, not dropped."
)

st.subheader("Sites (filtered by the sidebar)")
sites = filter_sites(atlas.sites, view, opened_year_range(atlas.sites)[1])
table = sites.assign(
    status=sites["status"].map(STATUS_LABELS),
    on_map=sites.geometry.notna(),
)[
    [
        "name", "borough", "colonia", "status", "status_detail", "opened_text", "area_m2",
        "facilities", "on_map", "location_precision", "sources",
    ]
]  # fmt: skip
st.dataframe(
    table,
    hide_index=True,
    column_config={
        "name": "Site",
        "borough": "Borough",
        "colonia": "Colonia",
        "status": "Status",
        "status_detail": "Status (as reported)",
        "opened_text": "Opened (as reported)",
        "area_m2": st.column_config.NumberColumn("Area (m²)", format="localized"),
        "facilities": "Facilities",
        "on_map": st.column_config.CheckboxColumn("On the map"),
        "location_precision": "Location",
        "sources": "Sources",
    },
)
c1, c2 = st.columns(2)
c1.download_button(
    f"These {len(sites)} sites (CSV)",
    exports.sites_csv(sites),
    file_name="cdmx-utopias.csv",
    mime="text/csv",
)
c2.download_button(
    f"The {int(sites.geometry.notna().sum())} mapped sites (GeoJSON)",
    exports.sites_geojson(sites),
    file_name="cdmx-utopias.geojson",
    mime="application/geo+json",
)

st.header("PCMB: Programa Comunitario de Mejoramiento Barrial")
st.markdown(
    "Reported figures only: sources disagree (for 2007–2014, 520 or 1,386 projects), so every report "
    "is shown with its source, and years nobody reported stay empty. No per-project dataset with "
    "locations was found."
)
left, right = st.columns(2)
with left:
    figure_with_table(*charts.pcmb_series(atlas.pcmb), key="pcmb_projects")
with right:
    figure_with_table(*charts.pcmb_budget(atlas.pcmb), key="pcmb_budget")
