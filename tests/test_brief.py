"""The one-page brief: an A4 landscape PNG and a one-page PDF with the web map's classes and
colours, the sites with coordinates, the legend, the key figures in the view's language and
the sources, laid out with no text running into other text or off the page; and a slide's
picture, which shows what the slide's page shows."""

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

from geo.areamodel import grade_names
from geo.brief.content import Brief, ChartBrief, MapBrief, ProfileBrief, map_brief, slide_brief
from geo.brief.layout import A4_LANDSCAPE_IN, brief_figure, brief_pdf, brief_png
from geo.brief.text import wrap
from geo.charts.ranking import city_value
from geo.classify import NO_DATA_COLOUR, classify
from geo.filters import filter_sites, headline
from geo.formatting import format_count, format_value
from geo.i18n import t
from geo.indicators import REGISTRY, rows_for
from geo.legend import class_labels
from geo.loaders import Atlas, NeighbourhoodLayers, load_neighbourhoods
from geo.mapmodel import map_model
from geo.state import ViewState

pytestmark = pytest.mark.filterwarnings("ignore:Numba not installed:UserWarning")

EXPORTED = date(2026, 11, 22)
URL = "http://localhost:8501/?ind=poverty_pct&year=2020&lang=fr"


def view(latest: int, **changes: object) -> ViewState:
    return replace(ViewState(ind="poverty_pct", year=2020, opened=latest, lang="fr"), **changes)


def draw(state: ViewState, atlas: Atlas, **options: object) -> Figure:
    """The map brief of ``state`` as a matplotlib figure."""
    return brief_figure(map_brief(map_model(atlas, state), **options))


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
    pdf = brief_pdf(map_brief(map_model(atlas, view(latest)), url=URL, exported=EXPORTED))
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box is not None
    assert (round(float(box.group(1))), round(float(box.group(2)))) == (842, 595)  # A4 in points


@pytest.mark.parametrize("dpi", [100, 150])
def test_png_has_the_page_size_at_the_dpi(atlas: Atlas, latest: int, dpi: int) -> None:
    png = brief_png(map_brief(map_model(atlas, view(latest)), exported=EXPORTED), dpi=dpi)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert abs(width - A4_LANDSCAPE_IN[0] * dpi) <= 1
    assert abs(height - A4_LANDSCAPE_IN[1] * dpi) <= 1


def test_french_brief_has_french_title_numbers_and_date(atlas: Atlas, latest: int) -> None:
    state = view(latest)
    fig = draw(state, atlas, url=URL, exported=EXPORTED)
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
    fig = draw(state, atlas, exported=EXPORTED)
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
    fig = draw(view(latest, lang="es"), partial, exported=EXPORTED)
    patches = borough_patches(fig)
    assert len(patches) == 16
    assert patches["09009"].get_facecolor() == pytest.approx(to_rgba(NO_DATA_COLOUR))
    assert any(text.startswith(t("legend.no_data", "es") + " (1)") for text in texts(fig))


def test_sites_with_coordinates_are_drawn_by_status(atlas: Atlas, latest: int) -> None:
    state = view(latest, status=("open", "under_construction"))
    fig = draw(state, atlas, exported=EXPORTED)
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
    fig = draw(view(latest, boro=("09007", "09011"), sel="09007"), atlas, exported=EXPORTED)
    patches = borough_patches(fig)
    assert patches["09007"].get_alpha() == 1.0
    assert patches["09011"].get_alpha() == 1.0
    assert patches["09003"].get_alpha() < 0.5
    outlines = [p for ax in fig.axes for p in ax.patches if isinstance(p, PathPatch) and not p.get_fill()]
    assert len(outlines) == 2
    assert max(p.get_linewidth() for p in outlines) > min(p.get_linewidth() for p in outlines)
    shown = "\n".join(texts(fig))
    assert "Iztapalapa, Tláhuac" in shown


