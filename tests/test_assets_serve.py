"""Serving the offline assets: folium's links switch to the vendored copies and back."""

from __future__ import annotations

from pathlib import Path

import folium
import pytest
from folium.plugins import FastMarkerCluster, MarkerCluster

from geo.assets import serve
from geo.assets.manifest import MANIFEST, AssetError
from tests.assets_support import atlas_like_map, class_urls, emitted_urls

pytestmark = pytest.mark.usefixtures("cdn_assets")


def test_use_local_assets_rewrites_all_links_and_restore_works() -> None:
    cdn = {cls: (list(cls.default_js), list(cls.default_css)) for cls in serve.PATCHED_CLASSES}

    serve.use_local_assets()
    first = {cls: (list(cls.default_js), list(cls.default_css)) for cls in serve.PATCHED_CLASSES}
    serve.use_local_assets()  # idempotent: derived from folium's originals every time
    assert {cls: (cls.default_js, cls.default_css) for cls in serve.PATCHED_CLASSES} == first

    urls = emitted_urls(atlas_like_map())
    expected = [f"{serve.LOCAL_BASE_URL}/{f.vendor_path}" for f in MANIFEST.values()]
    assert sorted(urls) == sorted(expected)
    assert FastMarkerCluster.default_js == MarkerCluster.default_js  # inherits the rewrite

    serve.use_cdn_assets()
    assert {cls: (cls.default_js, cls.default_css) for cls in serve.PATCHED_CLASSES} == cdn
    assert set(emitted_urls(atlas_like_map())) == class_urls()


def test_use_local_assets_keeps_link_names_and_honours_base_url() -> None:
    """streamlit-folium and add_js_link() key on the names; a base path must be kept."""
    serve.use_local_assets("/atlas/app/static/vendor/")
    names = [name for name, _ in folium.Map.default_js]
    assert names == ["leaflet", "jquery", "bootstrap", "awesome_markers"]
    assert folium.Map.default_js[0][1] == "/atlas/app/static/vendor/leaflet@1.9.3/dist/leaflet.js"
    css_names = {name for name, _ in folium.Map.default_css}
    assert {"glyphicons_css", "awesome_rotate_css"}.isdisjoint(css_names)


def test_unknown_cdn_url_fails_loudly() -> None:
    with pytest.raises(AssetError, match="MANIFEST"):
        serve.local_url("https://cdn.example.org/new-plugin.js")


def test_auto_mode_keeps_the_cdns_and_local_mode_refuses_without_the_files(tmp_path: Path) -> None:
    assert serve.apply_asset_mode("auto", vendor_dir=tmp_path) == "cdn"
    assert set(emitted_urls(atlas_like_map())) == class_urls()
    with pytest.raises(AssetError, match=r"python -m geo\.assets"):
        serve.apply_asset_mode("local", vendor_dir=tmp_path)


def test_local_mode_serves_an_installed_folder(vendor_dir: Path) -> None:
    assert serve.apply_asset_mode("local", vendor_dir=vendor_dir) == "local"
    assert all(url.startswith(serve.LOCAL_BASE_URL) for url in emitted_urls(atlas_like_map()))
