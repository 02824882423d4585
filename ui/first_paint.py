"""The map first: a session's first run of the map page leaves the sidebar's controls to the next run.

The sidebar's filters and deck controls need about 40 of the Streamlit
frontend's code files (select boxes, slider, multiselect, radio, text fields,
about 300 kB). Asked for together with the map, they queue on the same server
ahead of the map's own scripts and the map becomes visible later than a page
with one checkbox (``python -m bench``). The map reports its view to the server
as soon as it has drawn, which reruns the script; that run, and every later
one, draws the controls. Should no second run come (the map's scripts failed),
a timer asks for one after ``FALLBACK_S`` seconds.

Other pages, and a map page whose scripts are not installed (it may never
report), draw the controls at once.
"""

from __future__ import annotations

import streamlit as st

from geo.screens import BY_SLUG, HOME
from ui.data import offline_status

#: Set on a session's first run: from then on every run draws the controls.
PAINTED_KEY = "atlas_first_paint_done"
_TIMER_KEY = "atlas_first_paint_timer"
#: How long the first paint waits for the map's report before rerunning anyway.
FALLBACK_S = 2.0


def map_first(page_path: str = HOME.slug) -> bool:
    """Whether this is a session's first run of the map page, whose controls wait for the next run.

    The map page asks it too: its colonia search box (a text field's frontend
    code) waits like the sidebar's controls.
    """
    return PAINTED_KEY not in st.session_state and BY_SLUG.get(page_path) is HOME and not offline_status()[1]


def controls_now(page_path: str) -> bool:
    """Whether this run draws the sidebar's controls (False only on a session's first map run)."""
    first = map_first(page_path)
    st.session_state[PAINTED_KEY] = True
    if first:
        _rerun_unless_the_map_reports()
        return False
    return True


@st.fragment(run_every=FALLBACK_S)
def _rerun_unless_the_map_reports() -> None:
    """Runs with the first paint, then every ``FALLBACK_S`` s until a full run leaves it out.

    The map's report normally brings that full run first; if the timer comes
    first, it asks for the full run itself.
    """
    if st.session_state.pop(_TIMER_KEY, False):
        st.rerun(scope="app")
    st.session_state[_TIMER_KEY] = True
