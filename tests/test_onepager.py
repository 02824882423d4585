"""The one-page brief: an A4 landscape PNG and a one-page PDF with the web map's classes and
colours, the sites with coordinates, the legend, the key figures in the view's language and
the sources, laid out with no text running into other text or off the page."""

from __future__ import annotations

import re
import struct
from dataclasses import replace
from datetime import date
from itertools import combinations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch

from geo.classify import NO_DATA_COLOUR, classify
from geo.filters import filter_sites, headline, opened_year_range
from geo.formatting import format_count, format_value
from geo.i18n import t
from geo.indicators import REGISTRY, rows_for
from geo.legend import class_labels
from geo.loaders import Atlas, load_atlas
from geo.onepager import A4_LANDSCAPE_IN, brief_figure, brief_pdf, brief_png
from geo.state import ViewState

pytestmark = pytest.mark.filterwarnings("ignore:Numba not installed:UserWarning")

EXPORTED = date(2026, 11, 22)
URL = "http://localhost:8501/?ind=poverty_pct&year=2020&lang=fr"


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


@pytest.fixture(scope="module")
def latest(atlas: Atlas) -> int:
    return opened_year_range(atlas.sites)[1]


def view(latest: int, **changes: object) -> ViewState:
    return replace(ViewState(ind="poverty_pct", year=2020, opened=latest, lang="fr"), **changes)


def texts(fig: Figure) -> list[str]:
    """Every text drawn on the brief, page and map."""
    return [text.get_text() for text in fig.texts] + [text.get_text() for ax in fig.axes for text in ax.texts]


def borough_patches(fig: Figure) -> dict[str, PathPatch]:
    return {
        patch.get_gid().removeprefix("borough-"): patch
        for ax in fig.axes
        for patch in ax.patches
        if (patch.get_gid() or "").startswith("borough-")
    }


def test_pdf_is_one_a4_landscape_page(atlas: Atlas, latest: int) -> None:
    pdf = brief_pdf(view(latest), atlas, url=URL, exported=EXPORTED)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box is not None
    assert (round(float(box.group(1))), round(float(box.group(2)))) == (842, 595)  # A4 in points


@pytest.mark.parametrize("dpi", [100, 150])
def test_png_has_the_page_size_at_the_dpi(atlas: Atlas, latest: int, dpi: int) -> None:
    png = brief_png(view(latest), atlas, exported=EXPORTED, dpi=dpi)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert abs(width - A4_LANDSCAPE_IN[0] * dpi) <= 1
    assert abs(height - A4_LANDSCAPE_IN[1] * dpi) <= 1


def test_french_brief_has_french_title_numbers_and_date(atlas: Atlas, latest: int) -> None:
    state = view(latest)
    fig = brief_figure(state, atlas, url=URL, exported=EXPORTED)
    shown = "\n".join(texts(fig))
    indicator = REGISTRY["poverty_pct"]
    assert t("exports.brief.title", "fr", indicator=indicator.title("fr"), year=2020) in shown
    figures = headline(atlas, state, filter_sites(atlas.sites, state, latest))
    population = format_count(figures.population, "fr")
    assert re.fullmatch(r"\d{1,3}(\u202f\d{3})+", population), population  # French grouping
    assert population in shown
    assert format_value(figures.poverty_pct, "percent", "fr") in shown
    assert "," in format_value(figures.poverty_pct, "percent", "fr")  # French decimal comma
    assert format_count(figures.sites_on_map, "fr") in shown
    assert "22 novembre 2026" in shown
    assert t("app.name", "fr") in shown
    assert URL in shown.replace("\n", "")
    assert "Marco Geoestadístico" in shown
    assert "CONEVAL" in shown


