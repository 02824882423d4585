"""PCMB project counts and budgets as reported."""

from __future__ import annotations

import re
from html import unescape
from itertools import pairwise
from urllib.parse import urlparse

import pandas as pd
import plotly.graph_objects as go
import pytest

from geo import i18n, paths
from geo.charts.pcmb import (
    describe_pcmb_budget,
    describe_pcmb_series,
    pcmb_budget,
    pcmb_intro_html,
    pcmb_series,
)
from geo.formatting import format_count
from geo.i18n import LANGUAGES, t
from geo.loaders import Atlas, load_atlas
from tests.charts_support import NNBSP


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def test_pcmb_keeps_both_2024_reports_side_by_side(atlas: Atlas) -> None:
    fig, table = pcmb_series(atlas.pcmb, lang="en")
    bars_2024 = [trace for trace in fig.data if trace.type == "bar" and 2024 <= trace.x[0] < 2025]
    assert sorted(trace.y[0] for trace in bars_2024) == [152, 155]
    assert bars_2024[0].x[0] != bars_2024[1].x[0]
    hovers = " ".join(trace.hovertext[0] for trace in bars_2024)
    assert "mayacomunicacion.com.mx" in hovers
    assert "ntcd.mx" in hovers
    assert table.loc[table["period"] == "2024", "projects"].tolist() == [152, 155]


def test_pcmb_periods_are_spans(atlas: Atlas) -> None:
    fig, table = pcmb_series(atlas.pcmb, lang="en")
    spans = {(trace.x[0], trace.x[-1], trace.y[0]) for trace in fig.data if trace.type == "scatter"}
    assert spans == {(2007, 2009, 150), (2007, 2015, 1386), (2007, 2016, 520)}
    assert table.loc[table["period"] == "2007-2008", "projects_qualifier"].item() == ">"


def test_pcmb_years_without_a_report_stay_empty(atlas: Atlas) -> None:
    fig, _ = pcmb_series(atlas.pcmb, lang="en")
    drawn = [x for trace in fig.data for x in trace.x]
    assert not [x for x in drawn if 2016 < x < 2024]


def test_pcmb_budget_is_its_own_figure_in_millions(atlas: Atlas) -> None:
    fig, table = pcmb_budget(atlas.pcmb, lang="en")
    assert "million MXN" in fig.layout.yaxis.title.text
    assert table["budget_mxn"].tolist() == [949e6, 1000e6, 10e6, 150e6, 150e6]
    bars = sorted(trace.y[0] for trace in fig.data if trace.type == "bar")
    assert bars == [10, 150, 150]


LINE_PX = 13 * 1.2  # a line of the charts' 13 px text


def label_height(fig: go.Figure) -> float:
    """A line of label text in y-axis units: the plot's height is the figure's less its margins."""
    plot_px = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    low, high = fig.layout.yaxis.range
    return LINE_PX / plot_px * (high - low)


def year_notes(fig: go.Figure) -> dict[float, go.layout.Annotation]:
    """The label over each year's bars, by its x."""
    return {note.x: note for note in fig.layout.annotations if note.name == "reports"}


def lines(note: go.layout.Annotation) -> list[str]:
    return [line.strip() for line in note.text.split("<br>")]


@pytest.mark.parametrize("chart", [pcmb_series, pcmb_budget])
def test_one_label_per_year_lists_every_report_of_that_year(atlas: Atlas, chart) -> None:
    """Reports of one year side by side share one label over the tallest bar, a value a line in the
    bars' order: two labels over the 2024 bars ran into each other ("152/155")."""
    fig, table = chart(atlas.pcmb, lang="en")
    bars = [trace for trace in fig.data if trace.type == "bar"]
    assert not any(trace.text for trace in bars), "no label of its own on a bar"
    single = table[table["shown_as"] == "bar"]
    notes = year_notes(fig)
    assert sorted(notes) == [year + 0.5 for year in sorted(single["year_start"].unique())]
    height = label_height(fig)
    for year, reports in single.groupby("year_start"):
        note = notes[year + 0.5]
        drawn = [
            trace.y[0] for trace in sorted(bars, key=lambda bar: bar.x[0]) if year <= trace.x[0] < year + 1
        ]
        assert len(lines(note)) == len(reports) == len(drawn)
        assert (note.y, note.yanchor) == (max(drawn), "bottom")
        assert note.y + len(drawn) * height <= fig.layout.yaxis.range[1], "inside the plot"


