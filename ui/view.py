"""The shared filters in the sidebar, and the view they make, kept in the URL.

``app.py`` resolves the view before the page runs (:func:`resolve`) and draws
the filters after it (:func:`filters`), so every page sees the same filters,
they survive page changes, and the map reaches the browser before the
sidebar's controls. The URL is parsed once per session (bad parameters fall
back with a notice), widgets then drive the view, and the view is written back
to the URL so a copied link reproduces it.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import replace

import streamlit as st

from geo import state as urlstate
from geo.filters import opened_year_range
from geo.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, t, translator
from geo.indicators import REGISTRY, mappable
from geo.loaders import Atlas
from geo.state import Options, ViewState
from geo.vocabulary import PROGRAMMES, STATUSES

VIEW_KEY = "atlas_view"
OPTIONS_KEY = "atlas_options"
NOTICES_KEY = "atlas_url_notices"
LEGACY_KEY = "atlas_legacy_run"
# Parameters of the presentation deck (ui.present), not of the view.
DECK_PARAMS = frozenset({"deck", "slide", "present"})


def options_for(atlas: Atlas, offline: bool, language: str = DEFAULT_LANGUAGE) -> Options:
    """Return what the shipped data lets a view choose; ``language`` is the browser's, if supported."""
    return Options(
        indicator_years=mappable(atlas.indicators),
        boroughs=tuple(atlas.boroughs["cvegeo"]),
        opened_years=opened_year_range(atlas.sites),
        default_basemap="none" if offline else "osm",
        default_language=language,
    )


def widget_values(state: ViewState) -> dict[str, object]:
    """Return the value each filter widget shows for ``state``."""
    return {
        "f_lang": state.lang,
        "f_contrast": state.contrast,
        "f_ind": state.ind,
        "f_year": state.year,
        "f_opened": state.opened,
        "f_boro": list(state.boro),
        "f_scheme": state.scheme,
        "f_k": state.k,
        "f_palette": state.palette,
        "f_base": state.base,
        "f_reach": state.reach,
        **{f"f_prog_{p}": p in state.prog for p in PROGRAMMES},
        **{f"f_status_{s}": s in state.status for s in STATUSES},
    }


def _restore_widgets(state: ViewState) -> None:
    """Give every filter widget without a value the one ``state`` implies.

    Done on every run, not only the first: when a run is interrupted (the map
    reports its position while the page is still loading), Streamlit may drop
    the values of widgets that run did not reach, and they would come back at
    their defaults instead of the view in the URL.
    """
    for key, value in widget_values(state).items():
        if key not in st.session_state:
            st.session_state[key] = value


def current_view() -> ViewState:
    """Return the view of this run (set by :func:`sidebar`, updated by pages)."""
    return st.session_state[VIEW_KEY]


def current_options() -> Options:
    """Return what views can choose this session (set by :func:`resolve`, so computed once a run)."""
    return st.session_state[OPTIONS_KEY]


def set_view(state: ViewState) -> None:
    """Record a page's change to the view (map pan, borough click)."""
    st.session_state[VIEW_KEY] = state


def show(state: ViewState) -> None:
    """Make ``state`` the view and put the filter widgets on it (a slide being opened).

    Call it before the sidebar renders: in a callback, or before ``sidebar``.
    """
    st.session_state[VIEW_KEY] = state
    st.session_state[NOTICES_KEY] = ()
    st.session_state.update(widget_values(state))


def resolve(options: Options, *, offline: bool, legacy_run: bool = False) -> ViewState:
    """Return this run's view: the URL's on a session's first run, then the filters' values.

    Runs before the page, while the filter widgets are drawn after it
    (:func:`filters`), so the map reaches the browser before the sidebar's
    controls do. A widget's value is in ``st.session_state`` under its key
    before the script runs, so reading it here is what the widget returns.
    ``legacy_run`` says this run is in Streamlit's legacy multipage mode (see
    ``ui.compat``); the first run after it gets new widgets, which are handed
    the view explicitly.
    """
    st.session_state[OPTIONS_KEY] = options
    if VIEW_KEY not in st.session_state:
        parsed = urlstate.parse_query(st.query_params.to_dict(), options, other=DECK_PARAMS)
        st.session_state[NOTICES_KEY] = parsed.notices
        st.session_state[VIEW_KEY] = parsed
    previous: ViewState = st.session_state[VIEW_KEY]
    if legacy_run:
        st.session_state[LEGACY_KEY] = True
        _restore_widgets(previous)
    elif st.session_state.pop(LEGACY_KEY, False):
        st.session_state.update(widget_values(previous))
    else:
        _restore_widgets(previous)
    value = st.session_state
    if value["f_ind"] not in options.indicator_years:
        value["f_ind"] = previous.ind
    years = options.indicator_years[value["f_ind"]]
    if value.get("f_year") not in years:
        value["f_year"] = max(years)
    state = replace(
        previous,
        ind=value["f_ind"],
        year=int(value["f_year"]),
        prog=tuple(p for p in PROGRAMMES if value[f"f_prog_{p}"]),
        status=tuple(s for s in STATUSES if value[f"f_status_{s}"]),
        opened=int(value["f_opened"]),
        boro=tuple(sorted(value["f_boro"])),
        scheme=value["f_scheme"],
        k=int(value["f_k"]),
        palette=value["f_palette"],
        base="none" if offline else value["f_base"],
        reach=bool(value["f_reach"]),
        lang=value["f_lang"],
        contrast=bool(value["f_contrast"]),
    )
    if state != previous:
        st.session_state[NOTICES_KEY] = ()
    set_view(state)
    return state