def assert_text_apart(fig: Figure) -> None:
    """Every text of the page inside its margins, none on top of another or crossed by a rule."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    margin = 0.4 * fig.dpi  # the page keeps 0.55 in margins at the sides
    page = fig.bbox.padded(-margin)
    boxes = [(text.get_text(), text.get_window_extent(renderer)) for text in fig.texts if text.get_text()]
    rules = [
        fig.transFigure.transform((0, line.get_ydata()[0]))[1]
        for line in fig.lines
        if line.get_gid() == "page-rule"
    ]
    assert len(rules) == 2, "one rule under the header, one over the footer"
    for content, box in boxes:
        inside = page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0 and box.y1 <= page.y1
        assert inside, content
        assert not any(box.y0 < rule < box.y1 for rule in rules), f"a rule crosses {content!r}"
    for (first, a), (second, b) in combinations(boxes, 2):
        assert not a.overlaps(b), f"{first!r} overlaps {second!r}"


@pytest.mark.parametrize("reach", [False, True])
@pytest.mark.parametrize("lang", ["es", "en", "fr"])
def test_page_text_stays_on_the_page_and_never_overlaps(
    atlas: Atlas, latest: int, lang: str, reach: bool
) -> None:
    """Every text of the page inside its margins, none on top of another; map labels apart too."""
    long_url = URL + "&boro=09002%2C09003%2C09004%2C09005%2C09006%2C09007&sel=09007&scheme=natural_breaks" * 2
    boroughs = ("09002", "09003", "09004", "09005", "09006", "09007")
    state = view(latest, lang=lang, boro=boroughs, sel="09007", reach=reach)
    fig = draw(state, atlas, url=long_url, exported=EXPORTED)
    assert_text_apart(fig)
    renderer = FigureCanvasAgg(fig).get_renderer()
    labels = [text.get_window_extent(renderer) for ax in fig.axes for text in ax.texts]
    for a, b in combinations(labels, 2):
        assert not a.overlaps(b)


# --- walking reach on the map brief -------------------------------------------------------------


def reach_patches(fig: Figure) -> dict[str, PathPatch]:
    return {
        patch.get_gid(): patch
        for ax in fig.axes
        for patch in ax.patches
        if (patch.get_gid() or "").startswith("reach-")
    }


def test_reach_circles_and_figures_are_drawn_when_the_view_shows_them(atlas: Atlas, latest: int) -> None:
    state = view(latest, lang="en", reach=True)
    model = map_model(atlas, state)
    fig = brief_figure(map_brief(model, exported=EXPORTED))
    patches = reach_patches(fig)
    assert sorted(patches) == ["reach-1500", "reach-800"]
    assert patches["reach-800"].get_linestyle() == "-"
    assert patches["reach-1500"].get_linestyle() != "-", "the farther distance is dashed, as on the web map"
    shown = " ".join(" ".join(texts(fig)).split())  # wrapped lines joined again
    assert t("exports.brief.reach", "en", n=format_count(17, "en")).upper() in shown
    assert model.reach is not None
    assert t("exports.brief.reach_line", "en", **model.reach.figures("en")[0]) in shown
    assert not reach_patches(draw(view(latest, lang="en"), atlas, exported=EXPORTED))


# --- the AGEB and colonia levels -----------------------------------------------------------------


@pytest.fixture(scope="module")
def layers() -> NeighbourhoodLayers:
    return load_neighbourhoods()


def area_collection(fig: Figure):  # -> matplotlib.collections.PatchCollection
    [collection] = [c for ax in fig.axes for c in ax.collections if c.get_gid() == "areas"]
    return collection


def test_an_ageb_brief_draws_the_agebs_in_conapos_grades_and_cites_conapo(
    atlas: Atlas, latest: int, layers: NeighbourhoodLayers
) -> None:
    model = map_model(atlas, view(latest, lang="en", level="agebs"), neighbourhoods=lambda: layers)
    areas = model.areas
    assert areas is not None
    brief = map_brief(model, exported=EXPORTED)
    fig = brief_figure(brief)
    collection = area_collection(fig)
    assert len(collection.get_paths()) == areas.count == 2430
    fills = collection.get_facecolors()
    for number, key in enumerate(areas.keys[:200]):
        assert fills[number] == pytest.approx(to_rgba(areas.classes.colour_of(key))), key
    assert {patch.get_facecolor()[3] for patch in borough_patches(fig).values()} == {0}, "borders only"
    labels = [label.rsplit(" (", 1)[0] for _, label in brief.legend_rows]
    assert labels == [*grade_names("en"), t("legend.no_data", "en")], "the five grades, then no data"
    assert brief.legend_rows[-1] == (NO_DATA_COLOUR, "No data (50)")
    assert brief.frame.sources[0] == "Urban marginalisation grade (AGEB): CONAPO (2020)"
    assert areas.citation == "CONAPO (2020)"
    shown = " ".join(" ".join(texts(fig)).split())
    assert "CONAPO (2020)" in shown
    assert t("exports.brief.about_agebs", "en") in shown
    assert "CONEVAL Medición de la pobreza municipal" not in brief.frame.sources[0]
    assert brief_png(brief).startswith(b"\x89PNG")


def test_the_borough_brief_draws_no_neighbourhood_areas(atlas: Atlas, latest: int) -> None:
    fig = draw(view(latest, lang="en"), atlas, exported=EXPORTED)
    assert not [c for ax in fig.axes for c in ax.collections if c.get_gid() == "areas"]
    assert {patch.get_facecolor()[3] for patch in borough_patches(fig).values()} == {1}


@pytest.mark.parametrize("level", ["agebs", "colonias"])
@pytest.mark.parametrize("lang", ["es", "en", "fr"])
def test_a_neighbourhood_brief_over_one_borough_frames_it_and_keeps_its_text_apart(
    atlas: Atlas, latest: int, layers: NeighbourhoodLayers, lang: str, level: str
) -> None:
    state = view(latest, lang=lang, level=level, boro=("09007",), reach=True)
    brief = map_brief(map_model(atlas, state, neighbourhoods=lambda: layers), url=URL, exported=EXPORTED)
    fig = brief_figure(brief)
    assert_text_apart(fig)
    west, south, east, north = atlas.boroughs.set_index("cvegeo").loc[["09007"]].total_bounds
    [ax] = [ax for ax in fig.axes if area_collection(fig) in ax.collections]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert x0 <= west
    assert y0 <= south
    assert x1 >= east
    assert y1 >= north
    assert x1 - x0 < 2 * (east - west) or y1 - y0 < 2 * (north - south), "framed on Iztapalapa, not the city"
    assert [text.get_text() for text in ax.texts if "\n" not in text.get_text()].count("Iztapalapa") == 1


def test_a_colonia_brief_says_its_figures_are_estimates(
    atlas: Atlas, latest: int, layers: NeighbourhoodLayers
) -> None:
    model = map_model(atlas, view(latest, lang="es", level="colonias"), neighbourhoods=lambda: layers)
    brief = map_brief(model, exported=EXPORTED)
    assert model.areas is not None
    assert len(area_collection(brief_figure(brief)).get_paths()) == 1814
    assert brief.frame.sources[0].endswith(model.areas.citation)
    assert t("exports.brief.source_colonias", "es") in brief.frame.sources[2]
    assert t("exports.brief.about_colonias", "es") in brief.legend_notes
    assert brief.frame.title.startswith(model.areas.indicator.title("es"))
    assert model.areas.classes.names[0] == "0.0 %", "colonias are classed by fixed, named bounds"
    notes = brief.legend_notes
    assert t("exports.brief.area_grades", "es") not in notes, "they are not CONAPO's grades"
    assert t("exports.brief.area_fixed", "es") in notes


# --- a slide's picture shows what its page shows -------------------------------------------------


def slide(page: str, state: ViewState, atlas: Atlas) -> Brief:
    return slide_brief(page, atlas, map_model(atlas, state), url=URL, exported=EXPORTED)


def test_a_profile_slide_gives_the_boroughs_profile_not_the_map(atlas: Atlas, latest: int) -> None:
    state = view(latest, lang="en", sel="09007", cmp="09012")
    brief = slide("borough-profile", state, atlas)
    assert isinstance(brief, ProfileBrief)
    assert brief.frame.title == t("exports.brief.profile_title", "en", name="Iztapalapa")
    assert brief.columns[2:4] == ("Iztapalapa", "Tlalpan")
    population = next(row for row in brief.rows if row[0] == "Total population" and row[1] == "2020")
    assert population[2:5] == ("1,835,486", "699,928", "9,209,944")
    number = int(population[-1])
    assert brief.notes[number - 1] == f"{number}. INEGI Censo de Población y Vivienda 2020"
    assert brief.map.fills["09007"] != brief.map.fills["09012"] != brief.map.fills["09002"]
    assert brief.map.selected == "09007"
    assert len(brief.map.sites) == int(atlas.sites[atlas.sites["cvegeo"] == "09007"].geometry.notna().sum())
    shown = "\n".join(texts(brief_figure(brief)))
    assert "Iztapalapa: borough profile" in shown
    assert "1,835,486" in shown
    assert "INEGI Censo de Población y Vivienda 2020" in shown
    map_png = brief_png(slide("atlas", state, atlas), dpi=40)
    assert brief_png(brief, dpi=40) != map_png


def test_a_profile_slide_without_a_selection_profiles_the_pages_default_borough(
    atlas: Atlas, latest: int
) -> None:
    brief = slide("borough-profile", view(latest, lang="es"), atlas)
    assert isinstance(brief, ProfileBrief)
    assert brief.frame.title == t("exports.brief.profile_title", "es", name="Iztapalapa")
    assert len(brief.columns) == 5, "no second borough: indicator, year, borough, city, source"


def test_a_map_slide_gives_the_map_brief_with_its_reach(atlas: Atlas, latest: int) -> None:
    brief = slide("atlas", view(latest, reach=True), atlas)
    assert isinstance(brief, MapBrief)
    assert brief.map.reach is not None
    assert len(brief.reach_rows) == 2


def test_a_compare_slide_gives_the_ranking_of_the_views_indicator(atlas: Atlas, latest: int) -> None:
    state = view(latest, lang="en", boro=("09007", "09012"))
    brief = slide("compare-boroughs", state, atlas)
    assert isinstance(brief, ChartBrief)
    chart = brief.chart
    values = rows_for(atlas.indicators, "poverty_pct", 2020).set_index("cvegeo")["value"]
    names = atlas.borough_names
    assert chart.kind == "bars"
    assert chart.labels == tuple(names[code] for code in values.sort_values(ascending=False).index)
    assert {label for label, lit in zip(chart.labels, chart.highlighted, strict=True) if lit} == {
        "Iztapalapa",
        "Tlalpan",
    }
    assert (
        chart.reference
        == city_value(atlas.indicators, "poverty_pct", 2020, names=atlas.borough_names, lang="en").value
    )
    assert brief.description.startswith("Bar chart of Population in poverty (2020) by borough")
    fig = brief_figure(brief)
    bars = [p for ax in fig.axes for p in ax.patches if p.get_gid() in {"chart-bar", "chart-highlighted"}]
    assert len(bars) == 16
    assert sum(p.get_gid() == "chart-highlighted" for p in bars) == 2
    assert (
        brief.description in " ".join(texts(fig)).replace("\n", " ")
        or brief.description.split()[0] in texts(fig)[0]
    )


def test_a_compare_slide_on_a_category_shows_need_against_provision(atlas: Atlas, latest: int) -> None:
    brief = slide("compare-boroughs", view(latest, ind="marginalisation_grade", lang="fr"), atlas)
    assert isinstance(brief, ChartBrief)
    assert brief.chart.kind == "scatter"
    assert len(brief.chart.x) == len(brief.chart.values) == 16


def test_a_programmes_slide_gives_the_openings_per_year(atlas: Atlas, latest: int) -> None:
    brief = slide("programmes-and-sites", view(latest, lang="en"), atlas)
    assert isinstance(brief, ChartBrief)
    chart = brief.chart
    assert chart.kind == "columns"
    assert chart.hatched[-1], "the unknown-date bar is told apart"
    assert not any(chart.hatched[:-1])
    open_sites = atlas.sites[atlas.sites["status"] == "open"]
    assert sum(chart.values) == len(open_sites)
    assert chart.line[-1] is None
    assert brief.frame.sources == (t("deck.sites_source", "en"),)


@pytest.mark.parametrize("lang", ["es", "en", "fr"])
@pytest.mark.parametrize("page", ["borough-profile", "compare-boroughs", "programmes-and-sites"])
def test_slide_pictures_keep_their_text_on_the_page_and_apart(
    atlas: Atlas, latest: int, lang: str, page: str
) -> None:
    state = view(latest, lang=lang, sel="09007", cmp="09012", boro=("09007", "09012"))
    assert_text_apart(brief_figure(slide(page, state, atlas)))


def test_lines_never_break_inside_a_number() -> None:
    """French groups digits and sets "%" off with no-break spaces: a wrap must keep them together."""
    number = format_count(1527876, "fr")
    share = format_value(16.6, "percent", "fr")
    lines = wrap(f"{number} personnes ({share}) à moins de 1 500 m", 0.9, 9)
    assert len(lines) > 1
    assert any(number in line for line in lines)
    assert any(share in line for line in lines)
