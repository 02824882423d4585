"""SYNTHETIC layers for the store tests: invented sites in a box over Mexico City, not real data.

Also the writer the process tests start (``python -m tests.store_support TARGET
LAYER_ID PUBLISHES ROWS``): it opens the store, says ``ready`` and publishes a
synthetic layer of ``ROWS`` rows ``PUBLISHES`` times (0: until it is killed).
"""

from __future__ import annotations

import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.importing.check import SITE_COLUMNS
from geo.store import open_store
from geo.userlayers import UserLayer

EDITOR = "ana"
PASSWORD = "synthetic password 1"
SHA = "ab" * 32
SUMMARY = {"error": 0, "warning": 1, "repaired": 2}


def synthetic_sites(count: int, *, seed: int = 0, name: str = "Sitios sintéticos") -> UserLayer:
    """``count`` SYNTHETIC sites with the site check's columns and dtypes (made-up names, years, amounts)."""
    rng = np.random.default_rng(seed)
    numbers = np.arange(1, count + 1)
    rows = pd.DataFrame({column: pd.Series([None] * count, dtype=object) for column in SITE_COLUMNS})
    rows["row"] = numbers
    rows["located_by"] = "coordinates"
    rows["precision"] = "import_check.precision.coordinates"
    rows["context"] = numbers % 7 == 0
    rows["borough"] = "09007"
    rows["name"] = [f"Sitio sintético {seed}-{n}" for n in numbers]
    rows["year"] = pd.array(np.where(numbers % 5 == 0, None, 2015 + numbers % 10), dtype="Int64")
    rows["status"] = np.where(numbers % 3 == 0, "abierta", None)
    rows["amount"] = np.where(numbers % 4 == 0, np.nan, rng.uniform(0, 1e6, count))
    points = shapely.points(rng.uniform(-99.3, -98.95, count), rng.uniform(19.2, 19.55, count))
    frame = gpd.GeoDataFrame(rows, geometry=points, crs="EPSG:4326")
    return UserLayer("synthetic", "sites", name, "Datos sintéticos de prueba", "sinteticos.csv", frame)


def main(target: str, layer_id: str, publishes: int, count: int) -> None:
    store = open_store(target)
    layer = synthetic_sites(count, seed=count)
    print("ready", flush=True)
    done = 0
    while publishes == 0 or done < publishes:
        record = store.publish_layer(
            layer, editor=EDITOR, sha256=SHA, report_summary=SUMMARY, layer_id=layer_id
        )
        done += 1
        print("published", record.version, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
