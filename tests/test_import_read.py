"""Reading a visitor's upload safely: types by content, encodings said, archives checked, nothing raised.

Every file here is SYNTHETIC (tests/import_fixtures.py). Each upload is read
through :func:`read`, which also renders every finding in the three
languages, so a finding whose code or placeholders the catalogue lacks fails
the test that produced it.
"""

from __future__ import annotations

import codecs
import csv
import io
import random
import tracemalloc

import geopandas as gpd
import pytest

from geo.i18n import LANGUAGES
from geo.importing.limits import LIMITS, MB, Limits
from geo.importing.read import Upload, read_upload, sniff
from geo.importing.templates import TEMPLATE_COLUMNS, template_columns, template_csv, template_help
from tests import hostile
from tests import import_fixtures as fx

NAMES = [site[0] for site in fx.SITES]


def read(name: str, data: bytes, **options: object) -> Upload:
    upload = read_upload(name, data, **options)  # type: ignore[arg-type]
    for finding in upload.findings:
        for lang in LANGUAGES:
            assert finding.text(lang)
    return upload


def codes(upload: Upload, severity: str | None = None) -> list[str]:
    return [f.code for f in upload.findings if severity is None or f.severity == severity]


def refused(upload: Upload, code: str) -> None:
    """The file was refused whole, for ``code``."""
    assert upload.frame is None
    assert not upload.usable
    assert [(f.code, f.row) for f in upload.findings if f.severity == "error"] == [(code, None)]


# --- text tables --------------------------------------------------------------------------------


def test_a_latin1_csv_with_semicolons_and_decimal_commas_keeps_every_accent_and_says_how_it_was_read() -> (
    None
):
    upload = read("proyectos.csv", fx.latin1_csv())
    assert upload.usable
    assert upload.kind == "table"
    assert upload.format == "text"
    assert upload.encoding in {"cp1252", "latin-1"}
    assert upload.delimiter == ";"
    frame = upload.frame
    assert list(frame.columns) == list(fx.HEADER)
    assert frame["nombre"].tolist() == NAMES
    assert frame["alcaldía"].tolist() == ["09010", "09015", "09011", "09015"]
    assert frame["latitud"].tolist()[0] == "19,3587"
    assert frame.index.tolist() == [1, 2, 3, 4]
    legacy = next(f for f in upload.findings if f.code == "import_read.encoding_legacy")
    assert legacy.severity == "warning"
    assert legacy.detail["sample"] == "alcaldía"
    assert "import_read.delimiter.semicolon" in codes(upload)


def test_utf8_with_a_byte_order_mark_is_said_and_the_mark_is_not_in_the_first_column_name() -> None:
    upload = read("sitios.csv", fx.delimited(",", "utf-8-sig"))
    assert upload.encoding == "utf-8-sig"
    assert upload.delimiter == ","
    assert upload.frame.columns[0] == "nombre"
    assert upload.frame["nombre"].tolist() == NAMES
    said = next(f for f in upload.findings if f.code == "import_read.encoding")
    assert said.severity == "info"
    assert said.detail == {"encoding": "UTF-8 (BOM)"}


def test_a_tsv_is_split_on_tabs_and_numbers_stay_text() -> None:
    upload = read("sitios.tsv", fx.delimited("\t"))
    assert upload.delimiter == "\t"
    assert upload.encoding == "utf-8"
    assert upload.frame["monto"].tolist() == ["1500.5", "820.25", "90.0", "12.75"]


@pytest.mark.parametrize("delimiter", ["|", ";"])
def test_the_delimiter_is_sniffed_whatever_the_extension_says(delimiter: str) -> None:
    upload = read("sitios.tsv", fx.delimited(delimiter))
    assert upload.delimiter == delimiter
    assert upload.frame["nombre"].tolist() == NAMES


def test_utf16_with_a_mark_is_read() -> None:
    upload = read("sitios.txt", fx.delimited("\t", "utf-16"))
    assert upload.encoding == "utf-16"
    assert upload.frame["nombre"].tolist() == NAMES


def test_ragged_rows_get_a_finding_each_with_their_data_row_number() -> None:
    text = "nombre,clave,monto\na,09007,1\nb,09008\n\nc,09009,3,extra\nd,09010,4,,\n"
    upload = read("x.csv", text.encode())
    assert upload.usable
    assert upload.frame.index.tolist() == [1, 2, 4, 5]
    by_row = {f.row: f for f in upload.findings if f.row is not None}
    assert by_row[2].code == "import_read.row_too_short"
    assert by_row[2].severity == "warning"
    assert by_row[2].detail == {"cells": 2, "expected": 3}
    assert by_row[4].code == "import_read.row_too_long"
    assert by_row[4].severity == "error"
    assert 5 not in by_row, "empty trailing cells are not a problem"
    assert upload.frame.loc[2].tolist() == ["b", "09008", ""]
    assert "import_read.blank_rows" in codes(upload, "info")


