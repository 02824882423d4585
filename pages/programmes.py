"""Programmes page: UTOPÍAS openings and statuses, the PCMB series, the sites table and downloads."""

from __future__ import annotations

import streamlit as st

from geo import exports
from geo.charts.pcmb import (
    describe_pcmb_budget,
    describe_pcmb_series,
    pcmb_budget,
    pcmb_intro_html,
    pcmb_series,
)
from geo.charts.sites import describe_openings, describe_sites_by_status, openings_per_year, sites_by_status
from geo.filters import filter_sites, opened_year_range
from geo.formatting import format_count, plural_form
from geo.i18n import translator
from geo.tables import sites_table
from ui.data import get_atlas
from ui.figures import show_chart
from ui.tables import show_table
from ui.view import current_view

atlas = get_atlas()
view = current_view()
lang = view.lang
tr = translator(lang)


def side_by_side(*charts_to_show: tuple) -> None:
    """Two charts in two columns: each (builder, data, describer, key), shown by ``ui.figures.show_chart``."""
    for column, (build, data, describe, key) in zip(st.columns(2), charts_to_show, strict=True):
        with column:
            figure, table = build(data, lang=lang)
            show_chart(figure, table, describe(table, lang=lang), key, lang)


st.title(tr("programmes.title"))

st.header("UTOPÍAS")
side_by_side(
    (openings_per_year, atlas.sites, describe_openings, "openings"),
    (sites_by_status, atlas.sites, describe_sites_by_status, "status"),
)
st.caption(tr("programmes.openings_caption"))

st.subheader(tr("programmes.sites.title"))
sites = filter_sites(atlas.sites, view, opened_year_range(atlas.sites)[1])
show_table(sites_table(sites, lang))
mapped = int(sites.geometry.notna().sum())
c1, c2 = st.columns(2)
c1.download_button(
    tr(f"programmes.download.csv.{plural_form(len(sites), lang)}", n=format_count(len(sites), lang)),
    exports.sites_csv(sites),
    file_name="cdmx-utopias.csv",
    mime="text/csv",
)
c2.download_button(
    tr(f"programmes.download.geojson.{plural_form(mapped, lang)}", n=format_count(mapped, lang)),
    exports.sites_geojson(sites),
    file_name="cdmx-utopias.geojson",
    mime="application/geo+json",
)

st.header(tr("programmes.pcmb.title"))
st.html(pcmb_intro_html(atlas.pcmb, lang))
side_by_side(
    (pcmb_series, atlas.pcmb, describe_pcmb_series, "pcmb_projects"),
    (pcmb_budget, atlas.pcmb, describe_pcmb_budget, "pcmb_budget"),
)
