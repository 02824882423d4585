"""A one-page brief of a view (A4 landscape, PNG or PDF) for presenters, drawn with matplotlib.

The page holds what the map page shows, for people who will not open the
Atlas: the title (indicator and year, in the view's language), the 16
boroughs shaded with the *same* classes and colours as the web map
(:func:`geo.classify.classify` with the view's scheme, class count and
palette; missing values in the no-data grey), the programme sites that have
coordinates as markers by status, the selected boroughs highlighted, the
legend (labels from :func:`geo.legend.class_labels`), the key figures of
:func:`geo.filters.headline`, the sources with their years, the boundaries'
attribution, the export date, the Atlas's name and the view's URL.

:func:`brief_content` computes every text and colour once; :func:`brief_figure`
draws it; :func:`brief_png` and :func:`brief_pdf` return file bytes. Only
matplotlib's object API is used (no pyplot), so pages may render briefs from
several threads.

Pure Python: no Streamlit import.
"""

from __future__ import annotations

import io
import math
import textwrap
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import geopandas as gpd
import matplotlib as mpl
import shapely
from babel.dates import format_date
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrow, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.textpath import TextPath
from shapely.ops import polylabel

from geo.citations import cite, indicator_sources, short_source
from geo.classify import NO_DATA_COLOUR, Classes, classify
from geo.filters import HEADLINE_YEAR, Headline, filter_sites, headline, opened_year_range
from geo.formatting import LOCALES, format_count, format_value
from geo.i18n import t, translator
from geo.indicators import REGISTRY, Indicator, rows_for
from geo.legend import class_labels
from geo.loaders import Atlas
from geo.state import ViewState
from geo.vocabulary import STATUSES

A4_LANDSCAPE_IN = (11.69, 8.27)
DEFAULT_DPI = 150
#: awesome-markers' colours of the web map's status markers, and a shape per status.
STATUS_MARKERS = {
    "open": ("#0067a3", "*", 150),
    "under_construction": ("#f69730", "^", 70),
    "announced": ("#575757", "D", 45),
}
INK = "#1a1a1a"
MUTED = "#555555"
RULE = "#bbbbbb"
OUTLINE = "#ffffff"
SELECTED_OUTLINE = "#111111"
FADED_ALPHA = 0.3
SCALE_KM = 5
#: Borough names keep this far (degrees, about 800 m) from site markers where they can.
MARKER_CLEARANCE_DEG = 0.008
#: ...where that leaves this much room around the name, else it goes to the middle of the borough.
LABEL_ROOM_DEG = 0.006
WRAP_SAFETY = 0.95
LABEL_PT, SMALL_LABEL_PT = 6.6, 5.8
SMALL_BOROUGH_DEG2 = 0.0035  # about 40 km²: Azcapotzalco, Iztacalco, Benito Juárez, Cuauhtémoc…
# matplotlib keeps its settings in one global dict: PDF font embedding is set under this lock.
_RC_LOCK = threading.Lock()


@dataclass(frozen=True)
class BriefContent:
    """Everything a brief shows, already in the view's language."""

    lang: str
    title: str
    subtitle: list[str]
    indicator: Indicator
    year: int
    classes: Classes
    fills: dict[str, str]
    legend_title: str
    legend_rows: list[tuple[str, str]]
    legend_notes: list[str]
    site_rows: list[tuple[str, str]]
    sites: gpd.GeoDataFrame
    figures: list[tuple[str, str, str]]
    sources: list[str]
    footer: str
    highlighted: tuple[str, ...] = ()
    selected: str = ""
    contrast: bool = False
    names: dict[str, str] = field(default_factory=dict)


