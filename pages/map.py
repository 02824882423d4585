"""Map page: boroughs shaded by an indicator, programme sites on top, a borough panel.

Everything is in the view's language (``current_view().lang``): words from
``geo/locales/map.toml`` and the builders' own catalogues, numbers formatted
for the language; place and source names as in the data.
"""

from __future__ import annotations

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import markup
from geo.classify import classify
from geo.coverage import city_summary, coverage_by_borough, method_text, need_inputs, sites_source
from geo.filters import borough_at, borough_profile, filter_sites, headline, opened_year_range
from geo.formatting import format_count, format_value
from geo.i18n import translator
from geo.indicators import REGISTRY, rows_for
from geo.legend import join_list, legend_html, map_summary
from geo.mapview import (
    base_map,
    choropleth_layer,
    coverage_layer,
    precision_text,
    sites_layer,
    status_text,
)
from geo.panel import profile_html, sites_html
from geo.screens import BY_NAME
from geo.state import ViewState
from ui.data import get_atlas, offline_status, reach_of
from ui.exports import map_downloads
from ui.view import current_view, share_link, update

MAP_KEY = "atlas_map"
ORIGIN_KEY = "atlas_map_origin"
LAST_CLICK_KEY = "atlas_last_click"

atlas = get_atlas()
offline, asset_problem = offline_status()
view = current_view()
lang = view.lang
tr = translator(lang)
indicator = REGISTRY[view.ind]
names = atlas.borough_names

st.title(tr("map.title"))
if asset_problem:
    st.warning(tr("map.assets_missing", problem=asset_problem))

selected_sites = filter_sites(atlas.sites, view, opened_year_range(atlas.sites)[1])
figures = headline(atlas, view, selected_sites)

scope = (
    tr("map.all_boroughs")
    if len(figures.boroughs) == 16
    else join_list([names[c] for c in figures.boroughs], lang)
)
poverty_help = "map.metric.poverty_help_derived" if figures.poverty_derived else "map.metric.poverty_help"
c1, c2, c3, c4 = st.columns(4)
c1.metric(tr("map.metric.sites"), format_count(figures.sites_on_map, lang), help=tr("map.metric.sites_help"))
c2.metric(
    tr("map.metric.unmapped"),
    format_count(figures.sites_not_mapped, lang),
    help=tr("map.metric.unmapped_help"),
)
c3.metric(
    tr("map.metric.population", year=figures.year),
    format_count(figures.population, lang),
    help=tr("map.metric.population_help", year=figures.year, scope=scope, source=figures.population_source),
)
c4.metric(
    tr("map.metric.poverty", year=figures.year),
    format_value(figures.poverty_pct, "percent", lang),
    help=tr(poverty_help, scope=scope, source=figures.poverty_source),
)
st.caption(
    tr(
        "map.figures",
        scope=scope,
        weighted=tr("map.weighted") if len(figures.boroughs) > 1 else "",
        people=format_count(figures.poverty_persons, lang),
    )
)


def map_origin(view: ViewState) -> tuple[tuple[float, float], int]:
    """Return where the map opens: the view of the session's first map, kept for the session."""
    if ORIGIN_KEY not in st.session_state:
        st.session_state[ORIGIN_KEY] = ((view.lat, view.lon), view.z)
    return st.session_state[ORIGIN_KEY]


def _on_map_change() -> None:
    """Turn a click into a selected borough and a pan/zoom into the view (and URL)."""
    returned = st.session_state.get(MAP_KEY) or {}
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
    update(**changes)


rows = rows_for(atlas.indicators, view.ind, view.year)
values = rows.set_index("cvegeo")["value"].reindex(atlas.boroughs["cvegeo"])
classes = classify(values, view.scheme, view.k, view.palette, higher_is_worse=indicator.higher_is_worse)


def build_layers() -> list[folium.FeatureGroup]:
    """The map's layers, built afresh: once for the page, again for the HTML export."""
    built = [
        choropleth_layer(
            atlas.boroughs,
            values,
            classes,
            indicator,
            view.year,
            highlighted=view.boro,
            selected=view.sel,
            lang=lang,
            high_contrast=view.contrast,
        )
    ]
    if view.reach:
        built.append(coverage_layer(reach, lang))
    if "utopias" in view.prog:
        built.append(sites_layer(utopias, lang=lang))
    return built