def test_sixteen_boroughs_in_the_web_maps_classes_and_colours(atlas: Atlas, latest: int) -> None:
    state = view(latest, scheme="natural_breaks", k=4, palette="viridis")
    indicator = REGISTRY[state.ind]
    values = rows_for(atlas.indicators, state.ind, 2020).set_index("cvegeo")["value"]
    classes = classify(
        values.reindex(atlas.boroughs["cvegeo"]), "natural_breaks", 4, "viridis", higher_is_worse=True
    )
    fig = brief_figure(state, atlas, exported=EXPORTED)
    patches = borough_patches(fig)
    assert sorted(patches) == sorted(atlas.boroughs["cvegeo"])
    for code, patch in patches.items():
        assert patch.get_facecolor() == pytest.approx(to_rgba(classes.colour_of(code))), code
    swatches = [p.get_facecolor() for p in fig.patches if p.get_gid() == "legend-swatch"]
    assert swatches == [pytest.approx(to_rgba(colour)) for colour in classes.colours]
    shown = texts(fig)
    for label in class_labels(classes, indicator.fmt, "fr"):
        assert any(text.startswith(label) for text in shown), label


def test_missing_value_in_the_no_data_colour(atlas: Atlas, latest: int) -> None:
    drop = (
        (atlas.indicators["indicator"] == "poverty_pct")
        & (atlas.indicators["year"] == 2020)
        & (atlas.indicators["cvegeo"] == "09009")
    )
    partial = replace(atlas, indicators=atlas.indicators[~drop])
    fig = brief_figure(view(latest, lang="es"), partial, exported=EXPORTED)
    patches = borough_patches(fig)
    assert len(patches) == 16
    assert patches["09009"].get_facecolor() == pytest.approx(to_rgba(NO_DATA_COLOUR))
    assert any(text.startswith(t("exports.brief.no_data", "es") + " (1)") for text in texts(fig))


def test_sites_with_coordinates_are_drawn_by_status(atlas: Atlas, latest: int) -> None:
    state = view(latest, status=("open", "under_construction"))
    fig = brief_figure(state, atlas, exported=EXPORTED)
    selected = filter_sites(atlas.sites, state, latest)
    mapped = selected[selected.geometry.notna()]
    drawn = {
        collection.get_gid().removeprefix("sites-"): len(collection.get_offsets())
        for ax in fig.axes
        for collection in ax.collections
        if (collection.get_gid() or "").startswith("sites-")
    }
    assert drawn == {status: n for status, n in mapped["status"].value_counts().items()}
    assert "announced" not in drawn
    assert sum(drawn.values()) == headline(atlas, state, selected).sites_on_map


def test_selected_boroughs_stand_out(atlas: Atlas, latest: int) -> None:
    fig = brief_figure(view(latest, boro=("09007", "09011"), sel="09007"), atlas, exported=EXPORTED)
    patches = borough_patches(fig)
    assert patches["09007"].get_alpha() == 1.0
    assert patches["09011"].get_alpha() == 1.0
    assert patches["09003"].get_alpha() < 0.5
    outlines = [p for ax in fig.axes for p in ax.patches if isinstance(p, PathPatch) and not p.get_fill()]
    assert len(outlines) == 2
    assert max(p.get_linewidth() for p in outlines) > min(p.get_linewidth() for p in outlines)
    shown = "\n".join(texts(fig))
    assert "Iztapalapa, Tláhuac" in shown


@pytest.mark.parametrize("lang", ["es", "en", "fr"])
def test_page_text_stays_on_the_page_and_never_overlaps(atlas: Atlas, latest: int, lang: str) -> None:
    """Every text of the page inside its margins, none on top of another; map labels apart too."""
    long_url = URL + "&boro=09002%2C09003%2C09004%2C09005%2C09006%2C09007&sel=09007&scheme=natural_breaks" * 2
    state = view(latest, lang=lang, boro=("09002", "09003", "09004", "09005", "09006", "09007"), sel="09007")
    fig = brief_figure(state, atlas, url=long_url, exported=EXPORTED)
    renderer = FigureCanvasAgg(fig).get_renderer()
    margin = 0.4 * fig.dpi  # the page keeps 0.55 in margins at the sides
    page = fig.bbox.padded(-margin)
    boxes = [(text.get_text(), text.get_window_extent(renderer)) for text in fig.texts if text.get_text()]
    for content, box in boxes:
        inside = page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0 and box.y1 <= page.y1
        assert inside, content
    for (first, a), (second, b) in combinations(boxes, 2):
        assert not a.overlaps(b), f"{first!r} overlaps {second!r}"
    labels = [text.get_window_extent(renderer) for ax in fig.axes for text in ax.texts]
    for a, b in combinations(labels, 2):
        assert not a.overlaps(b)
