"""Where the Atlas finds its files.

One place names every shipped data file, so loaders, the build step, the data
catalogue and error messages agree on paths.
"""

from __future__ import annotations

from pathlib import Path

from geo import settings

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
STATIC_DIR = ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"

BOUNDARIES = DATA_DIR / "boroughs.geojson"
INDICATORS = DATA_DIR / "indicators.csv"
SITES = DATA_DIR / "utopias.csv"
PCMB = DATA_DIR / "pcmb_by_year.csv"
DATAPACKAGE = DATA_DIR / "datapackage.json"
AGEBS = DATA_DIR / "agebs.csv"
AGEB_SHAPES = DATA_DIR / "agebs.topojson"
AGEB_FIELDS = DATA_DIR / "ageb_fields.csv"
COLONIAS = DATA_DIR / "colonias.csv"
COLONIA_SHAPES = DATA_DIR / "colonias.topojson"
NEIGHBOURHOODS_REPORT = DATA_DIR / "neighbourhoods_report.json"

# The research brief the build step reads; present on development machines and in CI only.
DATA_BRIEF = ROOT.parent / "shared" / "data-brief"
NEIGHBOURHOODS_BRIEF = DATA_BRIEF / "neighbourhoods"


def data_dir() -> Path:
    """Return the data folder the app reads: ``$ATLAS_DATA_DIR`` or the shipped ``data/``."""
    return settings.data_dir() or DATA_DIR
