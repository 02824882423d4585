"""The map as one HTML file: inlined scripts and styles, the boroughs' TopoJSON inside, and a
named, visible note for whatever still needs the internet.

Browser-free (``tests/browser/test_exports.py`` opens the file in Chromium). The tests on
the real vendored files skip when ``static/vendor`` is absent, or fail under
``ATLAS_REQUIRE_VENDOR=1`` (the ``vendor_dir`` fixture in ``tests/conftest.py``).
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import folium
import pytest

from geo import markup
from geo.assets.serve import use_local_assets
from geo.classify import classify
from geo.i18n import t
from geo.indicators import REGISTRY, rows_for
from geo.loaders import Atlas, load_atlas
from geo.mapview import base_map, choropleth_layer, sites_layer
from geo.standalone import NOTE_CLASS, inline_css, inline_page, legend_overlay, standalone_html

pytestmark = [
    pytest.mark.filterwarnings("ignore:Numba not installed:UserWarning"),
    pytest.mark.usefixtures("cdn_assets"),
]

EXTERNAL_TAG = re.compile(r"""<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*["']https?://""", re.IGNORECASE)
HOSTILE = "</title><script>alert(1)</script>"


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def atlas_map(atlas: Atlas, basemap: str = "none") -> folium.Map:
    """The map page's map: base map, choropleth and UTOPÍAS layers added to it, layer control."""
    indicator = REGISTRY["poverty_pct"]
    values = (
        rows_for(atlas.indicators, "poverty_pct", 2020)
        .set_index("cvegeo")["value"]
        .reindex(atlas.boroughs["cvegeo"])
    )
    fmap = base_map(basemap)
    choropleth_layer(atlas.boroughs, values, classify(values), indicator, 2020, selected="09007").add_to(fmap)
    sites_layer(atlas.sites[atlas.sites["programme"] == "utopias"]).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


def test_inlined_map_loads_nothing_from_outside(atlas: Atlas, vendor_dir: Path) -> None:
    html = standalone_html(atlas_map(atlas), inline_assets=True, vendor_dir=vendor_dir, lang="es")
    assert not EXTERNAL_TAG.findall(html)
    assert "<script src" not in html
    assert "stylesheet" not in html
    assert "/static/vendor/" not in html
    # Fonts and images of the stylesheets travel as data: URIs, none as a relative url().
    assert not re.findall(r"url\(\s*(?!['\"]?(?:data:|#))[^)]*\)", html)
    assert "font/woff2;base64," in html
    # Nothing external is left, so there is no note.
    assert NOTE_CLASS not in html
    assert "<!--" not in html.split("</head>", 1)[0]


def test_inlined_map_holds_the_boroughs_topojson_and_the_sites(atlas: Atlas, vendor_dir: Path) -> None:
    html = standalone_html(atlas_map(atlas), inline_assets=True, vendor_dir=vendor_dir)
    assert '"type":"Topology"' in html
    for code in atlas.boroughs["cvegeo"]:
        assert f'"{code}"' in html
    mapped = atlas.sites[(atlas.sites["programme"] == "utopias") & atlas.sites.geometry.notna()]
    assert len(mapped) > 0
    for name in mapped["name"]:
        assert name.replace("<", "\\u003c") in html
    for script in ("leaflet@1.9.3/dist/leaflet.js", "topojson-client@3.1.0", "leaflet.markercluster@1.1.0"):
        assert f"/* {script}" in html


def test_font_awesome_fonts_are_embedded_once_each(atlas: Atlas, vendor_dir: Path) -> None:
    """woff2 only, each font file once: the compatibility families on the same files are left out."""
    html = standalone_html(atlas_map(atlas), inline_assets=True, vendor_dir=vendor_dir)
    fonts = re.findall(r"data:font/woff2;base64,([A-Za-z0-9+/=]{40})", html)
    assert len(fonts) == len(set(fonts)) >= 3
    assert "font/ttf" not in html
    solid = (vendor_dir / "@fortawesome/fontawesome-free@6.2.0/webfonts/fa-solid-900.woff2").read_bytes()
    assert base64.b64encode(solid).decode()[:40] in fonts
    assert len(html) < 1_500_000, "the file should stay small enough to e-mail"


def test_served_locally_links_are_inlined_or_point_back_to_the_cdn(atlas: Atlas, vendor_dir: Path) -> None:
    """In offline mode folium links /app/static/vendor/…, which a file opened from disk cannot reach."""
    use_local_assets()
    fmap = atlas_map(atlas)
    assert "/app/static/vendor/" in fmap.get_root().render()
    inlined = standalone_html(atlas_map(atlas), inline_assets=True, vendor_dir=vendor_dir)
    assert "/static/vendor/" not in inlined
    assert not EXTERNAL_TAG.findall(inlined)
    linked = standalone_html(atlas_map(atlas), inline_assets=False, vendor_dir=vendor_dir, lang="en")
    assert "/static/vendor/" not in linked
    assert "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js" in linked


