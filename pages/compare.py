"""Compare page: boroughs ranked, need against provision, change over time, walking reach."""

from __future__ import annotations

import streamlit as st

from geo import exports
from geo.charts.display import boroughs_from_selection
from geo.charts.need import describe_need_vs_provision, need_vs_provision
from geo.charts.ranking import describe_ranking, ranking
from geo.charts.trend import change_over_time, describe_change_over_time
from geo.coverage import coverage_by_borough, method_text, need_inputs, sites_source
from geo.filters import highlighted_boroughs
from geo.i18n import translator
from geo.indicators import REGISTRY, rows_for
from geo.markup import markdown_text
from geo.tables import reach_table
from ui.data import get_atlas, reach_of
from ui.figures import show_chart
from ui.tables import show_table
from ui.view import current_view, select_boroughs

atlas = get_atlas()
view = current_view()
lang = view.lang
tr = translator(lang)
names = atlas.borough_names
indicator = REGISTRY[view.ind]
highlighted = highlighted_boroughs(view)


def _on_select(key: str) -> None:
    select_boroughs(boroughs_from_selection(st.session_state.get(key) or {}, names))


def chart(figure, table, description: str, key: str) -> None:
    """Show a chart whose borough marks select boroughs (see ``ui.figures.show_chart``)."""
    show_chart(figure, table, description, key, lang, on_select=lambda: _on_select(key))


st.title(tr("compare.title"))
st.caption(tr("compare.intro"))

if indicator.fmt == "category":
    st.info(tr("compare.category", indicator=indicator.title(lang)))
else:
    figure, table = ranking(
        atlas.indicators, view.ind, view.year, names=names, lang=lang, selected=highlighted
    )
    chart(figure, table, describe_ranking(table, lang=lang), key="rank_chart")

st.subheader(tr("compare.need"))
figure, table = need_vs_provision(atlas.indicators, atlas.sites, names=names, lang=lang, selected=highlighted)
chart(figure, table, describe_need_vs_provision(table, lang=lang), key="need_chart")

over_time = change_over_time(atlas.indicators, view.ind, names=names, lang=lang, selected=highlighted)
if over_time is not None:
    st.subheader(tr("compare.change"))
    figure, table = over_time
    chart(figure, table, describe_change_over_time(table, lang=lang), key="change_chart")

st.subheader(tr("compare.reach.title"))
population, poor, need_sources = need_inputs(atlas.indicators, lang=lang)
reach = reach_of(atlas, atlas.sites)
coverage = coverage_by_borough(atlas.boroughs, reach, population, poor, sources=need_sources)


show_table(reach_table(coverage, lang))
st.caption(
    markdown_text(
        tr("compare.reach.caption", method=method_text(lang), sources=f"{need_sources}; {sites_source(lang)}")
    )
)

st.subheader(tr("compare.download.title"))
rows = rows_for(atlas.indicators, view.ind, view.year)
c1, c2, c3 = st.columns(3)
c1.download_button(
    tr("compare.download.csv", indicator=indicator.title(lang), year=view.year),
    exports.indicators_csv(rows),
    file_name=f"cdmx-{view.ind}-{view.year}.csv",
    mime="text/csv",
)
c2.download_button(
    tr("compare.download.geojson", indicator=indicator.title(lang), year=view.year),
    exports.indicators_geojson(atlas.boroughs, atlas.indicators, view.ind, view.year),
    file_name=f"cdmx-{view.ind}-{view.year}.geojson",
    mime="application/geo+json",
)
c3.download_button(
    tr("compare.download.reach"),
    exports.table_csv(coverage),
    file_name="cdmx-utopias-walking-reach.csv",
    mime="text/csv",
)
