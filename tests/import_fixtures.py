"""SYNTHETIC upload files for the readers' tests: every name, code, amount and coordinate here is made up.

The names are real place names with invented sites ("Sitio sintético …"),
because accents are what the encodings must keep; the coordinates only fall
roughly inside Mexico City. Spatial files are written by pyogrio into a
temporary folder (GDAL's writers need one) and returned as bytes; archives
are built in memory, the hostile ones byte by byte where zipfile would refuse
to write them.
"""

from __future__ import annotations

import csv
import io
import struct
import tempfile
import zipfile
import zlib
from datetime import date, datetime
from pathlib import Path

import geopandas as gpd
import openpyxl
import pyogrio
from shapely.geometry import Point, Polygon

#: (name, borough code, latitude, longitude, amount): SYNTHETIC sites.
SITES = (
    ("Sitio sintético Álvaro Obregón", "09010", 19.3587, -99.2036, 1500.5),
    ("Sitio sintético Peñón de los Baños", "09015", 19.4401, -99.0860, 820.25),
    ("Sitio sintético Tláhuac", "09011", 19.2867, -99.0043, 90.0),
    ("Sitio sintético Cuauhtémoc", "09015", 19.4326, -99.1332, 12.75),
)
HEADER = ("nombre", "alcaldía", "latitud", "longitud", "monto")


def _decimal_comma(value: float) -> str:
    return str(value).replace(".", ",")


def latin1_csv() -> bytes:
    """Semicolons, decimal commas and accented names in Latin-1, as Excel in Spanish exports a CSV."""
    lines = [";".join(HEADER)]
    lines += [
        ";".join((name, code, _decimal_comma(lat), _decimal_comma(lon), _decimal_comma(amount)))
        for name, code, lat, lon, amount in SITES
    ]
    return ("\r\n".join(lines) + "\r\n").encode("latin-1")


def delimited(delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    """The sites with ``delimiter`` (quoted where needed), in ``encoding`` (``utf-8-sig``: with a BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADER)
    writer.writerows((name, code, lat, lon, amount) for name, code, lat, lon, amount in SITES)
    return buffer.getvalue().encode(encoding)


def names_csv(names: list[str]) -> bytes:
    """A CSV whose ``nombre`` column holds ``names`` exactly (csv.writer quotes what needs quoting)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("nombre", "clave"))
    writer.writerows((name, f"{i:05d}") for i, name in enumerate(names))
    return buffer.getvalue().encode("utf-8")


def workbook() -> bytes:
    """An .xlsx: a sheet of SYNTHETIC projects (a date, a code kept with zeros by its format) and a notes sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Proyectos"
    sheet.append(("nombre", "clave", "fecha", "monto", "año"))
    sheet.append(("Proyecto sintético Peñón", 9007, date(2023, 5, 17), 1500.5, 2023))
    sheet.append(("Proyecto sintético Tláhuac", 9011, datetime(2024, 1, 2, 10, 30), 90.0, 2024))
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].number_format = "00000"
    book.create_sheet("Notas").append(("nota",))
    book["Notas"].append(("Hoja sintética",))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sites_frame(crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    """The SYNTHETIC sites as points, in ``crs``."""
    frame = gpd.GeoDataFrame(
        {"nombre": [s[0] for s in SITES], "clave": [s[1] for s in SITES], "monto": [s[4] for s in SITES]},
        geometry=[Point(lon, lat) for _, _, lat, lon, _ in SITES],
        crs="EPSG:4326",
    )
    return frame.to_crs(crs)


def squares(count: int) -> gpd.GeoDataFrame:
    """``count`` SYNTHETIC square areas, each with five vertices."""
    cells = [Polygon.from_bounds(-99.2 + i * 0.01, 19.3, -99.19 + i * 0.01, 19.31) for i in range(count)]
    return gpd.GeoDataFrame({"clave": [f"A{i}" for i in range(count)]}, geometry=cells, crs="EPSG:4326")


def written(frame: gpd.GeoDataFrame, filename: str, **options: object) -> dict[str, bytes]:
    """Every file pyogrio writes for ``frame`` as ``filename``, by name (a shapefile writes several)."""
    with tempfile.TemporaryDirectory() as folder:
        pyogrio.write_dataframe(frame, Path(folder) / filename, **options)
        return {path.name: path.read_bytes() for path in sorted(Path(folder).iterdir())}


def geojson_utm() -> bytes:
    """The sites in UTM zone 14N (EPSG:32614), the GeoJSON naming its CRS the pre-RFC 7946 way."""
    return written(sites_frame("EPSG:32614"), "sitios.geojson", driver="GeoJSON")["sitios.geojson"]


def geopackage() -> bytes:
    """A GeoPackage with two layers: the sites and SYNTHETIC areas."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "datos.gpkg"
        pyogrio.write_dataframe(sites_frame(), path, layer="sitios")
        pyogrio.write_dataframe(squares(3), path, layer="areas", append=True)
        return path.read_bytes()


def kml() -> bytes:
    return written(sites_frame(), "sitios.kml", driver="KML")["sitios.kml"]


def zipped(members: dict[str, bytes]) -> bytes:
    """An archive of ``members`` under exactly the names given (zip slip included)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def shapefile_zip(*, prj: bool, cpg: bool, encoding: str = "cp1252", folder: str = "") -> bytes:
    """The sites as a zipped shapefile written in ``encoding``, with or without its .prj and .cpg."""
    files = written(sites_frame(), "sitios.shp", encoding=encoding)
    keep = {"shp", "shx", "dbf"} | ({"prj"} if prj else set()) | ({"cpg"} if cpg else set())
    return zipped({f"{folder}{name}": data for name, data in files.items() if name.rsplit(".", 1)[1] in keep})


def zip_bomb(*, declared: int, actual: int, name: str = "datos.csv") -> bytes:
    """A one-member zip whose central directory says the member expands to ``declared`` bytes.

    The member's data is ``actual`` zero bytes deflated (a few hundred bytes per
    megabyte), so ``declared`` can be honest (= ``actual``) or lie either way.
    """
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    chunk, parts, left = bytes(1 << 20), [], actual
    while left:
        parts.append(compressor.compress(chunk[: min(left, len(chunk))]))
        left -= min(left, len(chunk))
    data = b"".join(parts) + compressor.flush()
    crc = zlib.crc32(bytes(min(actual, 1 << 20)))
    encoded = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), declared, len(encoded), 0)
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50,
        20,
        20,
        0,
        8,
        0,
        0,
        crc,
        len(data),
        declared,
        len(encoded),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    directory = central + encoded
    offset = len(local) + len(encoded) + len(data)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(directory), offset, 0)
    return local + encoded + data + directory + end