def _figures(figures: Headline, lang: str) -> list[tuple[str, str, str]]:
    """(value, label, note) of the four key figures."""
    tr = translator(lang)
    weighted = tr("exports.brief.poverty_weighted") if len(figures.boroughs) > 1 else ""
    persons = tr("exports.brief.poverty_persons", n=format_count(figures.poverty_persons, lang))
    return [
        (format_count(figures.sites_on_map, lang), tr("exports.brief.sites_on_map"), ""),
        (format_count(figures.sites_not_mapped, lang), tr("exports.brief.sites_not_mapped"), ""),
        (format_count(figures.population, lang), tr("exports.brief.population", year=figures.year), ""),
        (
            format_value(figures.poverty_pct, "percent", lang),
            tr("exports.brief.poverty", year=figures.year),
            persons + (f"; {weighted}" if weighted else ""),
        ),
    ]


def brief_content(
    view: ViewState, atlas: Atlas, *, url: str = "", exported: date | None = None
) -> BriefContent:
    """Compute the brief of ``view``: classes and colours as on the web map, texts in ``view.lang``."""
    lang = view.lang
    tr = translator(lang)
    indicator = REGISTRY[view.ind]
    names = atlas.borough_names
    rows = rows_for(atlas.indicators, view.ind, view.year)
    values = rows.set_index("cvegeo")["value"].reindex(atlas.boroughs["cvegeo"])
    classes = classify(values, view.scheme, view.k, view.palette, higher_is_worse=indicator.higher_is_worse)
    fills = {code: classes.colour_of(code) for code in atlas.boroughs["cvegeo"]}

    latest = opened_year_range(atlas.sites)[1]
    selected_sites = filter_sites(atlas.sites, view, latest)
    figures = headline(atlas, view, selected_sites)
    mapped = selected_sites[selected_sites.geometry.notna()]

    subtitle = [
        tr("exports.brief.scope_some", names=", ".join(names[c] for c in view.boro))
        if view.boro
        else tr("exports.brief.scope_all")
    ]
    if view.prog and view.status:
        programmes = ", ".join(tr(f"labels.programme.{p}") for p in view.prog)
        statuses = ", ".join(tr(f"labels.status.{s}") for s in STATUSES if s in view.status)
        subtitle.append(
            tr(
                "exports.brief.sites_filter",
                programmes=programmes,
                statuses=statuses,
                year=min(view.opened, latest),
            )
        )
    else:
        subtitle.append(tr("exports.brief.no_sites_filter"))
    if view.sel:
        subtitle.append(tr("exports.brief.selected", name=names.get(view.sel, view.sel)))

    counts = classes.of.value_counts()
    legend_rows = [
        (colour, f"{label} ({int(counts.get(number, 0))})")
        for number, (colour, label) in enumerate(
            zip(classes.colours, class_labels(classes, indicator.fmt, lang), strict=True)
        )
    ]
    if int(counts.get(-1, 0)):
        legend_rows.append((NO_DATA_COLOUR, f"{tr('exports.brief.no_data')} ({int(counts.get(-1, 0))})"))
    direction = {True: "darker", False: "darker_lower", None: "darker_more"}[indicator.higher_is_worse]
    legend_notes = [tr(f"exports.brief.{direction}")]
    if classes.colours:  # none when every value is missing
        scheme = tr(f"labels.scheme.{view.scheme}")
        legend_notes.insert(0, tr("exports.brief.classes", scheme=scheme, k=len(classes.colours)))
    if view.boro:
        legend_notes.append(tr("exports.brief.faded"))
    by_status = mapped["status"].value_counts()
    site_rows = [
        (
            status,
            tr("exports.brief.site_count", label=tr(f"labels.status.{status}"), n=int(by_status[status])),
        )
        for status in STATUSES
        if int(by_status.get(status, 0))
    ]

    poverty_sources = [
        short_source(s) for s in rows_for(atlas.indicators, "poverty_pct", HEADLINE_YEAR)["source"]
    ]
    population_sources = [
        short_source(s) for s in rows_for(atlas.indicators, "population_total", HEADLINE_YEAR)["source"]
    ]
    sources = [
        tr(
            "exports.brief.source_indicator",
            indicator=indicator.title(lang),
            sources=indicator_sources(atlas, view.ind, view.year, lang),
        ),
        tr(
            "exports.brief.source_figures",
            sources=cite([*population_sources, *poverty_sources], HEADLINE_YEAR),
        ),
        tr("exports.brief.source_boundaries") + " · " + tr("exports.brief.source_sites"),
    ]
    day = format_date(exported or date.today(), format="long", locale=LOCALES.get(lang, "es_MX"))
    footer = tr("exports.brief.exported", atlas=tr("app.name"), date=day)
    if url:
        footer += " · " + tr("exports.brief.view", url=url)
    return BriefContent(
        lang=lang,
        title=tr("exports.brief.title", indicator=indicator.title(lang), year=view.year),
        subtitle=subtitle,
        indicator=indicator,
        year=view.year,
        classes=classes,
        fills=fills,
        legend_title=f"{indicator.title(lang)}, {view.year}",
        legend_rows=legend_rows,
        legend_notes=legend_notes,
        site_rows=site_rows,
        sites=mapped,
        figures=_figures(figures, lang),
        sources=sources,
        footer=footer,
        highlighted=view.boro,
        selected=view.sel,
        contrast=view.contrast,
        names=names,
    )


