"""The one owner of the view: URL ⇄ widgets ⇄ session.

The view (:class:`geo.state.ViewState`) lives in the session. It is read from
the URL on a session's first run (:func:`resolve`; bad parameters fall back
with a notice), changed only through :func:`update` (a page's click or chart
selection) and :func:`show` (a slide being opened), and written back to the
URL at the end of every run (:func:`publish`), so a copied link reproduces it.
Pages, presenting and chart selections call these functions; none of them
reads or writes a widget's key.

Widgets mirror the view, they never own it. A widget bound to the view
(:func:`bind`) gets a key that changes whenever the view changes from
elsewhere (a chart selection, a slide, the language switch), so the browser
draws it afresh from the view instead of sending back a value of the old one:
Streamlit 1.67 sends a select box's *label* back, and a label in the previous
language is not an option of the new one. A widget's own change reaches the
view through its ``on_change`` callback, before the page runs.

``app.py`` resolves the view before the page and draws the filters after it
(:func:`filters`), so the map reaches the browser before the sidebar.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import streamlit as st

from geo import state as urlstate
from geo.coverage import DISTANCES_M
from geo.filters import opened_year_range
from geo.formatting import format_distances
from geo.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, t, translator
from geo.indicators import NEIGHBOURHOOD_REGISTRY, REGISTRY, mappable
from geo.loaders import Atlas
from geo.state import Options, ViewState
from geo.vocabulary import AGEB_INDICATORS, AGEB_LEVEL, BOROUGH_LEVEL, LEVELS, PROGRAMMES, STATUSES
from ui.data import get_neighbourhood_keys
from ui.userlayers import indicator_select

VIEW_KEY = "atlas_view"
OPTIONS_KEY = "atlas_options"
NOTICES_KEY = "atlas_url_notices"
GENERATION_KEY = "atlas_widgets_generation"
# Parameters of the presentation deck (ui.present), not of the view.
DECK_PARAMS = frozenset({"deck", "slide", "present"})
# View fields no widget shows: changing them (panning the map) redraws no widget.
UNSHOWN = frozenset({"lat", "lon", "z", "notices"})


def options_for(atlas: Atlas, offline: bool, language: str = DEFAULT_LANGUAGE) -> Options:
    """Return what the shipped data lets a view choose; ``language`` is the browser's, if supported."""
    colonias, agebs = get_neighbourhood_keys()
    return Options(
        indicator_years=mappable(atlas.indicators),
        boroughs=tuple(atlas.boroughs["cvegeo"]),
        opened_years=opened_year_range(atlas.sites),
        default_basemap="none" if offline else "osm",
        default_language=language,
        colonias=colonias,
        agebs=agebs,
    )


# --- widgets ⇄ view: pure ------------------------------------------------------------------------


def widget_values(state: ViewState) -> dict[str, object]:
    """Return the value each filter widget shows for ``state``, by widget name (those ``state`` draws)."""
    return {
        "lang": state.lang,
        "contrast": state.contrast,
        "level": state.level,
        **({"aind": state.aind} if state.level == AGEB_LEVEL else {}),
        "ind": state.ind,
        "year": state.year,
        "opened": state.opened,
        "boro": list(state.boro),
        "scheme": state.scheme,
        "k": state.k,
        "palette": state.palette,
        "base": state.base,
        "reach": state.reach,
        **{f"prog.{p}": p in state.prog for p in PROGRAMMES},
        **{f"status.{s}": s in state.status for s in STATUSES},
    }


def widget_change(state: ViewState, name: str, value: Any) -> dict[str, object]:
    """Return the view fields that widget ``name`` taking ``value`` changes."""
    group, _, member = name.partition(".")
    if member:
        chosen = set(getattr(state, group))
        chosen = chosen | {member} if value else chosen - {member}
        return {group: tuple(chosen)}
    if name == "boro":
        return {"boro": tuple(value)}
    return {name: value}


# --- the session's view --------------------------------------------------------------------------


def current_view() -> ViewState:
    """Return the view of this run."""
    return st.session_state[VIEW_KEY]


