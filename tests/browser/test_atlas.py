"""The Atlas in a real browser: map, filters, links, clicks and hostile input.

Each test opens its own page (new browser context, internet blocked) on a
server started once for the session on the shipped data, offline. Expected
numbers are computed from the data (``conftest.AtlasData``), never typed in.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable

import pytest
import shapely
from playwright.sync_api import expect

from geo.classify import classify
from geo.filters import filter_sites, headline, opened_year_range
from geo.formatting import format_count, format_value
from geo.i18n import t
from geo.indicators import REGISTRY, rows_for
from geo.legend import class_labels
from geo.state import DEFAULT_CENTER, DEFAULT_ZOOM
from geo.vocabulary import PROGRAMMES, STATUSES

pytestmark = pytest.mark.browser

BOROUGHS = 16
HOSTILE_NAME = "<img src=x onerror=alert(1)>"  # the name conftest.hostile_app gives a site
# The sidebar's programme and status checkboxes, in English (the browser's language).
PROGRAMME_BOXES = tuple(t(f"labels.programme.{p}", "en") for p in PROGRAMMES)
STATUS_BOXES = {s: t(f"labels.status.{s}", "en") for s in STATUSES}
CHECKBOXES = (*PROGRAMME_BOXES, *STATUS_BOXES.values())


def test_default_view(ui, atlas_app) -> None:
    """16 boroughs, the sites the default filters select, and nothing fetched from outside."""
    data = atlas_app.data
    view = data.view()
    assert data.drawn_sites(view) > 0, "the shipped data should map some sites"

    ui.open(atlas_app.link())

    assert ui.polygons() == BOROUGHS
    ui.expect_drawn_sites(data.drawn_sites(view))
    expect(ui.metric("Sites on the map")).to_have_text(format_count(data.mapped_sites(view)))
    for label in CHECKBOXES:
        expect(ui.checkbox(label)).to_be_checked()
    assert ui.watch.failed_local == [], "a request to the Atlas itself failed (vendored asset missing?)"
    assert ui.watch.left_the_machine == [], "a request left the machine"
    assert ui.watch.websockets, "no websocket opened"
    assert all(url.startswith(("ws://127.0.0.1", "ws://localhost")) for url in ui.watch.websockets)
    if ui.watch.aborted:
        warnings.warn(f"requests to the internet (aborted): {ui.watch.aborted}", stacklevel=1)


def test_first_visit_after_server_start(cold_app, ui) -> None:
    """The first visitor after a (re)start gets the default view, like everyone else.

    With a ``pages/`` folder beside ``app.py``, Streamlit 1.67 runs the first
    script run of a server process in its legacy multipage mode, where the
    sidebar widgets get other ids than on every later run; unhandled, the
    first visitor's filters all fell back to the widgets' own defaults (first
    indicator, nothing ticked, 2019) on the second run (see ``ui/compat.py``).
    The other tests use a server whose first session is already over.
    """
    data = cold_app.data
    view = data.view()

    ui.open(cold_app.link(), timeout=60)

    for label in CHECKBOXES:
        expect(ui.checkbox(label)).to_be_checked()
    expect(ui.metric("Sites on the map")).to_have_text(format_count(data.mapped_sites(view)))
    ui.expect_drawn_sites(data.drawn_sites(view))
    assert not {"ind", "prog", "status", "opened", "k"} & set(ui.query())


def test_a_deep_link_as_the_first_visit_after_server_start_opens_its_page(cold_app, ui) -> None:
    """A shared link to a page other than the map, opened first after a restart, opens that page.

    Started plainly, Streamlit ran that first run under the ``pages/`` folder's
    file names (legacy mode): "your_data", not "your-data", so the visitor got
    a "Page not found" dialog (``ui/serve.py``).
    """
    ui.page.goto(f"{cold_app.url}/your-data?lang=es")
    heading = ui.page.get_by_role("heading", name=t("your_data.title", "es"), exact=True)
    expect(heading).to_be_visible(timeout=60_000)
    ui.page.wait_for_timeout(1000)
    expect(ui.page.get_by_text("Page not found")).to_have_count(0)
    assert ui.page.url.startswith(f"{cold_app.url}/your-data")


def test_filters_change_map_and_url(ui, atlas_app) -> None:
    """Status, year and programme filters redraw the sites and go into the URL."""
    data = atlas_app.data
    ui.open(atlas_app.link())
    ui.expect_drawn_sites(data.drawn_sites(data.view()))

    ui.set_checkbox("Under construction", False)
    ui.set_checkbox("Announced", False)
    open_only = data.view(status=("open",))
    ui.expect_drawn_sites(data.drawn_sites(open_only))
    expect(ui.metric("Sites on the map")).to_have_text(format_count(data.mapped_sites(open_only)))
    assert ui.query().get("status") == "open"

    latest = data.options.opened_years[1]
    slider = ui.page.locator("[data-testid=stSlider]").filter(has_text="Sites opened by")
    thumb = slider.locator("input[type=range]")
    thumb.focus()
    for _ in range(latest - 2022):
        thumb.press("ArrowLeft")
    expect(thumb).to_have_value("2022")
    ui.settle()
    by_2022 = data.view(status=("open",), opened=2022)
    assert data.drawn_sites(by_2022) < data.drawn_sites(open_only), "2022 should be a real filter"
    ui.expect_drawn_sites(data.drawn_sites(by_2022))
    expect(ui.metric("Sites on the map")).to_have_text(format_count(data.mapped_sites(by_2022)))
    assert ui.query().get("opened") == "2022"

    ui.set_checkbox("UTOPÍAS", False)
    ui.expect_drawn_sites(0)
    assert ui.polygons() == BOROUGHS
    assert ui.query().get("prog") == "pcmb"
    assert ui.query().get("status") == "open"
    assert ui.query().get("opened") == "2022"


LINK_KEYS = ("ind", "year", "status", "opened", "sel", "z")


def _expect_linked_view(ui, data, query: dict[str, str]) -> None:
    """The page shows the filters and selection of ``query`` and keeps them in its URL."""
    view = data.view(
        ind=query["ind"], year=int(query["year"]), status=(query["status"],), opened=int(query["opened"])
    )
    expect(ui.page.get_by_role("combobox", name="Indicator", exact=True)).to_have_value(
        REGISTRY[query["ind"]].title()
    )
    expect(ui.page.get_by_role("combobox", name="Indicator year", exact=True)).to_have_value(query["year"])
    for label in CHECKBOXES:
        expect(ui.checkbox(label)).to_be_checked(checked=label in (*PROGRAMME_BOXES, STATUS_BOXES["open"]))
    ui.expect_drawn_sites(data.drawn_sites(view))
    expect(ui.metric("Sites on the map")).to_have_text(format_count(data.mapped_sites(view)))
    expect(ui.page.get_by_role("heading", name="Iztapalapa", exact=True)).to_be_visible()
    assert ui.notices().count() == 0
    assert ui.map_eval("() => window.map.getZoom()") == int(query["z"])
    shown = ui.query()
    for key in LINK_KEYS:
        assert shown.get(key) == query[key], f"the URL lost {key}={query[key]}: {ui.page.url}"


def test_url_round_trip(new_ui, atlas_app) -> None:
    """A link reproduces its view, and so does the link the app then shows, in a new context."""
    data = atlas_app.data
    query = {
        "ind": "extreme_poverty_pct",
        "year": "2015",
        "status": "open",
        "opened": "2023",
        "sel": data.borough_code("Iztapalapa"),
        "z": "11",
    }
    first = new_ui()
    first.open(atlas_app.link(query))
    _expect_linked_view(first, data, query)

    second = new_ui()  # a new browser context: nothing shared but the link
    second.open(first.url())
    _expect_linked_view(second, data, query)
    a, b = first.query(), second.query()
    assert {k: v for k, v in a.items() if k not in ("lat", "lon")} == {
        k: v for k, v in b.items() if k not in ("lat", "lon")
    }
    for key in ("lat", "lon"):  # the centre may be re-reported a few metres off
        assert abs(float(a.get(key, 0)) - float(b.get(key, 0))) < 2e-3, (a, b)


# Records every view the Leaflet map takes (its start, then each moveend) in the
# map's frame. streamlit-folium publishes the map as window.map; the component's
# frame reuses the window of its initial about:blank document, so the hook is
# installed in every child frame rather than matched by URL.
RECORD_MAP_VIEWS = """
(() => {
  if (window.top === window) return;
  window.__atlasViews = [];
  let map;
  Object.defineProperty(window, "map", {
    configurable: true,
    get: () => map,
    set: (value) => {
      map = value;
      const record = () => window.__atlasViews.push(
        [map.getZoom(), map.getCenter().lat, map.getCenter().lng]);
      record();
      map.on("moveend", record);
    },
  });
})();
"""


@pytest.mark.parametrize(
    "query", [{"z": "11"}, {"lat": "19.3500", "lon": "-99.0500"}], ids=["zoom", "centre"]
)
def test_url_map_view_round_trip(ui, atlas_app, query: dict[str, str]) -> None:
    """A link's map zoom and centre are where the map goes, and stays, and stay in the URL.

    streamlit-folium reports the folium.Map's own start view as soon as the map
    exists, before it moves to st_folium's ``center``/``zoom``; a map built at
    the default view therefore jumped back from a link's view (and usually
    stayed there). The recorded views catch even a brief jump.
    """
    wanted = (
        int(query.get("z", DEFAULT_ZOOM)),
        float(query.get("lat", DEFAULT_CENTER[0])),
        float(query.get("lon", DEFAULT_CENTER[1])),
    )

    def is_wanted(view: list[float]) -> bool:
        return view[0] == wanted[0] and abs(view[1] - wanted[1]) < 1e-3 and abs(view[2] - wanted[2]) < 1e-3

    ui.page.add_init_script(RECORD_MAP_VIEWS)
    ui.open(atlas_app.link(query))

    views = ui.map_eval("() => window.__atlasViews")
    reached = next((i for i, view in enumerate(views) if is_wanted(view)), None)
    assert reached is not None, f"the map never showed the link's view {wanted}: {views}"
    assert all(is_wanted(view) for view in views[reached:]), f"the map left the link's view: {views}"
    shown = ui.query()
    for key, value in query.items():
        assert shown.get(key) == value, f"the URL lost {key}={value}: {ui.page.url}"


def _wait_for_query(ui, wanted: Callable[[dict[str, str]], bool], what: str, timeout: float = 10.0) -> None:
    """Poll the page's URL until ``wanted`` holds; plain sleeps between reads, no Playwright event pumping."""
    deadline = time.monotonic() + timeout
    while not wanted(shown := ui.query()):
        if time.monotonic() > deadline:
            raise AssertionError(f"the URL never showed {what}: {shown}")
        time.sleep(0.2)


