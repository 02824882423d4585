"""Page logic with Streamlit's AppTest: filters, URL state, borough panel, errors.

AppTest runs ``app.py`` in-process without a browser; the map is the
``streamlit_folium`` component, whose arguments (the Leaflet script, layers and
links) are what the browser would receive, so assertions read those.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import markup, paths
from geo.filters import filter_sites, opened_year_range
from geo.formatting import format_count
from geo.i18n import t
from geo.indicators import REGISTRY
from geo.loaders import load_atlas
from geo.mapmodel import MapModel, map_model
from geo.state import Options, default_state, parse_query
from tests import hostile
from tests.apptest_support import run_app, shown_figures, shown_html, shown_markdown, view_widget
from tests.markdown_oracle import active_html
from ui.view import VIEW_KEY

pytestmark = pytest.mark.usefixtures("offline_app")


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def map_args(at: AppTest) -> dict:
    """Return what st_folium sends to the browser for the Atlas map."""
    [component] = [c for c in at.get("component_instance") if c.proto.component_name.endswith("st_folium")]
    return json.loads(component.proto.json_args)


def drawn_sites(args: dict) -> int:
    """Count the site rows embedded in the map's layers (one per marker)."""
    marker = args["feature_group"].split("var data = ", 1)
    return len(json.loads(marker[1].split(";\n", 1)[0])) if len(marker) == 2 else 0


def drawn_boroughs(args: dict) -> list[dict]:
    """Return the borough features (TopoJSON geometries) embedded in the map."""
    topo = args["feature_group"].split("_data = ", 1)[1].split(";\n", 1)[0]
    return json.loads(topo)["objects"]["data"]["geometries"]


def metric(at: AppTest, label: str) -> str:
    """The value of the headline figure labelled ``label``."""
    return shown_figures(at)[label].value


def expected_sites(atlas, **params: str) -> int:
    """Mapped sites the data says a view with ``params`` shows."""
    options = Options(
        {"poverty_pct": [2010, 2015, 2020]}, tuple(atlas.boroughs["cvegeo"]), opened_year_range(atlas.sites)
    )
    state = parse_query(params, options)
    selected = filter_sites(atlas.sites, state, opened_year_range(atlas.sites)[1])
    return int(selected.geometry.notna().sum())


def test_default_view_draws_16_boroughs_and_every_mapped_site(atlas) -> None:
    at = run_app()
    assert not at.exception
    args = map_args(at)
    assert len(drawn_boroughs(args)) == 16
    assert drawn_sites(args) == expected_sites(atlas) == int(atlas.sites.geometry.notna().sum())
    assert metric(at, "Sites on the map") == str(expected_sites(atlas))
    assert metric(at, "Sites not on the map") == str(int(atlas.sites.geometry.isna().sum()))
    assert metric(at, "Population 2020") == "9,209,944"
    assert dict(at.query_params) == {"lang": "en"}, (
        "the default view keeps the URL clean but for its language"
    )


def test_offline_map_loads_scripts_locally_and_has_no_tiles() -> None:
    args = map_args(run_app())
    links = args["js_links"] + args["css_links"]
    assert links
    assert all(link.startswith("/app/static/vendor/") for link in links)
    assert "tileLayer" not in args["script"]


def model_of(at: AppTest, atlas) -> MapModel:
    """The Map screen's model of the view the page ran with (what it should draw)."""
    return map_model(atlas, at.session_state[VIEW_KEY])


def test_status_and_year_filters_reach_the_map_the_figures_and_the_url(atlas) -> None:
    at = run_app()
    view_widget(at, "status.under_construction").uncheck()
    view_widget(at, "status.announced").uncheck().run()
    model = model_of(at, atlas)
    assert model.view.status == ("open",)
    assert drawn_sites(map_args(at)) == len(model.drawn_sites) == expected_sites(atlas, status="open")
    assert metric(at, "Sites on the map") == str(model.headline.sites_on_map)
    assert at.query_params["status"] == "open"
    view_widget(at, "opened").set_value(2022).run()
    model = model_of(at, atlas)
    assert model.view.opened == 2022
    assert (
        drawn_sites(map_args(at))
        == len(model.drawn_sites)
        == expected_sites(atlas, status="open", opened="2022")
    )
    assert at.query_params["opened"] == "2022"


