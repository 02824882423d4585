"""The folium map: base map options, the TopoJSON choropleth and the site markers, rendered as
streamlit-folium renders them, with hostile text kept inert."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import folium
import geopandas as gpd
import pandas as pd
import pytest
import shapely
import streamlit_folium
from streamlit_folium import _get_feature_group_string, _get_map_string, st_folium

from geo.assets.serve import use_local_assets
from geo.classify import NO_DATA_COLOUR, Classes, classify
from geo.i18n import LANGUAGES, t
from geo.indicators import REGISTRY
from geo.loaders import Atlas
from geo.mapmodel import map_model
from geo.mapview import (
    _SITE_MARKER_JS,
    HIGH_CONTRAST_OUTLINE,
    SELECTED_OUTLINE,
    STATUS_STYLE,
    base_map,
    choropleth_layer,
    layer_control,
    map_layers,
    opening_text,
    outline_layer,
    precision_text,
    site_details,
    site_sources,
    sites_layer,
    status_text,
)
from geo.markup import script_json
from geo.state import ViewState
from geo.vocabulary import STATUSES

pytestmark = pytest.mark.filterwarnings("ignore:Numba not installed:UserWarning")

HOSTILE_NAME = "<img src=x onerror=alert(1)>"
HOSTILE_SCRIPT = "</script><img src=x onerror=alert(1)>"
POVERTY = REGISTRY["poverty_pct"]


@pytest.fixture(scope="module")
def poverty_2020(atlas: Atlas) -> pd.Series:
    """Poverty 2020 per borough, indexed by cvegeo the way the map page builds it."""
    rows = atlas.indicators[
        (atlas.indicators["indicator"] == "poverty_pct") & (atlas.indicators["year"] == 2020)
    ]
    return rows.set_index("cvegeo")["value"].reindex(atlas.boroughs["cvegeo"])


@pytest.fixture(scope="module")
def poverty_classes(poverty_2020: pd.Series) -> Classes:
    return classify(poverty_2020)


def synthetic_site(**values: object) -> dict:
    """One synthetic site row with every column the map reads (defaults: a plain open site)."""
    site = {
        "programme": "utopias",
        "name": "Utopía Sintética",
        "borough": "Iztapalapa",
        "colonia": "Col. Sintética",
        "address": "Calle Falsa 123",
        "status": "open",
        "status_detail": "",
        "opened_text": "2023-02-26",
        "opened_date": "2023-02-26",
        "opened_kind": "exact",
        "area_m2": 60000.0,
        "facilities": "alberca; gimnasio",
        "location_precision": "synthetic point",
        "sources": "https://example.org/utopia",
        "cvegeo": "09007",
        "geometry": shapely.Point(-99.05, 19.35),
    }
    site.update(values)
    return site


def synthetic_sites(*sites: dict) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(list(sites), geometry="geometry", crs="EPSG:4326")


def render_layers(fmap: folium.Map, *groups: folium.FeatureGroup) -> str:
    """The JavaScript streamlit-folium sends for each layer (feature_group_to_add)."""
    return "\n".join(_get_feature_group_string(group, fmap, idx) for idx, group in enumerate(groups))


def embedded_topology(script: str) -> dict:
    match = re.search(r"^\s*var topo_json_\w+_data = (.*);$", script, re.MULTILINE)
    assert match, "no TopoJSON data in the rendered layer"
    return json.loads(match.group(1))


def embedded_site_rows(script: str) -> list[list]:
    match = re.search(r"^\s*var data = (.*);$", script, re.MULTILINE)
    assert match, "no marker data in the rendered layer"
    return json.loads(match.group(1))


def geometries_by_code(topology: dict) -> dict[str, dict]:
    return {g["properties"]["cvegeo"]: g for g in topology["objects"]["data"]["geometries"]}


def rendered_properties(layer: folium.FeatureGroup) -> dict[str, dict]:
    """Each borough's properties as the browser receives them, by cvegeo."""
    script = render_layers(base_map("none"), layer)
    return {code: g["properties"] for code, g in geometries_by_code(embedded_topology(script)).items()}


