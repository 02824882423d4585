"""Offline map assets: the manifest matches what folium emits, the switch works,
and the vendored files (when installed) are all there.

Fast and browser-free. The installed-files tests skip when ``static/vendor`` is
absent; set ``ATLAS_REQUIRE_VENDOR=1`` (CI, after ``python -m geo.assets``) to
make a missing install fail instead.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import folium
import pytest
from folium.plugins import FastMarkerCluster, MarkerCluster

from geo import assets
from geo.paths import ROOT, VENDOR_DIR

_LINK = re.compile(r"""<(?:script|link)\b[^>]*?\b(?:src|href)=["']([^"']+)["']""", re.IGNORECASE)


@pytest.fixture(autouse=True)
def _cdn_defaults() -> Iterator[None]:
    """Every test starts and ends with folium's own CDN lists."""
    assets.use_cdn_assets()
    yield
    assets.use_cdn_assets()


def _atlas_like_map() -> folium.Map:
    """A map with every element type the Atlas puts on its maps."""
    m = folium.Map(location=[19.4, -99.14], zoom_start=11, tiles=None, max_zoom=18)
    square = [[0, 0], [6, 0], [6, 5], [0, 0]]
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.01, 0.01], "translate": [-99.18, 19.40]},
        "objects": {
            "data": {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "arcs": [[0]]}]}
        },
        "arcs": [square],
    }
    folium.TopoJson(topology, "objects.data", name="borough").add_to(m)
    fg = folium.FeatureGroup(name="sites").add_to(m)
    cluster = MarkerCluster(name="cluster").add_to(fg)
    folium.Marker([19.43, -99.13], icon=folium.Icon(prefix="fa", icon="star")).add_to(cluster)
    folium.Marker([19.44, -99.12], tooltip="plain marker").add_to(m)
    folium.LayerControl().add_to(m)
    return m


def _emitted_urls(m: folium.Map) -> list[str]:
    """The script/stylesheet URLs the rendered page would load, in order."""
    return list(dict.fromkeys(_LINK.findall(m.get_root().render())))


def _class_urls() -> set[str]:
    """URLs the classes the Atlas uses declare (Marker/Icon declare none)."""
    classes = (folium.Map, folium.TopoJson, MarkerCluster, FastMarkerCluster, folium.Marker, folium.Icon)
    return {
        url
        for cls in classes
        for _, url in (*getattr(cls, "default_js", []), *getattr(cls, "default_css", []))
    }


def test_manifest_covers_every_cdn_url_folium_emits() -> None:
    emitted = {u for u in _emitted_urls(_atlas_like_map()) if u.startswith(("http:", "https:", "//"))}
    declared = _class_urls()
    assert emitted == declared, "rendering and the class lists disagree; derive from both"
    uncovered = declared - set(assets.MANIFEST) - set(assets.DROPPED)
    assert not uncovered, f"add to geo.assets.MANIFEST or DROPPED: {sorted(uncovered)}"


def test_manifest_has_no_stale_entries() -> None:
    """Every manifest/dropped URL is still one folium emits (catches folium upgrades)."""
    known = set(assets.MANIFEST) | set(assets.DROPPED)
    assert known == _class_urls() == set(assets.cdn_urls())
    assert not set(assets.MANIFEST) & set(assets.DROPPED)


def test_use_local_assets_rewrites_all_links_and_restore_works() -> None:
    cdn = {cls: (list(cls.default_js), list(cls.default_css)) for cls in assets.PATCHED_CLASSES}

    assets.use_local_assets()
    first = {cls: (list(cls.default_js), list(cls.default_css)) for cls in assets.PATCHED_CLASSES}
    assets.use_local_assets()  # idempotent: derived from folium's originals every time
    assert {cls: (cls.default_js, cls.default_css) for cls in assets.PATCHED_CLASSES} == first

    urls = _emitted_urls(_atlas_like_map())
    expected = [f"{assets.LOCAL_BASE_URL}/{f.vendor_path}" for f in assets.MANIFEST.values()]
    assert sorted(urls) == sorted(expected)
    assert FastMarkerCluster.default_js == MarkerCluster.default_js  # inherits the rewrite

    assets.use_cdn_assets()
    assert {cls: (cls.default_js, cls.default_css) for cls in assets.PATCHED_CLASSES} == cdn
    assert set(_emitted_urls(_atlas_like_map())) == _class_urls()


def test_use_local_assets_keeps_link_names_and_honours_base_url() -> None:
    """streamlit-folium and add_js_link() key on the names; a base path must be kept."""
    assets.use_local_assets("/atlas/app/static/vendor/")
    names = [name for name, _ in folium.Map.default_js]
    assert names == ["leaflet", "jquery", "bootstrap", "awesome_markers"]
    assert folium.Map.default_js[0][1] == "/atlas/app/static/vendor/leaflet@1.9.3/dist/leaflet.js"
    css_names = {name for name, _ in folium.Map.default_css}
    assert {"glyphicons_css", "awesome_rotate_css"}.isdisjoint(css_names)


