"""What every chart shares: colours, titles, the source note, ``lang``'s number format, catalogue texts.

The chart modules of :mod:`geo.charts` read these; pages do not.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

import plotly.graph_objects as go
from babel.numbers import get_decimal_symbol, get_group_symbol
from plotly.colors import qualitative

from geo import markup
from geo.formatting import format_count, locale_of, plural_form
from geo.i18n import catalogue, t
from geo.indicators import REGISTRY
from geo.units import unit_label

SAFE = qualitative.Safe  # Paul Tol's colour-blind-safe qualitative set
INK = "#222222"
MUTED = SAFE[10]  # grey
BAR = SAFE[4]  # indigo
ROSE = SAFE[1]
UNSELECTED_OPACITY = 0.35
SOURCE_WIDTH = 120  # characters per line of the source note
HALF_SOURCE_WIDTH = 65  # the same for charts drawn side by side (Programmes page)
HALF_NOTE_WIDTH = 85  # characters per line of the note under a half-page chart's title
NO_TRACE_BOX = "<extra></extra>"  # a hover without plotly's trace-name box
TRACE_BOX = "<extra>%{fullData.name}</extra>"
VALUE_CHAR_PX = 8  # room per character of a value column right of the plot (13 px text)


def html_text(key: str, lang: str, /, **values: str) -> str:
    """Return catalogue text ``charts.<key>`` escaped, with ``values`` (already safe HTML) filled in."""
    return markup.text(t(f"charts.{key}", lang)).format(**values)


def plural_text(key: str, n: int, lang: str, /, **values: object) -> str:
    """Return ``charts.<key>.one`` or ``.other`` for ``n`` things, with ``n`` formatted."""
    return t(f"charts.{key}.{plural_form(n, lang)}", lang, n=format_count(n, lang), **values)


def separators(lang: str) -> str:
    """Return plotly's ``separators`` for ``lang``: the decimal then the thousands character (babel's)."""
    locale = locale_of(lang)
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def programme_label(programme: str, lang: str) -> str:
    """Return a programme's name in ``lang`` (``labels.programme.<id>``), or its id if it has none."""
    key = f"labels.programme.{programme}"
    return t(key, lang) if key in catalogue() else programme


def source_line(cited: Iterable[tuple[str, object]], lang: str) -> str:
    """Return "Source: name (year); …" from (name, year) pairs, each name once.

    A year already in the name is not repeated ("INEGI Censo 2010", not
    "INEGI Censo 2010 (2010)"). Source names are data and stay as given.
    """
    years: dict[str, list[str]] = {}
    for name, year in cited:
        listed = years.setdefault(name, [])
        if str(year) not in listed:
            listed.append(str(year))
    parts = []
    for name, listed in years.items():
        missing = [year for year in listed if year not in name]
        parts.append(f"{name} ({', '.join(missing)})" if missing else name)
    return t("charts.source.line", lang, sources="; ".join(parts))


def indicator_label(indicator: str, lang: str) -> str:
    """An indicator's title in ``lang``; an indicator the registry lacks is named by its id."""
    spec = REGISTRY.get(indicator)
    return spec.title(lang) if spec else indicator


def indicator_fmt(indicator: str) -> str:
    """How an indicator's values are formatted (``geo.formatting``); a count if the registry lacks it."""
    spec = REGISTRY.get(indicator)
    return spec.fmt if spec else "count"


def units_text(units: Iterable[str], lang: str) -> str:
    """The distinct units of some rows in ``lang``, joined with "; "."""
    return "; ".join(unit_label(unit, lang) for unit in dict.fromkeys(units) if isinstance(unit, str))


def lines_html(lines: Iterable[str]) -> str:
    """Escaped lines of one wrapped text, joined by line breaks that keep the space the wrap took out.

    Plotly draws each line as its own SVG text, and a page's text (copied,
    searched, read aloud) joins them as they are: without the space, "compiled"
    and "by" on two lines read "compiledby".
    """
    return " <br>".join(markup.text(line) for line in lines)


