"""Compare, Borough profile and Programmes pages with AppTest."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from pandas.api.types import is_numeric_dtype
from streamlit.testing.v1 import AppTest

from geo import exports
from geo.loaders import load_atlas
from geo.markup import WORD_JOINER
from tests.apptest_support import run_app, select_in_chart, shown_figures, shown_html, view_widget
from ui.view import GENERATION_KEY, OPTIONS_KEY, VIEW_KEY, select_boroughs

pytestmark = pytest.mark.usefixtures("offline_app")


def open_page(page: str, **params: str) -> AppTest:
    at = run_app(**params)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def data_downloads(at: AppTest) -> list[str]:
    """Labels of the data download buttons (chart image buttons left out: see chart_images)."""
    return [b.proto.label for b in at.get("download_button") if not b.proto.id.count("export-chart-")]


def chart_images(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button") if b.proto.id.count("export-chart-")]


def value_labels(figure: dict) -> list[str]:
    """The ranking's values, top bar first (the column right of the plot)."""
    return [note["text"] for note in figure["layout"]["annotations"] if note.get("name") == "value"]


def number_formats(frame) -> dict[str, str]:
    """The printf format of each number column of a shown dataframe (its ``NumberColumn`` config)."""
    config = json.loads(frame.proto.columns)
    return {
        column: spec["type_config"]["format"]
        for column, spec in config.items()
        if spec.get("type_config", {}).get("type") == "number"
    }


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_compare_page_ranks_boroughs_and_marks_the_selected_one() -> None:
    at = open_page("pages/compare.py", sel="09007")
    [ranking, scatter, *rest] = figures(at)
    bars = ranking["data"][0]
    assert len(bars["y"]) == 16
    assert "Population in poverty, 2020" in ranking["layout"]["title"]["text"]
    assert any("Source: CONEVAL" in a["text"] for a in ranking["layout"]["annotations"])
    assert len(scatter["data"][0]["x"]) == 16
    assert rest, "poverty has three years: a change-over-time chart is shown"


