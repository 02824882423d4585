"""A programme's sites: openings per year (with the ones of unknown date) and sites by status."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from geo import markup
from geo.charts._common import (
    BAR,
    HALF_NOTE_WIDTH,
    HALF_SOURCE_WIDTH,
    MUTED,
    NO_TRACE_BOX,
    ROSE,
    TRACE_BOX,
    html_text,
    layout,
    lines_html,
    plural_text,
    programme_label,
    source_line,
    title,
)
from geo.filters import opened_year
from geo.formatting import format_count, join_list
from geo.i18n import t
from geo.vocabulary import STATUSES, UTOPIAS


def openings_per_year_data(sites: pd.DataFrame, *, lang: str, programme: str = UTOPIAS) -> pd.DataFrame:
    """Return open sites per year by which each is known to be open, plus an "opening date unknown" row.

    Columns: label, year (missing for the unknown row), opened, cumulative
    (known openings up to that year; missing for the unknown row), sites
    (their names). Every year from the first to the last known opening is
    listed, with 0 where no opening is known; years before the first known
    opening are left out rather than shown as a misleading 0 (so with no
    known date at all there is only the unknown row). Open sites with no
    known year are never dropped: they are the last row, labelled in ``lang``.
    """
    open_sites = sites[(sites["programme"] == programme) & (sites["status"] == "open")]
    years = opened_year(open_sites)
    known = years.dropna()
    span = range(int(known.min()), int(known.max()) + 1) if not known.empty else range(0)
    rows = []
    cumulative = 0
    for year in span:
        names = open_sites.loc[years.eq(year).fillna(False), "name"].tolist()
        cumulative += len(names)
        rows.append((str(year), year, len(names), cumulative, "; ".join(names)))
    unknown = open_sites.loc[years.isna(), "name"].tolist()
    rows.append((t("charts.openings.unknown", lang), pd.NA, len(unknown), pd.NA, "; ".join(unknown)))
    table = pd.DataFrame(rows, columns=["label", "year", "opened", "cumulative", "sites"])
    return table.astype({"year": "Int64", "opened": int, "cumulative": "Int64"})


def openings_per_year(
    sites: pd.DataFrame, *, lang: str, programme: str = UTOPIAS
) -> tuple[go.Figure, pd.DataFrame]:
    """Bars of sites first known open each year, a cumulative line, and a bar of unknown openings.

    The unknown bar is grey and hatched (told apart without colour) and is
    left out of the cumulative line, which counts known openings only.
    """
    table = openings_per_year_data(sites, lang=lang, programme=programme)
    name = programme_label(programme, lang)
    is_unknown = table["year"].isna()
    known = table[~is_unknown]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=table["label"].tolist(),
            y=table["opened"].tolist(),
            name=markup.text(t("charts.openings.bar", lang)),
            text=[format_count(n, lang) for n in table["opened"]],
            textposition="outside",
            cliponaxis=False,
            hovertext=[
                html_text(
                    "openings.hover",
                    lang,
                    label=f"<b>{markup.text(row.label)}</b>",
                    sites=markup.text(plural_text("openings.sites", row.opened, lang)),
                )
                + (f"<br>{'<br>'.join(markup.text(n) for n in row.sites.split('; '))}" if row.sites else "")
                for row in table.itertuples()
            ],
            hovertemplate="%{hovertext}" + NO_TRACE_BOX,
            marker={
                "color": [MUTED if unknown else BAR for unknown in is_unknown],
                "pattern": {"shape": ["/" if unknown else "" for unknown in is_unknown]},
            },
        )
    )
    fig.add_trace(
        go.Scatter(
            x=known["label"].tolist(),
            y=known["cumulative"].astype(int).tolist(),
            mode="lines+markers",
            name=markup.text(t("charts.openings.cumulative", lang)),
            line={"color": ROSE, "width": 2},
            marker={"symbol": "diamond", "size": 8},
            hovertemplate=markup.text(t("charts.openings.hover_cumulative", lang)) + NO_TRACE_BOX,
        )
    )
    labels = table["label"].tolist()
    ticks = [textwrap.wrap(label, 10, break_long_words=False) or [""] for label in labels]
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=labels,
        # The unknown-date label on a few short lines, so the ticks stay level in every language.
        tickvals=labels,
        ticktext=[lines_html(wrapped) for wrapped in ticks],
        tickangle=0,
    )
    latest = (
        t("charts.source.openings_to", lang, year=known["year"].max())
        if not known.empty
        else t("charts.source.no_openings", lang)
    )
    note = t(
        "charts.openings.note",
        lang,
        total=format_count(int(table["opened"].sum()), lang),
        unknown=format_count(int(table.loc[is_unknown, "opened"].sum()), lang),
    )
    return (
        layout(
            fig,
            title(t("charts.openings.title", lang, programme=name), note, note_width=HALF_NOTE_WIDTH),
            t("charts.openings.axis_x", lang),
            t("charts.axis.sites", lang),
            source_line([(t("charts.source.sites", lang), latest)], lang),
            height=480,
            lang=lang,
            source_width=HALF_SOURCE_WIDTH,
            tick_lines=max(len(lines) for lines in ticks),
        ),
        table,
    )


def describe_openings(table: pd.DataFrame, *, lang: str, programme: str = UTOPIAS) -> str:
    """Text alternative of :func:`openings_per_year`: the years covered, the peak and the unknown ones."""
    is_unknown = table["year"].isna()
    known = table[~is_unknown]
    total = format_count(int(table["opened"].sum()), lang)
    name = programme_label(programme, lang)
    if known.empty or int(known["opened"].sum()) == 0:
        return t("charts.describe.openings_none", lang, total=total, programme=name)
    peak = known.sort_values(["opened", "year"], ascending=[False, True]).iloc[0]
    return t(
        "charts.describe.openings",
        lang,
        total=total,
        programme=name,
        first=int(known["year"].min()),
        last=int(known["year"].max()),
        known=format_count(int(known["opened"].sum()), lang),
        peak_year=int(peak["year"]),
        peak=format_count(int(peak["opened"]), lang),
        unknown=format_count(int(table.loc[is_unknown, "opened"].sum()), lang),
    )


def sites_by_status_data(sites: pd.DataFrame, *, lang: str, programme: str = UTOPIAS) -> pd.DataFrame:
    """Return site counts per status (named in ``lang``), split by whether the site has coordinates."""
    chosen = sites[sites["programme"] == programme]
    mapped = chosen.geometry.notna() if "geometry" in chosen else chosen["lat"].notna()
    rows = []
    for status in STATUSES:
        of_status = chosen["status"] == status
        status_label = t(f"labels.status.{status}", lang)
        for on_map in (True, False):
            rows.append((status, status_label, on_map, int((of_status & (mapped == on_map)).sum())))
    return pd.DataFrame(rows, columns=["status", "status_label", "on_map", "sites"])


def sites_by_status(
    sites: pd.DataFrame, *, lang: str, programme: str = UTOPIAS
) -> tuple[go.Figure, pd.DataFrame]:
    """Stacked bars of sites by status (open, under construction, announced), mapped or not."""
    table = sites_by_status_data(sites, lang=lang, programme=programme)
    fig = go.Figure()
    for on_map, rows in table.groupby("on_map", sort=False):
        fig.add_trace(
            go.Bar(
                y=[markup.text(label) for label in rows["status_label"]],
                x=rows["sites"].tolist(),
                orientation="h",
                name=markup.text(t("charts.status.on_map" if on_map else "charts.status.off_map", lang)),
                marker={
                    "color": BAR if on_map else MUTED,
                    "pattern": {"shape": "" if on_map else "/"},
                },
                text=[format_count(n, lang) if n else "" for n in rows["sites"]],
                textposition="inside",
                hovertemplate=markup.text(t("charts.status.hover", lang)) + TRACE_BOX,
            )
        )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(barmode="stack")
    return (
        layout(
            fig,
            title(
                t("charts.status.title", lang, programme=programme_label(programme, lang)),
                plural_text("status.note", int(table["sites"].sum()), lang),
                note_width=HALF_NOTE_WIDTH,
            ),
            t("charts.axis.sites", lang),
            t("charts.status.axis_y", lang),
            source_line([(t("charts.source.sites", lang), t("charts.source.status_now", lang))], lang),
            height=320,
            lang=lang,
            source_width=HALF_SOURCE_WIDTH,
        ),
        table,
    )


def describe_sites_by_status(table: pd.DataFrame, *, lang: str, programme: str = UTOPIAS) -> str:
    """Text alternative of :func:`sites_by_status`: the count of each status and how many are mapped."""
    per_status = table.groupby("status_label", sort=False)["sites"].sum()
    counts = join_list(
        [
            t("charts.describe.item", lang, label=label, value=format_count(int(n), lang))
            for label, n in per_status.items()
        ],
        lang,
    )
    return t(
        "charts.describe.status",
        lang,
        total=format_count(int(table["sites"].sum()), lang),
        programme=programme_label(programme, lang),
        counts=counts,
        mapped=format_count(int(table.loc[table["on_map"], "sites"].sum()), lang),
    )
