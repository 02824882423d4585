"""Compare, Borough profile and Programmes pages in a real browser: chart selections, highlights,
the profile table and the downloads.

Like ``test_atlas.py``: one page per test (new browser context, internet
blocked, screenshot on failure) on the session's offline server, and every
expected number computed from the data, never typed in. The Compare and
Programmes pages draw no Leaflet map, so they are waited on with
:func:`settle_page` (script idle, websocket quiet) instead of ``AtlasUI.settle``.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from playwright.sync_api import Locator, Page, expect

from e2e.harness import ROOT
from geo.charts.colonias import colonia_need_data
from geo.filters import filter_sites, opened_year_range
from geo.formatting import format_count
from geo.indicators import REGISTRY
from geo.loaders import read_colonias
from geo.markup import WORD_JOINER

pytestmark = pytest.mark.browser

QUIET_S = 0.8  # websocket silence that counts as settled (as in conftest)
SETTLE_TIMEOUT_S = 45.0
INK = "rgb(34, 34, 34)"  # geo.charts._common.INK, the outline of a highlighted bar
IZTAPALAPA = "Iztapalapa"
SECOND = "Coyoacán"
NNBSP = "\u202f"  # babel's (CLDR's) thousands separator for French
LANGUAGE_SWITCH = "Idioma · Language · Langue"  # the sidebar's language radio (as in conftest)


# --- helpers ------------------------------------------------------------------------------------


def settle_page(ui, timeout: float = SETTLE_TIMEOUT_S) -> None:
    """Wait until the script is idle and the websocket has been quiet for a while (no map needed).

    Quiet is counted from this call at the earliest, so the rerun an action
    has just asked for is waited for. An error shown by the app fails at once.
    """
    start = time.monotonic()
    deadline = start + timeout
    app = ui.page.locator("[data-testid=stApp]")
    error = ui.page.locator("[data-testid=stException]")
    while True:
        if error.count():
            raise AssertionError(f"the Atlas shows an error: {error.first.inner_text()[:800]}")
        state = app.get_attribute("data-test-script-state") if app.count() else None
        now = time.monotonic()
        quiet_for = now - max(ui.watch.last_traffic, start)
        if ui.watch.websockets and state == "notRunning" and quiet_for >= QUIET_S:
            return
        if now > deadline:
            raise TimeoutError(f"the Atlas did not settle within {timeout:.0f} s (script {state})")
        ui.page.wait_for_timeout(100)


def open_page(ui, url: str) -> None:
    ui.page.goto(url)
    settle_page(ui)


def page_link(app, path: str, query: dict[str, str] | None = None) -> str:
    return f"{app.url}/{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")


def go_to(ui, name: str) -> None:
    """Follow a page link in the sidebar's navigation, as a visitor would."""
    ui.page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()


def indicator_row(indicators: pd.DataFrame, code: str, indicator: str, year: int) -> pd.Series:
    rows = indicators[
        (indicators["cvegeo"] == code) & (indicators["indicator"] == indicator) & (indicators["year"] == year)
    ]
    assert len(rows) == 1, f"the data should have one {indicator} {year} row for {code}"
    return rows.iloc[0]


def selected_sites(data, view):
    """The sites (mapped or not) that ``view``'s filters select, as the Programmes page lists them."""
    return filter_sites(data.atlas.sites, view, opened_year_range(data.atlas.sites)[1])


def ranking_chart(page: Page) -> Locator:
    """The ranking chart: the first plotly figure of the Compare page, with one bar per borough."""
    chart = page.locator(".js-plotly-plot").first
    expect(chart.locator("g.trace.bars g.point path")).to_have_count(16)
    chart.evaluate("plot => plot.scrollIntoView({block: 'center'})")  # whole chart in view
    return chart


def bar_styles(chart: Locator) -> dict[str, dict]:
    """Each bar's computed fill, opacity and outline, keyed by the y-axis label level with it."""
    return chart.evaluate(
        """plot => {
            const middle = el => { const r = el.getBoundingClientRect(); return r.top + r.height / 2; };
            const bars = [...plot.querySelectorAll('g.trace.bars g.point path')];
            const styles = {};
            for (const label of plot.querySelectorAll('g.ytick text')) {
                const y = middle(label);
                const bar = bars.reduce((a, b) => Math.abs(middle(a) - y) <= Math.abs(middle(b) - y) ? a : b);
                const box = bar.getBoundingClientRect();
                const css = getComputedStyle(bar);
                styles[label.textContent] = {
                    fill: css.fill, opacity: css.opacity, fillOpacity: css.fillOpacity, stroke: css.stroke,
                    x: box.left + box.width / 2, y: box.top + box.height / 2,
                };
            }
            return styles;
        }"""
    )


