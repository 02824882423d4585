"""Downloads from the running Atlas: what a presenter clicks, saved and opened like a file on a laptop.

The map file is opened from disk in a page with no internet and must draw the
16 boroughs; images must decode with the size the export promises; the SVG
must parse and carry the chart's title.
"""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import App, AtlasUI

pytestmark = pytest.mark.browser
A4_LANDSCAPE_RATIO = 297 / 210


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (after checking the signature)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def download(page: Page, button_name: str, folder: Path) -> Path:
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=button_name).first.click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_map_html_and_brief_from_the_map_page(ui: AtlasUI, atlas_app: App, tmp_path: Path) -> None:
    ui.open(atlas_app.link({"lang": "en", "sel": "09007"}))
    html = download(ui.page, "Map (HTML, works offline)", tmp_path)
    assert html.suffix == ".html"
    brief = download(ui.page, "One-page brief (PNG)", tmp_path)
    width, height = png_size(brief.read_bytes())
    assert abs(width / height - A4_LANDSCAPE_RATIO) < 0.01, (width, height)
    assert width >= 1600
    pdf = download(ui.page, "One-page brief (PDF)", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")

    laptop = ui.page.context.new_page()
    laptop.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort()
    )
    laptop.goto(html.as_uri())
    expect(laptop.locator("path.leaflet-interactive")).to_have_count(16, timeout=20_000)
    expect(laptop.locator(".atlas-standalone-legend")).to_contain_text("Population in poverty")
    laptop.close()


def test_chart_png_and_svg_from_the_compare_page(ui: AtlasUI, atlas_app: App, tmp_path: Path) -> None:
    ui.page.goto(f"{atlas_app.url}/compare-boroughs?lang=fr")
    expect(ui.page.locator("[data-testid=stPlotlyChart]").first).to_be_visible(timeout=30_000)
    png = download(ui.page, "Graphique (PNG)", tmp_path)
    width, height = png_size(png.read_bytes())
    assert width == 2400, "1,200 layout pixels at scale 2"
    assert height > 400
    svg = download(ui.page, "Graphique (SVG)", tmp_path)
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    text = "".join(root.itertext())
    assert "Population en situation de pauvreté" in text
    assert "Milpa Alta" in text
