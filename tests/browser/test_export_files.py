"""The downloaded map file in a real browser: opened from ``file://`` with the internet blocked,
as on a presenter's laptop in a room with no connection.

No Atlas server: the file is written by the same code as the download button
(:func:`ui.exports.map_html`) and opened from disk in Debian's headless Chromium
(``e2e.harness.launch_chromium``, the session's ``browser``), every request that
leaves the machine aborted (``e2e.harness.block_internet``). The inlined file
must draw the 16 boroughs and the site markers, with their Font Awesome icons,
and ask the network for nothing but basemap tiles; at the AGEB level, the AGEBs
on their canvas under the borough borders.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import folium
import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.harness import block_internet
from geo.areamodel import grade_names
from geo.assets.manifest import missing_assets
from geo.filters import filter_sites, opened_year_range
from geo.i18n import t
from geo.indicators import REGISTRY
from geo.loaders import Atlas, load_atlas, load_neighbourhoods
from geo.mapmodel import map_model
from geo.mapview import finished_map
from geo.standalone import NOTE_CLASS, standalone_html
from geo.state import ViewState
from ui.exports import map_html

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:Numba not installed:UserWarning"),
    # folium's own CDN links, whatever another test in the session switched to.
    pytest.mark.usefixtures("cdn_assets"),
]

BOROUGHS = "path.leaflet-interactive"
DRAW_TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


@pytest.fixture(scope="module")
def view(atlas: Atlas) -> ViewState:
    latest = opened_year_range(atlas.sites)[1]
    return ViewState(ind="poverty_pct", year=2020, opened=latest, lang="fr", sel="09007")


def page_map(atlas: Atlas, view: ViewState, basemap: str = "none") -> folium.Map:
    """The map page's map for ``view``, its layers added to it (as the export builds it)."""
    return finished_map(map_model(atlas, replace(view, base=basemap)))


def mapped_utopias(atlas: Atlas, view: ViewState) -> int:
    sites = filter_sites(atlas.sites, view, opened_year_range(atlas.sites)[1])
    return int((sites["programme"].eq("utopias") & sites.geometry.notna()).sum())


@pytest.fixture
def vendored() -> None:
    missing = missing_assets()
    if missing:
        pytest.fail(f"the map's scripts are not installed (e.g. {missing[0]}); run `python -m geo.assets`")


@pytest.fixture
def offline_page(browser: Browser) -> Iterator[tuple[Page, list[str], list[str]]]:
    """A page with every request off this machine aborted; files on disk may load.

    Returns the page, the aborted URLs and the page's script errors.
    """
    context = browser.new_context(viewport={"width": 1300, "height": 850})
    page = context.new_page()
    aborted = block_internet(page)
    # block_internet lets only local http(s) through; a file opened from disk is local too.
    # Routes registered later are tried first.
    page.route(lambda url: url.startswith("file:"), lambda route: route.continue_())
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, aborted, errors
    context.close()


def open_file(page: Page, html: str, folder: Path) -> None:
    path = folder / "atlas-map.html"
    path.write_text(html, encoding="utf-8")
    page.goto(path.as_uri(), wait_until="load")


def drawn_sites(page: Page) -> int:
    """Sites on the map: every cluster's count plus every single marker (as in conftest)."""
    pane = page.locator(".leaflet-marker-pane")
    clusters = pane.locator(".marker-cluster").all_inner_texts()
    return sum(int(text.strip()) for text in clusters) + pane.locator(".awesome-marker").count()


def test_inlined_map_draws_from_file_with_no_internet(
    vendored: None,
    offline_page: tuple[Page, list[str], list[str]],
    atlas: Atlas,
    view: ViewState,
    tmp_path: Path,
) -> None:
    page, aborted, errors = offline_page
    html = map_html(map_model(atlas, replace(view, base="none")), url="http://localhost:8501/?lang=fr")
    open_file(page, html, tmp_path)
    expect(page.locator(BOROUGHS)).to_have_count(16, timeout=DRAW_TIMEOUT_MS)
    assert drawn_sites(page) == mapped_utopias(atlas, view) > 0
    assert aborted == [], "the inlined file asked the internet for something"
    assert errors == []
    # The markers' glyphs come from the embedded Font Awesome font.
    page.wait_for_function("document.fonts.status === 'loaded'")
    loaded = page.evaluate(
        "() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replaceAll('\"', ''))"
    )
    assert "Font Awesome 6 Free" in loaded
    # The legend travels with the map, in the view's language; nothing needs the internet, so no note.
    legend = page.locator(".atlas-standalone-legend")
    expect(legend).to_contain_text(REGISTRY[view.ind].title("fr"))
    expect(legend).to_contain_text(t("app.name", "fr"))
    expect(page.locator(f".{NOTE_CLASS}")).to_have_count(0)
    expect(page).to_have_title(f"{REGISTRY[view.ind].title('fr')}, {view.year} · {t('app.name', 'fr')}")