def download(page: Page, button: Locator) -> tuple[Path, str]:
    """Click a download button; return the downloaded file's path and its suggested name."""
    with page.expect_download() as info:
        button.click()
    dl = info.value
    assert dl.failure() is None, dl.failure()
    return dl.path(), dl.suggested_filename


def grid_rows(frame: Locator) -> dict[int, list[str]]:
    """The rows a Streamlit dataframe has in its (accessible, visually hidden) DOM: cell texts by row number.

    glide-data-grid only keeps the rows and columns in view there; the header is row 1.
    """
    return {
        int(index): cells
        for index, cells in frame.evaluate(
            """grid => [...grid.querySelectorAll('[role=row]')].map(row => [
                row.getAttribute('aria-rowindex'),
                [...row.querySelectorAll('[role=gridcell]')].map(cell => cell.textContent.trim()),
            ])"""
        )
        if cells
    }


def find_grid_row(page: Page, frame: Locator, wanted: dict[int, str], timeout: float = 15.0) -> list[str]:
    """Scroll a dataframe (mouse wheel over it) until a row whose cells match ``wanted`` shows.

    The grid is scrolled to its top, then down a few rows at a time, each
    time waiting for the rows it holds to change, until its last row.
    """
    grid = frame.locator("[role=grid]")
    count = int(grid.get_attribute("aria-rowcount"))
    frame.hover()
    deadline = time.monotonic() + timeout

    def scroll(delta: int, done) -> dict[int, list[str]]:
        page.mouse.wheel(0, delta)
        while not done(rows := grid_rows(frame)):
            if time.monotonic() > deadline:
                raise AssertionError(f"the table did not scroll; rows shown: {rows}")
            page.wait_for_timeout(50)
        return rows

    rows = grid_rows(frame)
    if 2 not in rows:
        rows = scroll(-100_000, lambda now: 2 in now)
    while True:
        for cells in rows.values():
            if all(i < len(cells) and cells[i] == text for i, text in wanted.items()):
                return cells
        if count in rows:
            raise AssertionError(f"no row {wanted} in the table; last rows: {rows}")
        last = max(rows)
        rows = scroll(100, lambda now, last=last: max(now) > last)  # about 3 rows of the 10 or so in view


def _expect_filtered_to(ui, data, code: str, name: str) -> None:
    """After a chart selection: ``code`` is the Boroughs filter (URL, sidebar) and the Map page follows."""
    page = ui.page
    expect(page).to_have_url(re.compile(rf"[?&]boro={code}(&|$)"))
    boroughs = page.get_by_test_id("stMultiSelect").filter(has_text="Boroughs")
    expect(boroughs.locator("[data-testid=stMultiSelectTagsContainer] [data-tag]")).to_have_text([name])

    go_to(ui, "Map")
    ui.settle()
    population = indicator_row(data.atlas.indicators, code, "population_total", 2020)
    expect(ui.metric("Population 2020")).to_have_text(format_count(population["value"]))
    expected = data.drawn_sites(data.view(boro=(code,)))
    assert expected > 0, f"{name} should have UTOPÍAS on the map in the shipped data"
    ui.expect_drawn_sites(expected)
    assert ui.query().get("boro") == code


def click_mark(ui, chart: Locator, x: float, y: float, name: str) -> None:
    """Point at a chart mark, check its tooltip names ``name``, click it and wait for the rerun."""
    page = ui.page
    page.mouse.move(x, y)
    expect(chart.locator(".hoverlayer .hovertext").first).to_contain_text(name)
    page.mouse.click(x, y)
    settle_page(ui)


# --- tests --------------------------------------------------------------------------------------


def test_ranking_click_filters_map(ui, atlas_app) -> None:
    """Clicking Iztapalapa's bar makes it the Boroughs filter: URL, sidebar, then the Map page."""
    data = atlas_app.data
    open_page(ui, page_link(atlas_app, "compare-boroughs"))
    chart = ranking_chart(ui.page)
    bar = bar_styles(chart)[IZTAPALAPA]
    click_mark(ui, chart, bar["x"], bar["y"], IZTAPALAPA)
    _expect_filtered_to(ui, data, data.borough_code(IZTAPALAPA), IZTAPALAPA)