# --- drawing ---------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _text_width_in(text: str, size: float, bold: bool = False) -> float:
    """How wide ``text`` is drawn at ``size`` points, in inches (from its glyph outlines)."""
    if not text.strip():
        return 0.0
    prop = FontProperties(weight="bold" if bold else "normal")
    xs = TextPath((0, 0), text, size=size, prop=prop).vertices[:, 0]
    return float(xs.max() - xs.min()) / 72


def _space_in(size: float, bold: bool) -> float:
    return _text_width_in("a a", size, bold) - _text_width_in("aa", size, bold)


def _wrap(text: str, width_in: float, size: float, *, bold: bool = False) -> list[str]:
    """Wrap ``text`` into lines no wider than ``width_in`` inches at ``size`` points.

    Widths are summed word by word (each word measured once). Words longer
    than a line (a URL) are cut where they must be.
    """
    space = _space_in(size, bold)
    width_in *= WRAP_SAFETY  # rendered text runs a little wider than its outlines (hinting, bearings)
    lines: list[str] = []
    current, current_w = "", 0.0
    for word in text.split():
        word_w = _text_width_in(word, size, bold)
        if current and current_w + space + word_w <= width_in:
            current, current_w = f"{current} {word}", current_w + space + word_w
            continue
        if current:
            lines.append(current)
        while word_w > width_in and len(word) > 1:
            cut = max(1, int(len(word) * width_in / word_w))
            while cut > 1 and _text_width_in(word[:cut], size, bold) > width_in:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
            word_w = _text_width_in(word, size, bold)
        current, current_w = word, word_w
    if current or not lines:
        lines.append(current)
    return lines


def _polygon_path(geometry) -> MplPath:  # geometry: a shapely (Multi)Polygon
    """One matplotlib path for a (multi)polygon, holes included."""
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    polygons = getattr(geometry, "geoms", [geometry])
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            coords = list(ring.coords)
            vertices += coords
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(coords) - 2) + [MplPath.CLOSEPOLY]
    return MplPath(vertices, codes)


def _label_point(geometry, avoid):  # shapely geometries in, a shapely Point out
    """Where a borough's name goes: the pole of inaccessibility of its largest part clear of markers.

    If the part clear of markers has no room for a name (small boroughs full
    of sites), the name goes to the middle of the borough, over the markers.
    """
    whole = max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)
    if avoid is not None:
        clear = geometry.difference(avoid)
        if not clear.is_empty:
            part = max(getattr(clear, "geoms", [clear]), key=lambda piece: piece.area)
            point = polylabel(part, tolerance=0.0005)
            if part.exterior.distance(point) >= LABEL_ROOM_DEG:
                return point
    return polylabel(whole, tolerance=0.0005)