def test_map_moves_reach_the_url_without_touching_the_mouse_again(ui, atlas_app) -> None:
    """After the zoom button, the keyboard or a drag, the URL has the new view with the mouse left still.

    streamlit-folium reports the map's centre and zoom on Leaflet's ``moveend``
    (after 250 ms), whatever moved the map; the app writes them to the URL. A
    link copied a second after a move shares that move.
    """
    ui.open(atlas_app.link())
    assert "z" not in ui.query()
    ui.map.locator(".leaflet-control-zoom-in").click()
    _wait_for_query(ui, lambda query: query.get("z") == str(DEFAULT_ZOOM + 1), f"z={DEFAULT_ZOOM + 1}")
    ui.page.keyboard.press("Minus")  # the zoom button keeps the focus in the map, whose keys Leaflet reads
    _wait_for_query(ui, lambda query: "z" not in query, "the default zoom again")
    frame = ui.page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    assert frame is not None
    x, y = frame["x"] + frame["width"] / 2, frame["y"] + frame["height"] / 2
    ui.page.mouse.move(x, y)
    ui.page.mouse.down()
    # A person's drag: a pause after pressing and before letting go, so a loaded
    # browser has handled every move before the button comes up.
    ui.page.wait_for_timeout(100)
    ui.page.mouse.move(x + 160, y + 40, steps=16)
    ui.page.wait_for_timeout(100)
    ui.page.mouse.up()
    _wait_for_query(
        ui,
        lambda query: float(query.get("lon", DEFAULT_CENTER[1])) < DEFAULT_CENTER[1] - 0.05,
        "a centre further west",
    )


