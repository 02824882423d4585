"""The headline figures as HTML: labels and values visible, help text reachable, everything escaped."""

from __future__ import annotations

import pytest

from geo.figures import Figure, figures_html
from tests import hostile
from tests.apptest_support import read_figures
from tests.markdown_oracle import active_html

# Synthetic figures, not data.
FIGURES = [
    Figure("sites", "Sites on the map", "12", "Sites with coordinates."),
    Figure("population", "Population 2020", "1,835,486", "Census 2020. Source: INEGI"),
]


def test_each_figure_shows_its_label_value_and_help_in_order() -> None:
    assert read_figures(figures_html(FIGURES)) == FIGURES


def test_figures_are_a_description_list_with_a_disclosure_for_the_help() -> None:
    html = figures_html(FIGURES, "fr")
    assert html.startswith("<dl class='atlas-figures'>")
    assert html.endswith("</dl>")
    assert html.count("<dt>") == html.count("<details>") == html.count("<summary>") == len(FIGURES)
    assert "<span class='atlas-sr'>À propos de « Population 2020 »</span>" in html, (
        "the help's button is named after its figure, in the view's language"
    )
    assert " title=" not in html, "no hover-only tooltip"


@pytest.mark.parametrize("payload", hostile.payloads()[::3])
def test_hostile_text_in_every_shown_part_stays_text(payload: str) -> None:
    figure = Figure("hostile", payload, payload, payload)
    html = figures_html([figure])
    assert not active_html(html, hostile.HOST)
    assert "<script" not in html
    assert "<img" not in html
    assert read_figures(html) == [figure]
