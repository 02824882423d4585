"""The Map screen's model: what the map page, the brief, the HTML export and a slide's source line
all show for a view, worked out once from the shipped data."""

from __future__ import annotations

from dataclasses import replace

import folium
import geopandas as gpd
import pytest

from geo.classify import palette
from geo.coverage import need_inputs, reach_areas
from geo.dasymetric import reach_people
from geo.filters import filter_sites
from geo.formatting import format_count
from geo.loaders import Atlas, NeighbourhoodLayers, load_neighbourhoods
from geo.mapmodel import MapModel, Reach, fresh_reach, map_model
from geo.mapview import finished_map, map_layers
from geo.state import ViewState

pytestmark = pytest.mark.filterwarnings("ignore:Numba not installed:UserWarning")


@pytest.fixture(scope="module")
def layers() -> NeighbourhoodLayers:
    return load_neighbourhoods()


@pytest.fixture(scope="module")
def view(latest: int) -> ViewState:
    """A new visitor's view, in English."""
    return ViewState(ind="poverty_pct", year=2020, opened=latest, lang="en")


def mapped(atlas: Atlas, state: ViewState, latest: int) -> int:
    """Sites with coordinates the view's filters keep, counted straight from the data."""
    selected = filter_sites(atlas.sites, state, latest)
    return int(selected.geometry.notna().sum())


def test_default_view_shades_16_boroughs_and_draws_every_mapped_site(atlas: Atlas, view: ViewState) -> None:
    model = map_model(atlas, view)
    assert list(model.values.index) == list(atlas.boroughs["cvegeo"])
    assert len(model.classes.of) == 16
    assert model.drawn_sites is not None
    assert len(model.drawn_sites) == int(atlas.sites.geometry.notna().sum()) == model.headline.sites_on_map
    assert len(model.unmapped) == int(atlas.sites.geometry.isna().sum()) == model.headline.sites_not_mapped
    assert format_count(model.headline.population, "en") == "9,209,944"
    assert model.whole_city
    assert model.unit == "% of population"
    assert model.reach is None
    assert model.panel is None
    assert model.pcmb is not None


def test_status_and_year_filters_keep_the_sites_they_say(atlas: Atlas, view: ViewState, latest: int) -> None:
    only_open = replace(view, status=("open",))
    by_2022 = replace(view, opened=2022)
    for state in (only_open, by_2022):
        model = map_model(atlas, state)
        assert len(model.drawn_sites) == model.headline.sites_on_map == mapped(atlas, state, latest)
        assert 0 < len(model.drawn_sites) < len(map_model(atlas, view).drawn_sites)
    assert set(map_model(atlas, only_open).sites["status"]) == {"open"}


def test_without_utopias_no_markers_but_the_boroughs_stay(atlas: Atlas, view: ViewState) -> None:
    model = map_model(atlas, replace(view, prog=("pcmb",)))
    assert model.drawn_sites is None
    assert len(model.classes.of) == 16
    assert "UTOPÍAS sites" not in model.summary
    assert [layer.layer_name for layer in map_layers(model)] == ["Population in poverty (2020)"]


def test_borough_filter_limits_the_headline_to_its_boroughs(
    atlas: Atlas, view: ViewState, latest: int
) -> None:
    model = map_model(atlas, replace(view, boro=("09007",)))
    assert model.headline.boroughs == ("09007",)
    assert format_count(model.headline.population, "en") == "1,835,486"
    assert model.headline.poverty_pct == pytest.approx(43.89)
    assert not model.headline.poverty_derived, "one borough: the published share, not a derived one"
    assert not model.whole_city
    assert model.scope_names == ("Iztapalapa",)
    assert len(model.drawn_sites) == mapped(atlas, replace(view, boro=("09007",)), latest)


def test_summary_says_what_the_map_draws(atlas: Atlas, view: ViewState) -> None:
    model = map_model(atlas, replace(view, boro=("09007", "09012"), status=("open",), sel="09007"))
    assert model.summary.startswith(
        "Map of the 16 boroughs shaded by Population in poverty (2020), 5 classes from 7.9% to 54.7%."
    )
    assert "Highlighted: Iztapalapa and Tlalpan." in model.summary
    assert "Selected: Iztapalapa." in model.summary
    assert f"{len(model.drawn_sites)} UTOPÍAS sites shown." in model.summary


def test_legend_cites_each_source_of_the_shaded_values_once_with_its_link(
    atlas: Atlas, view: ViewState
) -> None:
    model = map_model(atlas, view)
    [(name, link)] = model.legend_sources
    assert name.startswith("CONEVAL Medición de la pobreza municipal 2020")
    assert link is not None
    assert link.startswith("https://github.com/")
    assert model.indicator_citation == "CONEVAL Medición de la pobreza municipal 2020"
    assert "INEGI Censo de Población y Vivienda 2020" in model.figures_citation


