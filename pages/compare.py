"""Compare page: boroughs ranked, need against provision, change over time, walking reach, neighbourhoods."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import exports
from geo.charts.colonias import chosen_borough, colonia_need, describe_colonia_need
from geo.charts.display import codes_from_selection
from geo.charts.grades import describe_grade_people, grade_people
from geo.charts.need import describe_need_vs_provision, need_vs_provision
from geo.charts.ranking import describe_ranking, ranking
from geo.charts.reach import describe_reach_share, methods_text, reach_share
from geo.charts.trend import change_over_time, describe_change_over_time
from geo.charts.userindicator import describe_user_indicator, user_indicator, user_indicator_data, year_text
from geo.charts.usersites import (
    describe_user_sites_by_borough,
    describe_user_sites_by_colonia,
    user_sites_by_borough,
    user_sites_by_colonia,
)
from geo.coverage import coverage_by_borough, method_text, need_inputs, sites_source
from geo.filters import highlighted_boroughs
from geo.i18n import translator
from geo.indicators import REGISTRY, rows_for
from geo.markup import markdown_text
from geo.profilemodel import DEFAULT_BOROUGH
from geo.tables import reach_table
from geo.tables import user_indicator_table as user_indicator_values
from geo.userindicator import compare_year, table_level, table_years, unit_of
from geo.userlayers import UserLayer
from geo.vocabulary import AGEB_LEVEL, BOROUGH_LEVEL
from ui.data import get_atlas, get_neighbourhoods, reach_of, walking_reach_of
from ui.figures import show_chart
from ui.tables import show_table
from ui.userlayers import session_layers, shading_choice
from ui.view import bind, current_view, select_boroughs, update

atlas = get_atlas()
view = current_view()
lang = view.lang
tr = translator(lang)
names = atlas.borough_names
indicator = REGISTRY[view.ind]
highlighted = highlighted_boroughs(view)


def _on_select(key: str) -> None:
    select_boroughs(codes_from_selection(st.session_state.get(key) or {}, names))


def _on_colonia(key: str, colonias: list[str]) -> None:
    """A colonia bar selected: the colonia becomes the view's (the map outlines it)."""
    chosen = codes_from_selection(st.session_state.get(key) or {}, colonias)
    if chosen:
        update(col=chosen[0])


def chart(figure, table, description: str, key: str) -> None:
    """Show a chart whose borough marks select boroughs (see ``ui.figures.show_chart``)."""
    show_chart(figure, table, description, key, lang, on_select=lambda: _on_select(key))


def colonia_chart(figure, table: pd.DataFrame, description: str, key: str) -> None:
    """Show a chart whose colonia marks choose the view's colonia."""
    keys = table["cveut"].tolist()
    show_chart(figure, table, description, key, lang, on_select=lambda: _on_colonia(key, keys))


def user_sites(layer: UserLayer) -> None:
    """A visitor's sites per 100,000 people by borough, and by colonia of the chosen borough."""
    st.subheader(markdown_text(tr("compare.user_sites.title", name=layer.name)))
    st.caption(markdown_text(tr("compare.user_sites.note", source=layer.source, population=need_sources)))
    figure, table = user_sites_by_borough(
        layer, atlas.indicators, names=names, lang=lang, selected=highlighted
    )
    description = describe_user_sites_by_borough(table, layer=layer.name, lang=lang)
    chart(figure, table, description, key=f"user_sites_{layer.ident}")
    by_colonia = user_sites_by_colonia(
        layer, borough, layers.colonias, names=names, lang=lang, selected=view.col
    )
    if by_colonia is None:
        st.caption(markdown_text(tr("compare.user_sites.no_colonia", borough=names[borough])))
        return
    figure, table = by_colonia
    description = describe_user_sites_by_colonia(table, layer=layer.name, borough=names[borough], lang=lang)
    colonia_chart(figure, table, description, f"user_colonias_{layer.ident}")


def user_indicator_table(layer: UserLayer) -> None:
    """A visitor's indicator table: by borough, their values ranked as bars; by AGEB or colonia, a table."""
    level = table_level(layer)
    if level is None:
        return
    year = compare_year(layer, shading_choice())
    st.subheader(markdown_text(tr("compare.user_indicator.title", name=layer.name)))
    years = ", ".join(year_text(each, lang) for each in table_years(layer))
    note = tr(
        "compare.user_indicator.note",
        level=tr(f"compare.user_indicator.level.{level}"),
        unit=unit_of(layer, lang),
        year=year_text(year, lang),
        years=years,
        source=layer.source,
    )
    st.caption(markdown_text(note))
    if level == BOROUGH_LEVEL:
        figure, table = user_indicator(layer, year, names=names, lang=lang, selected=highlighted)
        description = describe_user_indicator(table, layer=layer, n=len(names), lang=lang)
        chart(figure, table, description, key=f"user_indicator_{layer.ident}")
        return
    table = user_indicator_data(layer, year, names=names, lang=lang, colonias=layers.colonias)
    units = int(layers.agebs["on_map"].sum()) if level == AGEB_LEVEL else len(layers.colonias)
    show_table(user_indicator_values(table, lang))
    st.caption(markdown_text(describe_user_indicator(table, layer=layer, n=units, lang=lang)))


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

layers = get_neighbourhoods()
st.subheader(tr("compare.grades.title"))
figure, table = grade_people(
    layers.agebs, layers.fields, names=names, lang=lang, palette_name=view.palette, selected=highlighted
)
chart(figure, table, describe_grade_people(table, lang=lang), key="grades_chart")

st.subheader(tr("compare.people_reach.title"))
people = walking_reach_of(atlas, layers, atlas.sites).people
figure, table = reach_share(
    people.by_borough, atlas.indicators, layers.fields, names=names, lang=lang, selected=highlighted
)
chart(figure, table, describe_reach_share(table, lang=lang), key="people_reach_chart")
st.caption(markdown_text(tr("compare.people_reach.methods", methods=methods_text(lang))))

st.subheader(tr("compare.colonias.title"))
codes = list(names)
# The box shows the view's selection only; a borough taken from the filter or the default is named under it.
st.selectbox(
    tr("compare.colonias.borough"),
    codes,
    format_func=names.get,
    placeholder=tr("compare.colonias.choose"),
    **bind("sel", index=codes.index(view.sel) if view.sel in names else None),
)
borough = chosen_borough(view.sel, view.boro, names)
if borough is None:
    borough = DEFAULT_BOROUGH
    st.caption(markdown_text(tr("compare.colonias.default", borough=names[borough])))
elif borough != view.sel:
    st.caption(markdown_text(tr("compare.colonias.from_filter", borough=names[borough])))
ranked = colonia_need(
    layers.colonias, borough, names=names, lang=lang, palette_name=view.palette, selected=view.col
)
if ranked is None:
    st.info(markdown_text(tr("compare.colonias.none", borough=names[borough])))
else:
    figure, table = ranked
    st.caption(tr("compare.colonias.hint"))
    colonia_chart(figure, table, describe_colonia_need(table, lang=lang), "colonia_chart")

# The visitor's confirmed layers (this session only), marked as theirs with their source line.
for layer in session_layers():
    if layer.kind == "sites":
        user_sites(layer)
    elif layer.kind == "indicators":
        user_indicator_table(layer)

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
