"""Work around a Streamlit quirk that the project's layout triggers.

A folder named ``pages/`` beside ``app.py`` switches the very first script run
of a server process into Streamlit's legacy multipage mode, before
``st.navigation`` turns it off for good. Widgets get their identity from the
page they run under, so the filters of that first run and of every later run
are different widgets: without care, the first visitor after a restart saw the
filters fall back to their defaults (nothing ticked, first indicator) on the
second run. :func:`in_legacy_multipage_mode` lets the sidebar notice that run
and hand the view over to the new widgets.
"""

from __future__ import annotations


def in_legacy_multipage_mode() -> bool:
    """Return True if this script run was started in legacy multipage mode.

    Call it before ``st.navigation``, which leaves that mode.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the legacy mode
        return False
    return bool(PagesManager.uses_pages_directory)