def layout(
    fig: go.Figure,
    title: str,
    x_title: str,
    y_title: str,
    source: str,
    *,
    height: int,
    lang: str,
    source_width: int = SOURCE_WIDTH,
    tick_lines: int = 1,
) -> go.Figure:
    """Give a figure its title, axis titles, the source note under the plot and ``lang``'s number format.

    ``source_width`` is the note's line length in characters (less for a chart
    drawn in half the page); ``tick_lines`` the lines of the tallest x tick
    label, so the note stays clear of the x axis title.
    """
    lines = textwrap.wrap(source, source_width) or [""]
    below_ticks = 15 * (tick_lines - 1)
    fig.add_annotation(
        name="source",
        text=lines_html(lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-62 - below_ticks,
        align="left",
        showarrow=False,
        font={"size": 11, "color": "#444444"},
    )
    fig.update_layout(
        title={
            "text": title,
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 28},
        },
        xaxis_title=markup.text(x_title),
        yaxis_title=markup.text(y_title),
        template="plotly_white",
        height=height,
        # Room above the plot for the title and each line of its note after the first.
        margin={
            "l": 10,
            "r": 30,
            "t": 110 + 18 * max(0, title.count("<br>") - 1),
            "b": 80 + below_ticks + 15 * len(lines),
        },
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"},
        font={"family": "sans-serif", "size": 13, "color": INK},
        hoverlabel={"align": "left"},
        separators=separators(lang),
    )
    # Ticks as babel writes numbers: thousands grouped from 1,000 on (plotly waits for 10,000
    # unless told) and in full, not "1.5M" (an SI suffix babel's texts never use).
    fig.update_xaxes(separatethousands=True, exponentformat="none")
    fig.update_yaxes(separatethousands=True, exponentformat="none")
    return fig


def title(text: str, note: str = "", *, note_width: int | None = None) -> str:
    """A bold title with an optional smaller note under it (both escaped).

    With ``note_width`` the note is wrapped to lines of that many characters
    (for charts drawn in half the page, whose notes run longer in Spanish and French).
    """
    lines = (textwrap.wrap(note, note_width) if note_width else [note]) if note else []
    return " <br>".join(
        [f"<b>{markup.text(text)}</b>", *(f"<sup>{markup.text(line)}</sup>" for line in lines)]
    )


def bar_highlight(selected: Sequence[bool], colour: str) -> dict[str, object]:
    """A ``go.Bar``'s marker and selection styles: the ``selected`` bars in full colour with a dark outline.

    When some are selected the others turn lighter, so the highlight does not
    depend on telling colours apart. The explicit selection styles matter: with
    per-bar opacities, plotly.js otherwise fails on click-to-select and never reports it.
    """
    anything = any(selected)
    return {
        "marker": {
            "color": colour,
            "opacity": [1.0 if chosen or not anything else UNSELECTED_OPACITY for chosen in selected],
            "line": {"color": [INK if chosen else colour for chosen in selected], "width": 1.5},
        },
        "selected": {"marker": {"opacity": 1.0}},
        "unselected": {"marker": {"opacity": UNSELECTED_OPACITY}},
    }


def value_column(fig: go.Figure, labels: Sequence[str], shown: Sequence[str]) -> None:
    """Write each horizontal bar's value in a column right of the plot, right-aligned, level with its bar.

    ``labels`` are the bars' y categories (escaped), ``shown`` their values as
    text. Call after :func:`layout`: the right margin is widened to hold the column.
    """
    column_px = VALUE_CHAR_PX * max((len(value) for value in shown), default=1)
    for name, value in zip(labels, shown, strict=True):
        fig.add_annotation(
            name="value",
            text=markup.text(value),
            xref="paper",
            x=1,
            xanchor="left",
            xshift=6,
            width=column_px,
            align="right",
            yref="y",
            y=name,
            showarrow=False,
        )
    fig.update_layout(margin_r=column_px + 12)


def ranked_bars(
    values: list[float], labels: list[str], keys: list[str], hover: list[str], selected: list[bool]
) -> go.Figure:
    """Horizontal bars in the order given, first on top, each carrying its key (borough code, colonia key) for a selection.

    ``labels`` are escaped; ``hover`` is each bar's hover text as safe HTML.
    """
    fig = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            customdata=keys,
            hovertext=hover,
            hovertemplate="%{hovertext}" + NO_TRACE_BOX,
            showlegend=False,
            **bar_highlight(selected, BAR),
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed")
    return fig