def test_select_boroughs_updates_view_and_sidebar(monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page("pages/compare.py")
    view = at.session_state[VIEW_KEY]
    state: dict = {VIEW_KEY: view, OPTIONS_KEY: at.session_state[OPTIONS_KEY]}
    monkeypatch.setattr("ui.view.st.session_state", state)
    select_boroughs(("09009", "09007"))
    assert state[VIEW_KEY].boro == ("09007", "09009")
    assert state[GENERATION_KEY] == 1, "the sidebar's borough box is drawn afresh from the view"
    select_boroughs(())
    assert state[VIEW_KEY].boro == ("09007", "09009"), "an empty selection leaves the filter alone"


def test_filter_from_a_chart_reaches_the_map() -> None:
    at = open_page("pages/compare.py")
    view_widget(at, "boro").set_value(["09007"]).run()
    at.switch_page("pages/map.py").run()
    assert shown_figures(at)["Population 2020"].value == "1,835,486"
    assert at.query_params["boro"] == "09007"


def chart_titles(at: AppTest) -> list[str]:
    return [figure["layout"]["title"]["text"] for figure in figures(at)]


def test_compare_page_shows_the_neighbourhood_charts() -> None:
    at = open_page("pages/compare.py", sel="09013")
    *_, grades, reach, colonias = figures(at)
    assert grades["layout"]["title"]["text"].startswith(
        "<b>People by the marginalisation grade of their AGEB"
    )
    assert [trace["name"] for trace in grades["data"]] == ["Very high", "High", "Medium", "Low", "Very low"]
    assert len(grades["data"][0]["y"]) == 16
    assert [trace["name"] for trace in reach["data"]] == ["Within 800 m", "Within 1,500 m"]
    assert colonias["layout"]["title"]["text"].startswith("<b>Colonias of Xochimilco")
    assert len(colonias["data"][0]["y"]) == 15
    assert view_widget(at, "sel").value == "09013"
    shown = captions(at)
    assert any(text.startswith("How the people are counted. By AGEB: Estimate.") for text in shown)
    assert any(text.startswith("Bar chart of the 15 colonias of Xochimilco") for text in shown)
    headers = [set(frame.value.columns) for frame in at.dataframe]
    assert {"Borough", "People, grade Very high", "People in grade High or Very high"} <= set.union(*headers)
    assert {"Within reach, by AGEB (est.)", "Within reach, rural remainder by borough (est.)"} <= set.union(
        *headers
    )
    assert {"Colonia", "Colonia key (IECM)"} <= set.union(*headers)


def test_compare_colonias_follow_the_selection_the_filter_or_the_default() -> None:
    at = open_page("pages/compare.py")
    assert chart_titles(at)[-1].startswith("<b>Colonias of Iztapalapa")
    assert view_widget(at, "sel").value is None, "a visit selects nothing"
    assert any(
        text.startswith("No borough is selected on the map or in the Boroughs filter")
        for text in captions(at)
    )
    view_widget(at, "boro").set_value(["09013", "09012"]).run()
    assert chart_titles(at)[-1].startswith("<b>Colonias of Tlalpan"), "the filter's first, in code order"
    assert any("Tlalpan, the first of the Boroughs filter, is shown" in text for text in captions(at))
    view_widget(at, "sel").set_value("09014").run()
    assert at.query_params["sel"] == "09014"
    assert [plain(info.value) for info in at.info] == [
        "No colonia of Benito Juárez has estimated people in AGEBs of grade High or Very high."
    ]
    assert not chart_titles(at)[-1].startswith("<b>Colonias of")


def test_selecting_a_colonia_bar_selects_the_colonia_on_the_map() -> None:
    at = open_page("pages/compare.py", sel="09007")
    select_in_chart(at, "colonia_chart", "07-143")
    assert not at.exception, at.exception
    assert at.session_state[VIEW_KEY].col == "07-143"
    assert at.query_params["col"] == "07-143"
    colonias = figures(at)[-1]
    assert colonias["data"][0]["marker"]["opacity"][1] == 1.0, "MIRAVALLE, second, is highlighted"
    assert set(
        colonias["data"][0]["marker"]["opacity"][:1] + colonias["data"][0]["marker"]["opacity"][2:]
    ) == {0.35}
    at.switch_page("pages/map.py").run()
    assert not at.exception, at.exception
    assert at.session_state[VIEW_KEY].col == "07-143", "the map keeps the colonia selected"


def test_selecting_boroughs_in_the_grade_chart_filters_by_them() -> None:
    at = open_page("pages/compare.py")
    select_in_chart(at, "grades_chart", "09013", "09012")
    assert not at.exception, at.exception
    assert at.session_state[VIEW_KEY].boro == ("09012", "09013")
    assert at.query_params["boro"] == "09012,09013"
    select_in_chart(at, "people_reach_chart", "09007")
    assert at.session_state[VIEW_KEY].boro == ("09007",)


@pytest.mark.parametrize("sel", ["", "09013"])
def test_language_switch_on_the_compare_page_keeps_the_colonia_chart(sel: str) -> None:
    at = open_page("pages/compare.py", col="13-045", **({"sel": sel} if sel else {}))
    for lang, title in (("fr", "<b>Colonias de "), ("es", "<b>Colonias de "), ("en", "<b>Colonias of ")):
        view_widget(at, "lang").set_value(lang).run()
        assert not at.exception, at.exception
        assert chart_titles(at)[-1].startswith(title + ("Xochimilco" if sel else "Iztapalapa"))
        assert view_widget(at, "sel").value == (sel or None)
        assert at.session_state[VIEW_KEY].col == "13-045"


def test_profile_compares_a_borough_with_another_and_the_city() -> None:
    at = open_page("pages/profile.py", sel="09007", cmp="09014")
    [table] = [df.value for df in at.dataframe]
    row = table[(table["Indicator"] == "Total population") & (table["Year"] == "2020")].iloc[0]
    assert row["Iztapalapa"] == "1,835,486"
    assert row["Benito Juárez"] == "434,153"
    assert row["Mexico City"] == "9,209,944"
    assert "INEGI" in row["Source"]
    assert at.query_params["cmp"] == "09014"
    [small_map] = at.get("component_instance")
    args = json.loads(small_map.proto.json_args)
    assert args["returned_objects"] == [], "the locator map sends nothing back"
    assert args["feature_group"].count("callback(data[i])") == 1, "one layer of Iztapalapa's sites"


def test_programmes_page_shows_unknown_openings_and_both_pcmb_reports() -> None:
    at = open_page("pages/programmes.py")
    specs = figures(at)
    openings = specs[0]
    labels = [str(x) for trace in openings["data"] for x in trace.get("x", [])]
    assert "opening date unknown" in labels
    pcmb_text = json.dumps(specs[2])
    assert "152" in pcmb_text
    assert "155" in pcmb_text
    # The intro gives each reported multi-year total with its own period (520 is for 2007–2015).
    [intro] = [body for body in shown_html(at) if "projects in" in body]
    assert "1,386 projects in 2007–2014" in intro
    assert "520 projects in 2007–2015" in intro


def test_programmes_sites_table_follows_the_filters() -> None:
    atlas = load_atlas()
    at = open_page("pages/programmes.py", status="open")
    [table] = [df.value for df in at.dataframe if "sources" in df.value.columns]
    assert len(table) == int((atlas.sites["status"] == "open").sum())
    assert table["sources"].str.len().gt(0).all()


def test_pages_offer_downloads_of_what_is_shown() -> None:
    compare = data_downloads(open_page("pages/compare.py"))
    assert compare == [
        "Population in poverty 2020 (CSV)",
        "Population in poverty 2020 (GeoJSON)",
        "Walking reach by borough (CSV)",
    ]
    programmes = [label for label in data_downloads(open_page("pages/programmes.py", status="open"))]
    assert programmes == ["These 20 sites (CSV)", "The 17 mapped sites (GeoJSON)"]


def test_site_csv_keeps_every_site_and_its_sources() -> None:
    atlas = load_atlas()
    frame = pd.read_csv(io.BytesIO(exports.sites_csv(atlas.sites)), encoding="utf-8-sig")
    assert len(frame) == len(atlas.sites)
    assert frame["sources"].notna().all()


def test_profile_visit_selects_nothing_until_a_borough_is_chosen() -> None:
    at = open_page("pages/profile.py")
    assert view_widget(at, "sel").value == "09007"
    assert "sel" not in at.query_params
    view_widget(at, "sel").set_value("09009").run()
    assert at.query_params["sel"] == "09009"
    at.switch_page("pages/map.py").run()
    assert "Milpa Alta" in [h.value for h in at.subheader], "the map's panel follows the profile's choice"


# --- in French and Spanish -------------------------------------------------------------------------

NNBSP = "\u202f"  # babel's (CLDR's) thousands separator for French


def plain(markdown: str) -> str:
    """A caption's text as read: the Markdown escapes (backslash before punctuation) and word joiners removed."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")


def captions(at: AppTest) -> list[str]:
    return [plain(c.value) for c in at.caption]


def test_compare_page_in_french() -> None:
    at = open_page("pages/compare.py", lang="fr", sel="09007")
    assert [t.value for t in at.title] == ["Comparer les arrondissements"]
    assert [h.value for h in at.subheader] == [
        "Besoins et offre",
        "Évolution dans le temps",
        "Accès à pied aux UTOPÍAS ouvertes (estimation)",
        "Marginalisation par AGEB",
        "Accès à pied compté par AGEB (estimation)",
        "Colonias comptant le plus de personnes en marginalisation élevée (estimation)",
        "Télécharger ce que vous voyez",
    ]
    assert {e.label for e in at.expander} >= {"Données sous forme de tableau"}
    [ranking, scatter, change, grades, reach, colonias] = figures(at)
    assert grades["layout"]["title"]["text"].startswith(
        "<b>Personnes selon le degré de marginalisation de leur AGEB, par arrondissement (2020)</b>"
    )
    assert [trace["name"] for trace in grades["data"]][:2] == ["Très élevé", "Élevé"]
    assert [trace["name"] for trace in reach["data"]] == ["À 800 m ou moins", f"À 1{NNBSP}500 m ou moins"]
    assert reach["layout"]["separators"] == "," + NNBSP
    assert colonias["layout"]["title"]["text"].startswith("<b>Colonias de Iztapalapa")
    assert view_widget(at, "sel").label == "Arrondissement des colonias"
    assert ranking["layout"]["title"]["text"].startswith("<b>Population en situation de pauvreté, 2020</b>")
    assert ranking["layout"]["separators"] == "," + NNBSP
    assert value_labels(ranking)[0] == "54,7 %"
    assert any(a["text"] == "Ville : 33,8 %" for a in ranking["layout"]["annotations"])
    assert any(a["text"].startswith("Source : CONEVAL") for a in ranking["layout"]["annotations"])
    assert scatter["layout"]["yaxis"]["title"]["text"] == (
        f"Sites ouverts pour 100{NNBSP}000 habitants (population 2020)"
    )
    assert change["layout"]["xaxis"]["title"]["text"] == "Année"
    shown = captions(at)
    assert (
        "Diagramme en barres « Population en situation de pauvreté » (2020) par arrondissement : valeur la "
        "plus élevée, Milpa Alta (54,7 %) ; la plus basse, Benito Juárez (7,9 %) ; ville : 33,8 %."
    ) in shown
    assert any(
        text.startswith("Graphique à bulles « Population en situation de pauvreté » (2020)") for text in shown
    )
    assert any(text.startswith("Graphique en courbes") for text in shown)
    assert any(text.startswith("Estimation. L’accès est un cercle") for text in shown), "method in French"
    shown = next(df for df in at.dataframe if "Distance" in df.value.columns)
    reach = shown.value
    assert list(reach.columns) == [
        "Arrondissement",
        "Distance",
        "Part de la superficie à portée",
        "Personnes à portée (est.)",
        "Personnes en situation de pauvreté à portée (est.)",
        "Personnes en situation de pauvreté hors de portée (est.)",
    ]
    # Numbers stay numbers (they sort as numbers); the browser formats them the French way.
    assert set(reach["Distance"]) == {800, 1500}
    assert all(is_numeric_dtype(reach[column]) for column in reach.columns[1:])
    assert number_formats(shown) == {
        "Distance": f"%'{NNBSP},.0f m",
        "Part de la superficie à portée": f"%'{NNBSP},.1f %%",
        "Personnes à portée (est.)": f"%'{NNBSP},.0f",
        "Personnes en situation de pauvreté à portée (est.)": f"%'{NNBSP},.0f",
        "Personnes en situation de pauvreté hors de portée (est.)": f"%'{NNBSP},.0f",
    }
    buttons = data_downloads(at)
    assert buttons == [
        "Population en situation de pauvreté 2020 (CSV)",
        "Population en situation de pauvreté 2020 (GeoJSON)",
        "Accès à pied par arrondissement (CSV)",
    ]


def test_compare_page_in_spanish() -> None:
    at = open_page("pages/compare.py", lang="es")
    assert [t.value for t in at.title] == ["Comparar alcaldías"]
    assert "Necesidad y oferta" in [h.value for h in at.subheader]
    [ranking, scatter, *_, colonias] = figures(at)
    assert colonias["layout"]["xaxis"]["title"]["text"] == "Personas (estimación, censo 2020)"
    assert ranking["layout"]["title"]["text"].startswith("<b>Población en pobreza, 2020</b>")
    assert ranking["layout"]["separators"] == ".,"
    assert ranking["layout"]["yaxis"]["title"]["text"] == "Alcaldía"
    assert value_labels(ranking)[0] == "54.7 %"
    assert scatter["layout"]["legend"]["title"]["text"] == "Programa (área de la burbuja = población)"
    assert any(text.startswith("Gráfica de barras de “Población en pobreza” (2020)") for text in captions(at))
    shown = next(df for df in at.dataframe if "Distancia" in df.value.columns)
    assert set(shown.value["Distancia"]) == {800, 1500}
    formats = number_formats(shown)
    assert formats["Distancia"] == "%,.0f m"
    assert formats["Parte de la superficie dentro del alcance"] == "%,.1f %%"
    assert data_downloads(at)[2] == "Alcance a pie por alcaldía (CSV)"


def test_profile_page_in_french() -> None:
    at = open_page("pages/profile.py", lang="fr", sel="09007", cmp="09014")
    assert [t.value for t in at.title] == ["Profil d’arrondissement"]
    assert view_widget(at, "sel").label == "Arrondissement"
    assert view_widget(at, "cmp").label == "Comparer avec"
    [table] = [df.value for df in at.dataframe]
    assert list(table.columns) == [
        "Indicateur", "Année", "Iztapalapa", "Benito Juárez", "Ville de Mexico", "Source", "Lien",
    ]  # fmt: skip
    row = table[(table["Indicateur"] == "Population totale") & (table["Année"] == "2020")].iloc[0]
    assert row["Iztapalapa"] == f"1{NNBSP}835{NNBSP}486"
    assert row["Benito Juárez"] == f"434{NNBSP}153"
    assert row["Ville de Mexico"] == f"9{NNBSP}209{NNBSP}944"
    poverty = table[
        (table["Indicateur"] == "Population en situation de pauvreté") & (table["Année"] == "2020")
    ]
    assert poverty.iloc[0]["Iztapalapa"] == "43,9 %"
    assert "non calculé" in set(table["Ville de Mexico"]), "an index has no city value"
    assert "UTOPÍAS à Iztapalapa" in [h.value for h in at.subheader]
    assert any("« pas de donnée »" in text for text in captions(at))


def test_profile_page_in_spanish() -> None:
    at = open_page("pages/profile.py", lang="es", sel="09007")
    assert [t.value for t in at.title] == ["Perfil de alcaldía"]
    assert view_widget(at, "cmp").label == "Comparar con"
    [table] = [df.value for df in at.dataframe]
    assert list(table.columns) == ["Indicador", "Año", "Iztapalapa", "Ciudad de México", "Fuente", "Enlace"]
    row = table[(table["Indicador"] == "Población total") & (table["Año"] == "2020")].iloc[0]
    assert row["Iztapalapa"] == "1,835,486"
    assert row["Ciudad de México"] == "9,209,944"
    assert "UTOPÍAS en Iztapalapa" in [h.value for h in at.subheader]


def test_programmes_page_in_french() -> None:
    at = open_page("pages/programmes.py", lang="fr", status="open")
    assert [h.value for h in at.header][:2] == [
        "UTOPÍAS",
        "PCMB : Programa Comunitario de Mejoramiento Barrial",
    ]
    assert "Sites (filtrés par la barre latérale)" in [h.value for h in at.subheader]
    openings, status, projects, budget = figures(at)
    assert openings["data"][0]["x"][-1] == "date d’ouverture inconnue"
    assert openings["layout"]["separators"] == "," + NNBSP
    assert status["data"][0]["y"] == ["Ouverte", "En construction", "Annoncée"]
    assert projects["layout"]["yaxis"]["title"]["text"] == "Projets (nombre, tels que déclarés)"
    assert budget["layout"]["yaxis"]["title"]["text"] == "Budget (millions de MXN, nominaux)"
    spans = json.dumps([trace.get("text") for trace in projects["data"]], ensure_ascii=False)
    assert f"1{NNBSP}386 (2007-2014)" in spans
    shown = captions(at)
    assert any(
        text.startswith("Diagramme en barres des sites UTOPÍAS ouverts aujourd’hui (20)") for text in shown
    )
    assert any(text.startswith("Graphique des projets PCMB (Amélioration des quartiers)") for text in shown)
    assert any(f"2007-2014 : 1{NNBSP}386" in text for text in shown)
    [sites] = [df for df in at.dataframe if "sources" in df.value.columns]
    assert set(sites.value["status"]) == {"Ouverte"}
    assert is_numeric_dtype(sites.value["area_m2"]), "areas sort as numbers"
    assert number_formats(sites) == {"area_m2": f"%'{NNBSP},.0f"}, "areas in French digits"
    assert json.loads(sites.proto.columns)["area_m2"]["label"] == "Superficie (m²)"
    assert data_downloads(at) == [
        "Ces 20 sites (CSV)",
        "Les 17 sites cartographiés (GeoJSON)",
    ]
    [intro] = [body for body in shown_html(at) if "projets en" in body]
    assert f"1{NNBSP}386 projets en 2007–2014" in intro
    assert "520 projets en 2007–2015" in intro


def test_programmes_page_in_spanish() -> None:
    at = open_page("pages/programmes.py", lang="es", status="open")
    assert [t.value for t in at.title] == ["Programas"]
    openings, status, _, _ = figures(at)
    assert openings["data"][0]["x"][-1] == "fecha de apertura desconocida"
    assert openings["layout"]["separators"] == ".,"
    assert status["layout"]["title"]["text"].startswith("<b>Sitios de UTOPÍAS por estado</b>")
    [sites] = [df for df in at.dataframe if "sources" in df.value.columns]
    assert set(sites.value["status"]) == {"Abierta"}
    assert is_numeric_dtype(sites.value["area_m2"]), "areas sort as numbers"
    assert number_formats(sites) == {"area_m2": "%,.0f"}, "areas in Mexican digits"
    assert data_downloads(at) == [
        "Estos 20 sitios (CSV)",
        "Los 17 sitios en el mapa (GeoJSON)",
    ]
    assert any(
        "1,386 proyectos en 2007–2014" in body and "520 proyectos en 2007–2015" in body
        for body in shown_html(at)
    )


def test_every_chart_offers_png_and_svg_in_the_pages_language() -> None:
    at = open_page("pages/compare.py", lang="fr")
    labels = chart_images(at)
    assert len(labels) == 2 * len(figures(at))
    assert set(labels) == {"Graphique (PNG)", "Graphique (SVG)"}
