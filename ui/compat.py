"""Work around a Streamlit quirk that the project's layout triggers.

A folder named ``pages/`` beside ``app.py`` switches the very first script run
of a server process into Streamlit's legacy multipage mode, before
``st.navigation`` turns it off for good. Widgets get their identity from the
page they run under, so the filters of that first run and of every later run
are different widgets: without care, the first visitor after a restart saw the
filters fall back to their defaults on the second run. :func:`settle_legacy_run`
notices that run and has the widgets drawn afresh on the next one.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

_LEGACY_KEY = "atlas_legacy_run"


def in_legacy_multipage_mode() -> bool:
    """Return True if this script run was started in legacy multipage mode.

    Call it before ``st.navigation``, which leaves that mode.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the legacy mode
        return False
    return bool(PagesManager.uses_pages_directory)


def settle_legacy_run(remount: Callable[[], None]) -> None:
    """Call ``remount`` on the first run after a legacy-mode run (call before ``st.navigation``).

    AppTest runs every run in legacy mode, where widget identities stay the
    same from run to run, so nothing needs redrawing there.
    """
    if in_legacy_multipage_mode():
        st.session_state[_LEGACY_KEY] = True
    elif st.session_state.pop(_LEGACY_KEY, False):
        remount()
