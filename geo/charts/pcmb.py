"""The PCMB as reported: project counts and budgets, one mark per report (conflicting reports side by
side, multi-year totals as spans), each in its own figure.
"""

from __future__ import annotations

import textwrap
from typing import Any
from urllib.parse import urlparse

import pandas as pd
import plotly.graph_objects as go
from babel.numbers import format_decimal

from geo import markup
from geo.charts._common import (
    BAR,
    HALF_NOTE_WIDTH,
    HALF_SOURCE_WIDTH,
    INK,
    NO_TRACE_BOX,
    ROSE,
    SAFE,
    html_text,
    layout,
    lines_html,
    programme_label,
    source_line,
    title,
)
from geo.formatting import format_count, join_list, locale_of
from geo.i18n import t
from geo.vocabulary import PCMB

LABEL_LINE_PX = 17  # a line of the 13 px label text, with its leading


def _pcmb_data(pcmb: pd.DataFrame, column: str) -> pd.DataFrame:
    rows = pcmb.dropna(subset=[column]).copy()
    rows["shown_as"] = [
        "span" if end > start else "bar"
        for start, end in zip(rows["year_start"], rows["year_end"], strict=True)
    ]
    rows["source"] = [_host(url) for url in rows["source_url"]]
    columns = ["period", "year_start", "year_end", column]
    if column == "projects":
        columns.append("projects_qualifier")
    columns += ["shown_as", "source", "source_url", "note"]
    return rows.sort_values(["year_start", "year_end", column])[columns].reset_index(drop=True)


def _host(url: str) -> str:
    pairs = markup.source_pairs(url)
    return pairs[0][0] if pairs else url


def pcmb_series_data(pcmb: pd.DataFrame) -> pd.DataFrame:
    """Return every reported PCMB project count, conflicting reports kept as separate rows."""
    return _pcmb_data(pcmb, "projects")


def pcmb_budget_data(pcmb: pd.DataFrame) -> pd.DataFrame:
    """Return every reported PCMB budget (MXN, nominal), one row per report."""
    return _pcmb_data(pcmb, "budget_mxn")


def _pcmb_marks(table: pd.DataFrame, column: str, *, scale: float, shown: list[str], lang: str) -> go.Figure:
    """Bars for single-year reports (several reports of one year side by side), spans for periods.

    The x axis is continuous years, so a year without a report is an empty
    gap, and a period total covers its years as a horizontal span (not a
    point, and not spread per year). ``shown`` are the full values in the
    hover; the labels come once the plot's size is known (:func:`_pcmb_labels`).
    """
    fig = go.Figure()
    single = table[table["shown_as"] == "bar"]
    width = 0.8
    legend_done: set[str] = set()
    one_year = markup.text(t("charts.pcmb.one_year", lang))
    for year, reports in single.groupby("year_start", sort=True):
        n = len(reports)
        for i, row in enumerate(reports.itertuples()):
            fig.add_trace(
                go.Bar(
                    x=[round(year + 0.5 - width / 2 + (i + 0.5) * width / n, 3)],
                    y=[getattr(row, column) / scale],
                    width=[width / n * 0.92],
                    name=one_year,
                    legendgroup="bar",
                    showlegend="bar" not in legend_done,
                    marker={"color": BAR if i % 2 == 0 else SAFE[0], "line": {"color": INK, "width": 1}},
                    hovertext=[_pcmb_hover(row, shown[row.Index], lang)],
                    hovertemplate="%{hovertext}" + NO_TRACE_BOX,
                )
            )
            legend_done.add("bar")
    period = markup.text(t("charts.pcmb.period", lang))
    for row in table[table["shown_as"] == "span"].itertuples():
        value = getattr(row, column) / scale
        start, end = row.year_start, row.year_end + 1
        hover = _pcmb_hover(row, shown[row.Index], lang)
        fig.add_trace(
            go.Scatter(
                x=[start, (start + end) / 2, end],
                y=[value, value, value],
                mode="lines+markers+text",
                name=period,
                legendgroup="span",
                showlegend="span" not in legend_done,
                line={"color": ROSE, "width": 3},
                marker={"symbol": "line-ns-open", "size": [14, 0, 14], "color": ROSE, "line": {"width": 3}},
                hovertext=[hover] * 3,
                hovertemplate="%{hovertext}" + NO_TRACE_BOX,
            )
        )
        legend_done.add("span")
    first, last = int(table["year_start"].min()), int(table["year_end"].max())
    ticks = list(range(first, last + 1))
    fig.update_xaxes(
        tickvals=[y + 0.5 for y in ticks],
        ticktext=[str(y) for y in ticks],
        range=[first - 0.2, last + 1.2],
        showgrid=False,
    )
    fig.update_layout(bargap=0)
    return fig