# --- script_json ---------------------------------------------------------------------------------


def test_script_json_escapes_markup_characters_and_round_trips() -> None:
    data = {
        "name": HOSTILE_SCRIPT,
        "a&b": ["<", ">", "&", "&amp;", "Álvaro Obregón", "<!--"],
        "rows": [[19.35, -98.99, None, True]],
    }
    encoded = script_json(data)
    assert not set(encoded) & {"<", ">", "&"}
    assert json.loads(encoded) == data
    assert "\\u003c/script\\u003e" in encoded


def test_script_json_is_compact_and_keeps_accents() -> None:
    assert script_json({"a": [1, 2], "b": "Coyoacán"}) == '{"a":[1,2],"b":"Coyoacán"}'


@pytest.mark.parametrize("name", ["{{ 7*7 }}", "{% if true %}x{% endif %}", "{# c #}", "a {{{ b", "\\{{x}}"])
def test_a_site_name_with_template_tags_is_shown_as_written_not_evaluated(atlas: Atlas, name: str) -> None:
    """branca parses a rendered script again as a Jinja template: "{{ 7*7 }}" once rendered as 49."""
    site = atlas.sites[atlas.sites.geometry.notna()].iloc[[0]].copy()
    site["name"] = name
    fmap = base_map("none")
    sites_layer(site).add_to(fmap)
    rows = embedded_site_rows(fmap.get_root().render())  # the HTML export's path
    assert rows[0][4] == name


# --- base map ------------------------------------------------------------------------------------


def test_base_map_without_tiles_keeps_zoom_limits() -> None:
    script = _get_map_string(base_map("none"))
    assert "tileLayer" not in script
    # Marker clustering fails ("Map has no maxZoom") unless the map itself has the limits.
    assert re.search(r'"maxZoom":\s*18\b', script)
    assert re.search(r'"minZoom":\s*8\b', script)
    assert re.search(r'"zoom":\s*10\b', script)
    assert "center: [19.32, -99.15]" in script
    assert "L.control.scale()" in script


@pytest.mark.parametrize(
    ("basemap", "tile_host"),
    [("osm", "tile.openstreetmap.org")],
)
def test_base_map_with_tiles(basemap: str, tile_host: str) -> None:
    script = _get_map_string(base_map(basemap))
    assert "L.tileLayer(" in script
    assert tile_host in script
    assert re.search(r'"maxZoom":\s*18\b', script)


def test_base_map_unknown_choice_draws_no_tiles() -> None:
    assert "tileLayer" not in _get_map_string(base_map("satellite"))


@pytest.mark.usefixtures("cdn_assets")
@pytest.mark.parametrize("local", [False, True], ids=["cdn", "local"])
def test_a_map_mounted_without_sites_loads_what_later_layers_need(
    atlas: Atlas, latest: int, local: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """streamlit-folium loads a map's scripts only when it mounts it, and a filter change keeps the mount.

    A map first shown without the UTOPÍAS sites (and without the walking reach)
    must already load the scripts of those layers, or ticking them draws nothing.
    """
    if local:
        use_local_assets()
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **sent: sent)
    view = ViewState(ind="poverty_pct", year=2020, opened=latest, lang="en")

    def sent(state: ViewState) -> dict:
        """What the map page sends the browser for ``state`` (the component call, captured)."""
        layers = map_layers(map_model(atlas, state))
        return st_folium(
            base_map(lang="en"), key="map", feature_group_to_add=layers, layer_control=layer_control()
        )

    first, later = sent(replace(view, prog=("pcmb",))), sent(replace(view, reach=True))
    assert "markerClusterGroup" not in first["feature_group"]
    assert "markerClusterGroup" in later["feature_group"]
    assert first["key"] == later["key"], "a filter change must not remount the map"
    assert set(later["js_links"]) <= set(first["js_links"])
    assert set(later["css_links"]) <= set(first["css_links"])
    assert first["js_links"][0].endswith("/leaflet.js"), "plugins load after Leaflet"


