"""The map at the AGEB and colonia levels in Chromium: what Leaflet draws, the filter, search and clicks.

AGEBs and colonias are drawn on a canvas, so there are no SVG paths to count:
the tests count the shapes Leaflet holds (``AtlasUI.canvas_areas``). Expected
numbers come from the shipped data.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from geo.coverage import METRIC_CRS
from geo.i18n import t
from geo.loaders import NeighbourhoodLayers, load_neighbourhoods
from geo.vocabulary import grade_key

pytestmark = pytest.mark.browser

IZTAPALAPA = "09007"


@pytest.fixture(scope="module")
def layers() -> NeighbourhoodLayers:
    return load_neighbourhoods()


def test_the_ageb_level_draws_every_shaded_ageb_and_the_borough_filter_keeps_iztapalapas(
    ui, atlas_app, layers: NeighbourhoodLayers
) -> None:
    agebs = layers.agebs[layers.agebs["on_map"]]
    with_grade = int((agebs["gm_2020"] != "").sum())
    ui.open(atlas_app.link({"level": "agebs"}))
    drawn = ui.canvas_areas()
    assert drawn["agebs"]["shapes"] == len(agebs) == 2430
    assert drawn["agebs"]["shaded"] == with_grade >= 2380
    assert drawn["borough_borders"]["shapes"] == 16
    ui.expect_drawn_sites(atlas_app.data.drawn_sites(atlas_app.data.view()))

    ui.open(atlas_app.link({"level": "agebs", "boro": IZTAPALAPA}))
    in_iztapalapa = agebs[agebs["borough"] == IZTAPALAPA]
    assert ui.canvas_areas()["agebs"]["shapes"] == len(in_iztapalapa)
    legend = ui.page.locator(".atlas-legend")
    expect(legend).to_contain_text("Very high")
    expect(legend).to_contain_text("No data")
    expect(legend).to_contain_text("CONAPO")


def test_a_colonia_found_by_name_is_zoomed_to_and_selected(ui, atlas_app) -> None:
    ui.open(atlas_app.link())
    assert "colonias" not in ui.canvas_areas()
    ui.page.get_by_role("textbox", name="Find a colonia").fill("san miguel teotongo")
    ui.page.get_by_role("textbox", name="Find a colonia").press("Enter")
    result = ui.page.get_by_role("button", name=re.compile(r"^SAN MIGUEL TEOTONGO I · Iztapalapa$"))
    result.click()
    ui.settle()
    expect(ui.page.locator("h3.atlas-panel-title")).to_have_text("SAN MIGUEL TEOTONGO I")
    expect(ui.page.get_by_text("Nearest open UTOPÍA")).to_be_visible()
    assert ui.query()["col"] == "07-291"
    zoom = ui.map_eval(
        "() => { for (const n of Object.keys(window)) { if (window[n] instanceof L.Map) { return window[n].getZoom(); } } }"
    )
    assert zoom >= 14
    assert ui.canvas_areas()["selection"]["shapes"] == 1


def test_clicking_an_ageb_shows_its_grade_with_source_and_year(
    ui, atlas_app, layers: NeighbourhoodLayers
) -> None:
    # An AGEB of Iztapalapa with a grade and no site marker within 600 m (a marker would take the click).
    sites = atlas_app.data.atlas.sites.dropna(subset=["geometry"]).to_crs(METRIC_CRS).union_all()
    agebs = layers.agebs[layers.agebs["on_map"] & (layers.agebs["borough"] == IZTAPALAPA)]
    agebs = agebs[agebs["gm_2020"] != ""].sort_values("cvegeo")
    far = agebs[agebs.representative_point().to_crs(METRIC_CRS).distance(sites) > 600]
    key, grade, point = far["cvegeo"].iloc[0], far["gm_2020"].iloc[0], far.representative_point().iloc[0]
    ui.open(atlas_app.link({"level": "agebs", "lat": f"{point.y:.4f}", "lon": f"{point.x:.4f}", "z": "15"}))
    corner = ui.map_eval(
        """(body, ll) => { for (const n of Object.keys(window)) { if (window[n] instanceof L.Map) {
            const p = window[n].latLngToContainerPoint(ll); return [p.x, p.y]; } } }""",
        [point.y, point.x],
    )
    ui.map.locator(".leaflet-container").click(position={"x": corner[0], "y": corner[1]})
    ui.settle()
    assert ui.query()["ageb"] == key
    expect(ui.page.get_by_role("heading", name=f"AGEB {key}")).to_be_visible()
    panel = ui.page.locator("table.atlas-table").filter(has_text="Urban marginalisation grade (AGEB)")
    expect(panel).to_contain_text(t(f"labels.grade.{grade_key(grade)}", "en"))
    expect(ui.page.locator("p.atlas-source").filter(has_text="CONAPO")).to_contain_text("(2020)")


def test_changing_the_ageb_indicator_redraws_in_place_without_leaving_old_canvases(ui, atlas_app) -> None:
    """Each redraw once left its old canvas behind (2 canvases after load, 4 after one change, 6 after two)."""
    ui.open(atlas_app.link({"level": "agebs", "boro": IZTAPALAPA}))
    canvases = ui.map.locator(".leaflet-overlay-pane canvas")
    assert canvases.count() == 2, "the AGEBs and the borough borders"
    for option in ("In dwellings without piped water", "In overcrowded dwellings"):
        ui.page.get_by_role("combobox", name="AGEB indicator (CONAPO 2020)", exact=True).click()
        ui.page.get_by_role("option", name=option, exact=True).click()
        ui.settle()
        expect(ui.page.locator(".atlas-legend")).to_contain_text(option)
        assert canvases.count() == 2
    assert ui.query()["aind"] == "ovhac"


def test_hovering_an_ageb_names_it_and_its_grade(ui, atlas_app, layers: NeighbourhoodLayers) -> None:
    """The borders' canvas and the reach's SVG lie over the AGEBs: they must let the pointer through."""
    key = "0900700011301"
    point = layers.agebs.set_index("cvegeo").loc[key].geometry.representative_point()
    ui.open(
        atlas_app.link(
            {"level": "agebs", "reach": "1", "lat": f"{point.y:.4f}", "lon": f"{point.x:.4f}", "z": "16"}
        )
    )
    x, y = ui.map_eval(
        """(body, ll) => { for (const n of Object.keys(window)) { if (window[n] instanceof L.Map) {
            const p = window[n].latLngToContainerPoint(ll); return [p.x, p.y]; } } }""",
        [point.y, point.x],
    )
    ui.map.locator(".leaflet-container").hover(position={"x": x, "y": y})
    tooltip = ui.map.locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text(f"AGEB {key}")
    expect(tooltip).to_contain_text("Low")
