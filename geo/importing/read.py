"""An uploaded file's bytes → a table of text or a GeoDataFrame, read safely and within limits, with what was found.

The type comes from the content (a zip, an Excel workbook inside one, a
SQLite GeoPackage, JSON, KML, delimited text), not from the name: the
extension only breaks ties (the delimiter a ``.tsv`` suggests) and a name that
says otherwise is a finding. Nothing raises to the caller: every limit, every
unsafe archive and every failure of GDAL, openpyxl or the csv module becomes
an error finding of the returned :class:`Upload`, whose frame is then None.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Literal
from zipfile import ZipFile

import geopandas as gpd
import pandas as pd

from geo.importing.archive import datasets, open_archive, read_member
from geo.importing.excel import read_workbook
from geo.importing.findings import Finding, blocking
from geo.importing.limits import LIMITS, MB, Limits, Refused, megabytes
from geo.importing.spatial import Vector, read_shapefile, read_vector
from geo.importing.text import read_text

_LOG = logging.getLogger(__name__)
#: Logged (with the traceback) when a library fails on a file: the visitor gets a finding, the server log the cause.
_LOG_MESSAGE = "Upload %r could not be read as %s"

Kind = Literal["table", "spatial"]
#: The formats read, by the name a finding shows (names of formats, the same in every language).
FORMAT_NAMES = {
    "text": "CSV/TSV",
    "xlsx": "Excel (.xlsx)",
    "geojson": "GeoJSON",
    "gpkg": "GeoPackage",
    "kml": "KML",
    "shapefile": "Shapefile",
    "zip": "ZIP",
}
#: The kind of layer each format holds (a spatial layer without geometry is read as a table).
FORMAT_KINDS: dict[str, Kind] = {
    "text": "table",
    "xlsx": "table",
    "geojson": "spatial",
    "gpkg": "spatial",
    "kml": "spatial",
    "shapefile": "spatial",
}
#: What a file's extension claims it is (``zip``: an archive of layers).
EXTENSIONS = {
    ".csv": "text",
    ".tsv": "text",
    ".txt": "text",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".kml": "kml",
    ".kmz": "zip",
    ".zip": "zip",
}
#: The delimiter an extension suggests when two split the rows equally well.
_PREFERRED_DELIMITERS = {".csv": ",", ".tsv": "\t", ".txt": "\t"}
_GEOPACKAGE_IDS = (b"GPKG", b"GP10", b"GP11")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SHP = b"\x00\x00\x27\x0a"
_XML_PROLOGUE = re.compile(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.DOTALL)
_XML_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_HEAD_BYTES = 4096
#: Control bytes text never has in numbers (a NUL in a name, yes; one byte in twenty, no).
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1f]")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True, eq=False)
class Upload:
    """A file as read: ``frame`` is None when it cannot be used at all (its error finding says why).

    ``frame``: for a table, a DataFrame whose every cell is text, indexed by
    1-based data row; for a spatial file, a GeoDataFrame with its attributes
    as text and the CRS GDAL read (``None`` when the file declares none; for
    GeoJSON without a ``crs`` member and for KML, WGS 84, as their standards
    say). ``crs_declared``: the file itself names its CRS. ``encoding``: the
    codec text was read with; ``delimiter``: a text table's (None: one
    column). ``layer``: the sheet, layer or archive member read, of ``layers``.
    """

    name: str
    format: str | None
    kind: Kind | None
    frame: pd.DataFrame | None
    crs_declared: bool = False
    findings: tuple[Finding, ...] = ()
    encoding: str | None = None
    delimiter: str | None = None
    layer: str | None = None
    layers: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        """Whether there is a frame and no finding stops the whole file."""
        return self.frame is not None and not blocking(self.findings)


@dataclass
class _Draft:
    """What reading has found so far: kept when a later step refuses the file."""

    name: str
    findings: list[Finding] = field(default_factory=list)
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    layer: str | None = None
    layers: tuple[str, ...] = ()

    def upload(self, frame: pd.DataFrame | None = None, crs_declared: bool = False) -> Upload:
        if frame is None:
            kind = FORMAT_KINDS.get(self.format or "")
        else:
            kind = "spatial" if isinstance(frame, gpd.GeoDataFrame) else "table"
        return Upload(
            name=self.name,
            format=self.format,
            kind=kind,
            frame=frame,
            crs_declared=crs_declared,
            findings=tuple(self.findings),
            encoding=self.encoding,
            delimiter=self.delimiter,
            layer=self.layer,
            layers=self.layers,
        )


def _head(data: bytes) -> str:
    """The start of ``data`` as text (after any byte-order mark), enough to see how a JSON or XML file opens."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) : _HEAD_BYTES].decode(codec, errors="ignore").lstrip()
    return data[:_HEAD_BYTES].decode("latin-1").lstrip()


def _xml_root(head: str) -> str:
    """The local name of an XML document's root element (``kml``), lower case."""
    match = _XML_ROOT.search(_XML_PROLOGUE.sub("", head))
    return match.group(1).rsplit(":", 1)[-1].lower() if match else ""