def test_garbage_url_falls_back_with_notices(ui, atlas_app) -> None:
    """Bad parameters give the default view, a visible notice each, and run nothing."""
    data = atlas_app.data
    view = data.view()
    script = "<script>alert(1)</script>"

    ui.open(atlas_app.link({"year": "abc", "ind": script, "k": "99", "foo": "bar"}))

    assert ui.polygons() == BOROUGHS
    ui.expect_drawn_sites(data.drawn_sites(view))
    expect(ui.page.get_by_role("combobox", name="Indicator", exact=True)).to_have_value(
        REGISTRY[view.ind].title()
    )
    for label in CHECKBOXES:
        expect(ui.checkbox(label)).to_be_checked()
    for mention in ("year=abc", f"ind={script}", "k=99", "foo"):
        expect(ui.notices().filter(has_text=mention).first).to_be_visible()
    assert ui.page.locator("script", has_text="alert(1)").count() == 0
    assert ui.watch.dialogs == []
    assert not {"year", "ind", "k", "foo"} & set(ui.query()), f"garbage kept in the URL: {ui.page.url}"


def _point_to_click(ui, data, name: str) -> dict[str, float]:
    """A pixel inside borough ``name`` where the polygon itself is on top (no marker there)."""
    boroughs = data.atlas.boroughs
    polygon = boroughs.loc[boroughs["name"] == name, "geometry"].iloc[0]
    inner = polygon.buffer(-0.01)
    sites = shapely.MultiPoint([g for g in data.atlas.sites.geometry if g is not None])
    xmin, ymin, xmax, ymax = inner.bounds
    steps = 12
    candidates = [inner.representative_point()] + [
        shapely.Point(xmin + (xmax - xmin) * i / steps, ymin + (ymax - ymin) * j / steps)
        for i in range(1, steps)
        for j in range(1, steps)
    ]
    candidates = [p for p in candidates if inner.contains(p)]
    candidates.sort(key=lambda p: -p.distance(sites))
    for point in candidates[:20]:
        spot = ui.map_eval(
            """(_, p) => {
                const pt = window.map.latLngToContainerPoint([p[0], p[1]]);
                const box = window.map.getContainer().getBoundingClientRect();
                const hit = document.elementFromPoint(box.left + pt.x, box.top + pt.y);
                return {x: pt.x, y: pt.y, polygon: !!hit && hit.matches('path.leaflet-interactive')};
            }""",
            [point.y, point.x],
        )
        if spot["polygon"]:
            return {"x": spot["x"], "y": spot["y"]}
    raise AssertionError(f"no clickable point inside {name} on the map")