def test_need_chart_click_filters_map(ui, atlas_app) -> None:
    """Clicking Iztapalapa's bubble in "Need and provision" filters by it, on every page.

    The same path as the ranking click (``select_boroughs``), from a scatter
    chart: its marks are points, not bars, and are styled differently.
    """
    data = atlas_app.data
    code = data.borough_code(IZTAPALAPA)
    open_page(ui, page_link(atlas_app, "compare-boroughs"))
    chart = (
        ui.page.get_by_test_id("stPlotlyChart")
        .filter(has_text="open programme sites")
        .locator(".js-plotly-plot")
    )
    spot = chart.evaluate(
        """(plot, code) => {
            plot.scrollIntoView({block: 'center'});
            for (const [n, trace] of plot.querySelectorAll('g.trace.scatter').entries()) {
                const i = (plot.data[n].customdata || []).indexOf(code);
                if (i < 0) continue;
                const box = trace.querySelectorAll('path.point')[i].getBoundingClientRect();
                return {x: box.left + box.width / 2, y: box.top + box.height / 2};
            }
            return null;
        }""",
        code,
    )
    assert spot, f"no bubble for {code} in the need chart"
    # The source note wraps over two lines; its words read apart on the page.
    source = chart.locator(".annotation-text").filter(has_text="Source:")
    expect(source).to_contain_text("UTOPÍAS sites compiled by the Atlas")
    click_mark(ui, chart, spot["x"], spot["y"], IZTAPALAPA)
    _expect_filtered_to(ui, data, code, IZTAPALAPA)


def test_map_selection_highlights_ranking(ui, atlas_app) -> None:
    """A borough selected on the map is drawn highlighted in the Compare page's ranking, and its colonias
    are ranked there: clicking one selects it."""
    data = atlas_app.data
    code = data.borough_code(IZTAPALAPA)
    page = ui.page
    ui.open(atlas_app.link({"sel": code}))
    expect(page.get_by_role("heading", name=IZTAPALAPA, exact=True)).to_be_visible()

    go_to(ui, "Compare")
    settle_page(ui)

    styles = bar_styles(ranking_chart(page))
    assert len(styles) == 16, styles
    chosen = styles.pop(IZTAPALAPA)
    assert float(chosen["opacity"]) == 1.0, chosen
    assert chosen["stroke"] == INK, chosen
    for name, other in styles.items():
        assert float(other["opacity"]) < float(chosen["opacity"]), (name, other)
        assert other["stroke"] != INK, (name, other)
    assert ui.query().get("sel") == code
    assert "boro" not in ui.query(), "a map selection highlights; it must not filter"

    # The selected borough's colonias: clicking the top one's bar selects it (URL col) for the map to outline.
    top = colonia_need_data(read_colonias(), code, names=data.atlas.borough_names).iloc[0]
    chart = (
        page.get_by_test_id("stPlotlyChart")
        .filter(has_text=f"Colonias of {IZTAPALAPA}")
        .locator(".js-plotly-plot")
    )
    spot = chart.evaluate(
        """(plot, key) => {
            plot.scrollIntoView({block: 'center'});
            for (const [n, trace] of plot.querySelectorAll('g.trace.bars').entries()) {
                const i = (plot.data[n].customdata || []).indexOf(key);
                if (i < 0 || !(plot.data[n].x[i] > 0)) continue;
                const box = trace.querySelectorAll('g.point path')[i].getBoundingClientRect();
                return {x: box.left + box.width / 2, y: box.top + box.height / 2};
            }
            return null;
        }""",
        top["cveut"],
    )
    assert spot, f"no bar for colonia {top['cveut']}"
    click_mark(ui, chart, spot["x"], spot["y"], top["colonia"])
    expect(page).to_have_url(re.compile(rf"[?&]col={re.escape(top['cveut'])}(&|$)"))
    assert ui.query().get("sel") == code, "the borough stays selected"


