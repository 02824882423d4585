"""Offline copies of the JS/CSS that folium's maps load from CDNs.

streamlit-folium loads a map's scripts and stylesheets one after another and
draws an *empty* map, with no useful error, if any one of them fails. With no
internet every CDN link fails, so the Atlas can serve the same files itself:

* ``MANIFEST`` maps each CDN URL folium 0.20 (``Map``, ``TopoJson``) and
  ``MarkerCluster`` emit to the file with the same content inside a pinned npm package
  (``package.json``/``package-lock.json`` at the repository root).
* ``install()`` (``python -m geo.assets``) runs ``npm ci`` in a temporary
  folder and copies those files, plus whatever their CSS loads (fonts, sprite
  images) and the images Leaflet's JS asks for, into ``static/vendor/``, which
  Streamlit serves at ``/app/static/vendor/`` when ``server.enableStaticServing``
  is on. Third-party files are never committed.
* ``use_local_assets()`` points folium's class-level ``default_js`` /
  ``default_css`` lists at those local URLs; ``use_cdn_assets()`` restores
  folium's own CDN lists. ``apply_asset_mode("auto")`` picks local when the
  vendored files are complete and leaves the CDNs alone otherwise.

Two CDN files have no npm package and are *dropped* in local mode (see
``DROPPED``): Bootstrap 3's glyphicons CSS (the Atlas's icons use Font Awesome,
``prefix="fa"``) and folium's ``leaflet.awesome.rotate`` CSS (only needed for
icon angles other than 0/90/180/270, which Font Awesome itself covers).

Not covered here: streamlit-folium hard-codes two d3 CDN links for any branca
``ColorMap`` on the map (e.g. a ``folium.Choropleth`` legend); those cannot be
redirected through folium's class attributes, so offline maps must not carry a
branca legend.

Pure Python: no Streamlit import, so tests and the CLI run without a server.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Final, Literal

import folium
from folium.plugins import MarkerCluster

from geo.paths import ROOT, VENDOR_DIR

#: Where Streamlit serves ``static/vendor/`` (``server.enableStaticServing``).
#: Behind ``server.baseUrlPath = "atlas"`` pass ``"/atlas/app/static/vendor"``.
LOCAL_BASE_URL: Final = "/app/static/vendor"

#: The npm manifest and lock that pin every vendored package.
PACKAGE_JSON: Final = ROOT / "package.json"
PACKAGE_LOCK: Final = ROOT / "package-lock.json"

#: Written into the vendor folder by ``install()``; its presence is what lets a
#: later install replace the folder (a folder without it is never deleted).
STAMP_NAME: Final = ".atlas-assets.json"

#: ``--ignore-scripts``: nothing here needs a build step, and Font Awesome's
#: postinstall only prints an attribution. ``--omit=peer``: Bootstrap's Popper
#: peer is already inside ``bootstrap.bundle.min.js``.
NPM_CI: Final = (
    "npm",
    "ci",
    "--ignore-scripts",
    "--omit=peer",
    "--no-audit",
    "--no-fund",
)

Link = tuple[str, str]


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
        """Path relative to the vendor folder (and to ``LOCAL_BASE_URL``)."""
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

#: The folium classes whose ``default_js``/``default_css`` the switch rewrites.
#: Subclasses without their own lists (FastMarkerCluster) follow automatically.
PATCHED_CLASSES: Final[tuple[type[folium.elements.JSCSSMixin], ...]] = (
    folium.Map,
    MarkerCluster,
    folium.TopoJson,
)

# Stored on each class, not in this module, so a module reload (Streamlit
# reloads edited modules) cannot mistake already-local lists for the originals.
_ORIGINALS_ATTR: Final = "_atlas_cdn_defaults"

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


def _package_files(package: NpmPackage, package_root: Path) -> list[str]:
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
        for path in _package_files(package, vendor_dir / package.vendor_dir)
    ]


def missing_assets(vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """Vendor-relative paths of needed files that are absent (empty when ready)."""
    return [p for p in required_files(vendor_dir) if not (vendor_dir / p).is_file()]


@dataclass(frozen=True)
class InstallReport:
    """What ``install()`` put where, for the CLI and for logs."""

    vendor_dir: Path
    files: list[str]
    total_bytes: int
    npm_seconds: float
    seconds: float


def _run_npm_ci(workdir: Path) -> None:
    """``npm ci`` from the committed lock into ``workdir``; raise with npm's words."""
    npm = shutil.which("npm")
    if npm is None:
        raise AssetError("npm is not on PATH; install Node.js (npm >= 7) first")
    for src in (PACKAGE_JSON, PACKAGE_LOCK):
        if not src.is_file():
            raise AssetError(f"{src} is missing; it pins the vendored packages")
        shutil.copy2(src, workdir / src.name)
    result = subprocess.run(
        [npm, *NPM_CI[1:]],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
        raise AssetError(f"`{' '.join(NPM_CI)}` failed ({result.returncode}):\n{tail}")


def _check_version(package: NpmPackage, package_root: Path) -> None:
    """Refuse to vendor if the lock installed another version than the manifest."""
    meta = package_root / "package.json"
    if not meta.is_file():
        raise AssetError(f"npm did not install {package.name}; is it in package.json?")
    got = json.loads(meta.read_text(encoding="utf-8")).get("version")
    if got != package.version:
        raise AssetError(
            f"{package.name}: lock installed {got}, manifest expects "
            f"{package.version}; update package.json/package-lock.json or geo/assets.py"
        )


def _replace_dir(staging: Path, vendor_dir: Path) -> None:
    """Swap in the new vendor folder, deleting only a folder this module wrote."""
    if vendor_dir.exists():
        if any(vendor_dir.iterdir()) and not (vendor_dir / STAMP_NAME).is_file():
            raise AssetError(
                f"{vendor_dir} exists without {STAMP_NAME}; not deleting files "
                "this installer did not write (remove the folder yourself)"
            )
        shutil.rmtree(vendor_dir)
    vendor_dir.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(staging, vendor_dir)


def install(vendor_dir: Path = VENDOR_DIR) -> InstallReport:
    """Fetch the pinned packages with ``npm ci`` and copy the needed files.

    npm works in a temporary folder so no ``node_modules/`` lands in the repo;
    the vendor folder is rebuilt from scratch so stale versions never linger.
    """
    started = time.perf_counter()
    vendor_dir = Path(vendor_dir)
    with tempfile.TemporaryDirectory(prefix="atlas-npm-") as tmp:
        work = Path(tmp)
        _run_npm_ci(work)
        npm_seconds = time.perf_counter() - started
        staging = work / "vendor"
        copied: list[str] = []
        for package in packages():
            root = work / "node_modules" / package.name
            _check_version(package, root)
            for path in _package_files(package, root):
                src = root / path
                if not src.is_file():
                    raise AssetError(f"{package.name}@{package.version} has no {path}")
                dest = staging / package.vendor_dir / path
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest)
                copied.append(f"{package.vendor_dir}/{path}")
        stamp = {
            "packages": {p.name: p.version for p in packages()},
            "files": copied,
        }
        (staging / STAMP_NAME).write_text(json.dumps(stamp, indent=2) + "\n")
        _replace_dir(staging, vendor_dir)
    missing = missing_assets(vendor_dir)
    if missing:
        raise AssetError(f"install left files missing: {missing}")
    return InstallReport(
        vendor_dir=vendor_dir,
        files=copied,
        total_bytes=sum((vendor_dir / p).stat().st_size for p in copied),
        npm_seconds=npm_seconds,
        seconds=time.perf_counter() - started,
    )