def test_click_borough_selects_it(ui, atlas_app) -> None:
    """Clicking Iztapalapa shows its figures, with sources, and puts it in the URL."""
    data = atlas_app.data
    code = data.borough_code("Iztapalapa")
    indicators = data.atlas.indicators
    population = indicators[
        (indicators["cvegeo"] == code)
        & (indicators["indicator"] == "population_total")
        & (indicators["year"] == 2020)
    ].iloc[0]
    ui.open(atlas_app.link())

    spot = _point_to_click(ui, data, "Iztapalapa")
    container = ui.map.locator(".leaflet-container").first
    container.hover(position=spot)
    expect(ui.map.locator(".leaflet-tooltip").filter(has_text="Iztapalapa")).to_be_visible()
    container.click(position=spot)
    ui.settle()

    expect(ui.page.get_by_role("heading", name="Iztapalapa", exact=True)).to_be_visible()
    assert ui.query().get("sel") == code

    # The panel's table: one row per figure, its value footnoted with the number of
    # its source in the "Sources" list underneath.
    page = ui.page
    row = (
        page.get_by_role("row")
        .filter(has=page.get_by_role("cell", name=REGISTRY["population_total"].title(), exact=True))
        .filter(has=page.get_by_role("cell", name="2020", exact=True))
    )
    expect(row).to_have_count(1)
    expect(row).to_contain_text(format_count(population["value"]))
    number = row.locator("sup").inner_text().strip()
    sources = page.locator("details").filter(has=page.locator("summary", has_text="Sources"))
    sources.locator("summary").click()
    expect(sources.locator(f"li[value='{number}']")).to_contain_text(population["source"])