def test_blank_and_repeated_headers_are_named_and_said() -> None:
    upload = read("x.csv", b"nombre,,nombre\na,b,c\n")
    assert list(upload.frame.columns) == ["nombre", "#2", "nombre (2)"]
    assert codes(upload, "warning") == ["import_read.header_blank", "import_read.header_duplicate"]


def test_a_title_row_above_the_header_is_skipped_and_said() -> None:
    upload = read("x.csv", b"Reporte sintetico\n\nnombre,clave\na,09007\n")
    assert list(upload.frame.columns) == ["nombre", "clave"]
    assert upload.frame.index.tolist() == [1]
    assert "import_read.title_rows" in codes(upload, "info")


def test_a_one_column_file_is_read_as_one_column_with_a_warning() -> None:
    upload = read("x.csv", "nombre\nPeñón, el sintético\nTláhuac\n".encode())
    assert list(upload.frame.columns) == ["nombre"]
    assert upload.frame["nombre"].tolist() == ["Peñón, el sintético", "Tláhuac"]
    assert "import_read.one_column" in codes(upload, "warning")


def test_twenty_hostile_names_are_kept_verbatim_as_text() -> None:
    payloads = hostile.payloads()
    names = payloads[:60:6] + payloads[-10:]  # every vector once, then the literals with control characters
    assert any("\x00" in n for n in names)
    assert any("\r" in n for n in names)
    assert any("<script" in n for n in names)
    upload = read("hostil.csv", fx.names_csv(names))
    assert upload.usable
    assert upload.frame["nombre"].tolist() == names
    assert upload.frame["clave"].tolist()[:2] == ["00000", "00001"]


def test_bytes_that_are_utf8_in_places_make_an_error_on_each_damaged_row() -> None:
    data = "nombre\nPeñón\n".encode() + "Tláhuac\n".encode("latin-1") + "Cuauhtémoc\n".encode()
    upload = read("x.csv", data)
    assert upload.encoding == "utf-8"
    damaged = [f for f in upload.findings if f.code == "import_read.undecodable_row"]
    assert [(f.row, f.severity) for f in damaged] == [(2, "error")]
    assert upload.frame["nombre"].tolist()[0] == "Peñón"


def test_a_header_only_file_and_an_empty_one_are_refused() -> None:
    refused(read("x.csv", b"nombre;clave\r\n"), "import_read.no_rows")
    refused(read("x.csv", b""), "import_read.empty")
    refused(read("x.csv", codecs.BOM_UTF8 + b"  \r\n\r\n"), "import_read.empty")


# --- Excel ----------------------------------------------------------------------------------------


def test_excel_reads_the_first_sheet_as_text_and_lists_the_sheets() -> None:
    upload = read("proyectos.xlsx", fx.workbook())
    assert upload.usable
    assert upload.format == "xlsx"
    assert upload.kind == "table"
    assert upload.layers == ("Proyectos", "Notas")
    assert upload.layer == "Proyectos"
    frame = upload.frame
    assert frame["nombre"].tolist() == ["Proyecto sintético Peñón", "Proyecto sintético Tláhuac"]
    assert frame["clave"].tolist() == ["09007", "09011"], "a code formatted 00000 keeps its zeros"
    assert frame["fecha"].tolist() == ["2023-05-17", "2024-01-02T10:30:00"]
    assert frame["monto"].tolist() == ["1500.5", "90"]
    assert frame["año"].tolist() == ["2023", "2024"]


def test_another_sheet_can_be_chosen_and_a_missing_one_is_a_finding() -> None:
    assert read("p.xlsx", fx.workbook(), layer="Notas").frame["nota"].tolist() == ["Hoja sintética"]
    refused(read("p.xlsx", fx.workbook(), layer="Nada"), "import_read.layer_missing")


# --- spatial files ----------------------------------------------------------------------------------