def current_options() -> Options:
    """Return what views can choose this session (set by :func:`resolve`, so computed once a run)."""
    return st.session_state[OPTIONS_KEY]


def key(name: str) -> str:
    """The key of view-bound widget ``name`` in this generation of the widgets."""
    return f"v.{name}.{st.session_state.get(GENERATION_KEY, 0)}"


def remount() -> None:
    """Give every view-bound widget a new key, so it is drawn afresh from the view."""
    st.session_state[GENERATION_KEY] = st.session_state.get(GENERATION_KEY, 0) + 1


def _store(new: ViewState, *, own: frozenset[str] = frozenset()) -> None:
    """Make ``new`` the view; redraw the widgets unless only ``own`` (the changing widget's fields) changed."""
    previous: ViewState | None = st.session_state.get(VIEW_KEY)
    st.session_state[VIEW_KEY] = new
    if previous is None or new == previous:
        return
    st.session_state[NOTICES_KEY] = ()
    changed = {f.name for f in fields(ViewState) if getattr(previous, f.name) != getattr(new, f.name)}
    # The map's position is shown by no widget; a new language relabels every widget.
    if changed - own - UNSHOWN or "lang" in changed:
        remount()


def update(**changes: object) -> None:
    """Change the view (a map click, a chart selection, a chosen borough): the one path for a change."""
    _store(urlstate.change(current_view(), current_options(), **changes))


def show(state: ViewState) -> None:
    """Make ``state`` the whole view (a slide being opened); the filters follow it."""
    _store(state)
    st.session_state[NOTICES_KEY] = ()


def _from_widget(name: str, widget_key: str) -> None:
    """A filter widget's ``on_change``: its new value becomes the view's.

    A widget of an earlier generation is ignored: the view was replaced after
    it was drawn (a slide opened, a chart clicked), and the browser may still
    report it in the next run (presenting crashed on that).
    """
    if widget_key != key(name) or widget_key not in st.session_state:
        return
    changes = widget_change(current_view(), name, st.session_state[widget_key])
    _store(urlstate.change(current_view(), current_options(), **changes), own=frozenset(changes))


def bind(name: str, **initial: Any) -> dict[str, Any]:
    """Keyword arguments that bind a widget to the view: its key, its callback, its first value.

    ``initial`` is the widget's own argument for the value it shows for the
    current view (``value=``, ``index=`` or ``default=``). It is given as an
    argument, not through ``st.session_state``: the browser must receive it
    with the widget even when the run that first drew it was cut short by the
    next one (the map reporting its view), or a checkbox ticked in the view
    shows unticked. Under one key the widget keeps its own state afterwards,
    which is the view's until the key changes (:func:`remount`).
    """
    widget_key = key(name)
    return {"key": widget_key, "on_change": _from_widget, "args": (name, widget_key), **initial}


def bound(
    name: str, param: str = "value", choices: list[Any] | tuple[Any, ...] | None = None
) -> dict[str, Any]:
    """:func:`bind` for a filter widget: its first value (or its ``index`` in ``choices``) from the view."""
    value = widget_values(current_view())[name]
    return bind(name, **{param: list(choices).index(value) if choices is not None else value})


def resolve(options: Options, *, offline: bool) -> ViewState:
    """Return this run's view: the URL's on a session's first run, then the session's.

    Runs before the page; the filter widgets, drawn after it, have already
    passed their changes to the view through their callbacks.
    """
    st.session_state[OPTIONS_KEY] = options
    if VIEW_KEY not in st.session_state:
        parsed = urlstate.parse_query(st.query_params.to_dict(), options, other=DECK_PARAMS)
        st.session_state[NOTICES_KEY] = parsed.notices
        st.session_state[VIEW_KEY] = parsed
    if offline and current_view().base != "none":
        st.session_state[VIEW_KEY] = urlstate.change(current_view(), options, base="none")
    return current_view()


