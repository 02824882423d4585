"""The manifest: it covers exactly what folium emits, reads stylesheets safely, and matches the npm pins.

Fast and browser-free; the installed files are checked in ``tests/test_assets_install.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.assets import manifest
from geo.assets.serve import cdn_urls
from geo.paths import ROOT
from tests.assets_support import atlas_like_map, class_urls, emitted_urls

pytestmark = pytest.mark.usefixtures("cdn_assets")


def test_manifest_covers_every_cdn_url_folium_emits() -> None:
    emitted = {u for u in emitted_urls(atlas_like_map()) if u.startswith(("http:", "https:", "//"))}
    declared = class_urls()
    assert emitted == declared, "rendering and the class lists disagree; derive from both"
    uncovered = declared - set(manifest.MANIFEST) - set(manifest.DROPPED)
    assert not uncovered, f"add to geo.assets.manifest.MANIFEST or DROPPED: {sorted(uncovered)}"


def test_manifest_has_no_stale_entries() -> None:
    """Every manifest/dropped URL is still one folium emits (catches folium upgrades)."""
    known = set(manifest.MANIFEST) | set(manifest.DROPPED)
    assert known == class_urls() == set(cdn_urls())
    assert not set(manifest.MANIFEST) & set(manifest.DROPPED)


def test_css_references_resolve_inside_the_package() -> None:
    css = (
        "a{background:url(images/a.png)}b{src:url('../webfonts/x.woff2?v=1#iefix')}"
        'c{behavior:url(#default#VML)}d{background:url("data:image/png;base64,AA==")}'
    )
    refs = manifest.css_references(css)
    assert refs == ["images/a.png", "../webfonts/x.woff2"]
    assert manifest._resolve("css/all.min.css", "../webfonts/x.woff2") == "webfonts/x.woff2"
    with pytest.raises(manifest.AssetError):
        manifest.css_references("a{background:url(https://cdn.example.org/a.png)}")
    with pytest.raises(manifest.AssetError):
        manifest._resolve("all.css", "../../escape.png")


def test_npm_pins_match_the_manifest() -> None:
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    pins = {p.name: p.version for p in manifest.packages()}
    assert package["private"] is True
    assert "scripts" not in package
    assert package["dependencies"] == pins, "exact versions, same set as geo.assets.manifest"
    for name, version in pins.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_an_empty_folder_misses_every_manifest_file(tmp_path: Path) -> None:
    missing = manifest.missing_assets(tmp_path)
    assert {f.vendor_path for f in manifest.MANIFEST.values()} <= set(missing)