@pytest.mark.parametrize("lang", ["es", "en", "fr"])
def test_missing_assets_keep_the_cdn_links_and_say_so(atlas: Atlas, tmp_path: Path, lang: str) -> None:
    html = standalone_html(atlas_map(atlas), inline_assets=True, vendor_dir=tmp_path, lang=lang)
    assert "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js" in html
    note = t("exports.standalone.needs_internet", lang, hosts="cdn.jsdelivr.net, cdnjs.cloudflare.com")
    head, body = html.split("</head>", 1)
    comment = re.search(r"<!--(.*?)-->", head, re.DOTALL)
    assert comment is not None
    assert note in comment.group(1)
    assert "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js" in (
        comment.group(1)
    )
    visible = re.search(rf'<div class="{NOTE_CLASS}"[^>]*>(.*?)</div>', body, re.DOTALL)
    assert visible is not None
    assert markup.text(note) in visible.group(1)


def test_basemap_tiles_are_named_in_the_note(atlas: Atlas, vendor_dir: Path) -> None:
    html = standalone_html(atlas_map(atlas, "osm"), inline_assets=True, vendor_dir=vendor_dir, lang="fr")
    assert not EXTERNAL_TAG.findall(html)
    note = t("exports.standalone.tiles", "fr", hosts="tile.openstreetmap.org")
    assert NOTE_CLASS in html
    assert note in html.split("</head>", 1)[1]
    assert "tile.openstreetmap.org" in re.search(r"<!--(.*?)-->", html, re.DOTALL).group(1)


def test_title_and_overlay_are_escaped(atlas: Atlas, tmp_path: Path) -> None:
    overlay = legend_overlay(HOSTILE, [("#ff0000", HOSTILE)], [HOSTILE])
    html = standalone_html(
        atlas_map(atlas), inline_assets=False, vendor_dir=tmp_path, title=HOSTILE, overlay_html=overlay
    )
    assert HOSTILE not in html
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 4


# --- the inlining itself, on a synthetic vendor folder ------------------------------------------


@pytest.fixture
def fake_vendor(tmp_path: Path) -> Path:
    """A vendor folder with one stylesheet, its fonts and images, and one script."""
    root = tmp_path / "pkg@1.0.0"
    (root / "css").mkdir(parents=True)
    (root / "fonts").mkdir()
    (root / "img").mkdir()
    (root / "fonts" / "f.woff2").write_bytes(b"WOFF2")
    (root / "fonts" / "f.ttf").write_bytes(b"TTF" * 100)
    (root / "img" / "i.png").write_bytes(b"\x89PNG")
    (root / "css" / "a.css").write_text(
        '@font-face{font-family:"A";src:url(../fonts/f.woff2) format("woff2"),url(../fonts/f.ttf) format("truetype")}'
        '@font-face{font-family:"Old A";src:url(../fonts/f.woff2) format("woff2"),url(../fonts/f.ttf) format("truetype")}'
        '@font-face{font-family:"Gone";src:url(../fonts/gone.woff2) format("woff2")}'
        ".x{background:url('../img/i.png') no-repeat}.y{background:url(../img/absent.png)}"
        ".z{behavior:url(#default#VML)}.w{background:url(data:image/gif;base64,R0lG)}",
        encoding="utf-8",
    )
    (root / "js").mkdir()
    (root / "js" / "s.js").write_text('var s = "</script><b>";', encoding="utf-8")
    return tmp_path


def test_inline_css_embeds_fonts_once_and_drops_what_is_absent(fake_vendor: Path) -> None:
    css = inline_css((fake_vendor / "pkg@1.0.0/css/a.css").read_text(), "pkg@1.0.0/css/a.css", fake_vendor)
    woff2 = "data:font/woff2;base64," + base64.b64encode(b"WOFF2").decode()
    assert css.count(woff2) == 1
    assert 'font-family:"A"' in css
    assert '"Old A"' not in css
    assert '"Gone"' not in css
    assert "font/ttf" not in css
    assert "data:image/png;base64," + base64.b64encode(b"\x89PNG").decode() in css
    assert ".y{background:none}" in css
    assert "url(#default#VML)" in css
    assert "url(data:image/gif;base64,R0lG)" in css