def test_selected_borough_panel_has_its_figures_and_sites(atlas: Atlas, view: ViewState) -> None:
    model = map_model(atlas, replace(view, sel="09007"))
    assert model.panel is not None
    assert model.panel.name == "Iztapalapa"
    population = model.panel.profile.query("indicator == 'population_total' and year == 2020")["value"]
    assert population.tolist() == [1835486]
    assert len(model.panel.sites) == 16
    assert set(model.panel.sites["cvegeo"]) == {"09007"}


def test_walking_reach_only_when_asked_counted_with_agebs(
    atlas: Atlas, layers: NeighbourhoodLayers, view: ViewState
) -> None:
    model = map_model(atlas, replace(view, reach=True), neighbourhoods=lambda: layers)
    assert model.reach is not None
    assert model.reach.distances == (800, 1500)
    open_located = atlas.sites[(atlas.sites["status"] == "open") & atlas.sites.geometry.notna()]
    assert model.reach.sites == len(open_located) == 17
    areas = reach_areas(atlas.sites, clip_to=atlas.boroughs)
    expected = reach_people(layers.agebs, areas, atlas.boroughs, need_inputs(atlas.indicators)[0]).city
    combined = expected[expected["method"] == "combined"]
    assert model.reach.city["people_within"].tolist() == pytest.approx(combined["people_within"].tolist())
    assert model.reach.city["population"].tolist() == [9209944, 9209944]
    first = model.reach.figures("en")[0]
    assert first["distance"] == "800"
    assert first["people"] == format_count(combined["people_within"].iloc[0], "en")
    need = model.reach.need_figures("en")
    assert need["distance"] == "1,500"
    assert int(need["agebs"]) == len(model.reach.need) > 0
    assert "Walking-reach circles of 800 m and 1,500 m" in model.summary
    assert len(map_layers(model)) == 4, "boroughs, reach, people in need beyond reach, sites"


def test_reach_comes_from_the_builder_given(
    atlas: Atlas, layers: NeighbourhoodLayers, view: ViewState, latest: int
) -> None:
    """The page passes a cached builder (ui.data.walking_reach_of); it gets the view's selected sites."""
    calls: list[gpd.GeoDataFrame] = []

    def counting(atlas: Atlas, layers: NeighbourhoodLayers, sites: gpd.GeoDataFrame) -> Reach:
        calls.append(sites)
        return fresh_reach(atlas, layers, sites)

    state = replace(view, reach=True, boro=("09007",))
    model = map_model(atlas, state, reach=counting, neighbourhoods=lambda: layers)
    assert len(calls) == 1
    assert calls[0]["site_id"].tolist() == filter_sites(atlas.sites, state, latest)["site_id"].tolist()
    assert model.reach is not None
    map_model(atlas, view, reach=counting, neighbourhoods=lambda: layers)
    assert len(calls) == 1, "no reach is computed when the view does not show it"


def test_with_a_borough_filter_the_reach_counts_the_people_and_needs_of_those_boroughs(
    atlas: Atlas, layers: NeighbourhoodLayers, view: ViewState
) -> None:
    city = map_model(atlas, replace(view, reach=True), neighbourhoods=lambda: layers).reach
    iztapalapa = map_model(
        atlas, replace(view, reach=True, boro=("09007",)), neighbourhoods=lambda: layers
    ).reach
    people = iztapalapa.people.units
    assert set(people["borough"]) == {"09007"}
    assert people.groupby("distance_m")["population"].sum().tolist() == [1835486, 1835486]
    assert set(iztapalapa.need["borough"]) == {"09007"}
    assert set(iztapalapa.need_shapes["borough"]) <= {"09007"}
    assert set(iztapalapa.need_colonias["borough"]) == {"09007"}
    assert len(iztapalapa.need) < len(city.need)
    assert iztapalapa.city["people_within"].tolist() == pytest.approx(
        fresh_reach(atlas, layers, atlas.sites[atlas.sites["cvegeo"] == "09007"])
        .city["people_within"]
        .tolist()
    )


def test_a_borough_view_without_reach_or_selection_reads_no_neighbourhood_layer(
    atlas: Atlas, view: ViewState
) -> None:
    def refuse() -> NeighbourhoodLayers:
        raise AssertionError("the borough map's first paint must not read the AGEB layers")

    model = map_model(atlas, view, neighbourhoods=refuse)
    assert model.areas is None
    assert model.selection == ()