def filters(atlas: Atlas, options: Options, *, offline: bool) -> None:
    """Draw the shared filters in the sidebar; their values make the next run's view (:func:`resolve`)."""
    names = atlas.borough_names
    with st.sidebar:
        lang = st.radio(
            t("sidebar.language", DEFAULT_LANGUAGE),
            LANGUAGES,
            key="f_lang",
            format_func=LANGUAGE_NAMES.get,
            horizontal=True,
        )
        tr = translator(lang)
        st.header(tr("sidebar.filters"))
        indicator = st.selectbox(
            tr("sidebar.indicator"),
            list(options.indicator_years),
            key="f_ind",
            format_func=lambda i: REGISTRY[i].title(lang),
        )
        st.selectbox(tr("sidebar.year"), options.indicator_years[indicator], key="f_year")
        st.markdown(f"**{tr('sidebar.programmes')}**")
        for p in PROGRAMMES:
            st.checkbox(tr(f"labels.programme.{p}"), key=f"f_prog_{p}")
        st.markdown(f"**{tr('sidebar.status')}**")
        for s in STATUSES:
            st.checkbox(tr(f"labels.status.{s}"), key=f"f_status_{s}")
        st.checkbox(tr("sidebar.reach"), key="f_reach", help=tr("sidebar.reach_help"))
        st.slider(tr("sidebar.opened"), *options.opened_years, key="f_opened", help=tr("sidebar.opened_help"))
        st.multiselect(
            tr("sidebar.boroughs"),
            list(options.boroughs),
            key="f_boro",
            format_func=names.get,
            placeholder=tr("sidebar.all_boroughs"),
        )
        with st.expander(tr("sidebar.map_options")):
            st.selectbox(
                tr("sidebar.classes"),
                urlstate.SCHEMES,
                key="f_scheme",
                format_func=lambda s: tr(f"labels.scheme.{s}"),
            )
            st.select_slider(tr("sidebar.class_count"), urlstate.CLASS_COUNTS, key="f_k")
            st.selectbox(
                tr("sidebar.palette"),
                urlstate.PALETTES,
                key="f_palette",
                format_func=lambda p: tr(f"labels.palette.{p}"),
            )
            st.selectbox(
                tr("sidebar.basemap"),
                urlstate.BASEMAPS,
                key="f_base",
                format_func=lambda b: tr(f"labels.basemap.{b}"),
                disabled=offline,
                help=tr("sidebar.offline_basemap") if offline else None,
            )
        st.toggle(tr("sidebar.contrast"), key="f_contrast", help=tr("sidebar.contrast_help"))


def show_url_notices() -> None:
    """Tell the visitor which URL parameters were ignored, until the view changes."""
    for notice in st.session_state.get(NOTICES_KEY, ()):
        st.warning(notice, icon=":material/warning:")


def publish(options: Options, extra: dict[str, str] | None = None) -> None:
    """Write the current view (and ``extra``, the deck's place) to the URL, leaving defaults out."""
    wanted = {**urlstate.to_query(current_view(), options), **(extra or {})}
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def share_link(state: ViewState) -> str:
    """The full link to ``state`` on the current page (printed on exports), or "" if unknown."""
    base = (st.context.url or "").split("?")[0]
    query = urllib.parse.urlencode(urlstate.to_query(state, current_options()), safe=",")
    return f"{base}?{query}" if base else ""


def select_boroughs(codes: tuple[str, ...]) -> None:
    """Make ``codes`` the borough filter (from a chart selection), in the sidebar and the URL.

    Runs as a chart's ``on_select`` callback, before the rerun, so the
    sidebar's multiselect can still be given its new value. An empty
    selection changes nothing: the filter is cleared in the sidebar.
    """
    if codes:
        st.session_state["f_boro"] = sorted(codes)
        set_view(replace(current_view(), boro=tuple(sorted(codes))))