def test_inline_page_escapes_closing_tags_and_lists_what_stays_outside(fake_vendor: Path) -> None:
    page = (
        "<html><head>"
        '<link rel="stylesheet" href="/app/static/vendor/pkg@1.0.0/css/a.css"/>'
        '<script src="/app/static/vendor/pkg@1.0.0/js/s.js"></script>'
        '<script src="https://example.org/other.js"></script>'
        "</head><body></body></html>"
    )
    result = inline_page(page, inline_assets=True, vendor_dir=fake_vendor)
    assert result.inlined == ["pkg@1.0.0/js/s.js", "pkg@1.0.0/css/a.css"]
    assert result.external == ["https://example.org/other.js"]
    assert '"<\\/script><b>"' in result.html
    assert result.html.count("</script>") == 2
    assert "<style>/* pkg@1.0.0/css/a.css */" in result.html


# --- the download buttons (ui/exports.py) --------------------------------------------------------


def _map_downloads_page() -> None:
    """An AppTest page with the map's download buttons, in French, as a page would call them.

    AppTest runs this function's source as a script: it imports what it uses itself.
    """
    from geo.loaders import load_atlas
    from geo.mapmodel import map_model
    from geo.state import ViewState
    from ui.exports import map_downloads

    view = ViewState(ind="poverty_pct", year=2020, opened=2026, lang="fr", base="none")
    map_downloads(map_model(load_atlas(), view), False, "http://localhost:8501/?lang=fr")


def test_map_download_buttons_render_nothing_until_clicked(
    vendor_dir: Path, deferred: list[tuple[object, str | None, str | None]]
) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_map_downloads_page, default_timeout=60).run()
    assert not at.exception
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels == [
        t("exports.map.html_offline", "fr"),
        t("exports.map.brief_png", "fr"),
        t("exports.map.brief_pdf", "fr"),
    ]
    assert all(button.proto.deferred_file_id for button in at.get("download_button"))
    assert [(mime, name) for _, mime, name in deferred] == [
        ("text/html", "cdmx-atlas-poverty_pct-2020-fr-map.html"),
        ("image/png", "cdmx-atlas-poverty_pct-2020-fr-brief.png"),
        ("application/pdf", "cdmx-atlas-poverty_pct-2020-fr-brief.pdf"),
    ]
    html, png, pdf = (make() for make, _, _ in deferred)  # what a click runs
    assert "<title>Population en situation de pauvreté, 2020" in html
    assert not EXTERNAL_TAG.findall(html)
    assert png.startswith(b"\x89PNG")
    assert pdf.startswith(b"%PDF")


def _ageb_downloads_page() -> None:
    """The map's download buttons at the AGEB level over Iztapalapa, in English (an AppTest page)."""
    from geo.loaders import load_atlas, load_neighbourhoods
    from geo.mapmodel import map_model
    from geo.state import ViewState
    from ui.exports import map_downloads

    view = ViewState(
        ind="poverty_pct", year=2020, opened=2026, lang="en", base="none", level="agebs", boro=("09007",)
    )
    model = map_model(load_atlas(), view, neighbourhoods=load_neighbourhoods)
    map_downloads(model, False, "http://localhost:8501/?level=agebs&lang=en")


def test_at_the_ageb_level_the_files_are_the_agebs_and_the_tables_are_offered(
    vendor_dir: Path, deferred: list[tuple[object, str | None, str | None]]
) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_ageb_downloads_page, default_timeout=60).run()
    assert not at.exception, at.exception
    assert [e.label for e in at.expander] == [t("exports.tables.heading_agebs", "en")]
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels[3:] == [
        t("exports.tables.agebs", "en", n="2,431"),
        t("exports.tables.ageb_fields", "en", n="15"),
    ]
    made = {name: make for make, _, name in deferred}
    assert sorted(made) == [
        "cdmx-atlas-ageb-fields.csv",
        "cdmx-atlas-agebs-gm_2020-2020-en-brief.pdf",
        "cdmx-atlas-agebs-gm_2020-2020-en-brief.png",
        "cdmx-atlas-agebs-gm_2020-2020-en-map.html",
        "cdmx-atlas-agebs.csv",
    ]
    html = made["cdmx-atlas-agebs-gm_2020-2020-en-map.html"]()
    assert "<title>Urban marginalisation grade (AGEB), 2020 · " in html
    assert not EXTERNAL_TAG.findall(html)
    assert '"level":"agebs"' in html, "the AGEBs' canvas layer is in the file"
    assert '"level":"borough_borders"' in html
    assert "CONAPO (2020)" in html, "the overlay's sources"
    assert made["cdmx-atlas-agebs.csv"]().startswith(b"\xef\xbb\xbfcvegeo,borough,borough_name,")