def test_unknown_cdn_url_fails_loudly() -> None:
    with pytest.raises(assets.AssetError, match="MANIFEST"):
        assets.local_url("https://cdn.example.org/new-plugin.js")


def test_css_references_resolve_inside_the_package() -> None:
    css = (
        "a{background:url(images/a.png)}b{src:url('../webfonts/x.woff2?v=1#iefix')}"
        'c{behavior:url(#default#VML)}d{background:url("data:image/png;base64,AA==")}'
    )
    refs = assets.css_references(css)
    assert refs == ["images/a.png", "../webfonts/x.woff2"]
    assert assets._resolve("css/all.min.css", "../webfonts/x.woff2") == "webfonts/x.woff2"
    with pytest.raises(assets.AssetError):
        assets.css_references("a{background:url(https://cdn.example.org/a.png)}")
    with pytest.raises(assets.AssetError):
        assets._resolve("all.css", "../../escape.png")


def test_npm_pins_match_the_manifest() -> None:
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    pins = {p.name: p.version for p in assets.packages()}
    assert package["private"] is True
    assert "scripts" not in package
    assert package["dependencies"] == pins, "exact versions, same set as geo.assets"
    for name, version in pins.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_missing_assets_and_auto_mode_on_an_empty_folder(tmp_path: Path) -> None:
    missing = assets.missing_assets(tmp_path)
    assert {f.vendor_path for f in assets.MANIFEST.values()} <= set(missing)
    assert assets.apply_asset_mode("auto", vendor_dir=tmp_path) == "cdn"
    assert set(_emitted_urls(_atlas_like_map())) == _class_urls()
    with pytest.raises(assets.AssetError, match=r"python -m geo\.assets"):
        assets.apply_asset_mode("local", vendor_dir=tmp_path)


def test_install_never_deletes_a_folder_it_did_not_write(tmp_path: Path) -> None:
    foreign = tmp_path / "vendor"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("not ours")
    staging = tmp_path / "staging"
    staging.mkdir()
    with pytest.raises(assets.AssetError, match=assets.STAMP_NAME):
        assets._replace_dir(staging, foreign)
    assert (foreign / "keep.txt").is_file()


# --- installed files -------------------------------------------------------


@pytest.fixture
def vendor_dir() -> Path:
    """``static/vendor`` when installed; skip, or fail under ATLAS_REQUIRE_VENDOR=1."""
    missing = assets.missing_assets(VENDOR_DIR)
    if missing:
        message = (
            f"{len(missing)} vendored file(s) missing under {VENDOR_DIR} "
            f"(e.g. {missing[0]}); run `python -m geo.assets`"
        )
        if os.environ.get("ATLAS_REQUIRE_VENDOR") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return VENDOR_DIR


def test_every_manifest_file_is_installed(vendor_dir: Path) -> None:
    for url, file in assets.MANIFEST.items():
        path = vendor_dir / file.vendor_path
        assert path.is_file(), f"{url} -> {path}"
        assert path.stat().st_size > 0, f"{url} -> {path} is empty"
    assert assets.missing_assets(vendor_dir) == []


@pytest.mark.parametrize(
    ("vendor_path", "banner"),
    [
        ("leaflet@1.9.3/dist/leaflet.js", "Leaflet 1.9.3"),
        ("jquery@3.7.1/dist/jquery.min.js", "jQuery v3.7.1"),
        ("bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js", "Bootstrap v5.2.2"),
        ("@fortawesome/fontawesome-free@6.2.0/css/all.min.css", "Font Awesome Free 6.2.0"),
    ],
)
def test_installed_files_are_the_pinned_versions(vendor_dir: Path, vendor_path: str, banner: str) -> None:
    assert banner in (vendor_dir / vendor_path).read_text(encoding="utf-8")[:400]


def test_fonts_referenced_by_font_awesome_css_are_installed(vendor_dir: Path) -> None:
    css_file = assets.MANIFEST[
        "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css"
    ]
    css_path = vendor_dir / css_file.vendor_path
    refs = assets.css_references(css_path.read_text(encoding="utf-8"))
    fonts = [r for r in refs if r.endswith((".woff2", ".ttf"))]
    assert any(r.endswith("fa-solid-900.woff2") for r in fonts)
    for ref in fonts:
        assert (css_path.parent / ref).resolve().is_file(), ref


def test_every_css_reference_is_installed(vendor_dir: Path) -> None:
    """Sprites and images too: leaflet.css -> images/, awesome-markers -> images/."""
    for file in assets.MANIFEST.values():
        if not file.path.endswith(".css"):
            continue
        css_path = vendor_dir / file.vendor_path
        for ref in assets.css_references(css_path.read_text(encoding="utf-8")):
            assert (css_path.parent / ref).resolve().is_file(), f"{file.vendor_path}: {ref}"
