"""Charts as PNG and SVG through kaleido and a headless Chromium, and how the browser is found.

The rendering tests need a Chrome or Chromium (``make test`` installs Debian's) and skip
without one; the tests of the browser search need none.
"""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import plotly.graph_objects as go
import pytest

from geo import images, settings
from geo.charts.ranking import ranking
from geo.i18n import LANGUAGES, catalogue, t
from geo.images import ExportUnavailable, chart_image, find_browser
from geo.loaders import load_atlas

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG = "{http://www.w3.org/2000/svg}"
TITLE = "Población en pobreza — Ñuñoa & Álvaro Obregón"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (which must come first)."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR"
    assert length == 13
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def browser() -> Iterator[str]:
    """The browser exports use; the kept session is closed after the module."""
    images.forget_browser()
    try:
        path = find_browser()
    except ExportUnavailable as exc:
        pytest.skip(f"no browser for chart images: {exc}")
    yield path
    images.shutdown()


@pytest.fixture
def figure() -> go.Figure:
    return go.Figure(
        go.Bar(x=["Iztapalapa", "Tlalpan", "Coyoacán"], y=[44.9, 31.2, 15.5]),
        layout={"title": {"text": TITLE}, "height": 420},
    )


def test_png_has_the_requested_pixel_size(browser: str, figure: go.Figure) -> None:
    data = chart_image(figure, "png", width=640, height=360, scale=2)
    assert png_size(data) == (1280, 720)
    data = chart_image(figure, "png", width=500, scale=1.5)  # height: the figure's own
    assert png_size(data) == (750, 630)


def test_svg_parses_and_holds_the_title(browser: str, figure: go.Figure) -> None:
    data = chart_image(figure, "svg", width=640, height=360, scale=1)
    root = ET.fromstring(data)
    assert root.tag == f"{SVG}svg"
    assert (root.get("width"), root.get("height")) == ("640", "360")
    assert TITLE in "".join(root.itertext())


def test_an_atlas_chart_exports_with_its_title_and_source(browser: str) -> None:
    atlas = load_atlas()
    fig, table = ranking(atlas.indicators, "poverty_pct", 2020, names=atlas.borough_names, lang="es")
    text = "".join(ET.fromstring(chart_image(fig, "svg", width=1100, scale=1)).itertext())
    assert "2020" in text
    assert "CONEVAL" in text
    for borough in table["borough"].head(3):
        assert borough in text
    assert png_size(chart_image(fig, "png", width=1100, scale=2))[0] == 2200


def test_the_browser_is_kept_between_exports(browser: str, figure: go.Figure) -> None:
    chart_image(figure, "png", width=300, height=200, scale=1)
    starts = images._session.starts
    for _ in range(3):
        chart_image(figure, "svg", width=300, height=200, scale=1)
    assert images.session_running()
    assert images._session.starts == starts
    images.shutdown()
    assert not images.session_running()
    assert png_size(chart_image(figure, "png", width=300, height=200, scale=1)) == (300, 200)
    assert images._session.starts == starts + 1


def test_other_formats_are_refused(figure: go.Figure) -> None:
    with pytest.raises(ValueError, match="png or svg"):
        chart_image(figure, "jpeg")  # type: ignore[arg-type]


# --- finding a browser -----------------------------------------------------------------------


@pytest.fixture
def fresh_search(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """A browser search from scratch; the resolved browser is forgotten again afterwards."""
    images.forget_browser()
    monkeypatch.delenv(settings.CHROME, raising=False)
    yield monkeypatch
    images.forget_browser()


def _fake_browser(folder: Path) -> Path:
    exe = folder / "my-chrome"
    exe.write_text("#!/bin/sh\n", encoding="utf-8")
    exe.chmod(0o755)
    return exe


def test_atlas_chrome_wins(fresh_search: pytest.MonkeyPatch, tmp_path: Path) -> None:
    exe = _fake_browser(tmp_path)
    fresh_search.setenv(settings.CHROME, str(exe))
    assert find_browser() == str(exe)
    fresh_search.setenv(settings.CHROME, "/nowhere/chrome")
    assert find_browser() == str(exe), "the browser is resolved once per process"


def test_a_wrong_atlas_chrome_is_reported(fresh_search: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "not-executable").write_text("", encoding="utf-8")
    fresh_search.setenv(settings.CHROME, str(tmp_path / "not-executable"))
    with pytest.raises(ExportUnavailable, match="ATLAS_CHROME") as caught:
        find_browser()
    assert caught.value.reason == "no_browser"


def test_fallbacks_then_a_clear_error(fresh_search: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fresh_search.setattr(images, "_choreographer_browser", lambda: None)
    exe = _fake_browser(tmp_path)
    fresh_search.setattr(images, "FALLBACK_BROWSERS", ("/nowhere/chromium", str(exe)))
    assert find_browser() == str(exe)
    images.forget_browser()
    fresh_search.setattr(images, "FALLBACK_BROWSERS", ("/nowhere/chromium", "no-such-browser-name"))
    with pytest.raises(ExportUnavailable, match="no Chrome or Chromium found") as caught:
        find_browser()
    assert caught.value.message_key == "exports.charts.no_browser"
    with pytest.raises(ExportUnavailable):  # a failure is not cached: still looked for, still absent
        find_browser()


def test_every_reason_has_a_message_in_every_language() -> None:
    for reason in ("no_browser", "no_kaleido"):
        texts = catalogue()[ExportUnavailable(reason, "").message_key]
        assert all(texts[lang].strip() for lang in LANGUAGES)


# --- the download buttons (ui/exports.py) --------------------------------------------------------


def _chart_downloads_page() -> None:
    """An AppTest page with one chart's download buttons, in Spanish.

    AppTest runs this function's source as a script: it imports what it uses itself.
    """
    import plotly.graph_objects as go

    from ui.exports import chart_downloads

    fig = go.Figure(
        go.Bar(x=["Iztapalapa", "Tlalpan"], y=[44.9, 31.2]), layout={"title": {"text": "Pobreza"}}
    )
    chart_downloads(fig, "ranking", "es")
    fig.update_layout(title_text="changed after the buttons")


def test_chart_buttons_make_the_images_on_click(
    browser: str, deferred: list[tuple[object, str | None, str | None]]
) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_chart_downloads_page, default_timeout=60).run()
    assert not at.exception
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels == [t("exports.charts.png", "es"), t("exports.charts.svg", "es")]
    assert [(mime, name) for _, mime, name in deferred] == [
        ("image/png", "cdmx-atlas-ranking.png"),
        ("image/svg+xml", "cdmx-atlas-ranking.svg"),
    ]
    png, svg = (make() for make, _, _ in deferred)
    assert png_size(png) == (2400, 1200)  # 1200 × 600 layout pixels (the figure sets no height), scale 2
    text = "".join(ET.fromstring(svg).itertext())
    assert "Pobreza" in text
    assert "changed after the buttons" not in text


def test_without_a_browser_the_page_says_why_and_shows_no_buttons(fresh_search: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    fresh_search.setenv(settings.CHROME, "/nowhere/chrome")
    at = AppTest.from_function(_chart_downloads_page, default_timeout=60).run()
    assert not at.exception
    assert len(at.get("download_button")) == 0
    assert [info.value for info in at.info] == [t("exports.charts.no_browser", "es")]
