"""What every chart shares: a title, axis titles, a source note, the language's numbers, escaped names."""

from __future__ import annotations

import re
from html import unescape

import plotly.graph_objects as go
import pytest

from geo.charts._common import separators, source_line
from geo.charts.need import need_vs_provision
from geo.charts.pcmb import pcmb_budget, pcmb_series
from geo.charts.ranking import ranking
from geo.charts.sites import openings_per_year, sites_by_status
from geo.charts.trend import change_over_time
from geo.loaders import Atlas, load_atlas
from tests.charts_support import ESCAPED_NAME, HOSTILE_NAME, IZTAPALAPA, NNBSP, source_note


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


_FIGURES: dict[str, dict[str, go.Figure]] = {}


def all_figures(atlas: Atlas, lang: str, names: dict[str, str] | None = None) -> dict[str, go.Figure]:
    """Every chart in ``lang`` (cached per language for the shipped names)."""
    if names is None and lang in _FIGURES:
        return _FIGURES[lang]
    figures = _figures(atlas, lang, names or atlas.borough_names)
    if names is None:
        _FIGURES[lang] = figures
    return figures


def _figures(atlas: Atlas, lang: str, names: dict[str, str]) -> dict[str, go.Figure]:
    return {
        "ranking": ranking(atlas.indicators, "poverty_pct", 2020, names=names, lang=lang)[0],
        "need": need_vs_provision(atlas.indicators, atlas.sites, names=names, lang=lang)[0],
        "change": change_over_time(atlas.indicators, "poverty_pct", names=names, lang=lang)[0],
        "openings": openings_per_year(atlas.sites, lang=lang)[0],
        "status": sites_by_status(atlas.sites, lang=lang)[0],
        "pcmb": pcmb_series(atlas.pcmb, lang=lang)[0],
        "budget": pcmb_budget(atlas.pcmb, lang=lang)[0],
    }


def test_source_line_names_each_source_once_with_its_years() -> None:
    assert source_line([("CONEVAL", 2010), ("CONEVAL", 2015), ("INEGI Censo 2020", 2020)], "en") == (
        "Source: CONEVAL (2010, 2015); INEGI Censo 2020"
    )


def test_every_chart_has_a_title_axis_titles_and_a_source(atlas: Atlas) -> None:
    figures = [
        ranking(atlas.indicators, "poverty_pct", 2020, names=atlas.borough_names, lang="en")[0],
        need_vs_provision(atlas.indicators, atlas.sites, names=atlas.borough_names, lang="en")[0],
        change_over_time(atlas.indicators, "poverty_pct", names=atlas.borough_names, lang="en")[0],
        openings_per_year(atlas.sites, lang="en")[0],
        sites_by_status(atlas.sites, lang="en")[0],
        pcmb_series(atlas.pcmb, lang="en")[0],
        pcmb_budget(atlas.pcmb, lang="en")[0],
    ]
    for fig in figures:
        assert fig.layout.title.text
        assert fig.layout.xaxis.title.text
        assert fig.layout.yaxis.title.text
        assert source_note(fig).startswith("Source: ")


def read_as_text(html: str) -> str:
    """A plotly text as a browser's ``textContent`` reads it: each ``<br>`` line is a tspan, joined as is."""
    return unescape(re.sub(r"<[^>]*>", "", html))


def read_as_lines(html: str) -> str:
    """The same text with a space wherever it breaks a line, as a reader sees it."""
    return " ".join(read_as_text(html.replace("<br>", " ")).split())


@pytest.mark.parametrize("lang", ["es", "en", "fr"])
def test_wrapped_texts_keep_a_space_at_each_line_break(atlas: Atlas, lang: str) -> None:
    """A source note or title wrapped over lines reads as the sentence it is ("compiled by", not
    "compiledby") when the page's text is copied, searched or read aloud."""
    for name, fig in all_figures(atlas, lang).items():
        texts = [source_note(fig), fig.layout.title.text]
        texts += [tick for axis in (fig.layout.xaxis,) for tick in axis.ticktext or ()]
        for text in texts:
            assert read_as_text(text) == read_as_lines(text), (name, text)
    need = all_figures(atlas, "en")["need"]
    assert "<br>" in source_note(need)
    assert "UTOPÍAS sites compiled by the Atlas from public reports" in read_as_text(source_note(need))


def test_separators_follow_babel_per_language() -> None:
    assert separators("en") == ".,"
    assert separators("es") == ".,"  # es_MX: 1,234.5
    assert separators("fr") == "," + NNBSP  # fr_FR: 1 234,5


@pytest.mark.parametrize(("lang", "expected"), [("en", ".,"), ("es", ".,"), ("fr", "," + NNBSP)])
def test_every_figure_uses_the_languages_number_separators(atlas: Atlas, lang: str, expected: str) -> None:
    for name, fig in all_figures(atlas, lang).items():
        assert fig.layout.separators == expected, name
        assert fig.layout.xaxis.separatethousands, name
        assert fig.layout.yaxis.separatethousands, name
        assert fig.layout.xaxis.exponentformat == fig.layout.yaxis.exponentformat == "none", name


def test_no_english_left_in_french_and_spanish_figures(atlas: Atlas) -> None:
    english = re.compile(
        r"\b(Source|Year|Borough|City|Sites \(count\)|rank|open now|per 100|Population in|Programme \(bubble|"
        r"Rose|Fell|Opened|Cumulative|With coordinates|Without|Status|Reported|Total reported|as reported|"
        r"more than|million|opening date)\b"
    )
    for lang in ("fr", "es"):
        for name, fig in all_figures(atlas, lang).items():
            texts = [fig.layout.title.text, fig.layout.xaxis.title.text, fig.layout.yaxis.title.text]
            texts += [note.text for note in fig.layout.annotations]
            texts += [fig.layout.legend.title.text or ""]
            for trace in fig.data:
                texts += [trace.name or "", trace.hovertemplate or "", *(trace.hovertext or ())]
                texts += [str(x) for x in (trace.x if trace.type == "bar" else ())]
                texts += [str(y) for y in (trace.y if trace.orientation == "h" and name != "ranking" else ())]
            # Source names and the reports' notes (after "Source :") are data, never translated.
            checked = [re.sub(r"(Source :|Fuente:).*", "", text) for text in texts]
            leftovers = [text for text in checked if english.search(text)]
            assert not leftovers, (lang, name, leftovers)


def test_hostile_borough_names_are_escaped_in_every_language(atlas: Atlas) -> None:
    names = {**atlas.borough_names, IZTAPALAPA: HOSTILE_NAME}
    for lang in ("es", "en", "fr"):
        figures = all_figures(atlas, lang, names)
        for name in ("ranking", "need", "change"):
            fig = figures[name]
            dumped = fig.to_json()
            assert HOSTILE_NAME not in dumped, (lang, name)
            assert ESCAPED_NAME in dumped, (lang, name)
        _, table = ranking(atlas.indicators, "poverty_pct", 2020, names=names, lang=lang)
        assert HOSTILE_NAME in table["borough"].tolist(), "the table keeps the name as data"
