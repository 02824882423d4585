"""Fetch the pinned npm packages and copy the files the offline map needs into ``static/vendor/``.

``install()`` runs ``npm ci`` in a temporary folder and copies the manifest's
files, plus whatever their CSS loads (fonts, sprite images) and the images
Leaflet's JS asks for, into ``static/vendor/``, which Streamlit serves at
``/app/static/vendor/`` when ``server.enableStaticServing`` is on.
Third-party files are never committed. ``python -m geo.assets`` is the command.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from geo.assets.manifest import AssetError, NpmPackage, missing_assets, package_files, packages
from geo.paths import ROOT, VENDOR_DIR

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
            f"{package.version}; update package.json/package-lock.json or geo/assets/manifest.py"
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
            for path in package_files(package, root):
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
