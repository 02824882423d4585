"""The visitor's confirmed layers, kept in this session only: nobody else sees them, they go with the session.

Nothing is written to disk or to a cache shared between sessions; the page
adds and removes layers, the map model reads them (``ui.data.map_model_of``).
"""

from __future__ import annotations

import streamlit as st

from geo.userlayers import UserLayer

_KEY = "atlas_user_layers"
_COUNTER = "atlas_user_layer_counter"


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