def _cdn_defaults(cls: type[folium.elements.JSCSSMixin]) -> tuple[list[Link], ...]:
    """folium's own lists for ``cls``, captured before the first rewrite."""
    if _ORIGINALS_ATTR not in cls.__dict__:
        setattr(cls, _ORIGINALS_ATTR, (list(cls.default_js), list(cls.default_css)))
    js, css = getattr(cls, _ORIGINALS_ATTR)
    return list(js), list(css)


def cdn_urls() -> list[str]:
    """Every CDN URL the patched classes emit by default (folium's own lists)."""
    urls: list[str] = []
    for cls in PATCHED_CLASSES:
        js, css = _cdn_defaults(cls)
        urls += [url for _, url in (*js, *css)]
    return list(dict.fromkeys(urls))


def local_url(cdn_url: str, base_url: str = LOCAL_BASE_URL) -> str | None:
    """The served URL for a CDN file, ``None`` if local mode drops it."""
    if cdn_url in DROPPED:
        return None
    if cdn_url not in MANIFEST:
        raise AssetError(
            f"folium asks for {cdn_url}, which geo/assets.py MANIFEST does not "
            "cover (folium upgraded?): add it to MANIFEST or DROPPED"
        )
    return f"{base_url.rstrip('/')}/{MANIFEST[cdn_url].vendor_path}"


