"""The borough panel: figures with years and numbered sources, escaped."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.filters import borough_profile
from geo.loaders import load_atlas
from geo.panel import profile_html, sites_html


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