def _pcmb_labels(
    fig: go.Figure, table: pd.DataFrame, column: str, *, scale: float, labels: list[str]
) -> None:
    """Label the marks so that no two labels meet, with the y axis tall enough for every label.

    A year's reports share one label over its tallest bar, a value a line in
    the bars' order (two labels over bars a few pixels apart ran into each
    other). A period's label sits above its span, or below it when a higher
    span or its label would run through it. ``labels`` are the short texts of
    the table's rows; the figure has its layout (the plot's height in pixels).
    """
    plot_px = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    share = LABEL_LINE_PX / plot_px  # a line of label text, as a share of the y axis
    years = [
        (year + 0.5, float(reports[column].max()) / scale, [labels[i] for i in reports.index])
        for year, reports in table[table["shown_as"] == "bar"].groupby("year_start", sort=True)
    ]
    traces = [trace for trace in fig.data if trace.type == "scatter"]  # one per span, in the table's order
    spans = list(zip(table[table["shown_as"] == "span"].itertuples(), traces, strict=True))
    # The highest label's top inside the plot: value + lines × share × top <= top.
    needs = [value / (1 - share * (len(texts) + 0.3)) for _, value, texts in years]
    needs += [trace.y[0] / (1 - share * 1.3) for _, trace in spans]
    top = max(needs)
    fig.update_yaxes(rangemode="tozero", range=[0, top])
    for x, value, texts in years:
        fig.add_annotation(
            name="reports", x=x, y=value, yanchor="bottom", text=lines_html(texts), showarrow=False
        )
    height = share * top
    lines = [trace.y[0] for _, trace in spans]
    taken: list[tuple[float, float]] = []

    def clear(low: float, high: float) -> bool:
        return (
            low >= 0
            and not any(low < y < high for y in lines)
            and all(high <= lower or upper <= low for lower, upper in taken)
        )

    for row, trace in sorted(spans, key=lambda pair: -pair[1].y[0]):
        value = trace.y[0]
        above = clear(value, value + height) or not clear(value - height, value)
        taken.append((value, value + height) if above else (value - height, value))
        trace.update(
            text=[markup.text(f"{labels[row.Index]} ({row.period})"), "", ""],
            textposition="top right" if above else "bottom right",
        )


def _pcmb_hover(row: Any, shown: str, lang: str) -> str:
    """Period, value, source host and the report's note (wrapped), all escaped."""
    note = textwrap.wrap(str(row.note or ""), 70)
    return (
        html_text("pcmb.hover", lang, period=f"<b>{markup.text(row.period)}</b>", value=markup.text(shown))
        + "<br>"
        + markup.text(t("charts.source.line", lang, sources=row.source))
        + (f"<br>{lines_html(note)}" if note else "")
    )


def _pcmb_source(table: pd.DataFrame, lang: str) -> str:
    hosts = ", ".join(dict.fromkeys(urlparse(url).netloc or url for url in table["source_url"]))
    years = f"{int(table['year_start'].min())}–{int(table['year_end'].max())}"
    return source_line([(t("charts.source.pcmb_reports", lang, hosts=hosts), years)], lang)


def _project_counts(table: pd.DataFrame, lang: str) -> tuple[list[str], list[str]]:
    """Short labels (">150") and full values ("more than 150") of the reported project counts."""
    pairs = list(zip(table["projects"], table["projects_qualifier"], strict=True))
    labels = [f"{qualifier}{format_count(value, lang)}" for value, qualifier in pairs]
    shown = [
        t("charts.pcmb.more_than", lang, n=format_count(value, lang))
        if qualifier == ">"
        else format_count(value, lang)
        for value, qualifier in pairs
    ]
    return labels, shown


def _millions(table: pd.DataFrame, lang: str) -> list[str]:
    return [format_decimal(value / 1e6, "#,##0.#", locale=locale_of(lang)) for value in table["budget_mxn"]]