def test_unticking_utopias_removes_markers_but_keeps_boroughs() -> None:
    at = run_app()
    view_widget(at, "prog.utopias").uncheck().run()
    args = map_args(at)
    assert drawn_sites(args) == 0
    assert len(drawn_boroughs(args)) == 16


def test_indicator_change_recolours_the_map_and_updates_the_legend() -> None:
    at = run_app()
    before = [g["properties"]["style"]["fillColor"] for g in drawn_boroughs(map_args(at))]
    view_widget(at, "ind").set_value("population_total").run()
    after = drawn_boroughs(map_args(at))
    assert [g["properties"]["style"]["fillColor"] for g in after] != before
    assert "Total population (2020)" in after[0]["properties"]["tip"]
    assert at.query_params["ind"] == "population_total"


def test_url_reproduces_a_view(atlas) -> None:
    at = run_app(ind="extreme_poverty_pct", year="2015", status="open", opened="2023", sel="09007")
    assert not at.warning, [w.value for w in at.warning]
    assert view_widget(at, "ind").value == "extreme_poverty_pct"
    assert view_widget(at, "year").value == 2015
    assert drawn_sites(map_args(at)) == expected_sites(atlas, status="open", opened="2023")
    assert "Iztapalapa" in [h.value for h in at.subheader]
    assert at.query_params["sel"] == "09007"


def test_bad_url_parameters_fall_back_to_defaults_with_a_notice(atlas) -> None:
    at = run_app(year="abc", ind="<script>alert(1)</script>", k="99", foo="bar")
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    for key in ("year", "ind", "k", "foo"):
        assert key in notices
    assert "`ind=<script>alert(1)</script>`" in notices, "the bad value is shown as code, never as markup"
    options = Options({"poverty_pct": [2010, 2015, 2020]}, (), (2019, 2026))
    assert view_widget(at, "ind").value == default_state(options).ind
    assert drawn_sites(map_args(at)) == expected_sites(atlas)
    assert dict(at.query_params) == {"lang": "en"}, "the URL is rewritten without the bad parameters"