def test_base_map_sends_popup_css_once() -> None:
    html = base_map("none").get_root().render()
    assert html.count(".ap h4{") == 1


# --- choropleth ----------------------------------------------------------------------------------


def test_choropleth_embeds_sixteen_boroughs_with_only_the_used_properties(
    atlas: Atlas, poverty_2020: pd.Series, poverty_classes: Classes
) -> None:
    fmap = base_map("none")
    script = render_layers(
        fmap, choropleth_layer(atlas.boroughs, poverty_2020, poverty_classes, POVERTY, 2020)
    )
    topology = embedded_topology(script)
    geometries = topology["objects"]["data"]["geometries"]
    assert len(geometries) == 16
    assert {g["properties"]["cvegeo"] for g in geometries} == set(atlas.boroughs["cvegeo"])
    assert all(set(g["properties"]) == {"cvegeo", "tip", "style"} for g in geometries)
    assert "transform" in topology
    assert "topojson.feature(" in script


def test_choropleth_tooltips_name_and_value(
    atlas: Atlas, poverty_2020: pd.Series, poverty_classes: Classes
) -> None:
    layer = choropleth_layer(atlas.boroughs, poverty_2020, poverty_classes, POVERTY, 2020)
    tips = {code: props["tip"] for code, props in rendered_properties(layer).items()}
    assert tips["09007"] == "<b>Iztapalapa</b><br>Population in poverty (2020): 43.9%"
    assert tips["09010"].startswith("<b>Álvaro Obregón</b><br>Population in poverty (2020): ")


def test_choropleth_tooltips_in_spanish(
    atlas: Atlas, poverty_2020: pd.Series, poverty_classes: Classes
) -> None:
    layer = choropleth_layer(atlas.boroughs, poverty_2020, poverty_classes, POVERTY, 2020, lang="es")
    assert (
        rendered_properties(layer)["09007"]["tip"]
        == "<b>Iztapalapa</b><br>Población en pobreza (2020): 43.9 %"
    )


def test_choropleth_escapes_hostile_borough_names(
    atlas: Atlas, poverty_2020: pd.Series, poverty_classes: Classes
) -> None:
    boroughs = atlas.boroughs.copy()  # synthetic: one borough renamed to a hostile string
    boroughs.loc[boroughs["cvegeo"] == "09002", "name"] = HOSTILE_SCRIPT
    fmap = base_map("none")
    script = render_layers(fmap, choropleth_layer(boroughs, poverty_2020, poverty_classes, POVERTY, 2020))
    tip = geometries_by_code(embedded_topology(script))["09002"]["properties"]["tip"]
    assert tip.startswith("<b>&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</b><br>")
    assert "<img" not in script
    assert "</script" not in script


def test_choropleth_fills_by_class_and_greys_missing_values(
    atlas: Atlas, poverty_2020: pd.Series, poverty_classes: Classes
) -> None:
    values = poverty_2020.copy()  # synthetic gap: Milpa Alta without a value
    values["09009"] = float("nan")
    classes = classify(values)
    properties = rendered_properties(choropleth_layer(atlas.boroughs, values, classes, POVERTY, 2020))
    assert properties["09009"]["style"]["fillColor"] == NO_DATA_COLOUR
    assert properties["09009"]["tip"] == "<b>Milpa Alta</b><br>Population in poverty (2020): no data"
    assert all(props["style"]["fillColor"] == classes.colour_of(code) for code, props in properties.items())
    assert len({props["style"]["fillColor"] for props in properties.values()}) == 6


def test_choropleth_without_filter_or_selection(
    atlas: Atlas, poverty_2020: pd.Series, poverty_classes: Classes
) -> None:
    layer = choropleth_layer(atlas.boroughs, poverty_2020, poverty_classes, POVERTY, 2020)
    styles = [props["style"] for props in rendered_properties(layer).values()]
    assert {(s["fillOpacity"], s["color"], s["weight"]) for s in styles} == {(0.75, "#ffffff", 1)}