def _localise(links: Iterable[Link], base_url: str) -> list[Link]:
    """Rewrite (name, url) pairs to local URLs, leaving out dropped files."""
    out: list[Link] = []
    for name, url in links:
        local = local_url(url, base_url)
        if local is not None:
            out.append((name, local))
    return out


def use_local_assets(base_url: str = LOCAL_BASE_URL) -> None:
    """Make every folium map in this process load its JS/CSS from ``base_url``.

    Rewrites the class-level lists streamlit-folium reads, always starting from
    folium's originals, so calling it on every rerun is harmless. New lists are
    assigned (never mutated in place) so ``use_cdn_assets()`` can restore.
    """
    for cls in PATCHED_CLASSES:
        js, css = _cdn_defaults(cls)
        cls.default_js = _localise(js, base_url)
        cls.default_css = _localise(css, base_url)


def use_cdn_assets() -> None:
    """Put folium's own CDN lists back (tests; online-only deployments)."""
    for cls in PATCHED_CLASSES:
        js, css = _cdn_defaults(cls)
        cls.default_js = js
        cls.default_css = css


AssetMode = Literal["auto", "local", "cdn"]


def apply_asset_mode(
    mode: AssetMode = "auto",
    *,
    vendor_dir: Path = VENDOR_DIR,
    base_url: str = LOCAL_BASE_URL,
) -> Literal["local", "cdn"]:
    """Choose where maps load JS/CSS from; returns the choice made.

    ``auto`` serves the vendored copies when all of them are installed (works
    with or without internet) and keeps folium's CDNs otherwise, so a checkout
    without ``python -m geo.assets`` still draws maps online. ``local`` raises
    if files are missing rather than showing an empty map.
    """
    if mode == "cdn":
        use_cdn_assets()
        return "cdn"
    missing = missing_assets(vendor_dir)
    if missing:
        if mode == "local":
            raise AssetError(
                f"{len(missing)} vendored file(s) missing, e.g. {missing[0]}; run `python -m geo.assets`"
            )
        use_cdn_assets()
        return "cdn"
    use_local_assets(base_url)
    return "local"


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: install the vendored assets (or ``--check`` them); non-zero on failure."""
    parser = argparse.ArgumentParser(
        prog="python -m geo.assets",
        description="Vendor folium's CDN JS/CSS into static/vendor/ from npm.",
    )
    parser.add_argument("--vendor-dir", type=Path, default=VENDOR_DIR)
    parser.add_argument(
        "--check",
        action="store_true",
        help="only report missing files (exit 1 if any); no npm",
    )
    args = parser.parse_args(argv)
    if args.check:
        missing = missing_assets(args.vendor_dir)
        for path in missing:
            print(f"missing: {path}")
        print(f"{len(missing)} missing under {args.vendor_dir}")
        return 1 if missing else 0
    try:
        report = install(args.vendor_dir)
    except AssetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for pkg in packages():
        count = sum(f.startswith(pkg.vendor_dir + "/") for f in report.files)
        print(f"  {pkg.vendor_dir}: {count} files")
    print(
        f"vendored {len(report.files)} files ({report.total_bytes / 1024:.0f} KiB) "
        f"into {report.vendor_dir} in {report.seconds:.1f}s "
        f"(npm ci {report.npm_seconds:.1f}s); dropped {len(DROPPED)} CDN files "
        "with no npm package (see geo.assets.DROPPED)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
