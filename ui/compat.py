"""Work around a Streamlit quirk that the project's layout triggers.

A folder named ``pages/`` beside ``app.py`` switches the very first script run
of a server process into Streamlit's legacy multipage mode, before
``st.navigation`` can turn it off. Widgets created in that run get other
identities than in every later run, so the first visitor after a restart saw
the filters come back at their widget defaults (nothing ticked, first
indicator). Leaving that mode before any widget exists avoids it.
"""

from __future__ import annotations

import streamlit as st


def leave_legacy_multipage_mode() -> None:
    """Rerun at once, in ``st.navigation`` mode, if this run is in legacy multipage mode."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the legacy mode
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