def test_choropleth_selected_borough_gets_dark_outline(
    atlas: Atlas, poverty_2020: pd.Series, poverty_classes: Classes
) -> None:
    layer = choropleth_layer(atlas.boroughs, poverty_2020, poverty_classes, POVERTY, 2020, selected="09007")
    styles = {code: props["style"] for code, props in rendered_properties(layer).items()}
    assert SELECTED_OUTLINE == "#111111"
    assert (styles["09007"]["color"], styles["09007"]["weight"]) == ("#111111", 3)
    assert all((s["color"], s["weight"]) == ("#ffffff", 1) for code, s in styles.items() if code != "09007")


def test_choropleth_fades_boroughs_outside_the_filter(
    atlas: Atlas, poverty_2020: pd.Series, poverty_classes: Classes
) -> None:
    layer = choropleth_layer(
        atlas.boroughs, poverty_2020, poverty_classes, POVERTY, 2020, highlighted=("09007", "09006")
    )
    styles = {code: props["style"] for code, props in rendered_properties(layer).items()}
    assert {code for code, s in styles.items() if s["fillOpacity"] == 0.75} == {"09006", "09007"}
    assert sum(s["fillOpacity"] == 0.25 for s in styles.values()) == 14


def test_choropleth_layer_is_named_after_indicator_and_year(
    atlas: Atlas, poverty_2020: pd.Series, poverty_classes: Classes
) -> None:
    layer = choropleth_layer(atlas.boroughs, poverty_2020, poverty_classes, POVERTY, 2020)
    assert layer.layer_name == "Population in poverty (2020)"


# --- sites ---------------------------------------------------------------------------------------


def test_sites_layer_embeds_one_row_per_mapped_site(atlas: Atlas) -> None:
    fmap = base_map("none")
    rows = embedded_site_rows(render_layers(fmap, sites_layer(atlas.sites)))
    mapped = atlas.sites[atlas.sites.geometry.notna()]
    assert len(rows) == len(mapped)
    assert len(rows) < len(atlas.sites)
    assert [row[4] for row in rows] == mapped["name"].tolist()
    assert all(len(row) == 9 for row in rows)


def test_sites_layer_row_for_a_real_site(atlas: Atlas) -> None:
    fmap = base_map("none")
    rows = {row[4]: row for row in embedded_site_rows(render_layers(fmap, sites_layer(atlas.sites)))}
    libertad = rows["Utopía Libertad"]
    site = atlas.sites[atlas.sites["name"] == "Utopía Libertad"].iloc[0]
    assert libertad[:4] == [round(site.geometry.y, 6), round(site.geometry.x, 6), "darkblue", "star"]
    assert libertad[5:7] == ["Open", "2023"]
    assert ["Area", "60,000 m²"] in libertad[7]
    assert ["Opened", "Feb 26, 2023"] in libertad[7], "the date in the view's language"
    assert all(url.startswith("https://") for _, url in libertad[8] if url)


def test_sites_layer_skips_sites_without_coordinates() -> None:
    sites = synthetic_sites(
        synthetic_site(name="On the map"), synthetic_site(name="Not located", geometry=None)
    )
    fmap = base_map("none")
    rows = embedded_site_rows(render_layers(fmap, sites_layer(sites)))
    assert [row[4] for row in rows] == ["On the map"]


