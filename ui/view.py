"""The shared filters in the sidebar, and the view they make, kept in the URL.

Rendered by ``app.py`` before the page runs, so every page sees the same
filters and they survive page changes. The URL is parsed once per session
(bad parameters fall back with a notice), widgets then drive the view, and
the view is written back to the URL so a copied link reproduces it.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from geo import state as urlstate
from geo.classify import PALETTE_LABELS, SCHEME_LABELS
from geo.filters import opened_year_range
from geo.indicators import REGISTRY, mappable
from geo.loaders import Atlas
from geo.mapview import PROGRAMME_LABELS, STATUS_LABELS
from geo.state import Options, ViewState

VIEW_KEY = "atlas_view"
NOTICES_KEY = "atlas_url_notices"
LEGACY_KEY = "atlas_legacy_run"
BASEMAP_LABELS = {"none": "None (works offline)", "osm": "OpenStreetMap"}


def options_for(atlas: Atlas, offline: bool) -> Options:
    """Return what the shipped data lets a view choose."""
    return Options(
        indicator_years=mappable(atlas.indicators),
        boroughs=tuple(atlas.boroughs["cvegeo"]),
        opened_years=opened_year_range(atlas.sites),
        default_basemap="none" if offline else "osm",
    )


def _widget_values(state: ViewState) -> dict[str, object]:
    """Return the value each filter widget shows for ``state``."""
    return {
        "f_ind": state.ind,
        "f_year": state.year,
        "f_opened": state.opened,
        "f_boro": list(state.boro),
        "f_scheme": state.scheme,
        "f_k": state.k,
        "f_palette": state.palette,
        "f_base": state.base,
        "f_reach": state.reach,
        **{f"f_prog_{p}": p in state.prog for p in urlstate.PROGRAMMES},
        **{f"f_status_{s}": s in state.status for s in urlstate.STATUSES},
    }


def _restore_widgets(state: ViewState) -> None:
    """Give every filter widget without a value the one ``state`` implies.

    Done on every run, not only the first: when a run is interrupted (the map
    reports its position while the page is still loading), Streamlit may drop
    the values of widgets that run did not reach, and they would come back at
    their defaults instead of the view in the URL.
    """
    for key, value in _widget_values(state).items():
        if key not in st.session_state:
            st.session_state[key] = value


def current_view() -> ViewState:
    """Return the view of this run (set by :func:`sidebar`, updated by pages)."""
    return st.session_state[VIEW_KEY]


def set_view(state: ViewState) -> None:
    """Record a page's change to the view (map pan, borough click)."""
    st.session_state[VIEW_KEY] = state


def sidebar(atlas: Atlas, options: Options, *, offline: bool, legacy_run: bool = False) -> ViewState:
    """Render the shared filters and return the view they define.

    ``legacy_run`` says this run is in Streamlit's legacy multipage mode (see
    ``ui.compat``); the first run after it gets new widgets, which are handed
    the view explicitly.
    """
    if VIEW_KEY not in st.session_state:
        parsed = urlstate.parse_query(st.query_params.to_dict(), options)
        st.session_state[NOTICES_KEY] = parsed.notices
        st.session_state[VIEW_KEY] = parsed
    previous: ViewState = st.session_state[VIEW_KEY]
    if legacy_run:
        st.session_state[LEGACY_KEY] = True
        _restore_widgets(previous)
    elif st.session_state.pop(LEGACY_KEY, False):
        st.session_state.update(_widget_values(previous))
    else:
        _restore_widgets(previous)
    names = atlas.borough_names

    with st.sidebar:
        st.header("Filters")
        indicator = st.selectbox(
            "Indicator",
            list(options.indicator_years),
            key="f_ind",
            format_func=lambda i: REGISTRY[i].title(),
        )
        years = options.indicator_years[indicator]
        if st.session_state.get("f_year") not in years:
            st.session_state["f_year"] = max(years)
        year = st.selectbox("Indicator year", years, key="f_year")
        st.markdown("**Programmes**")
        programmes = tuple(
            p for p in urlstate.PROGRAMMES if st.checkbox(PROGRAMME_LABELS[p], key=f"f_prog_{p}")
        )
        st.markdown("**Site status**")
        statuses = tuple(s for s in urlstate.STATUSES if st.checkbox(STATUS_LABELS[s], key=f"f_status_{s}"))
        reach = st.checkbox(
            "Walking reach of open UTOPÍAS",
            key="f_reach",
            help="Straight-line circles of 800 m and 1,500 m around open sites with coordinates; "
            "an estimate, see the method under the map.",
        )
        opened = st.slider(
            "Sites opened by (end of year)",
            *options.opened_years,
            key="f_opened",
            help="Past years show only sites known to have opened by then; "
            "'under construction' and 'announced' describe the latest year.",
        )
        boroughs = st.multiselect(
            "Boroughs",
            list(options.boroughs),
            key="f_boro",
            format_func=names.get,
            placeholder="All 16 boroughs",
        )
        with st.expander("Map options"):
            scheme = st.selectbox("Classes", urlstate.SCHEMES, key="f_scheme", format_func=SCHEME_LABELS.get)
            k = st.select_slider("Number of classes", urlstate.CLASS_COUNTS, key="f_k")
            palette = st.selectbox(
                "Colours (colour-blind safe)",
                urlstate.PALETTES,
                key="f_palette",
                format_func=PALETTE_LABELS.get,
            )
            base = st.selectbox(
                "Basemap",
                urlstate.BASEMAPS,
                key="f_base",
                format_func=BASEMAP_LABELS.get,
                disabled=offline,
                help="Offline: no basemap tiles can be loaded." if offline else None,
            )
    state = replace(
        previous,
        ind=indicator,
        year=int(year),
        prog=programmes,
        status=statuses,
        opened=int(opened),
        boro=tuple(sorted(boroughs)),
        scheme=scheme,
        k=int(k),
        palette=palette,
        base="none" if offline else base,
        reach=bool(reach),
    )
    if state != previous:
        st.session_state[NOTICES_KEY] = ()
    set_view(state)
    return state


def show_url_notices() -> None:
    """Tell the visitor which URL parameters were ignored, until the view changes."""
    for notice in st.session_state.get(NOTICES_KEY, ()):
        st.warning(notice, icon="⚠️")


def publish(options: Options) -> None:
    """Write the current view to the URL, leaving defaults out."""
    wanted = urlstate.to_query(current_view(), options)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def select_boroughs(codes: tuple[str, ...]) -> None:
    """Make ``codes`` the borough filter (from a chart selection), in the sidebar and the URL.

    Runs as a chart's ``on_select`` callback, before the rerun, so the
    sidebar's multiselect can still be given its new value. An empty
    selection changes nothing: the filter is cleared in the sidebar.
    """
    if codes:
        st.session_state["f_boro"] = sorted(codes)
        set_view(replace(current_view(), boro=tuple(sorted(codes))))
