"""Download buttons for presenters: the map as one HTML file, the one-page brief, chart images,
and at a neighbourhood level the AGEB or colonia table.

Thin Streamlit glue over :mod:`geo.standalone`, :mod:`geo.brief`,
:mod:`geo.images` and :mod:`geo.exports`. No file is made on a script run: Streamlit 1.67's
``st.download_button`` takes a callable as ``data`` and calls it only when the
button is clicked (in a thread of its own, after which the browser downloads
the result), so a rerun costs the buttons and nothing else. ``on_click="ignore"``
keeps a download from rerunning the page.

The map's files are made from the Map screen's model (:mod:`geo.mapmodel`),
the one the page draws: :func:`map_downloads` under the map's legend, and
:func:`chart_downloads` under each chart (``name`` unique on the page).
``url`` is the view's full link (the page's URL with its query), printed on
the files; pass ``""`` when it is not known.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from geo import exports
from geo.assets.manifest import missing_assets
from geo.brief.content import map_brief
from geo.brief.layout import brief_pdf, brief_png
from geo.formatting import format_count
from geo.i18n import t, translator
from geo.images import MIME_TYPES, ExportUnavailable, chart_image, find_browser
from geo.loaders import NeighbourhoodLayers
from geo.mapmodel import MapModel
from geo.mapview import finished_map
from geo.standalone import legend_overlay, standalone_html
from geo.vocabulary import AGEB_LEVEL
from ui.data import get_neighbourhoods

CHART_WIDTH = 1200  # layout pixels; PNGs at scale 2 are 2400 px wide, enough for a full slide
CHART_PNG_SCALE = 2.0
DOWNLOAD_ICON = ":material/download:"


def _stem(model: MapModel) -> str:
    """The files' common name: the level (if not boroughs), what the map shades, its year, the language."""
    view, areas = model.view, model.areas
    if areas is not None:
        return f"cdmx-atlas-{areas.level}-{areas.indicator.id}-{areas.year}-{view.lang}"
    return f"cdmx-atlas-{view.ind}-{view.year}-{view.lang}"


def map_html(model: MapModel, url: str = "") -> str:
    """The map as shown, as one HTML file with its legend, sources and export date over it.

    Scripts are inlined when ``python -m geo.assets`` has installed them, so the
    file opens with no internet; otherwise it links the CDNs and says so.
    """
    lang = model.lang
    brief = map_brief(model, url=url, exported=date.today())
    overlay = legend_overlay(
        brief.legend_title, brief.legend_rows, [*brief.legend_notes, *brief.frame.sources, brief.frame.footer]
    )
    title = t(
        "exports.standalone.document_title", lang, title=brief.frame.document_title, atlas=t("app.name", lang)
    )
    return standalone_html(
        finished_map(model),
        inline_assets=not missing_assets(),
        lang=lang,
        title=title,
        overlay_html=overlay,
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


def map_downloads(model: MapModel, offline: bool, url: str = "") -> None:
    """Buttons for the map as an HTML file and the one-page brief as PNG and PDF, all made from ``model``.

    ``offline`` (the server has no internet) makes the missing-scripts case
    say so more plainly: the file would then need an internet connection the
    room may not have either.
    """
    lang = model.lang
    tr = translator(lang)
    inline = scripts_inlinable()
    stem = _stem(model)
    html_col, png_col, pdf_col = st.columns(3)
    lazy_download(
        html_col,
        tr("exports.map.html_offline" if inline else "exports.map.html_online"),
        lambda: map_html(model, url),
        file_name=f"{stem}-map.html",
        mime="text/html",
        key="export-map-html",
        help=tr("exports.map.html_offline_help" if inline else "exports.map.html_online_help"),
    )
    if offline and not inline:
        html_col.caption(tr("exports.map.html_online_help"))
    for column, fmt, make in (
        (png_col, "png", lambda: brief_png(map_brief(model, url=url, exported=date.today()))),
        (pdf_col, "pdf", lambda: brief_pdf(map_brief(model, url=url, exported=date.today()))),
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
    if model.areas is not None:
        table_downloads(model)


def _tables(layers: NeighbourhoodLayers, level: str, names: Mapping[str, str]) -> dict[str, Callable]:
    """The tables a level offers, by name, each made only when called."""
    if level == AGEB_LEVEL:
        return {
            "agebs": lambda: exports.agebs_table(layers.agebs, layers.fields, names),
            "ageb_fields": lambda: exports.ageb_fields_table(layers.fields),
        }
    return {"colonias": lambda: exports.colonias_table(layers.colonias, names)}


def table_downloads(model: MapModel) -> None:
    """In an expander, the view's level as CSV: every AGEB with CONAPO's figures (and the column
    guide), or every colonia with its estimated people; the whole city, whatever the filters."""
    lang, level = model.lang, model.view.level
    tr = translator(lang)
    layers = get_neighbourhoods()
    rows = {"agebs": len(layers.agebs), "colonias": len(layers.colonias), "ageb_fields": len(layers.fields)}
    with st.expander(tr(f"exports.tables.heading_{level}")):
        st.caption(tr(f"exports.tables.help_{level}"))
        tables = _tables(layers, level, model.names)
        for column, (name, make) in zip(st.columns(len(tables)), tables.items(), strict=True):
            lazy_download(
                column,
                tr(f"exports.tables.{name}", n=format_count(rows[name], lang)),
                lambda make=make: exports.table_csv(make()),
                file_name=f"cdmx-atlas-{name.replace('_', '-')}.csv",
                mime="text/csv",
                key=f"export-{name}-csv",
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