def _place_labels(
    boroughs: gpd.GeoDataFrame, content: BriefContent, per_inch: tuple[float, float]
) -> list[tuple[float, float, str, float]]:
    """(x, y, text, size) of each borough's name, kept off the markers and off each other.

    Small boroughs are placed first, each at the first candidate point whose
    text box overlaps no name placed before: clear of markers, the middle of
    the borough, then points around that middle inside the borough.
    """
    # In degrees on purpose: the clearance is about the drawing, not about distances on the ground.
    points = shapely.points(content.sites.geometry.x, content.sites.geometry.y)
    markers = shapely.union_all(shapely.buffer(points, MARKER_CLEARANCE_DEG)) if len(points) else None
    placed: list[shapely.Geometry] = []
    labels = []
    for code, geometry in sorted(
        zip(boroughs["cvegeo"], boroughs.geometry, strict=True), key=lambda c: c[1].area
    ):
        size = SMALL_LABEL_PT if geometry.area < SMALL_BOROUGH_DEG2 else LABEL_PT
        lines = textwrap.wrap(content.names.get(code, code), 12)
        half_w = (max(_text_width_in(line, size) for line in lines) + 0.04) * per_inch[0] / 2
        half_h = (len(lines) * size / 72 + 0.03) * per_inch[1] / 2
        middle = polylabel(
            max(getattr(geometry, "geoms", [geometry]), key=lambda p: p.area), tolerance=0.0005
        )
        candidates = [_label_point(geometry, markers), middle]
        candidates += [
            shapely.Point(middle.x + dx * half_w, middle.y + dy * half_h)
            for dx, dy in ((0, 1.2), (0, -1.2), (1, 0), (-1, 0), (0, 2.4), (0, -2.4), (1, 1.2), (-1, -1.2))
        ]
        candidates = [point for point in candidates if geometry.contains(point)] or [middle]
        for point in candidates:
            box = shapely.box(point.x - half_w, point.y - half_h, point.x + half_w, point.y + half_h)
            if not any(box.intersects(other) for other in placed):
                break
        else:
            point = candidates[0]
            box = shapely.box(point.x - half_w, point.y - half_h, point.x + half_w, point.y + half_h)
        placed.append(box)
        labels.append((point.x, point.y, "\n".join(lines), size))
    return labels


def _map_limits(bounds: Iterable[float], box_w: float, box_h: float, lat: float) -> tuple[float, ...]:
    """Data limits around ``bounds`` whose shape (with the latitude's aspect) fills a box_w × box_h box."""
    minx, miny, maxx, maxy = bounds
    pad_x, pad_y = (maxx - minx) * 0.03, (maxy - miny) * 0.03
    minx, maxx, miny, maxy = minx - pad_x, maxx + pad_x, miny - pad_y, maxy + pad_y
    squash = math.cos(math.radians(lat))
    width, height = (maxx - minx) * squash, maxy - miny
    if width / height < box_w / box_h:
        grow = (height * box_w / box_h / squash - (maxx - minx)) / 2
        minx, maxx = minx - grow, maxx + grow
    else:
        grow = ((maxx - minx) * squash * box_h / box_w - height) / 2
        miny, maxy = miny - grow, maxy + grow
    return minx, maxx, miny, maxy


