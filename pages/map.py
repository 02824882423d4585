"""Map page: boroughs shaded by an indicator, programme sites on top, a borough panel.

Layout only: what the page shows is the Map screen's model
(:func:`geo.mapmodel.map_model`, the same the brief, the HTML export and a
slide's source line are made from); the page draws it and turns map clicks
and moves into the view. Everything is in the view's language (``current_view().lang``): words from
``geo/locales/map.toml`` and the builders' own catalogues, numbers formatted
for the language; place and source names as in the data.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import markup
from geo.coverage import method_text, sites_source
from geo.figures import Figure, figures_html
from geo.filters import borough_at
from geo.formatting import format_count, format_value, join_list
from geo.i18n import translator
from geo.legend import legend_html
from geo.mapview import base_map, layer_control, map_layers, precision_text, status_text
from geo.panel import profile_html, sites_html
from geo.screens import BY_NAME
from geo.state import ViewState
from ui.data import get_atlas, map_model_of, offline_status
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
model = map_model_of(atlas, view)

st.title(tr("map.title"))
if asset_problem:
    st.warning(tr("map.assets_missing", problem=asset_problem))

figures = model.headline
scope = tr("map.all_boroughs") if model.whole_city else join_list(model.scope_names, lang)
poverty_help = "map.metric.poverty_help_derived" if figures.poverty_derived else "map.metric.poverty_help"
st.html(
    figures_html(
        [
            Figure(
                "sites",
                tr("map.metric.sites"),
                format_count(figures.sites_on_map, lang),
                tr("map.metric.sites_help"),
            ),
            Figure(
                "unmapped",
                tr("map.metric.unmapped"),
                format_count(figures.sites_not_mapped, lang),
                tr("map.metric.unmapped_help"),
            ),
            Figure(
                "population",
                tr("map.metric.population", year=figures.year),
                format_count(figures.population, lang),
                tr(
                    "map.metric.population_help",
                    year=figures.year,
                    scope=scope,
                    source=figures.population_source,
                ),
            ),
            Figure(
                "poverty",
                tr("map.metric.poverty", year=figures.year),
                format_value(figures.poverty_pct, "percent", lang),
                tr(poverty_help, scope=scope, source=figures.poverty_source),
            ),
        ],
        lang,
    )
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


map_col, panel_col = st.columns([3, 1.25], gap="medium")
with map_col:
    st_folium(
        base_map(view.base, *map_origin(view), lang=lang),
        key=MAP_KEY,
        feature_group_to_add=map_layers(model),
        layer_control=layer_control(),
        center=(view.lat, view.lon),
        zoom=view.z,
        height=560,
        use_container_width=True,
        returned_objects=["last_clicked", "center", "zoom"],
        on_change=_on_map_change,
    )
    st.html(
        legend_html(
            model.classes,
            model.indicator,
            view.year,
            model.unit,
            list(model.legend_sources),
            scheme_label=tr(f"labels.scheme.{view.scheme}"),
            lang=lang,
        )
    )
    # The map's text alternative: what is drawn, in a sentence or two.
    st.html(f"<p class='atlas-map-summary' role='note'>{markup.text(model.summary)}</p>")
    map_downloads(model, offline, share_link(view))
    if model.reach is not None:
        lines = [tr("map.reach.line", **fields) for fields in model.reach.figures(lang)]
        heading = tr("map.reach.heading", n=format_count(model.reach.sites, lang))
        st.markdown(f"**{heading}**  \n" + "  \n".join(lines))
        st.caption(
            tr(
                "map.reach.caption",
                method=method_text(lang),
                sources=model.reach.need_sources,
                sites=sites_source(lang),
            )
        )
    sources_page = BY_NAME["sources"]
    st.page_link(sources_page.file, label=tr("map.sources_link"), icon=sources_page.icon)
    if offline:
        st.caption(tr("map.offline"))

with panel_col:
    if model.panel is not None:
        st.subheader(model.panel.name)
        if st.button(tr("map.panel.clear"), key="clear_sel"):
            update(sel="")
            st.rerun()
        st.html(profile_html(model.panel.profile, lang))
        st.markdown(
            f"**{tr('map.panel.sites', name=model.panel.name, n=format_count(len(model.panel.sites), lang))}**"
        )
        st.html(sites_html(model.panel.sites, lang))
    else:
        st.info(tr("map.panel.hint"))

with st.expander(tr("map.unmapped.heading", n=format_count(len(model.unmapped), lang))):
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
                for site in model.unmapped.itertuples()
            ],
        )
    )

if model.pcmb is not None:
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
                for row in model.pcmb.itertuples()
            ],
        )
    )
