"""The ``python -m bench`` command: measure the pages, print the report, write JSON."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from bench import agebsource
from bench.measure import BenchError, Change, PageSpec, measure_pages
from bench.report import build, render
from e2e.harness import ROOT, launch_chromium

#: The filter timed on the Atlas. The brief suggested "Announced", but no
#: announced site has published coordinates, so that box changes no marker
#: (the map's component arguments stay identical); "Under construction" does.
ATLAS_TOGGLE = "Under construction"
SIDEBAR = "[data-testid=stSidebar]"
#: At AGEB level: another AGEB indicator, then one borough (the second change starts from the first's view).
AGEB_CHANGES = (
    Change(
        "indicator",
        "selectbox",
        "AGEB indicator (CONAPO 2020)",
        "areas",
        "In dwellings without piped water",
        SIDEBAR,
    ),
    Change("borough", "multiselect", "Boroughs", "areas", "Iztapalapa", SIDEBAR),
)

PAGES: dict[str, PageSpec] = {
    "atlas": PageSpec(
        name="atlas",
        script="app.py",
        ready="map",
        changes=(Change("filter", "checkbox", ATLAS_TOGGLE, "markers", scope=SIDEBAR),),
        description="the Atlas, default view (no URL parameters)",
    ),
    "naive": PageSpec(
        name="naive",
        script="bench/naive_app.py",
        ready="map",
        changes=(Change("filter", "checkbox", "Colour boroughs by area", "fills"),),
        description="full-resolution INEGI boroughs with GeoDataFrame.explore() in st_folium",
    ),
    "atlas-ageb": PageSpec(
        name="atlas-ageb",
        script="app.py",
        ready="areas",
        query="/?level=agebs",
        changes=AGEB_CHANGES,
        description="the Atlas at AGEB level for the whole city (?level=agebs), drawn on a canvas",
    ),
    "naive-ageb": PageSpec(
        name="naive-ageb",
        script="bench/naive_ageb_app.py",
        ready="map",
        description=f"{agebsource.describe()} joined to CONAPO's grade, GeoDataFrame.explore() in st_folium",
    ),
    "empty": PageSpec(
        name="empty",
        script="bench/empty_app.py",
        ready="title",
        description="an empty Streamlit page (a title): the floor",
    ),
}
DEFAULT_JSON = ROOT / "artifacts" / "bench.json"


def _git_commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{' (uncommitted changes)' if dirty else ''}"


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure the Atlas map against a naive map and an empty Streamlit page "
        "in headless Chromium; print medians and targets; write JSON.",
    )
    parser.add_argument("--runs", type=int, default=5, help="timed visits per page (default 5, at least 1)")
    parser.add_argument(
        "--pages",
        default=",".join(PAGES),
        help=f"comma-separated subset of {', '.join(PAGES)} (default: all)",
    )
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"output file (default {DEFAULT_JSON})"
    )
    args = parser.parse_args(argv)
    args.pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = [p for p in args.pages if p not in PAGES]
    if unknown or not args.pages:
        parser.error(f"unknown page(s) {unknown}; choose from {', '.join(PAGES)}")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 0 when figures were produced (targets may fail), 1 on errors."""
    args = _parse(argv)
    started = time.monotonic()
    load_start = os.getloadavg()[0]
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                chromium = browser.version
                for name in args.pages:
                    print(f"measuring {name}: {PAGES[name].description}", flush=True)
                print("visits take turns between the pages", flush=True)
                results = measure_pages(browser, [PAGES[name] for name in args.pages], args.runs)
            finally:
                browser.close()
    except (BenchError, PlaywrightError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    meta = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": args.runs,
        "seconds": round(time.monotonic() - started, 1),
        "git": _git_commit(),
        "chromium": chromium,
        "load_average": {"start": load_start, "end": os.getloadavg()[0], "cpus": os.cpu_count()},
        "python": platform.python_version(),
        "versions": {
            p: version(p) for p in ("streamlit", "folium", "streamlit-folium", "geopandas", "playwright")
        },
        "definitions": {
            "map payload": "server-to-browser websocket payload bytes (decoded frames, CDP "
            "Network.webSocketFrameReceived) from page.goto until the map is visible",
            "visible": "first path.leaflet-interactive with a box inside the streamlit-folium iframe "
            "(MutationObserver time); for canvas maps (atlas-ageb), the animation frame after Leaflet first "
            "held area shapes (options.atlasLevel) in a canvas with a box, i.e. once drawn; for the empty "
            "page, the <h1> title",
            "filter change": "from the click event that commits the change (checkbox label, or the option "
            "picked in a select box or multiselect) to the DOM change that put the map in its final state "
            "(site marker count for atlas, polygon fills for naive, the canvas areas Leaflet holds and "
            "their fills, stamped once drawn, for atlas-ageb); remounted = updated in another iframe, "
            "document or L.Map",
            "HTTP bytes": "encodedDataLength (headers included) of requests finished by the time the map "
            "was visible; cold cache (new browser context per run)",
            "peak server RSS": "max over 50 ms samples of RSS of the streamlit process and its children, "
            "from server start to the last run",
        },
    }
    report = build(results, meta)
    print()
    print(render(report))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json} in {meta['seconds']:.0f}s")
    return 0
