"""Laying out a brief (:mod:`geo.brief.content`) on an A4 landscape page, and its PNG and PDF bytes.

Every brief has the same frame: the title and subtitle at the top, the
sources, the export date, the Atlas's name and the view's link at the
bottom, each behind a rule. Between them, the body of its kind:

* a map brief: the map on the left; the legend, the site markers, the key
  figures and (if shown) the walking reach on the right;
* a profile brief: the borough's figures as a table on the left; its locator
  map, its sites and the numbered sources on the right;
* a chart brief: the chart on the left; what it shows, in words, on the right.

Text is wrapped to its box before it is drawn (:mod:`geo.brief.text`), so
nothing runs into other text or off the page. Only matplotlib's object API is
used (no pyplot), so briefs may be drawn from several threads.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable, Sequence

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from geo.brief.chartdraw import draw_chart
from geo.brief.content import Brief, ChartBrief, Frame, MapBrief, ProfileBrief
from geo.brief.mapdraw import REACH_EDGE, STATUS_MARKERS, draw_map
from geo.brief.text import wrap
from geo.i18n import t

A4_LANDSCAPE_IN = (11.69, 8.27)
DEFAULT_DPI = 150
INK = "#1a1a1a"
MUTED = "#555555"
RULE = "#bbbbbb"
MARGIN_X_IN = 0.55
REACH_PT = 7.6
#: Point sizes tried, largest first, until a profile's table fits the page.
TABLE_PT = (7.4, 6.8, 6.2, 5.6)
#: ...and until a profile's numbered sources fit under its map.
NOTE_PT = (6.8, 6.2, 5.6, 5.0, 4.5)
# matplotlib keeps its settings in one global dict: PDF font embedding is set under this lock.
_RC_LOCK = threading.Lock()


class _Page:
    """A figure and the conversions from points and inches to figure fractions."""

    def __init__(self) -> None:
        self.fig = Figure(figsize=A4_LANDSCAPE_IN, facecolor="white")
        self.width_in, self.height_in = A4_LANDSCAPE_IN
        self.line = 1 / self.height_in / 72  # one point, in figure height
        self.margin = MARGIN_X_IN / self.width_in

    def inches(self, fraction: float) -> float:
        """A width in figure fractions, in inches."""
        return fraction * self.width_in

    def text(self, x: float, y: float, text: str, size: float, colour: str = INK, **options: object) -> None:
        self.fig.text(x, y, text, fontsize=size, color=colour, va=options.pop("va", "top"), **options)

    def paragraph(
        self, x: float, y: float, text: str, width: float, size: float, colour: str = INK, *, step: float = 0
    ) -> float:
        """``text`` wrapped to ``width`` (figure fraction) from (x, y) down; returns where it ends."""
        step = step or size * 1.35
        for line in wrap(text, self.inches(width), size):
            self.text(x, y, line, size, colour)
            y -= step * self.line
        return y

    def heading(self, x: float, y: float, text: str, width: float) -> float:
        """A small bold capitalised heading; returns where the content under it starts."""
        for line in wrap(text.upper(), self.inches(width), 8, bold=True):
            self.text(x, y, line, 8, MUTED, fontweight="bold")
            y -= 11 * self.line
        return y - 4 * self.line

    def rule(self, y: float) -> None:
        self.fig.lines.append(
            Line2D(
                [self.margin, 1 - self.margin],
                [y, y],
                color=RULE,
                linewidth=0.8,
                transform=self.fig.transFigure,
                figure=self.fig,
                gid="page-rule",
            )
        )


def _frame(page: _Page, frame: Frame) -> tuple[float, float]:
    """Title and subtitle above, sources and footer below; returns the body's top and bottom."""
    width = 1 - 2 * page.margin
    y = 1 - 0.45 / page.height_in
    for line in wrap(frame.title, page.inches(width), 19, bold=True):
        page.text(page.margin, y, line, 19, fontweight="bold", gid="title")
        y -= 24 * page.line
    y = page.paragraph(page.margin, y - 2 * page.line, "  ·  ".join(frame.subtitle), width, 9, MUTED, step=12)
    top = y - 4 * page.line
    page.rule(top)
    sources = [t("exports.brief.sources", frame.lang) + ": " + frame.sources[0], *frame.sources[1:]]
    lines = [(line, MUTED) for source in sources for line in wrap(source, page.inches(width), 7.2)]
    lines += [(line, INK) for line in wrap(frame.footer, page.inches(width), 7.2)]
    y = 0.42 / page.height_in + 10 * page.line * len(lines)
    bottom = y + 6 * page.line
    page.rule(bottom)
    for line, colour in lines:
        page.text(page.margin, y, line, 7.2, colour)
        y -= 10 * page.line
    return top, bottom