def test_profile_shows_population_and_second_borough(ui, atlas_app) -> None:
    """The profile's table shows Iztapalapa's 2020 population and its source, then a second borough."""
    data = atlas_app.data
    code, other = data.borough_code(IZTAPALAPA), data.borough_code(SECOND)
    indicators = pd.read_csv(ROOT / "data" / "indicators.csv", dtype={"cvegeo": str}, encoding="utf-8")
    mine = indicator_row(indicators, code, "population_total", 2020)
    theirs = indicator_row(indicators, other, "population_total", 2020)
    label = REGISTRY["population_total"].title()
    page = ui.page
    open_page(ui, page_link(atlas_app, "borough-profile", {"sel": code}))

    expect(page.get_by_role("combobox", name="Borough", exact=True)).to_have_value(IZTAPALAPA)
    table = page.get_by_test_id("stDataFrame").first
    headers = table.locator("[role=columnheader]")  # glide-data-grid's (visually hidden) accessible table
    # The grid leaves columns out of view out of its DOM too, so only the first ones are checked.
    expect(headers).to_contain_text(["Indicator", "Year", IZTAPALAPA, "Mexico City", "Source"])
    cells = find_grid_row(page, table, {0: label, 1: "2020"})
    assert cells[2] == format_count(mine["value"]), cells
    assert cells[4] == mine["source"], cells

    page.get_by_role("combobox", name="Compare with", exact=True).click()
    page.get_by_role("option", name=SECOND, exact=True).click()
    settle_page(ui)

    expect(headers).to_contain_text(["Indicator", "Year", IZTAPALAPA, SECOND, "Mexico City", "Source"])
    cells = find_grid_row(page, table, {0: label, 1: "2020"})
    assert cells[2] == format_count(mine["value"]), cells
    assert cells[3] == format_count(theirs["value"]), cells
    assert ui.query().get("cmp") == other


def _expect_site_downloads(ui, data, view) -> None:
    """The Programmes page's CSV and GeoJSON hold the sites ``view`` selects, each with sources."""
    page = ui.page
    sites = selected_sites(data, view)
    mapped = sites[sites.geometry.notna()]

    csv_button = page.get_by_role("button", name=f"These {len(sites)} sites (CSV)", exact=True)
    path, name = download(page, csv_button)
    assert name.endswith(".csv"), name
    table = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(table) == len(sites)
    assert sorted(table["site_id"]) == sorted(sites["site_id"].astype(str))
    assert "sources" in table.columns
    assert table["sources"].str.strip().ne("").all(), table.loc[table["sources"].str.strip().eq(""), "name"]

    geo_button = page.get_by_role("button", name=f"The {len(mapped)} mapped sites (GeoJSON)", exact=True)
    path, name = download(page, geo_button)
    assert name.endswith(".geojson"), name
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(mapped)
    assert collection["omitted_without_coordinates"] == len(sites) - len(mapped)
    frame = gpd.read_file(path)
    assert len(frame) == len(mapped)
    assert sorted(frame["site_id"].astype(str)) == sorted(mapped["site_id"].astype(str))
    assert "sources" in frame.columns
    assert frame["sources"].fillna("").str.strip().ne("").all()


def test_downloads_parse_and_carry_sources(ui, atlas_app) -> None:
    """Sites downloads follow the sidebar filters; the indicator CSV names a source per row."""
    data = atlas_app.data
    page = ui.page
    open_page(ui, page_link(atlas_app, "programmes-and-sites"))
    _expect_site_downloads(ui, data, data.view())

    announced = page.get_by_role("checkbox", name="Announced", exact=True)
    page.get_by_test_id("stCheckbox").filter(has=announced).locator("label").click()
    expect(announced).not_to_be_checked()
    settle_page(ui)
    view = data.view(status=("open", "under_construction"))
    assert len(selected_sites(data, view)) < len(selected_sites(data, data.view())), "should be a real filter"
    assert ui.query().get("status") == "open,under_construction"
    _expect_site_downloads(ui, data, view)

    go_to(ui, "Compare")
    settle_page(ui)
    default = data.view()
    indicators = data.atlas.indicators
    rows = indicators[(indicators["indicator"] == default.ind) & (indicators["year"] == default.year)]
    label = f"{REGISTRY[default.ind].title()} {default.year} (CSV)"
    path, name = download(page, page.get_by_role("button", name=label, exact=True))
    assert name == f"cdmx-{default.ind}-{default.year}.csv"
    table = pd.read_csv(path, encoding="utf-8-sig", dtype={"cvegeo": str}, keep_default_na=False)
    assert len(table) == len(rows)
    assert sorted(table["cvegeo"]) == sorted(rows["cvegeo"])
    assert {"source", "source_url"} <= set(table.columns)
    assert table["source"].str.strip().ne("").all()
    assert table["source_url"].str.strip().ne("").all()
    expected = rows.set_index("cvegeo")["value"]
    for row in table.itertuples():
        assert float(row.value) == pytest.approx(expected[row.cvegeo]), row