def test_sites_layer_hostile_text_is_never_markup() -> None:
    sites = synthetic_sites(
        synthetic_site(
            name=HOSTILE_NAME,
            address=HOSTILE_SCRIPT,
            facilities="<script>alert(1)</script>",
            sources=f"javascript:alert(1) | {HOSTILE_NAME} | https://example.org/a?b=<x>",
        )
    )
    fmap = base_map("none")
    script = render_layers(fmap, sites_layer(sites))
    assert "<img" not in script
    assert "<script" not in script
    assert "</script" not in script
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in script
    (row,) = embedded_site_rows(script)
    assert row[4] == HOSTILE_NAME  # shown literally by textContent
    assert ["Address", HOSTILE_SCRIPT] in row[7]
    assert row[8] == [
        ["javascript:alert(1)", ""],
        [HOSTILE_NAME, ""],
        ["example.org", "https://example.org/a?b=<x>"],
    ]


def test_full_page_render_keeps_hostile_names_escaped(
    atlas: Atlas, poverty_2020: pd.Series, poverty_classes: Classes
) -> None:
    boroughs = atlas.boroughs.copy()  # synthetic: hostile borough and site names
    boroughs.loc[boroughs["cvegeo"] == "09007", "name"] = HOSTILE_NAME
    fmap = base_map("none")
    choropleth_layer(boroughs, poverty_2020, poverty_classes, POVERTY, 2020).add_to(fmap)
    sites_layer(synthetic_sites(synthetic_site(name=HOSTILE_NAME))).add_to(fmap)
    html = fmap.get_root().render()
    assert "<img src=x" not in html
    assert "L.markerClusterGroup(" in html
    assert "topojson.feature(" in html


def test_marker_js_sets_text_through_text_content_only() -> None:
    assert "textContent" in _SITE_MARKER_JS
    assert "innerHTML" not in _SITE_MARKER_JS
    assert "insertAdjacentHTML" not in _SITE_MARKER_JS
    assert "outerHTML" not in _SITE_MARKER_JS
    # Links only for http(s) URLs.
    assert r"/^https?:\/\//.test(pair[1])" in _SITE_MARKER_JS


def test_sites_layer_script_has_no_html_injection_points() -> None:
    fmap = base_map("none")
    script = render_layers(fmap, sites_layer(synthetic_sites(synthetic_site())))
    assert "innerHTML" not in script
    assert "textContent" in script


# --- popups --------------------------------------------------------------------------------------


def test_site_details_full_row() -> None:
    site = pd.Series(synthetic_site(status_detail="open since Feb 2023"))
    assert site_details(site) == [
        ["Programme", "UTOPÍAS"],
        ["Status", "Open · since Feb 2023"],
        ["Opened", "Feb 26, 2023"],
        ["Borough", "Iztapalapa"],
        ["Colonia", "Col. Sintética"],
        ["Address", "Calle Falsa 123"],
        ["Area", "60,000 m²"],
        ["Facilities", "alberca; gimnasio"],
        ["Location", "synthetic point"],
    ]


def test_site_details_leaves_out_empty_values_and_area_unknown() -> None:
    site = pd.Series(
        synthetic_site(
            status="under_construction",
            opened_text="",
            opened_date="",
            opened_kind="unknown",
            colonia="",
            address="",
            facilities="",
            location_precision="",
            area_m2=float("nan"),
        )
    )
    assert site_details(site) == [
        ["Programme", "UTOPÍAS"],
        ["Status", "Under construction"],
        ["Opened", "unknown"],
        ["Borough", "Iztapalapa"],
        ["Area", "unknown"],
    ]


def test_site_sources_as_label_url_pairs() -> None:
    site = pd.Series(synthetic_site(sources="https://example.org/a (note) | field visit, 2024"))
    assert site_sources(site) == [["example.org (note)", "https://example.org/a"], ["field visit, 2024", ""]]


def test_status_style_covers_every_status() -> None:
    assert set(STATUS_STYLE) == set(STATUSES)
    for status in STATUSES:  # every status has a label in every language
        assert all(t(f"labels.status.{status}", lang) for lang in LANGUAGES)
    # Status reads without colour too: glyphs differ, and so do colours.
    assert len({glyph for _, glyph in STATUS_STYLE.values()}) == len(STATUS_STYLE)
    assert len({colour for colour, _ in STATUS_STYLE.values()}) == len(STATUS_STYLE)