# --- the map brief ------------------------------------------------------------------------------


def _swatch(page: _Page, x: float, y: float, colour: str, height: float) -> None:
    page.fig.patches.append(
        Rectangle(
            (x, y - height),
            0.028,
            height,
            facecolor=colour,
            edgecolor="#777777",
            linewidth=0.5,
            transform=page.fig.transFigure,
            figure=page.fig,
            gid="legend-swatch",
        )
    )


def _legend(page: _Page, brief: MapBrief, left: float, top: float, width: float) -> float:
    """The class legend from (left, top) down; returns where it ends."""
    y = page.heading(left, top, t("exports.brief.legend", brief.frame.lang), width)
    for line in wrap(brief.legend_title, page.inches(width), 10.5, bold=True):
        page.text(left, y, line, 10.5, fontweight="bold")
        y -= 14 * page.line
    y -= 3 * page.line
    for colour, label in brief.legend_rows:
        _swatch(page, left, y, colour, 11 * page.line)
        page.text(left + 0.036, y - 5.5 * page.line, label, 9, va="center")
        y -= 16 * page.line
    y -= 2 * page.line
    for note in brief.legend_notes:
        y = page.paragraph(left, y, note, width, 7.8, MUTED, step=10.5)
    return y


def _marker(page: _Page, x: float, y: float, status: str) -> None:
    colour, marker, size = STATUS_MARKERS[status]
    page.fig.lines.append(
        Line2D(
            [x],
            [y],
            marker=marker,
            markersize=math.sqrt(size) * 0.9,
            color=colour,
            markeredgecolor="white",
            markeredgewidth=0.6,
            linestyle="none",
            transform=page.fig.transFigure,
            figure=page.fig,
        )
    )


def _site_legend(
    page: _Page, rows: Sequence[tuple[str, str]], title: str, left: float, top: float, width: float, lang: str
) -> float:
    """The site markers by status from (left, top) down; returns where it ends."""
    y = page.heading(left, top, title, width) - 1 * page.line
    if not rows:
        y = page.paragraph(left, y, t("exports.brief.no_sites_filter", lang), width, 9, step=12)
    for status, label in rows:
        _marker(page, left + 0.014, y - 5 * page.line, status)
        page.text(left + 0.036, y - 5 * page.line, label, 9, va="center")
        y -= 16 * page.line
    return y


def _figures(page: _Page, brief: MapBrief, left: float, top: float, width: float) -> float:
    """The four key figures as a 2 × 2 grid of numbers with their labels; returns where they end."""
    row_top = page.heading(left, top, t("exports.brief.figures", brief.frame.lang), width) - 3 * page.line
    cell = width / 2
    bottom = row_top
    for row in range(2):
        row_bottom = row_top
        for column in range(2):
            value, label, note = brief.figures[2 * row + column]
            x = left + column * cell
            page.text(x, row_top, value, 22, fontweight="bold")
            y = page.paragraph(x, row_top - 28 * page.line, label, cell - 0.2 / page.width_in, 9, step=11.5)
            if note:
                y = page.paragraph(x, y, note, cell - 0.2 / page.width_in, 7.8, MUTED, step=10.5)
            row_bottom = min(row_bottom, y)
        row_top = row_bottom - 14 * page.line
        bottom = row_bottom
    return bottom