def export_map() -> folium.Map:
    """The map as shown, as one folium map (for the standalone HTML download)."""
    fmap = base_map(view.base, (view.lat, view.lon), view.z, lang=lang)
    for layer in build_layers():
        layer.add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


utopias = selected_sites[selected_sites["programme"] == "utopias"]
drawn_sites = int(utopias.geometry.notna().sum()) if "utopias" in view.prog else None
reach = reach_of(atlas, selected_sites) if view.reach else None
layers = build_layers()

map_col, panel_col = st.columns([3, 1.25], gap="medium")
with map_col:
    st_folium(
        base_map(view.base, *map_origin(view), lang=lang),
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
            scheme_label=tr(f"labels.scheme.{view.scheme}"),
            lang=lang,
        )
    )
    # The map's text alternative: what is drawn, in a sentence or two.
    summary_text = map_summary(
        classes,
        indicator,
        view.year,
        boroughs=len(atlas.boroughs),
        sites=drawn_sites,
        highlighted=[names[c] for c in view.boro],
        selected=names.get(view.sel, ""),
        reach_m=tuple(reach["distance_m"]) if view.reach else (),
        lang=lang,
    )
    st.html(f"<p class='atlas-map-summary' role='note'>{markup.text(summary_text)}</p>")
    map_downloads(export_map, view, atlas, lang, offline, share_link(view))
    if view.reach:
        population, poor, need_sources = need_inputs(atlas.indicators)
        summary = city_summary(
            coverage_by_borough(atlas.boroughs, reach, population, poor, sources=need_sources)
        )
        lines = [
            tr(
                "map.reach.line",
                distance=format_count(row.distance_m, lang),
                share=format_value(100 * row.share, "percent", lang),
                people=format_count(row.people_within_est, lang),
                people_share=format_value(100 * row.people_within_share, "percent", lang),
                poor=format_count(row.poor_within_est, lang),
                poor_share=format_value(100 * row.poor_within_share, "percent", lang),
            )
            for row in summary.itertuples()
        ]
        heading = tr("map.reach.heading", n=format_count(int(reach["sites"].iloc[0]), lang))
        st.markdown(f"**{heading}**  \n" + "  \n".join(lines))
        st.caption(
            tr("map.reach.caption", method=method_text(lang), sources=need_sources, sites=sites_source(lang))
        )
    sources_page = BY_NAME["sources"]
    st.page_link(sources_page.file, label=tr("map.sources_link"), icon=sources_page.icon)
    if offline:
        st.caption(tr("map.offline"))

with panel_col:
    if view.sel:
        st.subheader(names[view.sel])
        if st.button(tr("map.panel.clear"), key="clear_sel"):
            update(sel="")
            st.rerun()
        st.html(profile_html(borough_profile(atlas, view.sel), lang))
        borough_sites = atlas.sites[atlas.sites["cvegeo"] == view.sel]
        st.markdown(
            f"**{tr('map.panel.sites', name=names[view.sel], n=format_count(len(borough_sites), lang))}**"
        )
        st.html(sites_html(borough_sites, lang))
    else:
        st.info(tr("map.panel.hint"))

unmapped = selected_sites[selected_sites.geometry.isna()]
with st.expander(tr("map.unmapped.heading", n=format_count(len(unmapped), lang))):
    st.html(
        markup.table(
            [tr(f"map.unmapped.{key}") for key in ("site", "borough", "status", "location")],
            [
                [
                    site.name,
                    site.borough,
                    status_text(site.status, site.status_detail, lang),
                    precision_text(site.location_precision, lang),
                ]
                for site in unmapped.itertuples()
            ],
        )
    )

if "pcmb" in view.prog:
    st.subheader(tr("labels.programme.pcmb"))
    st.markdown(tr("map.pcmb.intro"))
    not_reported = tr("map.pcmb.not_reported")
    st.html(
        markup.table(
            [tr(f"map.pcmb.{key}") for key in ("period", "projects", "budget", "note", "source")],
            [
                [
                    row.period,
                    f"{row.projects_qualifier}{format_count(row.projects, lang)}"
                    if pd.notna(row.projects)
                    else not_reported,
                    format_count(row.budget_mxn, lang) if pd.notna(row.budget_mxn) else not_reported,
                    row.note,
                    markup.source_pairs(row.source_url)[0],
                ]
                for row in atlas.pcmb.itertuples()
            ],
        )
    )