def test_the_2024_label_names_both_reports(atlas: Atlas) -> None:
    fig, _ = pcmb_series(atlas.pcmb, lang="en")
    assert lines(year_notes(fig)[2024.5]) == ["152", "155"]
    budget, _ = pcmb_budget(atlas.pcmb, lang="fr")
    assert lines(year_notes(budget)[2024.5]) == ["150", "150"]


@pytest.mark.parametrize("lang", ["es", "en", "fr"])
@pytest.mark.parametrize("chart", [pcmb_series, pcmb_budget])
def test_period_labels_do_not_overlap(atlas: Atlas, chart, lang: str) -> None:
    """Periods that start the same year (2007–2014 and 2007–2015 budgets) label their spans on separate
    lines: each label above its span, or below it when the span above would run through it."""
    fig, _ = chart(atlas.pcmb, lang=lang)
    height = label_height(fig)
    spans = [trace for trace in fig.data if trace.type == "scatter"]
    boxes = []
    for trace in spans:
        assert trace.textposition in ("top right", "bottom right")
        low = trace.y[0] if trace.textposition == "top right" else trace.y[0] - height
        assert low >= 0, "inside the plot"
        assert low + height <= fig.layout.yaxis.range[1], "inside the plot"
        boxes.append((low, low + height))
    for trace in spans:  # no span's line runs through another span's label
        for (low, high), other in zip(boxes, spans, strict=True):
            assert other is trace or not low < trace.y[0] < high, (trace.text, other.text)
    boxes.sort()
    assert all(high <= low for (_, high), (low, _) in pairwise(boxes)), boxes


def test_pcmb_in_french(atlas: Atlas) -> None:
    pcmb, _ = pcmb_series(atlas.pcmb, lang="fr")
    assert pcmb.layout.title.text.startswith(
        "<b>PCMB (Amélioration des quartiers) : projets tels que déclarés</b>"
    )
    assert {trace.name for trace in pcmb.data} == {
        "Déclaré pour une seule année",
        "Total déclaré pour une période de plusieurs années",
    }
    spans = " ".join(text for trace in pcmb.data if trace.type == "scatter" for text in trace.text)
    assert f"1{NNBSP}386 (2007-2014)" in spans
    hovers = " ".join(hover for trace in pcmb.data for hover in trace.hovertext)
    assert "plus de 150" in hovers
    assert "Source : mayacomunicacion.com.mx" in hovers
    budget, _ = pcmb_budget(atlas.pcmb, lang="fr")
    assert budget.layout.yaxis.title.text == "Budget (millions de MXN, nominaux)"
    budget_hovers = " ".join(hover for trace in budget.data for hover in trace.hovertext)
    assert f"1{NNBSP}000 millions de MXN" in budget_hovers


def test_pcmb_in_spanish(atlas: Atlas) -> None:
    pcmb, _ = pcmb_series(atlas.pcmb, lang="es")
    budget, _ = pcmb_budget(atlas.pcmb, lang="es")
    assert pcmb.layout.yaxis.title.text == "Proyectos (número, según lo reportado)"
    hovers = " ".join(hover for trace in pcmb.data for hover in trace.hovertext)
    assert "más de 150" in hovers
    assert "Fuente: ntcd.mx" in hovers
    assert budget.layout.xaxis.title.text == "Año"