def _draw_map(
    fig: Figure, content: BriefContent, boroughs: gpd.GeoDataFrame, rect: tuple[float, ...]
) -> None:
    ax = fig.add_axes(rect)
    ax.set_axis_off()
    fig_w, fig_h = fig.get_size_inches()
    lat = float(boroughs.geometry.union_all().centroid.y)
    minx, maxx, miny, maxy = _map_limits(boroughs.total_bounds, rect[2] * fig_w, rect[3] * fig_h, lat)
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect(1 / math.cos(math.radians(lat)), adjustable="box")
    edge_width = 1.6 if content.contrast else 0.8
    edge = "#000000" if content.contrast else OUTLINE
    for code, geometry in zip(boroughs["cvegeo"], boroughs.geometry, strict=True):
        faded = bool(content.highlighted) and code not in content.highlighted
        patch = PathPatch(
            _polygon_path(geometry),
            facecolor=content.fills[code],
            edgecolor=edge,
            linewidth=edge_width,
            alpha=FADED_ALPHA if faded else 1.0,
            gid=f"borough-{code}",
            zorder=1,
        )
        ax.add_patch(patch)
    outlined = [c for c in (*content.highlighted, content.selected) if c]
    for code in dict.fromkeys(outlined):
        geometry = boroughs.loc[boroughs["cvegeo"] == code].geometry.iloc[0]
        width = 2.6 if code == content.selected else 1.5
        ax.add_patch(
            PathPatch(
                _polygon_path(geometry), fill=False, edgecolor=SELECTED_OUTLINE, linewidth=width, zorder=3
            )
        )
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    per_inch = ((maxx - minx) / (rect[2] * fig_w), (maxy - miny) / (rect[3] * fig_h))
    for x, y, text, size in _place_labels(boroughs, content, per_inch):
        ax.text(
            x,
            y,
            text,
            ha="center",
            va="center",
            fontsize=size,
            color=INK,
            path_effects=halo,
            zorder=5,
            linespacing=1.0,
        )
    for status, (colour, marker, size) in STATUS_MARKERS.items():
        points = content.sites[content.sites["status"] == status]
        if points.empty:
            continue
        ax.scatter(
            points.geometry.x,
            points.geometry.y,
            s=size,
            c=colour,
            marker=marker,
            edgecolors="white",
            linewidths=0.7,
            zorder=4,
            gid=f"sites-{status}",
        )
    # North arrow (top right) and a scale bar (bottom left): the map is north-up, lon/lat with the
    # latitude's aspect, so a kilometre is the same length in both directions.
    east, north = boroughs.total_bounds[2], boroughs.total_bounds[3]
    span = maxy - miny
    ax.add_patch(
        FancyArrow(
            east,
            north - span * 0.07,
            0,
            span * 0.05,
            width=span * 0.004,
            head_width=span * 0.016,
            head_length=span * 0.014,
            length_includes_head=True,
            color=INK,
            zorder=6,
        )
    )
    ax.text(
        east,
        north - span * 0.075,
        t("exports.brief.north", content.lang),
        ha="center",
        va="top",
        fontsize=10,
        fontweight="bold",
        color=INK,
    )
    km = SCALE_KM / (111.32 * math.cos(math.radians(lat)))
    x0, y0 = minx + (maxx - minx) * 0.04, miny + (maxy - miny) * 0.03
    for step in range(2):
        ax.add_patch(
            Rectangle(
                (x0 + step * km / 2, y0),
                km / 2,
                (maxy - miny) * 0.006,
                facecolor=INK if step == 0 else "white",
                edgecolor=INK,
                linewidth=0.6,
                zorder=6,
            )
        )
    ax.text(
        x0 + km / 2,
        y0 + (maxy - miny) * 0.012,
        t("exports.brief.scale", content.lang, km=SCALE_KM),
        ha="center",
        va="bottom",
        fontsize=7,
        color=INK,
        zorder=6,
    )


def _heading(fig: Figure, x: float, y: float, text: str) -> None:
    fig.text(x, y, text.upper(), fontsize=8, color=MUTED, fontweight="bold", va="top")