def sniff(data: bytes) -> str:
    """What ``data`` is, by its first bytes: a key of :data:`FORMAT_NAMES` or one the Atlas refuses.

    Refused: ``empty``, ``sqlite`` (not a GeoPackage), ``xls`` (Office 97–2003),
    ``shp`` (a shapefile's geometry without its other parts), ``html``, ``xml`` (not KML),
    ``binary`` (none of these, and not text).
    """
    head = _head(data)
    if not head.strip():
        return "empty"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if data.startswith(b"SQLite format 3\x00"):
        return "gpkg" if data[68:72] in _GEOPACKAGE_IDS else "sqlite"
    if data.startswith(_OLE2):
        return "xls"
    if data.startswith(_SHP):
        return "shp"
    start = data[:_HEAD_BYTES]
    if len(_BINARY.findall(start)) > len(start) / 20 and not start.startswith(_UTF16_BOMS):
        return "binary"
    if head.startswith(("{", "[")):
        return "geojson"
    if head.startswith("<"):
        root = _xml_root(head)
        return root if root in ("kml", "html") else "xml"
    return "text"


_REFUSALS = {
    "empty": ("import_read.empty", {}),
    "sqlite": ("import_read.unsupported", {"format": "SQLite"}),
    "xls": ("import_read.unsupported", {"format": "Excel 97–2003 (.xls)"}),
    "shp": ("import_read.shapefile_alone", {}),
    "html": ("import_read.unsupported", {"format": "HTML"}),
    "xml": ("import_read.unsupported", {"format": "XML"}),
    "binary": ("import_read.unknown_format", {}),
}


def _check_extension(draft: _Draft, name: str, content: str) -> None:
    """A finding when the file's extension names another format than its content."""
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    claimed = EXTENSIONS.get(suffix)
    if claimed and claimed != content:
        detail = {"extension": suffix, "format": FORMAT_NAMES[content]}
        draft.findings.append(Finding("import_read.extension_mismatch", "warning", detail=detail))


def _take(draft: _Draft, vector: Vector) -> tuple[pd.DataFrame, bool]:
    draft.findings.extend(vector.findings)
    draft.layer, draft.layers, draft.encoding = vector.layer, vector.layers, vector.encoding
    return vector.frame, vector.crs_declared


def _read_archive(
    draft: _Draft, archive: ZipFile, layer: str | None, limits: Limits
) -> tuple[pd.DataFrame, bool]:
    """Read one layer of an archive (default: its first shapefile, else its first data file)."""
    found = datasets(archive)
    if not found:
        raise Refused("import_read.zip.no_data")
    chosen = found[0] if layer is None else next((d for d in found if d.name == layer), None)
    if chosen is None:
        raise Refused("import_read.layer_missing", layer=layer or "")
    names = tuple(dataset.name for dataset in found)
    if chosen.shapefile:
        draft.format = "shapefile"
        parts = {suffix: read_member(archive, info) for suffix, info in chosen.parts.items()}
        result = _take(draft, read_shapefile(parts, limits=limits))
    else:
        member = chosen.parts["file"]
        result = _read(draft, member.filename, read_member(archive, member), None, limits, nested=True)
    if len(names) > 1:
        draft.findings.append(
            Finding("import_read.layers", "info", detail={"layer": chosen.name, "count": len(names)})
        )
    draft.layer, draft.layers = chosen.name, names
    return result


def _read(
    draft: _Draft, name: str, data: bytes, layer: str | None, limits: Limits, *, nested: bool
) -> tuple[pd.DataFrame, bool]:
    """Read ``data`` by what it holds; an archive's member is read the same way (``nested``), but not a zip in it."""
    content = sniff(data)
    if content in _REFUSALS:
        code, detail = _REFUSALS[content]
        raise Refused(code, **detail)
    if content == "zip":
        archive = open_archive(data, limits)
        content = "xlsx" if "xl/workbook.xml" in archive.namelist() else "zip"
        if content == "zip" and nested:
            raise Refused("import_read.unsupported", format="ZIP")
    _check_extension(draft, name, content)
    draft.format = content
    if content == "zip":
        return _read_archive(draft, archive, layer, limits)
    if content == "xlsx":
        sheet = read_workbook(data, sheet=layer, limits=limits)
        draft.findings.extend(sheet.findings)
        draft.layer, draft.layers = sheet.name, sheet.names
        return sheet.frame, False
    if content == "text":
        suffix = PurePosixPath(name).suffix.lower()
        table = read_text(data, prefer=_PREFERRED_DELIMITERS.get(suffix), limits=limits)
        draft.findings.extend(table.findings)
        draft.encoding, draft.delimiter = table.encoding, table.delimiter
        return table.frame, False
    return _take(draft, read_vector(data, content, layer=layer, limits=limits))


def read_upload(name: str, data: bytes, *, layer: str | None = None, limits: Limits = LIMITS) -> Upload:
    """Read an uploaded file named ``name``: ``layer`` picks a sheet, a layer or an archive's member.

    Never raises for anything the file holds: a file over a limit, unsafe,
    malformed or of an unknown type comes back with ``frame=None`` and an
    error finding that says why.
    """
    draft = _Draft(name)
    try:
        if len(data) > limits.upload_bytes:
            raise Refused(
                "import_read.too_large", size_mb=megabytes(len(data)), limit_mb=limits.upload_bytes // MB
            )
        frame, crs_declared = _read(draft, name, data, layer, limits, nested=False)
    except Refused as refusal:
        draft.findings.append(refusal.finding)
    except Exception:
        _LOG.info(_LOG_MESSAGE, name, draft.format, exc_info=True)
        if draft.format is None:
            draft.findings.append(Finding("import_read.unknown_format", "error"))
        else:
            detail = {"format": FORMAT_NAMES[draft.format]}
            draft.findings.append(Finding("import_read.unreadable", "error", detail=detail))
    else:
        return draft.upload(frame, crs_declared)
    return draft.upload()