# --- in Spanish and French -----------------------------------------------------------------------


def test_choropleth_tooltips_and_layer_name_in_french(
    atlas: Atlas, poverty_2020: pd.Series, poverty_classes: Classes
) -> None:
    layer = choropleth_layer(atlas.boroughs, poverty_2020, poverty_classes, POVERTY, 2020, lang="fr")
    assert layer.layer_name == "Population en situation de pauvreté (2020)"
    tips = {code: props["tip"] for code, props in rendered_properties(layer).items()}
    assert tips["09007"] == "<b>Iztapalapa</b><br>Population en situation de pauvreté (2020) : 43,9 %"


def test_choropleth_escapes_hostile_borough_names_in_french(
    atlas: Atlas, poverty_2020: pd.Series, poverty_classes: Classes
) -> None:
    boroughs = atlas.boroughs.copy()  # synthetic: one borough renamed to a hostile string
    boroughs.loc[boroughs["cvegeo"] == "09002", "name"] = HOSTILE_SCRIPT
    script = render_layers(
        base_map("none", lang="fr"),
        choropleth_layer(boroughs, poverty_2020, poverty_classes, POVERTY, 2020, lang="fr"),
    )
    tip = geometries_by_code(embedded_topology(script))["09002"]["properties"]["tip"]
    assert tip.startswith("<b>&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</b><br>Population en")
    assert "<img" not in script
    assert "</script" not in script


def test_sites_layer_in_spanish(atlas: Atlas) -> None:
    layer = sites_layer(atlas.sites, lang="es")
    assert layer.layer_name == "Sitios UTOPÍAS"
    script = render_layers(base_map("none", lang="es"), layer)
    rows = {row[4]: row for row in embedded_site_rows(script)}
    libertad = rows["Utopía Libertad"]
    assert libertad[5:7] == ["Abierta", "2023"]
    assert ["Programa", "UTOPÍAS"] in libertad[7]
    assert ["Estado", "Abierta"] in libertad[7]
    assert ["Superficie", "60,000 m²"] in libertad[7]
    assert ["Ubicación", "punto de terceros, sin verificar"] in libertad[7]
    assert {row[5] for row in rows.values()} <= {"Abierta", "En construcción", "Anunciada"}
    assert 'var labels = {"sources":"Fuentes"};' in script
    assert 'el("b", labels.sources, box)' in script


def test_site_details_in_french_keeps_data_text_as_written() -> None:
    site = pd.Series(
        synthetic_site(
            status="announced",
            status_detail="announced; suspended by amparo (Oct 2025)",
            opened_text="",
            opened_date="",
            opened_kind="unknown",
            location_precision="colonia only",
        )
    )
    assert site_details(site, "fr") == [
        ["Programme", "UTOPÍAS"],
        ["État", "Annoncée · suspended by amparo (Oct 2025)"],
        ["Ouverture", "inconnu"],
        ["Arrondissement", "Iztapalapa"],
        ["Colonia (quartier)", "Col. Sintética"],
        ["Adresse", "Calle Falsa 123"],
        ["Superficie", "60\u202f000 m²"],
        ["Équipements", "alberca; gimnasio"],
        ["Localisation", "colonia (quartier) seulement"],
    ]


def test_sites_layer_hostile_text_stays_data_in_french() -> None:
    sites = synthetic_sites(synthetic_site(name=HOSTILE_NAME, status_detail=HOSTILE_SCRIPT, opened_date=""))
    script = render_layers(base_map("none", lang="fr"), sites_layer(sites, lang="fr"))
    assert "<img" not in script
    assert "</script" not in script
    (row,) = embedded_site_rows(script)
    assert row[4] == HOSTILE_NAME
    assert row[5:7] == ["Ouverte", "date d’ouverture inconnue"]
    assert ["État", f"Ouverte · {HOSTILE_SCRIPT}"] in row[7]
    assert 'var labels = {"sources":"Sources"};' in script


