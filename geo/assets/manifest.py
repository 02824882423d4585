"""Which CDN file is which file of a pinned npm package, and whether it is installed.

* ``MANIFEST`` maps each CDN URL folium 0.20 (``Map``, ``TopoJson``) and
  ``MarkerCluster`` emit to the file with the same content inside a pinned npm package
  (``package.json``/``package-lock.json`` at the repository root).
* ``missing_assets()`` lists the files the offline map needs (the manifest's,
  whatever their CSS loads, and each package's extras) that ``static/vendor/``
  lacks; the installer and the server both ask it.

Two CDN files have no npm package and are *dropped* in local mode (see
``DROPPED``): Bootstrap 3's glyphicons CSS (the Atlas's icons use Font Awesome,
``prefix="fa"``) and folium's ``leaflet.awesome.rotate`` CSS (only needed for
icon angles other than 0/90/180/270, which Font Awesome itself covers).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Final

from geo.paths import VENDOR_DIR


class AssetError(RuntimeError):
    """Vendoring failed or folium asks for a CDN file the manifest lacks."""


@dataclass(frozen=True)
class NpmPackage:
    """One pinned npm package and the files to take from it beyond the manifest.

    ``extras`` are files the browser fetches although no manifest CSS names them
    (Leaflet's JS builds its marker image URLs) and the licence to ship with
    the copies.
    """

    name: str
    version: str
    extras: tuple[str, ...] = field(default=())

    @property
    def vendor_dir(self) -> str:
        """Folder under ``static/vendor/``: ``name@version``, jsDelivr's npm layout."""
        return f"{self.name}@{self.version}"


@dataclass(frozen=True)
class VendorFile:
    """Where a CDN file's content lives inside its npm package."""

    package: NpmPackage
    path: str

    @property
    def vendor_path(self) -> str:
        """Path relative to the vendor folder (and to ``serve.LOCAL_BASE_URL``)."""
        return f"{self.package.vendor_dir}/{self.path}"


LEAFLET: Final = NpmPackage(
    "leaflet",
    "1.9.3",
    extras=(
        "LICENSE",
        # L.Icon.Default finds marker-icon.png through leaflet.css, then builds
        # these two names in JS; plain folium.Marker()s need them.
        "dist/images/marker-icon-2x.png",
        "dist/images/marker-shadow.png",
    ),
)
JQUERY: Final = NpmPackage("jquery", "3.7.1", extras=("LICENSE.txt",))
BOOTSTRAP: Final = NpmPackage("bootstrap", "5.2.2", extras=("LICENSE",))
FONTAWESOME: Final = NpmPackage("@fortawesome/fontawesome-free", "6.2.0", extras=("LICENSE.txt",))
# npm has no 2.0.2: the "leaflet.awesome-markers" package (a fork's upload) has
# 2.0.0, 2.0.4 and 2.0.5 with byte-identical dist/ files; 2.0.0's bower.json
# calls them 2.0.2, the version on cdnjs. Pin the newest upload.
AWESOME_MARKERS: Final = NpmPackage(
    "leaflet.awesome-markers",
    "2.0.5",
    extras=("LICENSE",),
)
MARKERCLUSTER: Final = NpmPackage("leaflet.markercluster", "1.1.0", extras=("MIT-LICENCE.txt",))
# folium.TopoJson asks for topojson 1.6.9, whose npm package drags in its
# command-line tools' dependencies; the Atlas only calls topojson.feature(),
# which topojson-client (the same authors' browser half, no dependencies)
# provides under the same global name.
TOPOJSON_CLIENT: Final = NpmPackage("topojson-client", "3.1.0", extras=("LICENSE",))

#: Every CDN URL folium's ``Map`` and ``MarkerCluster`` emit -> its npm copy.
MANIFEST: Final[Mapping[str, VendorFile]] = MappingProxyType(
    {
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": VendorFile(LEAFLET, "dist/leaflet.js"),
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": VendorFile(
            LEAFLET, "dist/leaflet.css"
        ),
        "https://code.jquery.com/jquery-3.7.1.min.js": VendorFile(JQUERY, "dist/jquery.min.js"),
        "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": (
            VendorFile(BOOTSTRAP, "dist/js/bootstrap.bundle.min.js")
        ),
        "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": (
            VendorFile(BOOTSTRAP, "dist/css/bootstrap.min.css")
        ),
        "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": (
            VendorFile(FONTAWESOME, "css/all.min.css")
        ),
        "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": (
            VendorFile(AWESOME_MARKERS, "dist/leaflet.awesome-markers.js")
        ),
        "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": (
            VendorFile(AWESOME_MARKERS, "dist/leaflet.awesome-markers.css")
        ),
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js": (
            VendorFile(MARKERCLUSTER, "dist/leaflet.markercluster.js")
        ),
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css": (
            VendorFile(MARKERCLUSTER, "dist/MarkerCluster.css")
        ),
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css": (
            VendorFile(MARKERCLUSTER, "dist/MarkerCluster.Default.css")
        ),
        "https://cdnjs.cloudflare.com/ajax/libs/topojson/1.6.9/topojson.min.js": (
            VendorFile(TOPOJSON_CLIENT, "dist/topojson-client.min.js")
        ),
    }
)

