"""CDMX Inclusion Atlas: entry point and navigation.

Run with ``streamlit run app.py``. The shared filters live in the sidebar and
in the URL; each page in ``pages/`` draws from the same view.
"""

from __future__ import annotations

import streamlit as st

from ui import view
from ui.data import get_atlas, offline_status

st.set_page_config(page_title="CDMX Inclusion Atlas", page_icon="🗺️", layout="wide")

atlas = get_atlas()
offline, _ = offline_status()
options = view.options_for(atlas, offline)
view.sidebar(atlas, options, offline=offline)

page = st.navigation(
    [
        st.Page("pages/map.py", title="Map", icon="🗺️", default=True),
        st.Page("pages/sources.py", title="Sources", icon="📚"),
    ]
)
page.run()
view.publish(options)
