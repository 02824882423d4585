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
from geo.areamodel import ageb_at
from geo.colonias import bounds, colonia_at, search_colonias
from geo.coverage import sites_source
from geo.dasymetric import AGEB_DASYMETRIC, BOROUGH_AREAL_RURAL, method_note, need_note
from geo.figures import Figure, figures_html
from geo.filters import borough_at
from geo.formatting import format_count, format_value, join_list
from geo.i18n import translator
from geo.mapmodel import map_legend
from geo.mapview import base_map, fit_zoom, layer_control, map_layers, precision_text, status_text
from geo.markup import markdown_text
from geo.panel import ageb_html, colonia_html, profile_html, sites_html
from geo.screens import BY_NAME
from geo.state import ViewState
from geo.vocabulary import AGEB_LEVEL, COLONIA_LEVEL, NO_PUBLISHED
from ui import first_paint
from ui.data import get_atlas, get_neighbourhoods, map_model_of, offline_status
from ui.exports import map_downloads
from ui.view import current_view, share_link, update

MAP_KEY = "atlas_map"
ORIGIN_KEY = "atlas_map_origin"
LAST_CLICK_KEY = "atlas_last_click"
SEARCH_KEY = "atlas_colonia_search"
SEARCH_RESULTS = 8
# Colonias listed under "where a new centre would reach most people in need".
NEED_ROWS = 20

atlas = get_atlas()
offline, asset_problem = offline_status()
view = current_view()
lang = view.lang
tr = translator(lang)
model = map_model_of(atlas, view, own_shading=True)

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

if view.pub:
    named = view.pub == (NO_PUBLISHED,)
    shown = [layer.name for layer in model.user_layers if layer.published]
    line = tr("team.pub_none") if named else tr("team.pub_only", names=join_list(shown, lang) or "–")
    if model.missing_published:
        line += " " + tr("team.pub_missing", ids=", ".join(model.missing_published))
    st.html(f"<p class='atlas-team-pub' role='note'>{markup.text(line)}</p>")
    st.button(tr("team.pub_all"), key="team.pub_all", on_click=update, kwargs={"pub": ()})
site_layers = [layer for layer in model.user_layers if layer.kind == "sites"]
for published, count, key, css in (
    (True, model.team_sites, "team.map_line", "atlas-team-sites"),
    (False, model.user_sites, "your_data.map_line", "atlas-your-sites"),
):
    if any(bool(layer.published) == published for layer in site_layers):
        line = tr(key, n=format_count(count, lang))
        st.html(f"<p class='{css}' role='note'>{markup.text(line)}</p>")


def map_origin(view: ViewState) -> tuple[tuple[float, float], int]:
    """Return where the map opens: the view of the session's first map, kept for the session."""
    if ORIGIN_KEY not in st.session_state:
        st.session_state[ORIGIN_KEY] = ((view.lat, view.lon), view.z)
    return st.session_state[ORIGIN_KEY]


def selection_at(level: str, lat: float, lon: float) -> dict[str, str]:
    """What a click at a point selects at ``level``: the AGEB, the colonia or the borough under it."""
    if level == AGEB_LEVEL:
        return {"ageb": ageb_at(get_neighbourhoods(), lat, lon) or ""}
    if level == COLONIA_LEVEL:
        return {"col": colonia_at(get_neighbourhoods().colonias, lat, lon) or ""}
    return {"sel": borough_at(atlas.boroughs, lat, lon) or ""}