def test_a_geojson_in_utm_14n_keeps_its_declared_crs_and_coordinates() -> None:
    upload = read("sitios.geojson", fx.geojson_utm())
    assert upload.usable
    assert upload.kind == "spatial"
    assert upload.format == "geojson"
    frame = upload.frame
    assert isinstance(frame, gpd.GeoDataFrame)
    assert frame.crs.to_epsg() == 32614
    assert upload.crs_declared
    assert 400_000 < frame.geometry.x.min() < frame.geometry.x.max() < 600_000
    assert frame["nombre"].tolist() == NAMES
    assert frame["monto"].tolist() == ["1500.5", "820.25", "90", "12.75"]
    crs = next(f for f in upload.findings if f.code == "import_read.crs")
    assert crs.detail == {"crs": "EPSG:32614"}


def test_a_zipped_shapefile_without_prj_has_no_crs_and_says_so() -> None:
    upload = read("sitios.zip", fx.shapefile_zip(prj=False, cpg=False))
    assert upload.usable
    assert upload.format == "shapefile"
    assert upload.kind == "spatial"
    assert upload.frame.crs is None
    assert not upload.crs_declared
    assert "import_read.crs_missing" in codes(upload, "warning")
    assert upload.frame["nombre"].tolist() == NAMES, "the .dbf's Windows-1252 was detected without a .cpg"
    assert upload.encoding == "cp1252"
    assert "import_read.encoding_legacy" in codes(upload, "warning")
    assert upload.layers == ("sitios",)


def test_a_zipped_shapefile_with_prj_and_cpg_in_a_folder_reads_both() -> None:
    upload = read("sitios.zip", fx.shapefile_zip(prj=True, cpg=True, encoding="UTF-8", folder="entrega/"))
    assert upload.frame.crs.to_epsg() == 4326
    assert upload.crs_declared
    assert upload.frame["nombre"].tolist() == NAMES
    assert upload.encoding == "utf-8"
    assert "import_read.encoding_declared" in codes(upload, "info")
    assert upload.layer == "entrega/sitios"


def test_a_cpg_that_names_the_wrong_encoding_gives_way_to_detection() -> None:
    files = fx.written(fx.sites_frame(), "s.shp", encoding="cp1252")
    upload = read("s.zip", fx.zipped({**files, "s.cpg": b"UTF-8"}))
    assert upload.frame["nombre"].tolist() == NAMES
    assert upload.encoding == "cp1252"
    assert "import_read.encoding_legacy" in codes(upload, "warning")


def test_a_geopackage_lists_its_layers_and_reads_the_one_asked_for() -> None:
    upload = read("datos.gpkg", fx.geopackage())
    assert upload.layers == ("sitios", "areas")
    assert upload.layer == "sitios"
    assert upload.frame["nombre"].tolist() == NAMES
    assert upload.crs_declared
    assert "import_read.layers" in codes(upload, "info")
    areas = read("datos.gpkg", fx.geopackage(), layer="areas")
    assert areas.frame["clave"].tolist() == ["A0", "A1", "A2"]
    assert areas.frame.index.tolist() == [1, 2, 3]


def test_a_kml_is_wgs84_by_its_standard_and_drops_the_drawing_columns() -> None:
    upload = read("sitios.kml", fx.kml())
    assert upload.usable
    assert upload.format == "kml"
    assert upload.frame.crs.to_epsg() == 4326
    assert not upload.crs_declared
    assert "import_read.crs_standard" in codes(upload, "info")
    assert upload.frame["nombre"].tolist() == NAMES
    assert "tessellate" not in upload.frame.columns


def test_a_kmz_is_read_through_its_kml() -> None:
    upload = read("sitios.kmz", fx.zipped({"doc.kml": fx.kml()}))
    assert upload.format == "kml"
    assert upload.frame["nombre"].tolist() == NAMES
    assert upload.layer == "doc.kml"


@pytest.mark.parametrize(
    ("before", "insert", "code"),
    [
        ("<kml", '<!DOCTYPE kml [<!ENTITY x "x">]>', "import_read.xml_doctype"),
        (
            "</Document>",
            "<NetworkLink><Link><href>http://evil.example/x.kml</href></Link></NetworkLink>",
            "import_read.kml_network_link",
        ),
    ],
)
def test_a_kml_that_would_make_gdal_expand_entities_or_fetch_links_is_refused(
    before: str, insert: str, code: str
) -> None:
    data = fx.kml().replace(before.encode(), (insert + before).encode(), 1)
    refused(read("x.kml", data), code)


def test_a_file_whose_extension_lies_is_read_by_its_content_with_a_warning() -> None:
    upload = read("sitios.csv", fx.shapefile_zip(prj=True, cpg=True))
    assert upload.usable
    assert upload.format == "shapefile"
    mismatch = next(f for f in upload.findings if f.code == "import_read.extension_mismatch")
    assert mismatch.severity == "warning"
    assert mismatch.detail == {"extension": ".csv", "format": "ZIP"}