#: How many shapes of one level (``options.atlasLevel`` of geo.arealayer.PackedAreas) the file's map holds.
COUNT_LEVEL = """(level) => {
  const map = Object.values(window).find((value) => value instanceof L.Map);
  let shapes = 0;
  map.eachLayer((layer) => { if (layer.feature && layer.options.atlasLevel === level) shapes += 1; });
  return shapes;
}"""


def test_an_ageb_level_file_draws_the_agebs_with_no_internet(
    vendored: None,
    offline_page: tuple[Page, list[str], list[str]],
    atlas: Atlas,
    view: ViewState,
    tmp_path: Path,
) -> None:
    page, aborted, errors = offline_page
    ageb_view = replace(
        view, base="none", level="agebs", boro=("09007",), sel="", lat=19.349, lon=-99.057, z=12
    )
    model = map_model(atlas, ageb_view, neighbourhoods=load_neighbourhoods)
    assert model.areas is not None
    open_file(page, map_html(model, url="http://localhost:8501/?level=agebs&lang=fr"), tmp_path)
    page.wait_for_function(f"() => ({COUNT_LEVEL})('agebs') > 0", timeout=DRAW_TIMEOUT_MS)
    assert page.evaluate(COUNT_LEVEL, "agebs") == model.areas.count == 458
    assert page.evaluate(COUNT_LEVEL, "borough_borders") == 16
    assert page.locator("canvas").count() >= 1, "the areas are drawn on a canvas"
    assert drawn_sites(page) == mapped_utopias(atlas, ageb_view) > 0
    assert aborted == [], "the inlined file asked the internet for something"
    assert errors == []
    legend = page.locator(".atlas-standalone-legend")
    for grade in grade_names("fr"):
        expect(legend).to_contain_text(grade)
    expect(legend).to_contain_text(t("legend.no_data", "fr"))
    expect(legend).to_contain_text("CONAPO (2020)")
    expect(page).to_have_title(f"{model.areas.indicator.title('fr')}, 2020 · {t('app.name', 'fr')}")


def test_basemap_tiles_are_the_only_thing_asked_of_the_internet(
    vendored: None,
    offline_page: tuple[Page, list[str], list[str]],
    atlas: Atlas,
    view: ViewState,
    tmp_path: Path,
) -> None:
    page, aborted, errors = offline_page
    html = standalone_html(page_map(atlas, view, "osm"), inline_assets=True, lang="es")
    open_file(page, html, tmp_path)
    expect(page.locator(BOROUGHS)).to_have_count(16, timeout=DRAW_TIMEOUT_MS)
    assert errors == []
    assert aborted
    assert all(url.startswith("https://tile.openstreetmap.org/") for url in aborted), aborted
    note = page.locator(f".{NOTE_CLASS}")
    expect(note).to_be_visible()
    expect(note).to_contain_text("tile.openstreetmap.org")
    note.get_by_role("button").click()
    expect(note).to_have_count(0)


def test_without_vendored_scripts_the_file_says_it_needs_the_internet(
    offline_page: tuple[Page, list[str], list[str]], atlas: Atlas, view: ViewState, tmp_path: Path
) -> None:
    page, aborted, _ = offline_page
    empty = tmp_path / "no-vendor"
    empty.mkdir()
    html = standalone_html(
        page_map(atlas, replace(view, lang="en")), inline_assets=True, vendor_dir=empty, lang="en"
    )
    open_file(page, html, tmp_path)
    note = page.locator(f".{NOTE_CLASS}")
    expect(note).to_be_visible()
    expect(note).to_contain_text("needs an internet connection")
    expect(note).to_contain_text("cdn.jsdelivr.net")
    assert any("leaflet.js" in url for url in aborted)
    assert page.locator(BOROUGHS).count() == 0