def _draw_legend(fig: Figure, content: BriefContent, left: float, top: float, width: float) -> float:
    """The class legend from (left, top) down; returns where it ends."""
    fig_w, fig_h = fig.get_size_inches()
    line = 1 / fig_h / 72  # one point, in figure height
    y = top
    _heading(fig, left, y, t("exports.brief.legend", content.lang))
    y -= 15 * line
    for text in _wrap(content.legend_title, width * fig_w, 10.5, bold=True):
        fig.text(left, y, text, fontsize=10.5, fontweight="bold", color=INK, va="top")
        y -= 14 * line
    y -= 3 * line
    swatch_w, swatch_h = 0.028, 11 * line
    for colour, label in content.legend_rows:
        fig.patches.append(
            Rectangle(
                (left, y - swatch_h),
                swatch_w,
                swatch_h,
                facecolor=colour,
                edgecolor="#777777",
                linewidth=0.5,
                transform=fig.transFigure,
                figure=fig,
                gid="legend-swatch",
            )
        )
        fig.text(left + swatch_w + 0.008, y - swatch_h / 2, label, fontsize=9, color=INK, va="center")
        y -= 16 * line
    y -= 2 * line
    for note in content.legend_notes:
        for text in _wrap(note, width * fig_w, 7.8):
            fig.text(left, y, text, fontsize=7.8, color=MUTED, va="top")
            y -= 10.5 * line
    return y


def _draw_sites(fig: Figure, content: BriefContent, left: float, top: float, width: float) -> float:
    """The site markers' legend from (left, top) down; returns where it ends."""
    fig_w, fig_h = fig.get_size_inches()
    line = 1 / fig_h / 72
    y = top
    for text in _wrap(t("exports.brief.sites", content.lang).upper(), width * fig_w, 8, bold=True):
        _heading(fig, left, y, text)
        y -= 11 * line
    y -= 5 * line
    if not content.site_rows:
        for text in _wrap(t("exports.brief.no_sites_filter", content.lang), width * fig_w, 9):
            fig.text(left, y, text, fontsize=9, color=INK, va="top")
            y -= 12 * line
    marker_w = 0.028
    for status, label in content.site_rows:
        colour, marker, size = STATUS_MARKERS[status]
        fig.lines.append(
            Line2D(
                [left + marker_w / 2],
                [y - 5 * line],
                marker=marker,
                markersize=math.sqrt(size) * 0.9,
                color=colour,
                markeredgecolor="white",
                markeredgewidth=0.6,
                linestyle="none",
                transform=fig.transFigure,
                figure=fig,
            )
        )
        fig.text(left + marker_w + 0.008, y - 5 * line, label, fontsize=9, color=INK, va="center")
        y -= 16 * line
    return y


def _draw_figures(fig: Figure, content: BriefContent, left: float, top: float, width: float) -> float:
    """The four key figures as a 2 × 2 grid of numbers with their labels; returns where they end."""
    fig_w, fig_h = fig.get_size_inches()
    line = 1 / fig_h / 72
    _heading(fig, left, top, t("exports.brief.figures", content.lang))
    cell_w = width / 2
    bottom = top
    row_top = top - 18 * line
    for row in range(2):
        row_bottom = row_top
        for column in range(2):
            value, label, note = content.figures[2 * row + column]
            x = left + column * cell_w
            y = row_top
            fig.text(x, y, value, fontsize=22, fontweight="bold", color=INK, va="top")
            y -= 28 * line
            for text in _wrap(label, cell_w * fig_w - 0.2, 9):
                fig.text(x, y, text, fontsize=9, color=INK, va="top")
                y -= 11.5 * line
            for text in _wrap(note, cell_w * fig_w - 0.2, 7.8) if note else []:
                fig.text(x, y, text, fontsize=7.8, color=MUTED, va="top")
                y -= 10.5 * line
            row_bottom = min(row_bottom, y)
        row_top = row_bottom - 14 * line
        bottom = row_bottom
    return bottom