#: CDN files with no npm package that local mode leaves out, and why that is safe.
DROPPED: Final[Mapping[str, str]] = MappingProxyType(
    {
        "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": (
            "Bootstrap 3 glyphicons, used only by icons with prefix='glyphicon'; "
            "the Atlas's icons use Font Awesome (prefix='fa')."
        ),
        "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css": (
            "folium's fa-rotate-<angle> classes for Icon(angle=...); the Atlas "
            "uses angle 0, and Font Awesome ships fa-rotate-90/180/270 itself."
        ),
    }
)

_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+?)\1\s*\)""")


def packages() -> list[NpmPackage]:
    """The npm packages the manifest draws on, each once, in manifest order."""
    return list(dict.fromkeys(f.package for f in MANIFEST.values()))


def css_references(css: str) -> list[str]:
    """Relative ``url(...)`` targets in a stylesheet, query/fragment stripped.

    ``data:`` URIs and bare fragments (IE's ``#default#VML``) load nothing.
    An absolute URL would reach the internet, so it is an error.
    """
    refs: list[str] = []
    for match in _CSS_URL.finditer(css):
        ref = match.group(2).strip()
        if ref.startswith(("data:", "#")):
            continue
        if re.match(r"^([a-z][a-z0-9+.-]*:|//)", ref, re.IGNORECASE):
            raise AssetError(f"stylesheet loads {ref!r} from outside the vendor folder")
        ref = re.split(r"[?#]", ref, maxsplit=1)[0]
        if ref not in refs:
            refs.append(ref)
    return refs


def _resolve(css_path: str, ref: str) -> str:
    """``css/all.min.css`` + ``../webfonts/x.woff2`` -> ``webfonts/x.woff2``."""
    parts: list[str] = []
    for part in (*PurePosixPath(css_path).parent.parts, *PurePosixPath(ref).parts):
        if part == "..":
            if not parts:
                raise AssetError(f"{ref!r} in {css_path} climbs out of its package")
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def package_files(package: NpmPackage, package_root: Path) -> list[str]:
    """Package-relative paths to vendor: manifest files, their CSS targets, extras."""
    files = [f.path for f in MANIFEST.values() if f.package == package]
    for path in list(files):
        if path.endswith(".css") and (package_root / path).is_file():
            css = (package_root / path).read_text(encoding="utf-8")
            files += [_resolve(path, ref) for ref in css_references(css)]
    files += package.extras
    return list(dict.fromkeys(files))


def required_files(vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """Vendor-relative paths the offline map needs (CSS targets read from disk)."""
    return [
        f"{package.vendor_dir}/{path}"
        for package in packages()
        for path in package_files(package, vendor_dir / package.vendor_dir)
    ]


def missing_assets(vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """Vendor-relative paths of needed files that are absent (empty when ready)."""
    return [p for p in required_files(vendor_dir) if not (vendor_dir / p).is_file()]
