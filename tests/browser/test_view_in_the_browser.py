"""The view in a real browser through sequences of actions: language switches, filters, pages, reloads.

After every step the URL, the sidebar's widgets and the map agree with one
view. A second language switch once crashed the map page: Streamlit sent back
the palette's label in the previous language.
"""

from __future__ import annotations

import random

import pytest
from playwright.sync_api import expect

from geo.coverage import DISTANCES_M
from geo.i18n import LANGUAGE_NAMES, t
from geo.indicators import REGISTRY
from geo.state import parse_query
from geo.vocabulary import STATUSES
from tests.browser.conftest import App, AtlasUI

pytestmark = pytest.mark.browser


def indicator_box(ui: AtlasUI, lang: str):
    """The sidebar's indicator box, found by its label in ``lang``."""
    return ui.page.get_by_role("combobox", name=t("sidebar.indicator", lang), exact=True)


def expect_view(ui: AtlasUI, lang: str, query: dict[str, str]) -> None:
    """The page is in ``lang``, shows no error, and the URL and the sidebar show ``query``'s view."""
    assert ui.page.locator("[data-testid=stException]").count() == 0
    expect(ui.page.get_by_role("heading", name=t("map.title", lang), exact=True)).to_be_visible()
    expect(ui.page.locator("[data-testid=stSidebar]")).to_be_visible()
    url = ui.query()
    assert url.get("lang") == lang
    for key, value in query.items():
        assert url.get(key) == value, f"{key} in {ui.page.url}"
    expect(indicator_box(ui, lang)).to_have_value(REGISTRY[query.get("ind", "poverty_pct")].title(lang))


@pytest.mark.parametrize(
    ("languages", "query"),
    [
        (("en", "fr", "es"), {"palette": "cividis", "ind": "extreme_poverty_pct"}),
        (("es", "fr", "es"), {"scheme": "natural_breaks"}),
        (
            ("fr", "en", "fr", "es"),
            {"scheme": "equal_interval", "palette": "viridis", "ind": "population_total"},
        ),
    ],
)
def test_switching_language_again_and_again(
    ui: AtlasUI, atlas_app: App, languages: tuple[str, ...], query: dict[str, str]
) -> None:
    ui.open(atlas_app.link({**query, "lang": languages[0]}))
    expect_view(ui, languages[0], query)
    polygons = ui.polygons()
    for lang in languages[1:]:
        ui.switch_language(LANGUAGE_NAMES[lang])
        expect_view(ui, lang, query)
        assert ui.polygons() == polygons


def test_a_random_walk_keeps_url_widgets_and_map_together(ui: AtlasUI, atlas_app: App) -> None:
    """A seeded random walk of a visitor; after each step the widgets and the map show the URL's view."""
    rng = random.Random(20261128)
    data = atlas_app.data
    ui.open(atlas_app.link({"lang": "en"}))
    lang = "en"
    for step in range(14):
        action = rng.choice(["language", "status", "programme", "reload", "page"])
        if action == "language":
            lang = rng.choice([code for code in LANGUAGE_NAMES if code != lang])
            ui.switch_language(LANGUAGE_NAMES[lang])
        elif action == "status":
            label = t(f"labels.status.{rng.choice(STATUSES)}", lang)
            ui.set_checkbox(label, not ui.checkbox(label).is_checked())
        elif action == "programme":
            label = t("labels.programme.utopias", lang)
            ui.set_checkbox(label, not ui.checkbox(label).is_checked())
        elif action == "reload":
            ui.open(ui.page.url)
        else:
            ui.page.get_by_role("link", name=t("app.page.compare", lang)).click()
            expect(ui.page.get_by_role("heading", name=t("compare.title", lang))).to_be_visible()
            ui.page.get_by_role("link", name=t("app.page.map", lang)).click()
            ui.settle()
        where = f"step {step} ({action}): {ui.page.url}"
        view = parse_query(ui.query(), data.options)
        assert not view.notices, where
        assert view.lang == lang, where
        assert ui.page.locator("[data-testid=stException]").count() == 0, where
        for status in STATUSES:
            box = ui.checkbox(t(f"labels.status.{status}", lang))
            expect(box).to_be_checked(checked=status in view.status)
        expect(ui.checkbox(t("labels.programme.utopias", lang))).to_be_checked(checked="utopias" in view.prog)
        ui.expect_drawn_sites(data.mapped_sites(view))


def test_sites_come_back_on_a_map_opened_without_them(ui: AtlasUI, atlas_app: App) -> None:
    """A map first drawn without the UTOPÍAS layer draws it when the programme is ticked."""
    ui.open(atlas_app.link({"lang": "en", "prog": "pcmb"}))
    ui.expect_drawn_sites(0)
    ui.set_checkbox(t("labels.programme.utopias", "en"), True)
    ui.expect_drawn_sites(atlas_app.data.mapped_sites(atlas_app.data.view(lang="en")))


def test_walking_reach_and_sites_come_back_on_a_map_opened_without_them(ui: AtlasUI, atlas_app: App) -> None:
    """Reach circles are drawn around the view's open UTOPÍAS: none without the programme, all with it."""
    ui.open(atlas_app.link({"lang": "en", "prog": "pcmb"}))
    # The reach circles and the areas of need beyond reach carry their own classes (geo.mapview).
    circles = ui.map.locator(".leaflet-overlay-pane path.atlas-reach")
    need = ui.map.locator(".leaflet-overlay-pane path.atlas-need")
    ui.set_checkbox(t("sidebar.reach", "en"), True)
    assert ui.query().get("reach") == "1"
    expect(circles).to_have_count(0)
    assert need.count() > 0, "with no open site, every AGEB of high marginalisation is beyond reach"
    ui.set_checkbox(t("labels.programme.utopias", "en"), True)
    expect(circles).to_have_count(len(DISTANCES_M))
    ui.expect_drawn_sites(atlas_app.data.drawn_sites(atlas_app.data.view(lang="en", reach=True)))
