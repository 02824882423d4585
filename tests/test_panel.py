"""The borough panel: figures with years and numbered sources, escaped."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo import markup
from geo.areamodel import ageb_profile
from geo.colonias import ColoniaSummary, NearestSite
from geo.filters import borough_profile
from geo.loaders import load_atlas, load_neighbourhoods
from geo.panel import ageb_html, colonia_html, profile_html, sites_html
from geo.vocabulary import MARGINALISATION_GRADES


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def test_each_source_is_listed_once_and_numbered(atlas) -> None:
    html = profile_html(borough_profile(atlas, "09007"))
    profile = borough_profile(atlas, "09007")
    distinct = profile[["source", "source_url"]].drop_duplicates()
    assert html.count("<li value=") == len(distinct)
    assert html.count("<sup>") == len(profile)
    assert f"Sources ({len(distinct)})" in html


def test_values_are_formatted_and_categories_kept(atlas) -> None:
    html = profile_html(borough_profile(atlas, "09007"))
    assert "<td>Population in poverty</td><td>2020</td><td class='v'>43.9%<sup>1</sup>" in html
    assert "Muy bajo" in html


def test_hostile_source_text_is_escaped() -> None:
    # Synthetic profile row with hostile text in every field.
    profile = pd.DataFrame(
        {
            "indicator": ["marginalisation_grade"],
            "year": [2020],
            "value": [float("nan")],
            "category": ["<b>bold</b>"],
            "source": ["<script>alert(1)</script>"],
            "source_url": ["javascript:alert(1)"],
        }
    )
    html = profile_html(profile)
    assert "<script>" not in html
    assert "<b>bold" not in html
    assert "href" not in html, "only http(s) URLs become links"


def test_sites_list_says_which_are_not_on_the_map() -> None:
    # Synthetic sites: one mapped, one hostile and without coordinates.
    sites = gpd.GeoDataFrame(
        {"name": ["Utopía A", "<img src=x onerror=alert(1)>"], "status": ["open", "announced"]},
        geometry=[shapely.Point(-99.05, 19.35), None],
    )
    html = sites_html(sites)
    assert "<li>Utopía A (open)</li>" in html
    assert "&lt;img src=x onerror=alert(1)&gt; (announced · not on the map)" in html
    assert "<img" not in html


def test_profile_in_french_has_french_headings_and_numbers(atlas) -> None:
    profile = borough_profile(atlas, "09007")
    html = profile_html(profile, "fr")
    assert "<th>Indicateur</th><th>Année</th><th>Valeur</th>" in html
    assert "<td>Population en situation de pauvreté</td><td>2020</td><td class='v'>43,9 %<sup>" in html
    assert "<td>Population totale</td><td>2020</td><td class='v'>1\u202f835\u202f486<sup>" in html
    distinct = profile[["source", "source_url"]].drop_duplicates()
    assert f"<summary>Sources ({len(distinct)})</summary>" in html
    assert "Indicator" not in html


def test_profile_in_spanish_has_spanish_headings(atlas) -> None:
    html = profile_html(borough_profile(atlas, "09007"), "es")
    assert "<th>Indicador</th><th>Año</th><th>Valor</th>" in html
    assert "<summary>Fuentes (" in html
    assert "<td>Población en pobreza</td><td>2020</td><td class='v'>43.9 %<sup>" in html


@pytest.mark.parametrize(
    ("lang", "announced", "off_map"),
    [("es", "anunciada", "no está en el mapa"), ("fr", "annoncée", "absent de la carte")],
)
def test_sites_list_in_spanish_and_french(lang: str, announced: str, off_map: str) -> None:
    # Synthetic sites: one mapped, one hostile and without coordinates.
    sites = gpd.GeoDataFrame(
        {"name": ["Utopía A", "<img src=x onerror=alert(1)>"], "status": ["under_construction", "announced"]},
        geometry=[shapely.Point(-99.05, 19.35), None],
    )
    html = sites_html(sites, lang)
    under_construction = {"es": "en construcción", "fr": "en construction"}[lang]
    assert f"<li>Utopía A ({under_construction})</li>" in html
    assert f"&lt;img src=x onerror=alert(1)&gt; ({announced} · {off_map})" in html
    assert "<img" not in html


# --- neighbourhood panels ----------------------------------------------------------------------------

HOSTILE_SITE = '<img src=x onerror=alert(1)> "Utopía" & {{ 7*7 }}'


def synthetic_colonia(**changes: object) -> ColoniaSummary:
    """A made-up colonia summary (synthetic figures, for layout and escaping only)."""
    values = {
        "cveut": "99-001",
        "name": "SYNTHETIC",
        "borough": "09007",
        "population_estimate": 1000,
        "people_by_grade": dict(zip(MARGINALISATION_GRADES, (100, 200, 300, 250, 150), strict=True)),
        "high_share": 0.4,
        "urban_share": 1.0,
        "nearest_site": NearestSite("S1", HOSTILE_SITE, 812.4),
    }
    return ColoniaSummary(**{**values, **changes})


def test_colonia_panel_shows_people_by_grade_most_need_first_and_escapes_the_site_name() -> None:
    html = colonia_html(synthetic_colonia(), "Iztapalapa", "en")
    assert "<img" not in html
    assert markup.text(HOSTILE_SITE) in html
    assert "812 m in a straight line" in html
    assert html.index("Very high") < html.index("Very low")
    assert "40.0%" in html
    assert "Only" not in html, "a wholly urban colonia needs no coverage note"


def test_colonia_panel_says_missing_figures_and_partial_coverage() -> None:
    html = colonia_html(
        synthetic_colonia(
            population_estimate=None, people_by_grade={}, high_share=None, urban_share=0.5, nearest_site=None
        ),
        "",
        "es",
    )
    assert html.count("sin dato") == 4
    assert "Solo 50.0 % de la superficie" in html
    assert "<thead>" not in html.split("</table>", 1)[1], "no grade table without figures"


def test_ageb_panel_lists_each_figure_with_its_unit_and_cites_conapo_once() -> None:
    layers = load_neighbourhoods()
    html = ageb_html(ageb_profile(layers, "0900700011301", "fr"), "fr")
    assert html.count("<tr>") == 1 + 14
    assert "Population (recensement 2020)" in html
    assert html.count("class='atlas-source'") == 1
    assert "CONAPO, Índice de marginación urbana 2020" in html
    assert "(2020)" in html
