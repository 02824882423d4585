"""CDMX Inclusion Atlas: entry point and navigation.

Run with ``streamlit run app.py``. The shared filters live in the sidebar and
in the URL; each page in ``pages/`` draws from the same view.
"""

from __future__ import annotations

import streamlit as st

from geo.i18n import language_of, translator
from ui import first_paint, present, style, view
from ui.compat import in_legacy_multipage_mode
from ui.data import get_atlas, offline_status
from ui.errors import run_page

st.set_page_config(page_icon="🗺️", layout="wide")

atlas = get_atlas()
offline, _ = offline_status()
options = view.options_for(atlas, offline, language_of(st.context.locale))
present.start(options, options.default_language)
present.pin(options)
current = view.resolve(options, offline=offline, legacy_run=in_legacy_multipage_mode())
tr = translator(current.lang)
st.set_page_config(page_title=tr("app.name"))
style.apply(high_contrast=current.contrast)

# Each url_path differs from its file's name on purpose: a folder named pages/
# also triggers Streamlit's legacy multipage mode, whose page for pages/map.py
# would otherwise share the hash of the "map" page and be run without this
# script (and so without the shared filters) on reruns.
PAGES = [
    st.Page(f"pages/{name}.py", title=tr(f"app.page.{name}"), icon=icon, url_path=path, default=name == "map")
    for name, icon, path in (
        ("map", ":material/map:", "atlas"),
        ("compare", ":material/bar_chart:", "compare-boroughs"),
        ("profile", ":material/location_city:", "borough-profile"),
        ("programmes", ":material/construction:", "programmes-and-sites"),
        ("sources", ":material/menu_book:", "sources-and-terms"),
        ("deck", ":material/slideshow:", "presentation"),
    )
]
presenting = present.presenting() is not None
page = st.navigation(PAGES, position="hidden" if presenting else "sidebar")
present.follow(page, PAGES)
if presenting:
    present.slide_header(current)
run_page(page, current.lang)
if presenting:
    present.slide_footer(current, options, atlas)
# The sidebar comes last, so the page (and its map) reaches the browser first;
# on a session's first run of the map page it waits for the map (ui.first_paint).
if first_paint.controls_now(present.page_path(page)):
    view.filters(atlas, options, offline=offline)
    present.sidebar_controls(present.page_path(page), options, atlas, current)
view.publish(options, extra=present.url_params())