def brief_figure(view: ViewState, atlas: Atlas, *, url: str = "", exported: date | None = None) -> Figure:
    """Draw the brief of ``view`` on an A4 landscape matplotlib figure."""
    content = brief_content(view, atlas, url=url, exported=exported)
    fig = Figure(figsize=A4_LANDSCAPE_IN, facecolor="white")
    fig_w, fig_h = A4_LANDSCAPE_IN
    line = 1 / fig_h / 72
    margin_x = 0.55 / fig_w
    text_w = 1 - 2 * margin_x

    y = 1 - 0.45 / fig_h
    for text in _wrap(content.title, text_w * fig_w, 19, bold=True):
        fig.text(margin_x, y, text, fontsize=19, fontweight="bold", color=INK, va="top", gid="title")
        y -= 24 * line
    y -= 2 * line
    for text in _wrap("  ·  ".join(content.subtitle), text_w * fig_w, 9):
        fig.text(margin_x, y, text, fontsize=9, color=MUTED, va="top")
        y -= 12 * line
    y -= 4 * line
    fig.lines.append(
        Line2D(
            [margin_x, 1 - margin_x], [y, y], color=RULE, linewidth=0.8, transform=fig.transFigure, figure=fig
        )
    )
    header_bottom = y

    footer_lines = [
        (text, 7.2, MUTED)
        for source in [
            t("exports.brief.sources", content.lang) + ": " + content.sources[0],
            *content.sources[1:],
        ]
        for text in _wrap(source, text_w * fig_w, 7.2)
    ]
    footer_lines += [(text, 7.2, INK) for text in _wrap(content.footer, text_w * fig_w, 7.2)]
    y = 0.42 / fig_h + 10 * line * len(footer_lines)
    fig.lines.append(
        Line2D(
            [margin_x, 1 - margin_x],
            [y + 6 * line] * 2,
            color=RULE,
            linewidth=0.8,
            transform=fig.transFigure,
            figure=fig,
        )
    )
    footer_top = y + 6 * line
    for text, size, colour in footer_lines:
        fig.text(margin_x, y, text, fontsize=size, color=colour, va="top")
        y -= 10 * line

    map_top, map_bottom = header_bottom - 8 * line, footer_top + 8 * line
    map_rect = (margin_x - 0.01, map_bottom, 0.47, map_top - map_bottom)
    _draw_map(fig, content, atlas.boroughs, map_rect)
    side_left = map_rect[0] + map_rect[2] + 0.025
    side_w = 1 - margin_x - side_left
    top = header_bottom - 14 * line
    legend_end = _draw_legend(fig, content, side_left, top, side_w * 0.56)
    sites_end = _draw_sites(fig, content, side_left + side_w * 0.6, top, side_w * 0.4)
    _draw_figures(fig, content, side_left, min(legend_end, sites_end) - 22 * line, side_w)
    fig.set_label(content.title)
    return fig


def _save(fig: Figure, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    with _RC_LOCK, mpl.rc_context({"pdf.fonttype": 42, "svg.fonttype": "none"}):
        fig.savefig(buffer, format=fmt, facecolor="white", **options)
    return buffer.getvalue()


def brief_png(
    view: ViewState, atlas: Atlas, *, url: str = "", exported: date | None = None, dpi: int = DEFAULT_DPI
) -> bytes:
    """The brief as a PNG: A4 landscape at ``dpi`` (150: 1754 × 1240 pixels)."""
    return _save(brief_figure(view, atlas, url=url, exported=exported), "png", dpi=dpi)


def brief_pdf(view: ViewState, atlas: Atlas, *, url: str = "", exported: date | None = None) -> bytes:
    """The brief as a one-page A4 landscape PDF with its fonts embedded (text stays selectable)."""
    content_title = REGISTRY[view.ind].title(view.lang)
    metadata = {"Title": f"{content_title}, {view.year}", "Creator": t("app.name", view.lang)}
    return _save(brief_figure(view, atlas, url=url, exported=exported), "pdf", metadata=metadata)