def _on_map_change() -> None:
    """Turn a click into a selected borough and a pan/zoom into the view (and URL)."""
    returned = st.session_state.get(MAP_KEY) or {}
    changes: dict[str, object] = {}
    clicked = returned.get("last_clicked")
    if clicked and clicked != st.session_state.get(LAST_CLICK_KEY):
        st.session_state[LAST_CLICK_KEY] = clicked
        changes.update(selection_at(current_view().level, clicked["lat"], clicked["lng"]))
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
    st.html(map_legend(model))
    # The map's text alternative: what is drawn, in a sentence or two.
    st.html(f"<p class='atlas-map-summary' role='note'>{markup.text(model.summary)}</p>")
    map_downloads(model, offline, share_link(view))
    if model.reach is not None:
        reach = model.reach
        lines = [tr("map.reach.line", **fields) for fields in reach.figures(lang)]
        heading = tr("map.reach.heading", n=format_count(reach.sites, lang))
        names = [model.names[code] for code in view.boro]
        counted = tr("map.reach.scope", scope=join_list(names, lang) if names else tr("map.all_boroughs"))
        st.markdown(
            f"**{heading}**  \n"
            + "  \n".join([markdown_text(counted), *lines, tr("map.reach.need", **reach.need_figures(lang))])
        )
        st.caption(
            tr(
                "map.reach.caption",
                circles=tr("reach.circles"),
                method=method_note(AGEB_DASYMETRIC, lang),
                rural=method_note(BOROUGH_AREAL_RURAL, lang),
                need=need_note(lang, reach.need_distance),
                sources=tr("reach.sources"),
                sites=sites_source(lang),
            )
        )
        with st.expander(tr("map.reach.need_heading")):
            distance = format_count(reach.need_distance, lang)
            st.html(
                markup.table(
                    [
                        tr("map.reach.need_colonia"),
                        tr("map.reach.need_borough"),
                        tr("map.reach.need_people", distance=distance),
                    ],
                    [
                        [
                            row.name,
                            model.names.get(row.borough, row.borough),
                            format_count(row.people_beyond, lang),
                        ]
                        for row in reach.need_colonias.head(NEED_ROWS).itertuples()
                    ],
                )
            )
    sources_page = BY_NAME["sources"]
    st.page_link(sources_page.file, label=tr("map.sources_link"), icon=sources_page.icon)
    if offline:
        st.caption(tr("map.offline"))


def _choose_colonia(key: str) -> None:
    """A search result's callback: select the colonia and move the map onto it."""
    corners = bounds(get_neighbourhoods().colonias, key)
    (south, west), (north, east) = corners
    update(col=key, lat=round((south + north) / 2, 4), lon=round((west + east) / 2, 4), z=fit_zoom(corners))


with panel_col:
    # On a session's first run the map goes first; the search box comes with the sidebar (ui.first_paint).
    query = (
        ""
        if first_paint.map_first()
        else st.text_input(
            tr("map.colonia.search"), key=SEARCH_KEY, placeholder=tr("map.colonia.placeholder"), max_chars=100
        )
    )
    if query.strip():
        found = search_colonias(get_neighbourhoods().colonias, query, limit=SEARCH_RESULTS)
        if found.empty:
            st.caption(tr("map.colonia.none"))
        for row in found.itertuples():
            st.button(
                markdown_text(f"{row.name} · {model.names.get(row.borough, row.borough)}"),
                key=f"colonia_{row.cveut}",
                on_click=_choose_colonia,
                args=(row.cveut,),
                use_container_width=True,
            )
    if model.colonia is not None:
        st.html(f"<h3 class='atlas-panel-title'>{markup.text(model.colonia.name)}</h3>")
        if st.button(tr("map.panel.clear_colonia"), key="clear_colonia"):
            update(col="")
            st.rerun()
        st.html(colonia_html(model.colonia, model.names.get(model.colonia.borough, ""), lang))
    if model.ageb is not None:
        st.subheader(f"AGEB {model.ageb.key}")
        st.caption(model.names.get(model.ageb.borough, model.ageb.borough))
        if st.button(tr("map.panel.clear_ageb"), key="clear_ageb"):
            update(ageb="")
            st.rerun()
        st.html(ageb_html(model.ageb, lang))
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
    if model.panel is None and model.ageb is None and model.colonia is None:
        st.info(tr(f"map.panel.hint_{view.level}"))

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