def pcmb_series(pcmb: pd.DataFrame, *, lang: str) -> tuple[go.Figure, pd.DataFrame]:
    """PCMB project counts as reported: conflicting reports side by side, periods as spans.

    Budgets are a separate figure (:func:`pcmb_budget`), not a secondary axis:
    two scales on one plot invite reading crossings and slopes that mean
    nothing, and the two series cover different reports and periods.
    """
    table = pcmb_series_data(pcmb)
    labels, shown = _project_counts(table, lang)
    return _pcmb_chart(table, "projects", 1, labels, shown, "projects", lang)


def pcmb_budget(pcmb: pd.DataFrame, *, lang: str) -> tuple[go.Figure, pd.DataFrame]:
    """PCMB budgets as reported (million MXN, nominal), drawn like :func:`pcmb_series`."""
    table = pcmb_budget_data(pcmb)
    labels = _millions(table, lang)
    shown = [t("charts.pcmb.millions", lang, amount=label) for label in labels]
    return _pcmb_chart(table, "budget_mxn", 1e6, labels, shown, "budget", lang)


def _pcmb_chart(
    table: pd.DataFrame, column: str, scale: float, labels: list[str], shown: list[str], texts: str, lang: str
) -> tuple[go.Figure, pd.DataFrame]:
    """One PCMB figure with its titles (``charts.pcmb.<texts>_title``/``_note``/``_axis``) and source."""
    fig = _pcmb_marks(table, column, scale=scale, shown=shown, lang=lang)
    layout(
        fig,
        title(
            t(f"charts.pcmb.{texts}_title", lang, programme=programme_label(PCMB, lang)),
            t(f"charts.pcmb.{texts}_note", lang),
            note_width=HALF_NOTE_WIDTH,
        ),
        t("charts.axis.year", lang),
        t(f"charts.pcmb.{texts}_axis", lang),
        _pcmb_source(table, lang),
        height=480,
        lang=lang,
        source_width=HALF_SOURCE_WIDTH,
    )
    _pcmb_labels(fig, table, column, scale=scale, labels=labels)
    return fig, table


def _reports(table: pd.DataFrame, values: list[str], lang: str) -> str:
    items = [
        t("charts.describe.item", lang, label=period, value=value)
        for period, value in zip(table["period"], values, strict=True)
    ]
    return join_list(items, lang)


def describe_pcmb_series(table: pd.DataFrame, *, lang: str) -> str:
    """Text alternative of :func:`pcmb_series`: every reported count with its period."""
    _, shown = _project_counts(table, lang)
    return t(
        "charts.describe.pcmb_projects",
        lang,
        programme=programme_label(PCMB, lang),
        reports=_reports(table, shown, lang),
    )


def pcmb_totals(pcmb: pd.DataFrame) -> pd.DataFrame:
    """Every project count reported for a period of several years, earliest period first.

    These are the totals the sources disagree on; each has its own period and source.
    """
    table = pcmb_series_data(pcmb)
    return table[table["shown_as"] == "span"].reset_index(drop=True)


def pcmb_intro_html(pcmb: pd.DataFrame, lang: str) -> str:
    """The Programmes page's introduction to the PCMB, as safe HTML (``programmes.pcmb.intro``).

    Its figures come from the data: each multi-year total with its own period
    and a link to its source, formatted for ``lang``; the catalogue text holds no figure.
    """
    table = pcmb_totals(pcmb)
    _, shown = _project_counts(table, lang)
    total = markup.text(t("programmes.pcmb.total", lang))
    totals = [
        total.format(
            projects=markup.text(value),
            period=markup.text(f"{row.year_start}–{row.year_end}"),
            source=markup.link(row.source_url, row.source),
        )
        for row, value in zip(table.itertuples(), shown, strict=True)
    ]
    return f"<p>{markup.text(t('programmes.pcmb.intro', lang)).format(totals=join_list(totals, lang))}</p>"


def describe_pcmb_budget(table: pd.DataFrame, *, lang: str) -> str:
    """Text alternative of :func:`pcmb_budget`: every reported budget (million MXN) with its period."""
    return t(
        "charts.describe.pcmb_budget",
        lang,
        programme=programme_label(PCMB, lang),
        reports=_reports(table, _millions(table, lang), lang),
    )