def test_ageb_level_shades_every_ageb_by_grade_with_no_data_in_grey(
    atlas: Atlas, layers: NeighbourhoodLayers, view: ViewState
) -> None:
    model = map_model(atlas, replace(view, level="agebs"), neighbourhoods=lambda: layers)
    areas = model.areas
    assert areas is not None
    assert areas.count == 2430
    assert areas.classes.names == ("Very low", "Low", "Medium", "High", "Very high")
    counts = areas.classes.of.value_counts()
    assert counts[-1] == 50, "polygons with no CONAPO row are no data"
    assert counts[4] == 22
    assert counts.sum() == 2430
    assert set(areas.shown) >= {"Very high", "no data"}
    assert areas.citation.startswith("CONAPO")
    assert model.summary.startswith("2,430 AGEBs shaded by")
    assert "Click" not in model.summary


def test_the_borough_filter_keeps_its_agebs_only(
    atlas: Atlas, layers: NeighbourhoodLayers, view: ViewState
) -> None:
    model = map_model(atlas, replace(view, level="agebs", boro=("09007",)), neighbourhoods=lambda: layers)
    iztapalapa = layers.agebs[layers.agebs["on_map"] & (layers.agebs["borough"] == "09007")]
    assert model.areas.keys == tuple(iztapalapa["cvegeo"])
    assert 400 < model.areas.count < 500


def test_the_index_is_shaded_darker_where_it_is_lower(
    atlas: Atlas, layers: NeighbourhoodLayers, view: ViewState
) -> None:
    """CONAPO's index is higher where marginalisation is LOWER: darker must still mean more need."""
    model = map_model(atlas, replace(view, level="agebs", aind="im_2020"), neighbourhoods=lambda: layers)
    values, classes = model.areas.values, model.areas.classes
    ramp = palette("ylorrd", len(classes.colours))  # light to dark
    assert classes.colour_of(values.idxmin()) == ramp[-1]
    assert classes.colour_of(values.idxmax()) == ramp[0]


def test_colonia_level_shades_the_share_in_high_marginalisation_with_fixed_classes(
    atlas: Atlas, layers: NeighbourhoodLayers, view: ViewState
) -> None:
    model = map_model(atlas, replace(view, level="colonias", lang="es"), neighbourhoods=lambda: layers)
    areas = model.areas
    assert areas.count == len(layers.colonias)
    assert areas.classes.names[0] == "0.0 %"
    none = layers.colonias["people_high_share"].fillna(-1).eq(0)
    assert (areas.classes.of[none.to_numpy()] == 0).all()
    assert (areas.classes.of == -1).sum() == layers.colonias["people_high_share"].isna().sum()
    assert "ALVARO OBREGON" not in areas.titles[0] or areas.titles[0] == layers.colonias["name"].iloc[0]
    assert areas.titles == tuple(layers.colonias["name"])


def test_a_selected_colonia_has_its_summary_and_outline_at_every_level(
    atlas: Atlas, layers: NeighbourhoodLayers, view: ViewState
) -> None:
    model = map_model(atlas, replace(view, col="07-291"), neighbourhoods=lambda: layers)
    assert model.areas is None
    assert model.colonia is not None
    assert model.colonia.name.startswith("SAN MIGUEL TEOTONGO")
    assert model.colonia.nearest_site is not None
    assert len(model.selection) == 1
    assert len(map_layers(model)) == 3, "boroughs, selected colonia, sites"


def test_a_selected_ageb_has_every_figure_with_its_source(
    atlas: Atlas, layers: NeighbourhoodLayers, view: ViewState
) -> None:
    model = map_model(
        atlas, replace(view, level="agebs", ageb="0900700011301"), neighbourhoods=lambda: layers
    )
    assert model.ageb is not None
    assert model.ageb.borough == "09007"
    assert model.ageb.rows[0] == ("Population (census 2020)", "4,045", "persons")
    assert model.ageb.rows[1][1] == "Low"
    assert len(model.ageb.rows) == 14
    assert model.ageb.year == 2020
    assert model.ageb.source.startswith("CONAPO")


def test_the_exported_map_is_the_pages_map(atlas: Atlas, view: ViewState) -> None:
    model: MapModel = map_model(atlas, replace(view, reach=True, lat=19.36, lon=-99.1, z=12))
    fmap = finished_map(model)
    html = fmap.get_root().render()
    assert "[19.36, -99.1]" in html
    assert '"zoom": 12' in html
    groups = [child.layer_name for child in fmap._children.values() if isinstance(child, folium.FeatureGroup)]
    assert groups == [layer.layer_name for layer in map_layers(model)]


def test_texts_follow_the_views_language(atlas: Atlas, view: ViewState) -> None:
    model = map_model(atlas, replace(view, lang="fr", reach=True))
    assert model.summary.startswith("Carte des 16 arrondissements")
    assert model.reach is not None
    assert model.reach.figures("fr")[1]["distance"] == "1\u202f500"
    assert model.lang == "fr"