def _reach(page: _Page, brief: MapBrief, left: float, top: float, width: float) -> float:
    """The walking-reach figures, each after a sample of its line on the map; returns where they end."""
    y = page.heading(left, top, brief.reach_title, width) - 1 * page.line
    for solid, line in brief.reach_rows:
        page.fig.lines.append(
            Line2D(
                [left, left + 0.028],
                [y - REACH_PT / 2 * page.line] * 2,
                color=REACH_EDGE,
                linewidth=1.1 if solid else 0.8,
                linestyle="-" if solid else (0, (4, 3)),
                transform=page.fig.transFigure,
                figure=page.fig,
            )
        )
        y = (
            page.paragraph(left + 0.036, y, line, width - 0.036, REACH_PT, step=REACH_PT * 1.3)
            - 4 * page.line
        )
    return y


def _map_body(page: _Page, brief: MapBrief, top: float, bottom: float) -> None:
    """The map on the left; on the right the legend, and beside it the site markers and the walking
    reach, then the key figures under both."""
    map_top, map_bottom = top - 8 * page.line, bottom + 8 * page.line
    rect = (page.margin - 0.01, map_bottom, 0.47, map_top - map_bottom)
    draw_map(page.fig, brief.map, rect, brief.frame.lang)
    side_left = rect[0] + rect[2] + 0.025
    side_w = 1 - page.margin - side_left
    y = top - 14 * page.line
    legend_end = _legend(page, brief, side_left, y, side_w * 0.56)
    column_left, column_w = side_left + side_w * 0.6, side_w * 0.4
    sites_title = t("exports.brief.sites", brief.frame.lang)
    column_end = _site_legend(page, brief.site_rows, sites_title, column_left, y, column_w, brief.frame.lang)
    if brief.reach_rows:
        column_end = _reach(page, brief, column_left, column_end - 10 * page.line, column_w)
    _figures(page, brief, side_left, min(legend_end, column_end) - 22 * page.line, side_w)


# --- the profile brief --------------------------------------------------------------------------

#: Shares of the table's width: indicator, year, the borough, [the second borough], the city, source.
_COLUMN_SHARES = {5: (0.5, 0.08, 0.17, 0.17, 0.08), 6: (0.42, 0.07, 0.13, 0.13, 0.17, 0.08)}


def _table_lines(brief: ProfileBrief, widths: Sequence[float], size: float) -> list[list[list[str]]]:
    """Each row's cells wrapped to their columns (header first)."""
    return [
        [wrap(cell, width, size, bold=number == 0) for cell, width in zip(row, widths, strict=True)]
        for number, row in enumerate((brief.columns, *brief.rows))
    ]


def _table(page: _Page, brief: ProfileBrief, left: float, top: float, width: float, bottom: float) -> None:
    """The profile's rows, at the largest size that fits between ``top`` and ``bottom``."""
    fractions = [width * share for share in _COLUMN_SHARES[len(brief.columns)]]
    widths = [page.inches(fraction) - 0.08 for fraction in fractions]
    for size in TABLE_PT:
        lines = _table_lines(brief, widths, size)
        step = size * 1.3
        height = sum(max(len(cell) for cell in row) * step + 3 for row in lines) * page.line
        if top - height >= bottom:
            break
    y = top
    for number, row in enumerate(lines):
        x = left
        for cell, fraction in zip(row, fractions, strict=True):
            for line_number, line in enumerate(cell):
                page.text(
                    x,
                    y - line_number * step * page.line,
                    line,
                    size,
                    fontweight="bold" if number == 0 else "normal",
                )
            x += fraction
        y -= (max(len(cell) for cell in row) * step + 3) * page.line
        if number == 0:
            page.fig.lines.append(
                Line2D(
                    [left, left + width],
                    [y + 1.5 * page.line] * 2,
                    color=RULE,
                    linewidth=0.6,
                    transform=page.fig.transFigure,
                    figure=page.fig,
                )
            )