def test_hostile_site_name_is_text(ui, hostile_app) -> None:
    """A site named like an HTML tag shows that text in its tooltip and popup, and runs nothing."""
    app, site = hostile_app
    assert site["name"] == HOSTILE_NAME
    ui.open(app.link({"sel": site["cvegeo"]}))
    # Zoom onto the site past the clustering limit (13), as a user would, so every
    # marker is single.
    ui.map_eval(
        "(_, p) => window.map.setView([p[0], p[1]], 15, {animate: false})",
        [site["geometry"].y, site["geometry"].x],
    )
    ui.settle()
    assert ui.map.locator(".leaflet-marker-pane .marker-cluster").count() == 0
    markers = ui.map.locator(".leaflet-marker-pane .awesome-marker")
    expect(markers.first).to_be_visible()
    tooltips = ui.map.locator(".leaflet-tooltip")
    hostile = None
    for marker in markers.all():
        marker.hover()
        expect(tooltips.first).to_be_visible()
        if tooltips.filter(has_text=HOSTILE_NAME).count():
            hostile = marker
            break
    assert hostile is not None, "no marker's tooltip shows the hostile name as text"
    expect(tooltips.filter(has_text=HOSTILE_NAME)).to_be_visible()

    hostile.click()
    popup = ui.map.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(HOSTILE_NAME)
    ui.settle()
    expect(popup).to_contain_text(HOSTILE_NAME)
    expect(ui.page.get_by_text(HOSTILE_NAME).first).to_be_visible()  # the panel's site list
    assert ui.map.locator("img[src='x']").count() == 0
    assert ui.page.locator("img[src='x']").count() == 0
    assert ui.watch.dialogs == []


def test_language_switch_to_french(ui, atlas_app) -> None:
    """The sidebar's language switch turns the map page French: words, numbers, legend, tooltips, URL."""
    data = atlas_app.data
    view = data.view()
    atlas = data.atlas
    selected = filter_sites(atlas.sites, view, opened_year_range(atlas.sites)[1])
    figures = headline(atlas, view, selected)
    rows = rows_for(atlas.indicators, view.ind, view.year)
    values = rows.set_index("cvegeo")["value"].reindex(atlas.boroughs["cvegeo"])
    indicator = REGISTRY[view.ind]
    classes = classify(values, view.scheme, view.k, view.palette, higher_is_worse=indicator.higher_is_worse)
    code = data.borough_code("Iztapalapa")

    ui.open(atlas_app.link())
    expect(ui.page.get_by_role("heading", name=t("map.title", "en"), exact=True)).to_be_visible()
    expect(ui.metric("Sites on the map")).to_have_text(format_count(data.mapped_sites(view)))
    assert ui.query().get("lang") == "en", "the browser's language (en-US) is the Atlas's"

    ui.switch_language("Français")

    page = ui.page
    expect(page.get_by_role("heading", name="UTOPÍAS et besoins à Mexico", exact=True)).to_be_visible()
    expect(ui.metric("Sites sur la carte")).to_have_text(format_count(data.mapped_sites(view), "fr"))
    population = format_count(figures.population, "fr")
    assert "\u202f" in population, "fr_FR groups thousands with a narrow no-break space"
    expect(ui.metric("Population 2020")).to_have_text(population)
    poverty = format_value(figures.poverty_pct, "percent", "fr")
    assert "," in poverty
    expect(ui.metric("Taux de pauvreté 2020")).to_have_text(poverty)
    expect(page.get_by_text("Sites on the map")).to_have_count(0)
    expect(ui.checkbox("Ouverte")).to_be_checked()

    legend = page.locator(".atlas-legend")
    expect(legend).to_contain_text(indicator.title("fr"))
    expect(legend).to_contain_text("% de la population")
    expect(legend).to_contain_text("Plus foncé = plus de besoins.")
    for label in class_labels(classes, indicator.fmt, "fr"):
        expect(legend).to_contain_text(label)
    expect(page.locator(".atlas-map-summary")).to_contain_text("Carte des 16 arrondissements")

    spot = _point_to_click(ui, data, "Iztapalapa")
    ui.map.locator(".leaflet-container").first.hover(position=spot)
    value = format_value(float(values[code]), indicator.fmt, "fr")
    tooltip = ui.map.locator(".leaflet-tooltip").filter(has_text="Iztapalapa")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(f"{indicator.title('fr')} (2020) : {value}")

    assert ui.query().get("lang") == "fr", f"the URL lost the language: {page.url}"
