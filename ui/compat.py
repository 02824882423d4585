"""Work around a Streamlit quirk that the project's layout triggers.

A folder named ``pages/`` beside ``app.py`` switches the very first script run
of a server process into Streamlit's legacy multipage mode, before
``st.navigation`` turns it off for good. Widgets get their identity from the
page they run under, so the filters of that first run and of every later run
are different widgets: without care, the first visitor after a restart saw the
filters fall back to their defaults on the second run. :func:`settle_legacy_run`
notices that run and has the widgets drawn afresh on the next one, for a server
started with plain ``streamlit run`` (and for AppTest); :func:`leave_legacy_pages_mode`,
called by the Atlas's own launcher (``ui.serve``) before the server starts,
avoids the mode altogether.
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


def leave_legacy_pages_mode() -> None:
    """Tell Streamlit, before its server starts, that the app declares its pages with ``st.navigation``.

    Streamlit decides once per process, when the first session's page
    manager is made, that a ``pages/`` folder means legacy mode; a value
    already set is kept, and ``st.navigation`` sets this same value later.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the legacy mode
        return
    PagesManager.uses_pages_directory = False


def settle_legacy_run(remount: Callable[[], None]) -> None:
    """Call ``remount`` on the first run after a legacy-mode run (call before ``st.navigation``).

    AppTest runs every run in legacy mode, where widget identities stay the
    same from run to run, so nothing needs redrawing there.
    """
    if in_legacy_multipage_mode():
        st.session_state[_LEGACY_KEY] = True
    elif st.session_state.pop(_LEGACY_KEY, False):
        remount()