def test_describe_pcmb(atlas: Atlas) -> None:
    projects = {
        "en": "Chart of PCMB (Neighbourhood Improvement) projects as reported, one entry per report: "
        "2007-2008: more than 150, 2007-2014: 1,386, 2007-2015: 520, 2013: 200, 2015: 160, 2024: 152, and 2024: 155.",
        "es": "Gráfica de los proyectos de PCMB (Mejoramiento Barrial) según lo reportado, una entrada por informe: "
        "2007-2008: más de 150, 2007-2014: 1,386, 2007-2015: 520, 2013: 200, 2015: 160, 2024: 152 y "
        "2024: 155.",
        "fr": "Graphique des projets PCMB (Amélioration des quartiers) tels que déclarés, une entrée par rapport : "
        f"2007-2008 : plus de 150, 2007-2014 : 1{NNBSP}386, 2007-2015 : 520, 2013 : 200, 2015 : 160, "
        "2024 : 152 et 2024 : 155.",
    }
    for lang, text in projects.items():
        _, table = pcmb_series(atlas.pcmb, lang=lang)
        assert describe_pcmb_series(table, lang=lang) == text
    _, table = pcmb_budget(atlas.pcmb, lang="fr")
    assert describe_pcmb_budget(table, lang="fr") == (
        "Graphique du budget PCMB (Amélioration des quartiers) tel que déclaré (millions de MXN, nominaux), "
        f"une entrée par rapport : 2007-2014 : 949, 2007-2015 : 1{NNBSP}000, 2023 : 10, 2024 : 150 et 2024 : 150."
    )
    _, table = pcmb_budget(atlas.pcmb, lang="es")
    assert "una entrada por informe: 2007-2014: 949, 2007-2015: 1,000, 2023: 10" in describe_pcmb_budget(
        table, lang="es"
    )


# --- the Programmes page's introduction ---------------------------------------------------------


def plain(html: str) -> str:
    """The text of an HTML snippet, tags dropped and entities read."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def reported_totals() -> pd.DataFrame:
    """The multi-year project counts of the data file itself, read without the Atlas's loaders."""
    data = pd.read_csv(paths.PCMB)
    return data[(data["year_end"] > data["year_start"]) & data["projects"].notna()]


def test_the_pcmb_intro_gives_each_total_its_own_period(atlas: Atlas) -> None:
    # The intro once typed "for 2007–2014, 520 or 1,386 projects": the data says 520 for 2007–2015.
    text = plain(pcmb_intro_html(atlas.pcmb, "en"))
    claimed = {
        (int(number.replace(",", "")), int(start), int(end))
        for number, start, end in re.findall(r"([\d,]+) projects in (\d{4})–(\d{4})", text)
    }
    expected = {(int(r.projects), r.year_start, r.year_end) for r in reported_totals().itertuples()}
    assert claimed == expected
    assert (520, 2007, 2015) in claimed


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pcmb_intro_cites_each_total_with_its_source_in_every_language(atlas: Atlas, lang: str) -> None:
    html = pcmb_intro_html(atlas.pcmb, lang)
    text = plain(html)
    for row in reported_totals().itertuples():
        figure = format_count(row.projects, lang)
        if row.projects_qualifier == ">":
            figure = t("charts.pcmb.more_than", lang, n=figure)
        period = f"{row.year_start}–{row.year_end}"
        source = urlparse(row.source_url).netloc
        assert t("programmes.pcmb.total", lang, projects=figure, period=period, source=source) in text
        assert f'href="{row.source_url}"' in html


def test_no_pcmb_figure_is_typed_into_the_catalogue() -> None:
    texts = [
        text
        for key, texts in i18n.catalogue().items()
        if key.startswith("programmes.pcmb.")
        for text in texts.values()
    ]
    assert texts
    assert not [text for text in texts if re.search(r"\d", text)]


def test_the_pcmb_intro_escapes_the_data() -> None:
    pcmb = pd.DataFrame(  # synthetic: one hostile multi-year report
        {
            "period": ["2001-2002"],
            "year_start": [2001],
            "year_end": [2002],
            "projects": [3.0],
            "projects_qualifier": [""],
            "budget_mxn": [float("nan")],
            "source_url": ["javascript:alert(1)//<script>"],
            "note": ["<img src=x onerror=alert(1)>"],
        }
    )
    html = pcmb_intro_html(pcmb, "en")
    assert "3 projects in 2001–2002" in plain(html)
    assert "<script" not in html
    assert "href" not in html
