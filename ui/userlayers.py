"""The visitor's confirmed layers, kept in this session only: nobody else sees them, they go with the session.

Nothing is written to disk or to a cache shared between sessions; the page
adds and removes layers, the map model reads them (``ui.data.map_model_of``),
and the sidebar offers the borough indicator tables as the map's shading.
"""

from __future__ import annotations

import streamlit as st

from geo.i18n import t
from geo.userindicator import Choice, choice_label, shading_choices
from geo.userlayers import UserLayer

_KEY = "atlas_user_layers"
_COUNTER = "atlas_user_layer_counter"
# The session's own indicator shading the boroughs (never in the URL), and its widget's key.
_SHADING = "atlas_user_shading"
_SHADING_WIDGET = "atlas_user_shading_select"


def session_layers() -> tuple[UserLayer, ...]:
    """The layers this session confirmed, in the order it confirmed them."""
    return tuple(st.session_state.get(_KEY, ()))


def new_ident() -> str:
    """An identifier no layer of this session has had (widget keys and removal use it)."""
    counter = st.session_state.get(_COUNTER, 0) + 1
    st.session_state[_COUNTER] = counter
    return f"layer{counter}"


def add_layer(layer: UserLayer) -> None:
    st.session_state[_KEY] = (*session_layers(), layer)


def remove_layer(ident: str) -> None:
    st.session_state[_KEY] = tuple(layer for layer in session_layers() if layer.ident != ident)


def shading_choice() -> Choice | None:
    """The session's choice of its own indicator to shade the map with (the map model checks it still fits)."""
    return st.session_state.get(_SHADING)


def _keep_choice() -> None:
    st.session_state[_SHADING] = st.session_state[_SHADING_WIDGET]


def indicator_select(level: str, lang: str) -> None:
    """The sidebar's "Your indicators" select, when the session has an indicator table of the map's ``level``.

    The choice is kept in the session, not the URL: a link shared with
    someone else must not name a layer they do not have.
    """
    layers = session_layers()
    choices = shading_choices(layers, level)
    if not choices:
        return
    names = {layer.ident: layer for layer in layers}
    options: list[Choice | None] = [None, *choices]
    chosen = shading_choice()
    st.selectbox(
        t("your_indicator.select", lang),
        options,
        index=options.index(chosen) if chosen in options else 0,
        format_func=lambda c: (
            t("your_indicator.none", lang) if c is None else choice_label(names[c[0]], c[1], lang)
        ),
        help=t("your_indicator.help", lang),
        key=_SHADING_WIDGET,
        on_change=_keep_choice,
    )
