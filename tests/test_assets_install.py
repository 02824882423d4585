"""Installing the offline assets: the installer's safety, its command, and the files it left.

The installed-files tests skip when ``static/vendor`` is absent; set
``ATLAS_REQUIRE_VENDOR=1`` (CI, after ``python -m geo.assets``) to make a
missing install fail instead (the ``vendor_dir`` fixture in ``tests/conftest.py``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from geo.assets import install
from geo.assets.__main__ import main
from geo.assets.manifest import MANIFEST, AssetError, css_references, missing_assets
from geo.paths import ROOT


def test_install_never_deletes_a_folder_it_did_not_write(tmp_path: Path) -> None:
    foreign = tmp_path / "vendor"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("not ours")
    staging = tmp_path / "staging"
    staging.mkdir()
    with pytest.raises(AssetError, match=install.STAMP_NAME):
        install._replace_dir(staging, foreign)
    assert (foreign / "keep.txt").is_file()


def test_check_lists_what_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check", "--vendor-dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "missing: leaflet@1.9.3/dist/leaflet.js" in out
    assert f"{len(missing_assets(tmp_path))} missing under {tmp_path}" in out


def test_python_m_geo_assets_is_the_command(tmp_path: Path) -> None:
    """The Makefile runs ``python -m geo.assets``; the package must stay runnable that way."""
    result = subprocess.run(
        [sys.executable, "-m", "geo.assets", "--check", "--vendor-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "missing: " in result.stdout


# --- installed files -------------------------------------------------------


def test_every_manifest_file_is_installed(vendor_dir: Path) -> None:
    for url, file in MANIFEST.items():
        path = vendor_dir / file.vendor_path
        assert path.is_file(), f"{url} -> {path}"
        assert path.stat().st_size > 0, f"{url} -> {path} is empty"
    assert missing_assets(vendor_dir) == []
    assert main(["--check", "--vendor-dir", str(vendor_dir)]) == 0


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
    css_file = MANIFEST["https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css"]
    css_path = vendor_dir / css_file.vendor_path
    refs = css_references(css_path.read_text(encoding="utf-8"))
    fonts = [r for r in refs if r.endswith((".woff2", ".ttf"))]
    assert any(r.endswith("fa-solid-900.woff2") for r in fonts)
    for ref in fonts:
        assert (css_path.parent / ref).resolve().is_file(), ref


def test_every_css_reference_is_installed(vendor_dir: Path) -> None:
    """Sprites and images too: leaflet.css -> images/, awesome-markers -> images/."""
    for file in MANIFEST.values():
        if not file.path.endswith(".css"):
            continue
        css_path = vendor_dir / file.vendor_path
        for ref in css_references(css_path.read_text(encoding="utf-8")):
            assert (css_path.parent / ref).resolve().is_file(), f"{file.vendor_path}: {ref}"
