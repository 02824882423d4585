"""Import benchmark (issue 10 §4): two SYNTHETIC uploads, timed from the bytes to the map's layers.

``python -m bench.imports [--runs N]`` generates a 10,000-point CSV and a
2,000-polygon zipped shapefile (invented sites and squares, labelled
synthetic in every name; never real data) and prints, per file, the median
(min–max) of ``N`` runs of:

- **check**: seconds from the uploaded bytes to the check report
  (``read_upload``, the kind and roles guessed, ``check_layer``), what the
  "Your data" page does before it shows the report;
- **drawn**: seconds from the confirmed layer to the map's layers as
  ``st_folium`` sends them (``map_model`` with the layer, ``map_layers``,
  each layer rendered to its JavaScript);
- **payload**: bytes of that JavaScript, all layers and the user layer's;
- **filter change**: seconds for the same with the status filter changed
  ("Under construction" off), the layer on: the server's share of a filter
  change, not a browser's.

Pure Python in one process: the Atlas and the units are loaded once, as the
app's caches hold them, and not timed. Targets (issue 10 §4): check ≤ 3 s,
drawn ≤ 5 s, filter change ≤ 0.6 s median.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import pyogrio
from shapely.geometry import Polygon
from streamlit_folium import _get_feature_group_string

from bench.payload import utf8_len
from geo import markup
from geo.filters import opened_year_range
from geo.importing.check import CheckedLayer, check_layer
from geo.importing.columns import guess_roles
from geo.importing.locate import Units, load_units
from geo.importing.read import read_upload
from geo.loaders import Atlas, load_atlas
from geo.mapmodel import map_model
from geo.mapview import base_map, map_layers
from geo.state import DEFAULT_INDICATOR, ViewState
from geo.userlayers import UserLayer, check_frame, guess_kind, user_layer
from geo.vocabulary import STATUSES

SITES = 10_000
AREAS = 2_000
#: A box well inside Mexico City (Benito Juárez to Iztapalapa) the synthetic sites fall in.
SITE_BOX = (-99.19, 19.33, -99.06, 19.45)
#: The lower-left corner of the synthetic squares' grid, and each square's side in degrees.
GRID_ORIGIN, GRID_STEP, GRID_COLUMNS = (-99.20, 19.30), 0.004, 50
STATUS_CELLS = ("abierta", "en construcción", "anunciada")
FILTERED = "under_construction"  # the status box the filter change turns off

T = TypeVar("T")


def synthetic_sites_csv(count: int = SITES, seed: int = 10) -> bytes:
    """``count`` SYNTHETIC sites as a UTF-8 CSV with Spanish headers: invented names, places, years, amounts."""
    rng = random.Random(seed)
    west, south, east, north = SITE_BOX
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("nombre", "latitud", "longitud", "año", "estatus", "monto"))
    for number in range(count):
        writer.writerow(
            (
                f"Sitio sintético {number}",
                f"{rng.uniform(south, north):.6f}",
                f"{rng.uniform(west, east):.6f}",
                rng.randint(2019, 2025),
                rng.choice(STATUS_CELLS),
                rng.randint(10_000, 5_000_000),
            )
        )
    return buffer.getvalue().encode("utf-8")


def synthetic_areas_zip(count: int = AREAS) -> bytes:
    """``count`` SYNTHETIC squares (a grid over the city's centre) as a zipped shapefile with .prj and .cpg."""
    (west, south), step = GRID_ORIGIN, GRID_STEP
    squares = [
        Polygon.from_bounds(x, y, x + step * 0.9, y + step * 0.9)
        for number in range(count)
        for x, y in [(west + (number % GRID_COLUMNS) * step, south + (number // GRID_COLUMNS) * step)]
    ]
    frame = gpd.GeoDataFrame(
        {
            "clave": [f"S{number:05d}" for number in range(count)],
            "nombre": [f"Área sintética {number}" for number in range(count)],
            "valor": [float(number % 97) for number in range(count)],
        },
        geometry=squares,
        crs="EPSG:4326",
    )
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        pyogrio.write_dataframe(frame, Path(folder) / "areas_sinteticas.shp", encoding="UTF-8")
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(folder).iterdir()):
                archive.writestr(path.name, path.read_bytes())
    return buffer.getvalue()


def check(name: str, data: bytes, units: Units) -> CheckedLayer:
    """What the page does from the uploaded bytes to the check report."""
    upload = read_upload(name, data)
    kind = guess_kind(upload)
    frame = check_frame(upload, kind)
    return check_layer(frame, kind, guess_roles(frame, kind), units)


def drawn(atlas: Atlas, view: ViewState, layer: UserLayer) -> dict[str, str]:
    """The map's layers for ``view`` with ``layer`` on, by name, as the JavaScript ``st_folium`` sends."""
    model = map_model(atlas, view, user_layers=[layer])
    fmap = base_map(view.base, lang=view.lang)
    return {
        group.layer_name: _get_feature_group_string(group, fmap, index)  # streamlit_folium's own renderer
        for index, group in enumerate(map_layers(model))
    }


def timed(work: Callable[[], T], runs: int) -> tuple[T, list[float]]:
    """``work``'s result and its seconds in each of ``runs`` runs."""
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - start)
    return result, seconds


def spread(seconds: Sequence[float]) -> str:
    """Median (min–max), in seconds."""
    return f"{statistics.median(seconds):.2f} s ({min(seconds):.2f}–{max(seconds):.2f})"


def measure(name: str, data: bytes, atlas: Atlas, units: Units, runs: int) -> list[str]:
    """The figures of one upload, as report lines."""
    checked, check_seconds = timed(lambda: check(name, data, units), runs)
    layer = user_layer(checked, ident="bench", name=name, source="SYNTHETIC (bench.imports)", file=name)
    view = ViewState(ind=DEFAULT_INDICATOR, year=2020, opened=opened_year_range(atlas.sites)[1])
    scripts, drawn_seconds = timed(lambda: drawn(atlas, view, layer), runs)
    filtered = replace(view, status=tuple(status for status in STATUSES if status != FILTERED))
    _, filter_seconds = timed(lambda: drawn(atlas, filtered, layer), runs)
    total = sum(utf8_len(script) for script in scripts.values())
    return [
        f"{name}: {len(data):,} bytes uploaded, {checked.layer.shape[0]:,} rows kept ({checked.kind})",
        f"  check report          {spread(check_seconds)}",
        f"  drawn map's layers    {spread(drawn_seconds)}",
        f"  payload               {total:,} bytes, of which the user layer {utf8_len(scripts[markup.text(name)]):,}",
        f"  filter change         {spread(filter_seconds)}",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each measure (default 5)")
    runs = parser.parse_args(argv).runs
    atlas, units = load_atlas(), load_units()
    uploads = (
        ("sitios_sinteticos.csv", synthetic_sites_csv()),
        ("areas_sinteticas.zip", synthetic_areas_zip()),
    )
    for name, data in uploads:
        print("\n".join(measure(name, data, atlas, units, runs)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