def html_blocks(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html")]


def test_selected_borough_panel_shows_figures_with_sources() -> None:
    at = run_app(sel="09007")
    [panel] = [h for h in html_blocks(at) if "<th>Indicator</th>" in h]
    assert "<td>Total population</td><td>2020</td><td class='v'>1,835,486<sup>" in panel
    number = panel.split("1,835,486<sup>", 1)[1].split("</sup>", 1)[0]
    assert f"<li value='{number}'>INEGI Censo de Población y Vivienda 2020" in panel
    assert "UTOPÍAS in Iztapalapa: 16" in " ".join(m.value for m in at.markdown)
    assert any("Utopía Teotongo (open)" in h for h in html_blocks(at))


def test_clear_selection_empties_the_panel_and_the_url() -> None:
    at = run_app(sel="09007")
    at.button(key="clear_sel").click().run()
    assert "Iztapalapa" not in [h.value for h in at.subheader]
    assert "sel" not in at.query_params


def test_borough_filter_limits_sites_and_headline(atlas) -> None:
    at = run_app()
    view_widget(at, "boro").set_value(["09007"]).run()
    model = model_of(at, atlas)
    assert model.view.boro == ("09007",)
    assert drawn_sites(map_args(at)) == len(model.drawn_sites)
    assert metric(at, "Population 2020") == format_count(model.headline.population, "en") == "1,835,486"
    assert metric(at, "In poverty 2020") == "43.9%"


def test_sources_page_lists_every_dataset(atlas) -> None:
    at = run_app()
    at.switch_page("pages/sources.py").run()
    assert not at.exception
    titles = [h.value for h in at.subheader]
    for resource in atlas.catalogue["resources"]:
        assert resource["title"] in titles


def test_sources_page_says_what_the_neighbourhood_build_reports() -> None:
    at = run_app()
    at.switch_page("pages/sources.py").run()
    assert not at.exception
    assert at.subheader[-1].value == "AGEB and colonia layers: what their build reports"
    shown = " ".join(html_blocks(at))
    assert (
        "The index covers 9,128,902 of the city&#x27;s 9,209,944 people (99.1%); rural localities are outside it."
        in shown
    )
    assert "CONAPO keys with no polygon (1)" in shown
    assert "<td>0901100261501</td><td>Tláhuac</td><td>136</td><td>Medium</td>" in shown
    assert "Polygons with no row in CONAPO&#x27;s index (50)" in shown
    assert "never as zero" in shown
    assert "AGEBs straddling a borough line (3)" in shown
    assert "Colonia shapes repaired (5)" in shown
    assert "Colonias whose borough name disagrees with their location (13)" in shown
    assert "at most 161.7 m" in shown, "the overlap resolution's largest move"
    assert "AGEBs lie at most 25.7 m from INEGI&#x27;s shapes, colonias at most 23.1 m" in shown
    lists = [e.label for e in at.expander if e.label.startswith("List (")]
    assert lists == [
        "List (1)",
        "List (50)",
        "List (3)",
        "List (5)",
        "List (13)",
        "List (10)",
        "List (2)",
        "List (2)",
    ]


def test_hostile_text_in_the_build_report_stays_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build report whose keys, names and notes are script and Markdown payloads (synthetic test data)."""
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    report_path = data / paths.NEIGHBOURHOODS_REPORT.name
    report = json.loads(report_path.read_text(encoding="utf-8"))
    payloads = hostile.payloads()[:40]
    tagged = [payload for payload in hostile.payloads() if "<img" in payload or "<script" in payload]
    report["agebs"]["polygons_without_index_row"] = payloads
    report["agebs"]["straddle_rule"] = tagged[0]
    report["colonias"]["geometries_repaired"] = [
        {"cveut": payload, "name": payload, "problem": payload} for payload in payloads
    ]
    report["colonias"]["borough_name_disagrees_with_location"] = [
        {"cveut": payload, "name": payload, "borough": payload, "point_in": payload} for payload in payloads
    ]
    report["colonias"]["nested_in_another_unit"] = payloads
    report["simplification"]["method"] = tagged[1]
    report_path.write_text(json.dumps(report), encoding="utf-8")
    monkeypatch.setenv("ATLAS_DATA_DIR", str(data))
    at = run_app()
    at.switch_page("pages/sources.py").run()
    assert not at.exception
    assert not [text for text in shown_markdown(at) if hostile.HOST in text], "no payload reaches Markdown"
    assert not [found for body in shown_html(at) for found in active_html(body, hostile.HOST)]
    shown = " ".join(html_blocks(at))
    assert all(markup.text(payload) in shown for payload in [*payloads, *tagged[:2]]), "each shows, as text"


def test_filters_survive_a_page_change(atlas) -> None:
    at = run_app()
    view_widget(at, "status.announced").uncheck().run()
    at.switch_page("pages/sources.py").run()
    at.switch_page("pages/map.py").run()
    assert view_widget(at, "status.announced").value is False
    assert drawn_sites(map_args(at)) == expected_sites(atlas, status="open,under_construction")


@pytest.mark.parametrize("broken", ["boroughs.geojson", "utopias.csv"])
def test_missing_data_file_gives_a_clear_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    (data / broken).unlink()
    monkeypatch.setenv("ATLAS_DATA_DIR", str(data))
    at = run_app()
    assert not at.exception
    message = " ".join(e.value for e in at.error) + " ".join(m.value for m in at.markdown)
    assert broken in message
    assert "python -m geo.build" in message
    assert not at.get("component_instance"), "no map is drawn from incomplete data"


def test_corrupt_data_file_names_the_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    (data / "indicators.csv").write_bytes(b"\xff\xfe not a csv \x00")
    monkeypatch.setenv("ATLAS_DATA_DIR", str(data))
    at = run_app()
    assert "indicators.csv" in " ".join(e.value for e in at.error)
    assert not at.get("component_instance")


def test_map_opens_at_the_urls_centre_and_zoom() -> None:
    args = map_args(run_app(lat="19.36", lon="-99.1", z="12"))
    assert "center: [19.36, -99.1]" in args["script"]
    assert '"zoom": 12' in args["script"]
    assert args["zoom"] == 12
    assert args["center"] == [19.36, -99.1]


def test_walking_reach_layer_and_estimate_are_shown_on_request(atlas) -> None:
    at = run_app()
    assert "feature_group_feature_group_2" not in map_args(at)["feature_group"]
    view_widget(at, "reach").check().run()
    args = map_args(at)
    assert "feature_group_feature_group_2" in args["feature_group"], "boroughs, reach, sites"
    assert "Within 800 m / 1,500 m of an open UTOP" in args["layer_control"]
    reach = model_of(at, atlas).reach
    assert reach is not None
    text = " ".join(m.value for m in at.markdown)
    assert f"Walking reach of the {reach.sites} open UTOPÍAS shown (estimate)" in text
    for fields in reach.figures("en"):
        assert (
            f"**{fields['distance']} m**: ≈{fields['people']} people ({fields['people_share']} of the city)"
            in text
        )
    assert f"**Beyond 1,500 m**: ≈{reach.need_figures('en')['people']} people live in" in text
    caption = next(c.value for c in at.caption if c.value.startswith("Reach is a straight-line circle"))
    assert "each urban AGEB's 2020 population" in caption
    assert "Rural remainder" not in caption
    assert "spread evenly over the part of the borough that no AGEB polygon covers" in caption
    assert at.query_params["reach"] == "1"


def test_the_reach_switch_says_the_distances_drawn() -> None:
    # Its help once typed "800 m and 1,500 m"; it now reads the distances the reach is drawn at.
    assert view_widget(run_app(), "reach").help.startswith(
        "Straight-line circles of 800 m and 1,500 m around"
    )
    assert "800 m et 1\u202f500 m" in view_widget(run_app(lang="fr"), "reach").help


# --- the map page in Spanish and French ---------------------------------------------------------


def tooltips(args: dict) -> dict[str, str]:
    return {g["properties"]["cvegeo"]: g["properties"]["tip"] for g in drawn_boroughs(args)}


def test_map_page_in_french(atlas) -> None:
    at = run_app(lang="fr")
    assert not at.exception
    assert [t.value for t in at.title] == ["UTOPÍAS et besoins à Mexico"]
    assert metric(at, "Sites sur la carte") == str(expected_sites(atlas))
    assert metric(at, "Sites hors carte") == str(int(atlas.sites.geometry.isna().sum()))
    assert metric(at, "Population 2020") == "9\u202f209\u202f944"  # babel fr_FR groups with U+202F
    assert metric(at, "Taux de pauvreté 2020") == "33,8 %"
    assert not {"Sites on the map", "In poverty 2020"} & set(shown_figures(at))
    [legend] = [h for h in html_blocks(at) if "atlas-legend" in h and "<ul>" in h]
    assert (
        "<b>Population en situation de pauvreté</b>, 2020 <span class='unit'>(% de la population)</span>"
        in legend
    )
    assert "42,5 % – 54,7 % <span class='n'>(3)</span>" in legend
    assert "Plus foncé = plus de besoins." in legend
    args = map_args(at)
    assert (
        tooltips(args)["09007"] == "<b>Iztapalapa</b><br>Population en situation de pauvreté (2020) : 43,9 %"
    )
    assert "Sites UTOP" in args["layer_control"]
    assert 'var labels = {"sources":"Sources"};' in args["feature_group"]
    assert any(
        "Carte des 16 arrondissements colorés selon Population en situation de pauvreté (2020), en 5 classes "
        "de 7,9 % à 54,7 %." in h
        for h in html_blocks(at)
    )
    assert at.expander[0].label.startswith("Sites hors carte (16)")
    assert at.query_params["lang"] == "fr"


def test_map_page_in_spanish_with_a_selected_borough() -> None:
    at = run_app(lang="es", sel="09007")
    assert not at.exception
    assert [t.value for t in at.title] == ["UTOPÍAS y necesidad en la Ciudad de México"]
    assert metric(at, "Población 2020") == "9,209,944"
    assert metric(at, "En pobreza 2020") == "33.8 %"
    assert at.button(key="clear_sel").label == "Quitar selección"
    assert "UTOPÍAS en Iztapalapa: 16" in " ".join(m.value for m in at.markdown)
    [panel] = [h for h in html_blocks(at) if "<th>Indicador</th>" in h]
    assert "<td>Población total</td><td>2020</td><td class='v'>1,835,486<sup>" in panel
    assert any("Utopía Teotongo (abierta)" in h for h in html_blocks(at))
    assert tooltips(map_args(at))["09007"] == "<b>Iztapalapa</b><br>Población en pobreza (2020): 43.9 %"
    assert any("Seleccionada: Iztapalapa." in h for h in html_blocks(at))


def test_language_switch_translates_the_map_page() -> None:
    at = run_app()
    assert [t.value for t in at.title] == ["UTOPÍAS and need across Mexico City"]
    view_widget(at, "lang").set_value("fr").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["UTOPÍAS et besoins à Mexico"]
    assert metric(at, "Population 2020") == "9\u202f209\u202f944"
    assert at.query_params["lang"] == "fr"


def test_map_summary_is_the_models(atlas) -> None:
    at = run_app(boro="09007,09012", status="open")
    summary = [h for h in html_blocks(at) if "atlas-map-summary" in h]
    assert len(summary) == 1
    model = model_of(at, atlas)
    assert markup.text(model.summary) in summary[0]
    assert f"{drawn_sites(map_args(at))} UTOPÍAS sites shown." in model.summary


def test_high_contrast_draws_thick_black_borders() -> None:
    plain = {g["properties"]["style"]["color"] for g in drawn_boroughs(map_args(run_app()))}
    assert plain == {"#ffffff"}
    styles = [g["properties"]["style"] for g in drawn_boroughs(map_args(run_app(contrast="1", sel="09007")))]
    assert {s["color"] for s in styles} == {"#000000"}
    assert sorted({s["weight"] for s in styles}) == [2.5, 6]


def test_sources_page_in_french(atlas) -> None:
    at = run_app(lang="fr")
    at.switch_page("pages/sources.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Sources et conditions d’utilisation"]
    assert "Sources des indicateurs, ligne par ligne" in [h.value for h in at.subheader]
    assert any("<b>Conditions d’utilisation :</b>" in h for h in html_blocks(at))
    [table] = at.dataframe
    assert list(table.value.columns) == ["Indicateur", "Année", "Unité", "Source", "Lien"]
    assert "Population en situation de pauvreté" in set(table.value["Indicateur"])
    assert "% de la population" in set(table.value["Unité"])
    assert any(c.value.startswith("Limites : Fuente: INEGI, Marco Geoestadístico") for c in at.caption)


def test_missing_data_file_page_in_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    (data / "utopias.csv").unlink()
    monkeypatch.setenv("ATLAS_DATA_DIR", str(data))
    at = run_app(lang="fr")
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "L’Atlas ne peut pas démarrer : `data/utopias.csv` est inutilisable." in errors
    assert "Reconstruisez-le avec `python -m geo.build" in " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("page", ["pages/sources.py", "pages/compare.py", "pages/deck.py"])
def test_every_page_shows_the_url_notices(page: str) -> None:
    at = run_app(bogus="1", k="99")
    at.switch_page(page).run()
    assert not at.exception
    notices = [w.value for w in at.warning]
    assert any("bogus" in n for n in notices), notices
    assert any("k=99" in n for n in notices), notices


@pytest.mark.parametrize("languages", [("en", "fr", "es"), ("es", "fr", "es"), ("fr", "en", "fr", "es")])
def test_switching_language_again_and_again_keeps_the_view(languages: tuple[str, ...]) -> None:
    """A second switch once crashed the map (a palette or scheme label of the old language came back)."""
    at = run_app(lang=languages[0], ind="extreme_poverty_pct", scheme="natural_breaks", palette="cividis")
    before = at.session_state[VIEW_KEY]
    for lang in languages[1:]:
        view_widget(at, "lang").set_value(lang).run()
        assert not at.exception, at.exception
        view = at.session_state[VIEW_KEY]
        assert view == replace(before, lang=lang)
        assert at.query_params["ind"] == "extreme_poverty_pct"
        assert at.query_params["palette"] == "cividis"
        indicator = view_widget(at, "ind")
        assert indicator.value == "extreme_poverty_pct"
        # The box shows the label of the new language, not the previous one's.
        assert indicator.proto.options[indicator.index] == REGISTRY["extreme_poverty_pct"].title(lang)
        assert view_widget(at, "palette").value == "cividis"
        assert view_widget(at, "scheme").value == "natural_breaks"
        assert [t.value for t in at.sidebar.header] == [t("sidebar.filters", lang)]