def test_a_zero_byte_shp_in_a_zip_is_an_error_finding() -> None:
    files = fx.written(fx.sites_frame(), "s.shp")
    refused(read("s.zip", fx.zipped({**files, "s.shp": b""})), "import_read.unreadable")


def test_a_shapefile_missing_parts_says_which() -> None:
    files = fx.written(fx.sites_frame(), "s.shp")
    upload = read("s.zip", fx.zipped({"s.shp": files["s.shp"], "s.prj": files["s.prj"]}))
    refused(upload, "import_read.shapefile_incomplete")
    assert upload.findings[-1].detail == {"missing": ".shx, .dbf"}


# --- safety: archives, limits, malformed files --------------------------------------------------------


@pytest.mark.parametrize(
    "member", ["../evil.csv", "/abs.csv", "datos/../../evil.csv", "C:\\evil.csv", "..\\evil.csv"]
)
def test_an_archive_with_a_member_outside_its_folder_is_refused_whole(member: str) -> None:
    upload = read("datos.zip", fx.zipped({"sitios.csv": fx.delimited(), member: b"a,b\n1,2\n"}))
    refused(upload, "import_read.zip.unsafe_path")
    assert upload.findings[-1].detail == {"member": member}


@pytest.mark.parametrize(
    ("declared", "actual", "code"),
    [
        (3 * 1024 * MB, 1 * MB, "import_read.zip.bomb"),  # refused from the central directory alone
        (
            1000,
            64 * MB,
            "import_read.zip.member_unreadable",
        ),  # lies small: expanded only up to what it declared
    ],
    ids=["declares a bomb", "hides a bomb"],
)
def test_a_zip_bomb_is_refused_without_being_expanded(declared: int, actual: int, code: str) -> None:
    bomb = fx.zip_bomb(declared=declared, actual=actual)
    tracemalloc.start()
    try:
        upload = read("datos.zip", bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    refused(upload, code)
    assert peak < 8 * MB


def test_an_honest_archive_larger_than_the_limit_is_refused_unexpanded() -> None:
    limits = Limits(zip_bytes=2 * MB, zip_ratio=10**9)
    upload = read("datos.zip", fx.zip_bomb(declared=3 * MB, actual=3 * MB), limits=limits)
    refused(upload, "import_read.zip.too_large")
    assert upload.findings[-1].detail == {"size_mb": 3, "limit_mb": 2}


def test_too_many_members_and_too_large_an_upload_are_refused_naming_the_limit() -> None:
    archive = fx.zipped({f"{i}.csv": b"a\n1\n" for i in range(5)})
    upload = read("x.zip", archive, limits=Limits(zip_members=4))
    refused(upload, "import_read.zip.too_many_members")
    assert upload.findings[-1].detail == {"count": 5, "limit": 4}
    big = read("x.csv", b"a\n" * MB, limits=Limits(upload_bytes=1 * MB))
    refused(big, "import_read.too_large")
    assert big.findings[-1].detail == {"size_mb": 2, "limit_mb": 1}


def test_rows_columns_and_vertices_over_their_limits_are_refused() -> None:
    refused(read("x.csv", fx.latin1_csv(), limits=Limits(rows=3)), "import_read.too_many_rows")
    refused(read("x.xlsx", fx.workbook(), limits=Limits(columns=4)), "import_read.too_many_columns")
    refused(read("x.gpkg", fx.geopackage(), limits=Limits(rows=3)), "import_read.too_many_rows")
    areas = fx.written(fx.squares(4), "a.geojson", driver="GeoJSON")["a.geojson"]
    upload = read("a.geojson", areas, limits=Limits(vertices=19))
    refused(upload, "import_read.too_many_vertices")
    assert upload.findings[-1].detail == {"count": 20, "limit": 19}
    assert read("a.geojson", areas, limits=Limits(vertices=20)).usable


def _broken_files() -> dict[str, tuple[str, bytes, str]]:
    """Malformed or foreign files, by what they are: (upload name, bytes, the error that refuses them)."""
    gpkg, xlsx, geojson = fx.geopackage(), fx.workbook(), fx.geojson_utm()
    noise = random.Random(6).randbytes(4096)
    return {
        "truncated GeoPackage": ("x.gpkg", gpkg[: len(gpkg) // 3], "import_read.unreadable"),
        "GeoPackage header only": ("x.gpkg", gpkg[:100], "import_read.unreadable"),
        "truncated GeoJSON": ("x.geojson", geojson[: len(geojson) // 2], "import_read.unreadable"),
        "JSON that is not GeoJSON": ("x.json", b'[{"nombre": "x"}]', "import_read.unreadable"),
        "truncated workbook": ("x.xlsx", xlsx[: len(xlsx) // 2], "import_read.zip.unreadable"),
        "workbook with a broken sheet": (
            "x.xlsx",
            fx.zipped({"xl/workbook.xml": b"<workbook"}),
            "import_read.unreadable",
        ),
        "truncated zip": ("x.zip", fx.shapefile_zip(prj=True, cpg=True)[:300], "import_read.zip.unreadable"),
        "empty zip": ("x.zip", fx.zipped({}), "import_read.zip.no_data"),
        "zip of notes": ("x.zip", fx.zipped({"léame.md": b"nada"}), "import_read.zip.no_data"),
        "zip in a zip": (
            "x.zip",
            fx.zipped({"d.csv": fx.zipped({"d.csv": b"a\n1\n"})}),
            "import_read.unsupported",
        ),
        "binary noise": ("x.csv", noise, "import_read.unknown_format"),
        "PNG": ("x.png", b"\x89PNG\r\n\x1a\n" + noise, "import_read.unknown_format"),
        "UTF-16 without a mark": (
            "x.csv",
            "nombre,clave\nPeñón,09007\n".encode("utf-16-le"),
            "import_read.unknown_format",
        ),
        "Excel 97-2003": ("x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + noise, "import_read.unsupported"),
        "plain SQLite": ("x.gpkg", b"SQLite format 3\x00" + bytes(100), "import_read.unsupported"),
        "a lone .shp": (
            "x.shp",
            fx.written(fx.sites_frame(), "s.shp")["s.shp"],
            "import_read.shapefile_alone",
        ),
        "GPX": ("x.gpx", b'<?xml version="1.0"?><gpx version="1.1"></gpx>', "import_read.unsupported"),
        "HTML": ("x.csv", b"<html><script>alert(1)</script></html>", "import_read.unsupported"),
        "unclosed quote": ("x.csv", b'a,b\n"x,1\n2,3\n', "import_read.quotes"),
        "text after a closing quote": ("x.csv", b'a,b\n"x"y,1\n', "import_read.quotes"),
    }


@pytest.mark.parametrize("what", sorted(_broken_files()))
def test_a_malformed_or_foreign_file_becomes_an_error_finding_never_an_exception(what: str) -> None:
    name, data, code = _broken_files()[what]
    refused(read(name, data), code)


def test_a_field_longer_than_the_csv_modules_default_is_kept() -> None:
    upload = read("x.csv", b'a,b\n"' + b"x" * (200 * 1024) + b'",1\n')
    assert upload.frame["a"].str.len().tolist() == [200 * 1024]


def test_types_are_sniffed_by_content() -> None:
    assert sniff(fx.workbook()) == "zip"
    assert sniff(fx.geopackage()) == "gpkg"
    assert sniff(fx.geojson_utm()) == "geojson"
    assert sniff(fx.kml()) == "kml"
    assert sniff(fx.latin1_csv()) == "text"
    assert sniff(b"   \n") == "empty"


def test_the_default_limits_are_the_stated_ones() -> None:
    assert (LIMITS.upload_bytes, LIMITS.zip_bytes, LIMITS.zip_members) == (20 * MB, 100 * MB, 50)
    assert (LIMITS.rows, LIMITS.vertices) == (100_000, 2_000_000)


# --- templates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(TEMPLATE_COLUMNS))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_template_is_a_header_row_only_documented_column_by_column(kind: str, lang: str) -> None:
    data = template_csv(kind, lang)
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [list(template_columns(kind, lang))], "one header row, no invented rows"
    assert len(set(rows[0])) == len(TEMPLATE_COLUMNS[kind])
    lines = template_help(kind, lang).splitlines()
    assert len(lines) == 1 + len(TEMPLATE_COLUMNS[kind])
    assert [line.split(":", 1)[0] for line in lines[1:]] == rows[0]
    refused(read(f"plantilla_{kind}.csv", data), "import_read.no_rows")


def test_templates_speak_the_visitors_language() -> None:
    assert template_columns("sites", "es")[:3] == ("nombre", "programa", "año")
    assert template_columns("sites", "en")[:3] == ("name", "programme", "year")
    assert template_columns("sites", "fr")[:3] == ("nom", "programme", "année")
    with pytest.raises(KeyError):
        template_csv("projects", "en")
