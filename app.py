"""CDMX Inclusion Atlas: entry point and navigation.

Run with ``make run`` (``python -m ui.serve run app.py``; see ``ui/serve.py``). The screens are declared in
``geo/screens.py``; the view (filters, map position, language) is owned by
``ui/view.py`` and kept in the URL, so every page draws from the same view.
"""

from __future__ import annotations

import streamlit as st

from geo.i18n import language_of, t
from geo.screens import HOME, SCREENS
from ui import first_paint, present, style, view
from ui.compat import settle_legacy_run
from ui.data import get_atlas, offline_status
from ui.errors import run_page

st.set_page_config(page_icon="🗺️", layout="wide")

atlas = get_atlas()
offline, _ = offline_status()
options = view.options_for(atlas, offline, language_of(st.context.locale))
view.resolve(options, offline=offline)
present.start(options)
present.pin(options)
settle_legacy_run(view.remount)
current = view.current_view()
st.set_page_config(page_title=t("app.name", current.lang))
style.apply(high_contrast=current.contrast)

pages = {
    screen.slug: st.Page(
        screen.file,
        title=screen.title(current.lang),
        icon=screen.icon,
        url_path=screen.slug,
        default=screen is HOME,
    )
    for screen in SCREENS
}
presenting = present.presenting() is not None
page = st.navigation(list(pages.values()), position="hidden" if presenting else "sidebar")
present.follow(page, pages)
if presenting:
    present.slide_header(current)
view.show_url_notices()
run_page(page, current.lang)
if presenting:
    present.slide_footer(current, options, atlas)
# The sidebar comes last, so the page (and its map) reaches the browser first;
# on a session's first run of the map page it waits for the map (ui.first_paint).
if first_paint.controls_now(present.page_path(page)):
    view.filters(atlas, options, offline=offline)
    present.sidebar_controls(present.page_path(page), options, atlas, current)
view.publish(options, extra=present.url_params())
