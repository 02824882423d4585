"""Drawing a brief's chart (:class:`geo.brief.content.Chart`) with matplotlib.

The same marks as the page's plotly chart, in its colours (``geo.charts``):
bars of a ranking with the city's value as a dashed line, columns per year
with the unknown ones hatched and a cumulative line, or need against
provision as points. Highlighted marks keep full colour and a dark edge; the
others turn lighter, so the highlight does not depend on telling colours apart.
"""

from __future__ import annotations

import textwrap

from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from plotly.colors import unlabel_rgb

from geo.brief.content import Chart
from geo.charts._common import BAR, INK, MUTED, ROSE, UNSELECTED_OPACITY

TICK_PT, VALUE_PT, AXIS_PT = 7.5, 7, 8.5


def _colour(plotly_colour: str) -> str | tuple[float, float, float]:
    """A plotly colour ("rgb(51, 34, 136)" or "#222222") as matplotlib takes it."""
    if plotly_colour.startswith("rgb"):
        return tuple(channel / 255 for channel in unlabel_rgb(plotly_colour))
    return plotly_colour


BAR, INK, MUTED, ROSE = (_colour(c) for c in (BAR, INK, MUTED, ROSE))


def _opacity(chart: Chart) -> list[float]:
    lit = any(chart.highlighted)
    return [1.0 if chosen or not lit else UNSELECTED_OPACITY for chosen in chart.highlighted]


def _bars(ax: Axes, chart: Chart) -> None:
    rows = range(len(chart.values))
    for row, value, alpha, chosen in zip(rows, chart.values, _opacity(chart), chart.highlighted, strict=True):
        ax.barh(
            row,
            value,
            color=BAR,
            alpha=alpha,
            edgecolor=INK if chosen else BAR,
            linewidth=1.2,
            gid="chart-highlighted" if chosen else "chart-bar",
        )
    ax.set_yticks(list(rows), chart.labels, fontsize=TICK_PT)
    ax.invert_yaxis()
    for row, value, text in zip(rows, chart.values, chart.texts, strict=True):
        ax.text(value, row, f" {text}", va="center", ha="left", fontsize=VALUE_PT, color=INK)
    right = max([*chart.values, chart.reference or 0])
    ax.set_xlim(0, right * 1.15 if right > 0 else 1)
    if chart.reference is not None:
        ax.axvline(chart.reference, color=INK, linestyle="--", linewidth=1.1, gid="chart-reference")
        ax.text(
            chart.reference,
            -0.9,
            chart.reference_label,
            ha="center",
            va="bottom",
            fontsize=VALUE_PT + 1,
            color=INK,
        )


def _columns(ax: Axes, chart: Chart) -> None:
    columns = range(len(chart.values))
    for column, value, hatched in zip(columns, chart.values, chart.hatched, strict=True):
        ax.bar(
            column,
            value,
            color=MUTED if hatched else BAR,
            hatch="//" if hatched else None,
            edgecolor="white",
            label=chart.bar_label if column == 0 else None,
        )
    for column, value, text in zip(columns, chart.values, chart.texts, strict=True):
        ax.text(column, value, text, ha="center", va="bottom", fontsize=VALUE_PT, color=INK)
    known = [(column, value) for column, value in zip(columns, chart.line, strict=True) if value is not None]
    if known:
        ax.plot(
            *zip(*known, strict=True),
            color=ROSE,
            marker="D",
            markersize=4,
            linewidth=1.6,
            label=chart.line_label,
            gid="chart-line",
        )
    ax.set_xticks(
        list(columns), ["\n".join(textwrap.wrap(label, 10)) for label in chart.labels], fontsize=TICK_PT
    )
    top = max([*chart.values, *(value for _, value in known)], default=0)
    ax.set_ylim(0, top * 1.15 if top > 0 else 1)
    ax.legend(loc="upper left", fontsize=VALUE_PT + 0.5, frameon=False)


def _scatter(ax: Axes, chart: Chart) -> None:
    ax.scatter(
        chart.x,
        chart.values,
        s=36,
        c=[to_rgba(BAR, alpha) for alpha in _opacity(chart)],
        edgecolors=[INK if chosen else "white" for chosen in chart.highlighted],
        linewidths=[1.6 if chosen else 0.6 for chosen in chart.highlighted],
        gid="chart-points",
    )
    for x, y, text, chosen in zip(chart.x, chart.values, chart.texts, chart.highlighted, strict=True):
        if chosen:
            ax.annotate(text, (x, y), xytext=(4, 4), textcoords="offset points", fontsize=VALUE_PT, color=INK)


DRAWERS = {"bars": _bars, "columns": _columns, "scatter": _scatter}


def draw_chart(fig: Figure, chart: Chart, rect: tuple[float, ...]) -> Axes:
    """Draw ``chart`` in the figure box ``rect`` (left, bottom, width, height; figure fractions)."""
    ax = fig.add_axes(rect)
    DRAWERS[chart.kind](ax, chart)
    ax.set_xlabel(chart.x_title, fontsize=AXIS_PT, color=INK)
    ax.set_ylabel(chart.y_title, fontsize=AXIS_PT, color=INK)
    ax.tick_params(colors=INK, labelsize=TICK_PT)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x" if chart.kind == "bars" else "y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return ax