@pytest.mark.parametrize(
    ("status", "detail", "lang", "expected"),
    [
        ("open", "open", "en", "Open"),
        ("open", "", "es", "Abierta"),
        ("open", "open (third-party)", "fr", "Ouverte · third-party"),
        ("open", "open (third-party); announced Dec 2024", "en", "Open · (third-party); announced Dec 2024"),
        ("under_construction", "under construction (~70% in Feb 2026)", "es", "En construcción · ~70% in Feb 2026"),
        ("announced", "announced Dec 2024 (third-party: under construction)", "fr",
         "Annoncée · Dec 2024 (third-party: under construction)"),
        ("closed", "closed in 2025", "es", "closed · in 2025"),
    ],
)  # fmt: skip
def test_status_text(status: str, detail: str, lang: str, expected: str) -> None:
    assert status_text(status, detail, lang) == expected


def test_precision_text_translates_known_wording_only() -> None:
    assert precision_text("third-party point, unverified", "fr") == "point de tiers, non vérifié"
    assert precision_text("exact address (not geocoded)", "es") == "dirección exacta (sin geocodificar)"
    assert precision_text("surveyed by hand", "es") == "surveyed by hand"


# --- high contrast -------------------------------------------------------------------------------


def test_choropleth_high_contrast_draws_thick_black_borders(
    atlas: Atlas, poverty_2020: pd.Series, poverty_classes: Classes
) -> None:
    layer = choropleth_layer(
        atlas.boroughs, poverty_2020, poverty_classes, POVERTY, 2020, selected="09007", high_contrast=True
    )
    styles = {code: props["style"] for code, props in rendered_properties(layer).items()}
    assert HIGH_CONTRAST_OUTLINE == "#000000"
    assert all(s["color"] == "#000000" for s in styles.values())
    assert {s["weight"] for code, s in styles.items() if code != "09007"} == {2.5}
    assert styles["09007"]["weight"] > 2.5, "the selection stands out from the thick borders"
    assert {s["fillOpacity"] for s in styles.values()} == {0.9}
    assert all(s["fillColor"] == poverty_classes.colour_of(code) for code, s in styles.items())


def test_outline_layer_names_and_high_contrast(atlas: Atlas) -> None:
    assert outline_layer(atlas.boroughs, "09007", lang="es").layer_name == "Alcaldías"
    plain = rendered_properties(outline_layer(atlas.boroughs, "09007"))
    strong = rendered_properties(outline_layer(atlas.boroughs, "09007", high_contrast=True))
    assert plain["09002"]["style"]["color"] == "#888888"
    assert strong["09002"]["style"]["color"] == "#000000"
    assert strong["09002"]["style"]["weight"] >= 2.5
    assert strong["09007"]["style"]["weight"] > strong["09002"]["style"]["weight"]


@pytest.mark.parametrize(
    ("opened_date", "kind", "lang", "expected"),
    [
        ("2020-07-22", "exact", "fr", "22 juil. 2020"),
        ("2021-07", "by", "es", "a más tardar jul 2021"),
        ("2021-07", "by", "en", "by Jul 2021"),
        ("", "unknown", "fr", ""),
        ("2021", "unknown", "en", ""),
    ],
)
def test_opening_dates_read_in_the_language(opened_date: str, kind: str, lang: str, expected: str) -> None:
    assert opening_text(opened_date, kind, lang) == expected


def test_popup_gives_the_date_then_the_sources_words() -> None:
    site = pd.Series(
        {
            "programme": "utopias", "status": "open", "status_detail": "", "borough": "Iztapalapa",
            "colonia": "", "address": "", "area_m2": float("nan"), "facilities": "", "location_precision": "",
            "opened_date": "2021-07", "opened_kind": "by",
            "opened_text": "by 2021-07 (visited as operating)",
        }
    )  # fmt: skip
    rows = dict(site_details(site, "fr"))
    assert rows["Ouverture"] == "au plus tard juil. 2021 (by 2021-07 (visited as operating))"