def switch_language(ui, name: str) -> None:
    """Pick a language in the sidebar and wait for the rerun (these pages have no map to wait for)."""
    switch = ui.page.locator("[data-testid=stRadio]").filter(has_text=LANGUAGE_SWITCH)
    option = switch.get_by_role("radio", name=name, exact=True)
    # The radio input is hidden behind its label, which takes the click.
    switch.locator("label").filter(has=ui.page.get_by_role("radio", name=name, exact=True)).click()
    expect(option).to_be_checked()
    settle_page(ui)


def test_compare_in_french_formats_numbers_the_french_way(ui, atlas_app) -> None:
    """With lang=fr the ranking's headings, bar labels, ticks, tooltip and text alternative are French."""
    data = atlas_app.data
    page = ui.page
    code = data.borough_code(IZTAPALAPA)
    population = indicator_row(data.atlas.indicators, code, "population_total", 2020)["value"]
    label = REGISTRY["population_total"].title("fr")
    query = {"lang": "fr", "ind": "population_total", "year": "2020"}
    open_page(ui, page_link(atlas_app, "compare-boroughs", query))

    expect(page.get_by_role("heading", name="Comparer les arrondissements", exact=True)).to_be_visible()
    chart = ranking_chart(page)
    expect(chart.locator("g.infolayer g.g-gtitle")).to_contain_text(f"{label}, 2020")
    # The values stand in a column right of the bars (annotations), where the city line never is.
    values = chart.locator(".annotation-text").all_text_contents()
    assert format_count(population, "fr") in values, values
    assert NNBSP in format_count(population, "fr")
    ticks = [tick.replace("\u00a0", NNBSP) for tick in chart.locator("g.xtick text").all_text_contents()]
    assert any(NNBSP in tick for tick in ticks), ticks
    assert all(re.fullmatch(rf"\d{{1,3}}({NNBSP}\d{{3}})*", tick) for tick in ticks), ticks

    bar = bar_styles(chart)[IZTAPALAPA]
    page.mouse.move(bar["x"], bar["y"])
    tooltip = chart.locator(".hoverlayer .hovertext").first
    expect(tooltip).to_contain_text(IZTAPALAPA)
    expect(tooltip).to_contain_text(re.compile(r"rang \d+ sur 16"))

    caption = page.get_by_test_id("stCaptionContainer").filter(has_text="Diagramme en barres «")
    expect(caption).to_have_count(1)
    expect(caption).to_contain_text(f"« {label} » (2020) par arrondissement")
    rows = data.atlas.indicators
    city = rows[(rows["indicator"] == "population_total") & (rows["year"] == 2020)]["value"].sum()
    # Untrusted text in captions carries invisible word joiners (geo.markup.markdown_text).
    assert f"ville : {format_count(city, 'fr')}." in caption.inner_text().replace(WORD_JOINER, "")
    assert ui.query().get("lang") == "fr"


def test_programmes_follow_the_language_switch(ui, atlas_app) -> None:
    """Switching to Spanish on the Programmes page relabels the downloads and the charts, and the URL says es."""
    data = atlas_app.data
    page = ui.page
    open_page(ui, page_link(atlas_app, "programmes-and-sites"))
    sites = selected_sites(data, data.view())
    mapped = int(sites.geometry.notna().sum())
    expect(page.get_by_role("button", name=f"These {len(sites)} sites (CSV)", exact=True)).to_be_visible()

    switch_language(ui, "Español")
    expect(page.get_by_role("heading", name="Programas", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=f"Estos {len(sites)} sitios (CSV)", exact=True)).to_be_visible()
    expect(
        page.get_by_role("button", name=f"Los {mapped} sitios en el mapa (GeoJSON)", exact=True)
    ).to_be_visible()
    openings = page.get_by_test_id("stPlotlyChart").first
    # The unknown-date label is drawn on three lines (tspans); its words still read apart.
    expect(openings.locator("g.xtick text").last).to_have_text("fecha de apertura desconocida")
    expect(
        page.get_by_test_id("stCaptionContainer").filter(
            has_text="Gráfica de barras de los sitios de UTOPÍAS"
        )
    ).to_have_count(2)
    assert ui.query().get("lang") == "es"