def _notes(page: _Page, notes: Sequence[str], left: float, top: float, width: float, bottom: float) -> None:
    """Numbered sources from ``top`` down, at the largest size that ends above ``bottom``."""
    for size in NOTE_PT:
        wrapped = [wrap(note, page.inches(width), size) for note in notes]
        step = size * 1.25 * page.line
        if top - step * sum(map(len, wrapped)) >= bottom:
            break
    y = top
    for lines in wrapped:
        for line in lines:
            page.text(left, y, line, size, MUTED)
            y -= step


def _profile_body(page: _Page, brief: ProfileBrief, top: float, bottom: float) -> None:
    table_w = 0.6
    _table(page, brief, page.margin, top - 12 * page.line, table_w, bottom + 6 * page.line)
    side_left = page.margin + table_w + 0.025
    side_w = 1 - page.margin - side_left
    map_h = (top - bottom) * 0.4
    draw_map(page.fig, brief.map, (side_left, top - 6 * page.line - map_h, side_w, map_h), brief.frame.lang)
    y = top - 12 * page.line - map_h
    y = _site_legend(page, brief.site_rows, brief.sites_title, side_left, y, side_w, brief.frame.lang)
    y = page.heading(side_left, y - 6 * page.line, t("exports.brief.sources", brief.frame.lang), side_w)
    _notes(page, brief.notes, side_left, y, side_w, bottom + 6 * page.line)


# --- the chart brief ----------------------------------------------------------------------------


def _chart_body(page: _Page, brief: ChartBrief, top: float, bottom: float) -> None:
    chart_w = 0.62
    # Room on the left for the bars' names and the axis titles.
    rect = (page.margin + 0.15, bottom + 0.09, chart_w - 0.15, top - bottom - 0.14)
    draw_chart(page.fig, brief.chart, rect)
    side_left = page.margin + chart_w + 0.04
    side_w = 1 - page.margin - side_left
    y = page.heading(side_left, top - 14 * page.line, t("exports.brief.chart_text", brief.frame.lang), side_w)
    y = page.paragraph(side_left, y, brief.description, side_w, 9.5, step=13)
    if brief.chart.note:
        page.paragraph(side_left, y - 8 * page.line, brief.chart.note, side_w, 7.8, MUTED, step=10.5)


_BODIES: dict[type, Callable[[_Page, Brief, float, float], None]] = {
    MapBrief: _map_body,
    ProfileBrief: _profile_body,
    ChartBrief: _chart_body,
}


def brief_figure(brief: Brief) -> Figure:
    """Draw ``brief`` on an A4 landscape matplotlib figure."""
    page = _Page()
    top, bottom = _frame(page, brief.frame)
    _BODIES[type(brief)](page, brief, top, bottom)
    page.fig.set_label(brief.frame.title)
    return page.fig


def _save(fig: Figure, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    with _RC_LOCK, mpl.rc_context({"pdf.fonttype": 42, "svg.fonttype": "none"}):
        fig.savefig(buffer, format=fmt, facecolor="white", **options)
    return buffer.getvalue()


def brief_png(brief: Brief, *, dpi: int = DEFAULT_DPI) -> bytes:
    """The brief as a PNG: A4 landscape at ``dpi`` (150: 1754 × 1240 pixels)."""
    return _save(brief_figure(brief), "png", dpi=dpi)


def brief_pdf(brief: Brief) -> bytes:
    """The brief as a one-page A4 landscape PDF with its fonts embedded (text stays selectable)."""
    metadata = {"Title": brief.frame.document_title, "Creator": t("app.name", brief.frame.lang)}
    return _save(brief_figure(brief), "pdf", metadata=metadata)
