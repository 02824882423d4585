"""Download buttons for presenters: the map as one HTML file, the one-page brief, chart images.

Thin Streamlit glue over :mod:`geo.standalone`, :mod:`geo.onepager` and
:mod:`geo.images`. No file is made on a script run: Streamlit 1.67's
``st.download_button`` takes a callable as ``data`` and calls it only when the
button is clicked (in a thread of its own, after which the browser downloads
the result), so a rerun costs the buttons and nothing else. ``on_click="ignore"``
keeps a download from rerunning the page.

Intended calls (the pages are wired by the lead):

.. code-block:: python

    # pages/map.py, under the legend. The export needs its own folium map with the
    # layers *added to it*: st_folium gets the base map and the layers separately,
    # and adding the page's layer objects to a second map would re-parent them.
    from ui.exports import map_downloads

    def export_map() -> folium.Map:
        fmap = base_map("none" if offline else view.base, (view.lat, view.lon), view.z, lang=lang)
        for layer in build_layers():  # the same builders as the page's layers, called again
            layer.add_to(fmap)
        return fmap

    map_downloads(export_map, view, atlas, lang, offline, share_url)

    # pages/compare.py, pages/programmes.py: under each chart, ``name`` unique on the page
    from ui.exports import chart_downloads

    chart_downloads(fig, "ranking", lang)

``share_url`` is the view's full link (the page's URL with its query), printed
on the brief; pass ``""`` when it is not known.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import folium
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from geo.assets.manifest import missing_assets
from geo.i18n import t, translator
from geo.images import MIME_TYPES, ExportUnavailable, chart_image, find_browser
from geo.loaders import Atlas
from geo.onepager import brief_content, brief_pdf, brief_png
from geo.standalone import legend_overlay, standalone_html
from geo.state import ViewState

CHART_WIDTH = 1200  # layout pixels; PNGs at scale 2 are 2400 px wide, enough for a full slide
CHART_PNG_SCALE = 2.0
DOWNLOAD_ICON = ":material/download:"

MapSource = folium.Map | Callable[[], folium.Map]


def _stem(view: ViewState, lang: str) -> str:
    return f"cdmx-atlas-{view.ind}-{view.year}-{lang}"


def map_html(m: MapSource, view: ViewState, atlas: Atlas, lang: str, url: str = "") -> str:
    """The map as one HTML file with its legend, sources and export date over it.

    Scripts are inlined when ``python -m geo.assets`` has installed them, so the
    file opens with no internet; otherwise it links the CDNs and says so.
    """
    fmap = m() if callable(m) else m
    content = brief_content(view, atlas, url=url, exported=date.today())
    overlay = legend_overlay(
        content.legend_title, content.legend_rows, [*content.legend_notes, *content.sources, content.footer]
    )
    title = t(
        "exports.standalone.document_title",
        lang,
        indicator=content.indicator.title(lang),
        year=view.year,
        atlas=t("app.name", lang),
    )
    return standalone_html(
        fmap, inline_assets=not missing_assets(), lang=lang, title=title, overlay_html=overlay
    )


def lazy_download(
    where: DeltaGenerator,
    label: str,
    make: Callable[[], bytes | str],
    *,
    file_name: str,
    mime: str,
    key: str,
    help: str | None = None,
    stretch: bool = False,
) -> None:
    """A download button whose file is made by ``make`` only when clicked, without rerunning the page."""
    where.download_button(
        label,
        data=make,
        file_name=file_name,
        mime=mime,
        key=key,
        help=help,
        on_click="ignore",
        icon=DOWNLOAD_ICON,
        use_container_width=stretch,
    )


@st.cache_resource(ttl=60, show_spinner=False)
def scripts_inlinable() -> bool:
    """Whether the map's scripts are installed locally (checked once a minute, not on every rerun)."""
    return not missing_assets()


def map_downloads(
    m: MapSource, view: ViewState, atlas: Atlas, lang: str, offline: bool, url: str = ""
) -> None:
    """Buttons for the map as an HTML file and the one-page brief as PNG and PDF.

    ``m`` is the finished map (layers added to it) or a function that builds it,
    called only when the HTML is downloaded. ``offline`` (the server has no
    internet) makes the missing-scripts case say so more plainly: the file
    would then need an internet connection the room may not have either.
    """
    tr = translator(lang)
    inline = scripts_inlinable()
    stem = _stem(view, lang)
    html_col, png_col, pdf_col = st.columns(3)
    lazy_download(
        html_col,
        tr("exports.map.html_offline" if inline else "exports.map.html_online"),
        lambda: map_html(m, view, atlas, lang, url),
        file_name=f"{stem}-map.html",
        mime="text/html",
        key="export-map-html",
        help=tr("exports.map.html_offline_help" if inline else "exports.map.html_online_help"),
    )
    if offline and not inline:
        html_col.caption(tr("exports.map.html_online_help"))
    for column, fmt, make in (
        (png_col, "png", lambda: brief_png(view, atlas, url=url, exported=date.today())),
        (pdf_col, "pdf", lambda: brief_pdf(view, atlas, url=url, exported=date.today())),
    ):
        lazy_download(
            column,
            tr(f"exports.map.brief_{fmt}"),
            make,
            file_name=f"{stem}-brief.{fmt}",
            mime="image/png" if fmt == "png" else "application/pdf",
            key=f"export-brief-{fmt}",
            help=tr("exports.map.brief_help"),
        )


def chart_downloads(fig: go.Figure, name: str, lang: str) -> None:
    """PNG and SVG buttons for one chart, or a note on why there are none.

    ``name`` makes the widget keys and file names (unique on the page). The
    figure is copied now, so later changes to ``fig`` do not reach the file.
    """
    tr = translator(lang)
    try:
        find_browser()
    except ExportUnavailable as exc:
        st.info(tr(exc.message_key))
        return
    snapshot = go.Figure(fig)
    for column, fmt, scale in zip(st.columns(2), ("png", "svg"), (CHART_PNG_SCALE, 1.0), strict=True):
        lazy_download(
            column,
            tr(f"exports.charts.{fmt}"),
            lambda fmt=fmt, scale=scale: chart_image(snapshot, fmt, width=CHART_WIDTH, scale=scale),
            file_name=f"cdmx-atlas-{name}.{fmt}",
            mime=MIME_TYPES[fmt],
            key=f"export-chart-{name}-{fmt}",
            help=tr(f"exports.charts.{fmt}_help"),
        )