def filters(atlas: Atlas, options: Options, *, offline: bool) -> None:
    """Draw the shared filters in the sidebar, each bound to the view."""
    names = atlas.borough_names
    lang = current_view().lang
    tr = translator(lang)
    with st.sidebar:
        st.radio(
            t("sidebar.language", DEFAULT_LANGUAGE),
            LANGUAGES,
            format_func=LANGUAGE_NAMES.get,
            horizontal=True,
            **bound("lang", "index", LANGUAGES),
        )
        st.header(tr("sidebar.filters"))
        _labelled(tr)("sidebar.level", LEVELS, "level", "level", help=tr("sidebar.level_help"))
        level = current_view().level
        if level == AGEB_LEVEL:
            st.selectbox(
                tr("sidebar.ageb_indicator"),
                AGEB_INDICATORS,
                format_func=lambda i: NEIGHBOURHOOD_REGISTRY[i].title(lang),
                help=tr("sidebar.ageb_indicator_help"),
                **bound("aind", "index", AGEB_INDICATORS),
            )
        elif level != BOROUGH_LEVEL:
            st.caption(tr("sidebar.colonia_shading"))
        # The boroughs' indicator stays: Compare and the profile chart it at every level.
        st.selectbox(
            tr("sidebar.indicator" if level == BOROUGH_LEVEL else "sidebar.borough_indicator"),
            list(options.indicator_years),
            format_func=lambda i: REGISTRY[i].title(lang),
            **bound("ind", "index", list(options.indicator_years)),
        )
        years = options.indicator_years[current_view().ind]
        st.selectbox(tr("sidebar.year"), years, **bound("year", "index", years))
        indicator_select(level, lang)
        st.markdown(f"**{tr('sidebar.programmes')}**")
        for p in PROGRAMMES:
            st.checkbox(tr(f"labels.programme.{p}"), **bound(f"prog.{p}"))
        st.markdown(f"**{tr('sidebar.status')}**")
        for s in STATUSES:
            st.checkbox(tr(f"labels.status.{s}"), **bound(f"status.{s}"))
        st.checkbox(
            tr("sidebar.reach"),
            help=tr("sidebar.reach_help", distances=format_distances(DISTANCES_M, lang)),
            **bound("reach"),
        )
        st.slider(
            tr("sidebar.opened"), *options.opened_years, help=tr("sidebar.opened_help"), **bound("opened")
        )
        st.multiselect(
            tr("sidebar.boroughs"),
            list(options.boroughs),
            format_func=names.get,
            placeholder=tr("sidebar.all_boroughs"),
            **bound("boro", "default"),
        )
        with st.expander(tr("sidebar.map_options")):
            choice = _labelled(tr)
            choice("sidebar.classes", urlstate.SCHEMES, "scheme", "scheme")
            st.select_slider(tr("sidebar.class_count"), urlstate.CLASS_COUNTS, **bound("k"))
            choice("sidebar.palette", urlstate.PALETTES, "palette", "palette")
            choice(
                "sidebar.basemap",
                urlstate.BASEMAPS,
                "base",
                "basemap",
                disabled=offline,
                help=tr("sidebar.offline_basemap") if offline else None,
            )
        st.toggle(tr("sidebar.contrast"), help=tr("sidebar.contrast_help"), **bound("contrast"))


def _labelled(tr: Callable[..., str]) -> Callable[..., None]:
    """A select box for view field ``name`` over ids named ``labels.<group>.<id>`` in the catalogue."""

    def draw(label: str, ids: tuple[str, ...], name: str, group: str, **kwargs: Any) -> None:
        st.selectbox(
            tr(label),
            ids,
            format_func=lambda i: tr(f"labels.{group}.{i}"),
            **bound(name, "index", ids),
            **kwargs,
        )

    return draw


def notify(notices: list[str]) -> None:
    """Add notices about the URL (a deck link that cannot be opened), shown until the view changes."""
    st.session_state[NOTICES_KEY] = (*st.session_state.get(NOTICES_KEY, ()), *notices)


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
    """Make ``codes`` the borough filter (a chart selection's callback, so before the rerun).

    An empty selection changes nothing: the filter is cleared in the sidebar.
    """
    if codes:
        update(boro=codes)
