"""A spatial file (GeoJSON, GeoPackage, KML, a shapefile from a zip) → a GeoDataFrame, read by GDAL from memory.

pyogrio hands the bytes to GDAL as an in-memory file (``/vsimem/``, and
``/vsizip/`` over it for a zip): nothing is written to disk. A shapefile's
parts, already taken out of the upload's archive within the limits, are
packed again into a small archive of their own, so GDAL reads only them. The
frame keeps the CRS the file declares (None when it declares none); its
attributes are text, like a table's, and its index is the 1-based feature
number a finding names.
"""

from __future__ import annotations

import codecs
import io
import re
import warnings
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from geo.importing.archive import SHAPEFILE_REQUIRED
from geo.importing.findings import Finding
from geo.importing.limits import Limits, Refused
from geo.importing.table import cell_text
from geo.importing.text import ENCODING_NAMES, detect_encoding, encoding_finding

#: Columns GDAL's LIBKML driver adds to every KML layer: how Google Earth draws a placemark, not data.
_KML_DISPLAY = ("altitudeMode", "tessellate", "extrude", "visibility", "drawOrder", "icon")
_GEOJSON_CRS = re.compile(rb'"crs"\s*:\s*\{')
_KML_REFUSED = (
    (re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE), "import_read.xml_doctype"),
    (re.compile(r"<(?:[\w.-]+:)?NetworkLink[\s>/]"), "import_read.kml_network_link"),
)
_SHP_HEADER_BYTES = 100
#: What a shapefile's ``.cpg`` may say → the codec; anything else is detected from the ``.dbf`` itself.
_CPG = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "65001": "utf-8",
    "1252": "cp1252",
    "cp1252": "cp1252",
    "windows-1252": "cp1252",
    "ansi 1252": "cp1252",
    "iso-8859-1": "latin-1",
    "iso8859-1": "latin-1",
    "8859-1": "latin-1",
    "88591": "latin-1",
    "latin1": "latin-1",
}


@dataclass(frozen=True)
class Vector:
    """One layer read: a GeoDataFrame (a DataFrame when the layer has no geometry) and how it was read."""

    frame: pd.DataFrame
    layer: str
    layers: tuple[str, ...]
    crs_declared: bool
    encoding: str | None
    findings: tuple[Finding, ...]


def crs_name(crs: CRS) -> str:
    """``EPSG:32614`` when the CRS has a code, else its name."""
    code = crs.to_epsg()
    return f"EPSG:{code}" if code else crs.name


def _check_kml(data: bytes) -> None:
    """Refuse a KML with a document type (entities) or network links: GDAL would expand or follow them."""
    encoding = "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8"
    text = data.decode(encoding, errors="replace")
    for pattern, code in _KML_REFUSED:
        if pattern.search(text):
            raise Refused(code)


def _declares_crs(data: bytes, fmt: str, crs: CRS | None) -> bool:
    """Whether the file names its CRS (a GeoJSON ``crs`` member, a ``.prj``, a GeoPackage's SRS)."""
    if fmt == "geojson":
        return bool(_GEOJSON_CRS.search(data))
    return fmt != "kml" and crs is not None


def _crs_finding(crs: CRS | None, declared: bool) -> Finding:
    if crs is None:
        return Finding("import_read.crs_missing", "warning")
    code = "import_read.crs" if declared else "import_read.crs_standard"
    return Finding(code, "info", detail={"crs": crs_name(crs)})


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every attribute column as text (the geometry stays), indexed by feature number from 1."""
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    for column in frame.columns:
        if column != geometry:
            frame[column] = frame[column].astype(object).map(cell_text)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    return frame


def read_vector(
    data: bytes, fmt: str, *, layer: str | None, limits: Limits, encoding: str | None = None
) -> Vector:
    """Read one layer (default: the first) of a GeoJSON, GeoPackage, KML or packed shapefile ``data``."""
    if fmt == "kml":
        _check_kml(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        layers = tuple(str(name) for name, _ in pyogrio.list_layers(data))
        if not layers:
            raise Refused("import_read.no_rows")
        chosen = layers[0] if layer is None else layer
        if chosen not in layers:
            raise Refused("import_read.layer_missing", layer=chosen)
        info = pyogrio.read_info(data, layer=chosen, encoding=encoding)
        if info["features"] > limits.rows:
            raise Refused("import_read.too_many_rows", limit=limits.rows)
        if len(info["fields"]) > limits.columns:
            raise Refused("import_read.too_many_columns", count=len(info["fields"]), limit=limits.columns)
        frame = pyogrio.read_dataframe(
            data,
            layer=chosen,
            encoding=encoding,
            max_features=limits.rows + 1,
            datetime_as_string=True,
            on_invalid="ignore",
        )
    if len(frame) > limits.rows:
        raise Refused("import_read.too_many_rows", limit=limits.rows)
    if len(frame) == 0:
        raise Refused("import_read.no_rows")
    findings: list[Finding] = []
    if len(layers) > 1:
        findings.append(Finding("import_read.layers", "info", detail={"layer": chosen, "count": len(layers)}))
    if fmt == "kml":
        frame = frame.drop(columns=[column for column in _KML_DISPLAY if column in frame.columns])
    declared = False
    if isinstance(frame, gpd.GeoDataFrame):
        vertices = int(shapely.get_num_coordinates(frame.geometry.values).sum())
        if vertices > limits.vertices:
            raise Refused("import_read.too_many_vertices", count=vertices, limit=limits.vertices)
        declared = _declares_crs(data, fmt, frame.crs)
        findings.append(_crs_finding(frame.crs, declared))
    else:
        findings.append(Finding("import_read.no_geometry", "warning"))
    return Vector(_as_text(frame), chosen, layers, declared, encoding, tuple(findings))


def _decodes(data: bytes, encoding: str) -> bool:
    """Whether ``data`` is valid in ``encoding``."""
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _dbf_encoding(parts: Mapping[str, bytes]) -> tuple[str, Finding]:
    """The encoding of a shapefile's attributes: what its ``.cpg`` names if the ``.dbf`` decodes so, else detected."""
    dbf = parts["dbf"]
    records = dbf[int.from_bytes(dbf[8:10], "little") :]
    declared = _CPG.get(parts.get("cpg", b"").decode("ascii", errors="replace").strip().lower())
    if declared and _decodes(records, declared):
        name = ENCODING_NAMES[declared]
        return declared, Finding("import_read.encoding_declared", "info", detail={"encoding": name})
    encoding = detect_encoding(records) or "latin-1"
    encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    return encoding, encoding_finding(encoding, records.decode(encoding, errors="replace"))


def read_shapefile(parts: Mapping[str, bytes], *, limits: Limits) -> Vector:
    """Read a shapefile from its parts by suffix (``shp``, ``shx``, ``dbf``, optional ``prj`` and ``cpg``)."""
    missing = [f".{part}" for part in SHAPEFILE_REQUIRED if part not in parts]
    if missing:
        raise Refused("import_read.shapefile_incomplete", missing=", ".join(missing))
    if len(parts["shp"]) < _SHP_HEADER_BYTES:
        raise Refused("import_read.unreadable", format="Shapefile")
    encoding, finding = _dbf_encoding(parts)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_STORED) as archive:
        for part in ("shp", "shx", "dbf", "prj"):
            if part in parts:
                archive.writestr(f"layer.{part}", parts[part])
    vector = read_vector(packed.getvalue(), "shapefile", layer=None, limits=limits, encoding=encoding)
    return Vector(
        vector.frame, vector.layer, vector.layers, vector.crs_declared, encoding, (finding, *vector.findings)
    )
