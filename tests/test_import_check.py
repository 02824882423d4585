"""Checking a visitor's own data (geo/importing: columns, values, crs, check, locate).

Every input here is SYNTHETIC, built in the test: made-up site names, values
and polygons, placed on the Atlas's real units (IECM colonias, INEGI AGEBs and
boroughs) so the known answers can be checked against them.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo import i18n
from geo.i18n import LANGUAGES, t
from geo.importing import check as checks
from geo.importing import crs
from geo.importing.check import (
    BOUNDARY_COLUMNS,
    INDICATOR_COLUMNS,
    SITE_COLUMNS,
    CheckedLayer,
    Decisions,
    accept,
    apply_fix,
    check_boundaries,
    check_indicators,
    check_layer,
    check_sites,
    recheck,
)
from geo.importing.columns import guess_roles, year_columns
from geo.importing.crs import CRS_APPLIED, CRS_ASSUMED, CRS_IMPLAUSIBLE, CRS_MISSING, CRS_UNKNOWN, CRS_WRONG
from geo.importing.findings import Finding, blocking, summary
from geo.importing.locate import Candidate, Units, load_units
from geo.importing.values import (
    ageb_code,
    borough_code,
    cell_text,
    colonia_code,
    parse_date,
    parse_number,
    parse_programme,
    parse_status,
    parse_year,
)
from tests import hostile

TEOTONGO_I = "07-291"  # SAN MIGUEL TEOTONGO I, Iztapalapa (09007)
AN_AGEB = "0900700011458"  # an Iztapalapa AGEB
ZOCALO = ("19.4326", "-99.1332")  # lat, lon in Cuauhtémoc (09015)
ECATEPEC = ("19.6010", "-99.0500")  # lat, lon in the State of Mexico, north of Gustavo A. Madero


@pytest.fixture(scope="module")
def units() -> Units:
    return load_units()


def _sites(**columns: list[str]) -> pd.DataFrame:
    """A SYNTHETIC table of text cells, as the reader returns them."""
    return pd.DataFrame(columns, dtype=object)


def _codes(layer: CheckedLayer, row: int | None = None) -> list[str]:
    return [f.code for f in layer.findings if row is None or f.row == row]


def _only(layer: CheckedLayer, code: str) -> Finding:
    found = [f for f in layer.findings if f.code == code]
    assert len(found) == 1, layer.findings
    return found[0]


def _row(layer: CheckedLayer, row: int) -> pd.Series:
    rows = layer.layer[layer.layer["row"] == row]
    assert len(rows) == 1, layer.layer
    return rows.iloc[0]


def _inside(units: Units, level: str, key: str, point: shapely.Geometry) -> bool:
    return bool(units.shape(level, key).contains(point))  # type: ignore[arg-type]


# --- cells ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "grouped", "value", "comma"),
    [
        ("19,35", False, 19.35, True),
        ("-99,1332", False, -99.1332, True),
        ("\u221299.1332", False, -99.1332, False),
        ("1,500", True, 1500.0, False),
        ("1,234,567.50", True, 1234567.5, False),
        ("1.234.567,50", True, 1234567.5, True),
        ("$ 1 234,5", True, 1234.5, True),
        ("2.5e3", True, 2500.0, False),
    ],
)
def test_numbers_are_read_as_people_write_them(text: str, grouped: bool, value: float, comma: bool) -> None:
    read = parse_number(text, grouped=grouped)
    assert read is not None
    assert read.value == pytest.approx(value)
    assert read.decimal_comma is comma


@pytest.mark.parametrize("text", ["abc", "nan", "inf", "1_000", "19,35,1", "", "1e999", "0x10"])
def test_what_is_not_one_number_is_none(text: str) -> None:
    assert parse_number(text, grouped=True) is None
    assert parse_number(text, grouped=False) is None


@pytest.mark.parametrize(
    ("text", "date", "other_form"),
    [
        ("2021-07-15", "2021-07-15", False),
        ("2021-07-15 00:00:00", "2021-07-15", False),
        ("15/07/2021", "2021-07-15", True),
        ("05.01.2020", "2020-01-05", True),
        ("2021-07", "2021-07", False),
        ("2021", "2021", False),
    ],
)
def test_dates_are_iso_or_day_first(text: str, date: str, other_form: bool) -> None:
    assert parse_date(text) == (date, other_form)
    assert parse_year(text) == int(date[:4])


@pytest.mark.parametrize("text", ["31/02/2021", "2021-13", "mañana", "15/07/21"])
def test_impossible_dates_are_none(text: str) -> None:
    assert parse_date(text) is None


def test_cells_become_text_and_codes_get_their_zeros_back() -> None:
    assert [cell_text(v) for v in (9007, 9007.0, 19.35, None, float("nan"), "  ", " x ")] == [
        "9007",
        "9007",
        "19.35",
        None,
        None,
        None,
        " x ",
    ]
    assert [borough_code(c) for c in ("9007", "9007.0", "7", "007", "09007", "99")] == [
        "09007",
        "09007",
        "09007",
        "09007",
        "09007",
        "99",
    ]
    assert ageb_code("900700011458") == AN_AGEB
    assert ageb_code("090020001003a") == "090020001003A"
    assert [colonia_code(c) for c in ("7-291", "07-291", "2-1", "7291")] == [
        "07-291",
        "07-291",
        "02-001",
        "7291",
    ]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Abierta", "open"),
        ("OPERANDO", "open"),
        ("En construcción", "under_construction"),
        ("en construccion.", "under_construction"),
        ("Under construction", "under_construction"),
        ("Annoncée", "announced"),
        ("anunciada", "announced"),
        ("cancelada", "other"),
    ],
)
def test_statuses_map_to_the_atlas_or_other(text: str, status: str) -> None:
    assert parse_status(text) == status


@pytest.mark.parametrize(
    ("text", "programme"),
    [
        ("UTOPÍAS", "utopias"),
        ("utopia", "utopias"),
        (" Utopías. ", "utopias"),
        ("PCMB (Mejoramiento Barrial)", "pcmb"),
        ("pcmb (neighbourhood improvement)", "pcmb"),
        ("PCMB (AMÉLIORATION DES QUARTIERS)", "pcmb"),
        ("Mejoramiento Barrial y Comunitario", "pcmb"),
        ("PCMB", "pcmb"),
        ("Programa de vivienda", "other"),
    ],
)
def test_programmes_map_to_the_atlas_in_any_language_or_other(text: str, programme: str) -> None:
    assert parse_programme(text) == programme


def test_programme_cells_are_mapped_kept_as_written_and_others_reported(units: Units) -> None:
    frame = _sites(alcaldia=["Iztapalapa"] * 4, programa=["Utopía", "mejoramiento barrial", "Vivienda", ""])
    layer = check_sites(frame, guess_roles(frame, "sites"), units)
    assert layer.layer["programme"].tolist() == ["utopias", "pcmb", "other", None]
    assert layer.layer["programme_text"].tolist() == ["Utopía", "mejoramiento barrial", "Vivienda", None]
    assert _only(layer, checks.PROGRAMME_OTHER).row == 3
    assert _only(layer, checks.PROGRAMME_OTHER).detail == {"value": "Vivienda"}


# --- column roles -----------------------------------------------------------------------------------


def test_site_roles_are_guessed_from_spanish_headers_without_case_or_accents() -> None:
    frame = _sites(
        **{
            "NOMBRE": ["x"],
            "Programa": ["x"],
            "AÑO": ["2020"],
            "Fecha de inauguración": ["x"],
            "Estatus": ["x"],
            "Importe ($)": ["x"],
            "Fuente": ["x"],
            "LATITUD": ["19.4"],
            "longitud": ["-99.1"],
            "Alcaldía": ["Iztapalapa"],
            "Nombre de la colonia": ["x"],
            "CVEUT": ["07-291"],
        }
    )
    assert guess_roles(frame, "sites") == {
        "name": "NOMBRE",
        "programme": "Programa",
        "year": "AÑO",
        "date": "Fecha de inauguración",
        "status": "Estatus",
        "amount": "Importe ($)",
        "source": "Fuente",
        "lat": "LATITUD",
        "lon": "longitud",
        "colonia_key": "CVEUT",
        "colonia_name": "Nombre de la colonia",
        "borough": "Alcaldía",
    }


def test_site_roles_are_guessed_from_english_headers() -> None:
    frame = _sites(name=["x"], lat=["1"], lng=["1"], borough=["x"], year=["2020"], status=["x"], amount=["1"])
    roles = guess_roles(frame, "sites")
    assert roles == {
        "name": "name",
        "year": "year",
        "status": "status",
        "amount": "amount",
        "lat": "lat",
        "lon": "lng",
        "borough": "borough",
    }
    assert guess_roles(_sites(x=["1"], y=["1"]), "sites") == {"lat": "y", "lon": "x"}


@pytest.mark.parametrize(
    ("values", "role"),
    [
        ([AN_AGEB, "900700011458"], "ageb"),
        (["9007", "09015"], "borough"),
        (["7-291", "15-040"], "colonia_key"),
    ],
)
def test_a_generic_code_column_takes_the_role_its_values_fit(values: list[str], role: str) -> None:
    assert guess_roles(_sites(cvegeo=values), "sites") == {role: "cvegeo"}


def test_indicator_tables_are_long_or_wide() -> None:
    long = _sites(alcaldia=["Iztapalapa"], ano=["2020"], pobreza=["10,5"])
    assert guess_roles(long, "indicators") == {"borough": "alcaldia", "value": "pobreza", "year": "ano"}
    wide = _sites(CVEGEO=[AN_AGEB], **{"2015": ["1"], "2020": ["2"]})
    assert guess_roles(wide, "indicators") == {"ageb": "CVEGEO"}
    assert year_columns(wide) == {"2015": 2015, "2020": 2020}


def test_boundary_roles() -> None:
    frame = _sites(CVE_COL=["07-291"], NOMBRE=["x"], POB=["1,5"], NOTA=["text"])
    assert guess_roles(frame, "boundaries") == {"key": "CVE_COL", "name": "NOMBRE", "value": "POB"}


# --- sites: coordinates -----------------------------------------------------------------------------


def test_decimal_commas_are_read_and_reported(units: Units) -> None:
    frame = _sites(lat=["19,4326"], lon=["-99,1332"])
    layer = check_sites(frame, {"lat": "lat", "lon": "lon"}, units)
    point = _row(layer, 1).geometry
    assert (point.x, point.y) == pytest.approx((-99.1332, 19.4326))
    assert _codes(layer) == [checks.DECIMAL_COMMA, checks.DECIMAL_COMMA]
    assert all(f.severity == "repaired" for f in layer.findings)
    assert _row(layer, 1)["borough"] == "09015"
    assert _row(layer, 1)["located_by"] == "coordinates"


def test_swapped_axes_are_flagged_and_fixed_only_when_accepted(units: Units) -> None:
    frame = _sites(lat=[ZOCALO[0], ZOCALO[1]], lon=[ZOCALO[1], ZOCALO[0]])
    layer = check_sites(frame, {"lat": "lat", "lon": "lon"}, units)
    swapped = _only(layer, checks.SWAPPED)
    assert swapped.row == 2
    assert swapped.severity == "warning"
    assert layer.layer["row"].tolist() == [1]
    assert layer.rejected.index.tolist() == [2]
    fixed = apply_fix(layer, [swapped])
    assert fixed.layer["row"].tolist() == [1, 2]
    assert _row(fixed, 2).geometry.equals(_row(fixed, 1).geometry)
    assert _row(fixed, 2)["borough"] == "09015"
    assert _codes(fixed) == [checks.SWAP_APPLIED]
    assert layer.layer["row"].tolist() == [1], "the checked layer is not changed by the fix"


def test_a_longitude_that_lost_its_sign_is_flagged_and_fixed_when_accepted(units: Units) -> None:
    layer = check_sites(_sites(lat=[ZOCALO[0]], lon=["99.1332"]), {"lat": "lat", "lon": "lon"}, units)
    lost = _only(layer, checks.SIGN_LOST)
    assert layer.layer.empty
    fixed = apply_fix(layer, [lost])
    assert _row(fixed, 1)["borough"] == "09015"


def test_a_finding_without_a_fix_is_refused(units: Units) -> None:
    layer = check_sites(_sites(lat=["19,4326"], lon=[ZOCALO[1]]), {"lat": "lat", "lon": "lon"}, units)
    with pytest.raises(ValueError, match="suggests no fix"):
        apply_fix(layer, layer.findings)


def test_points_outside_the_city_are_context_or_dropped_and_never_joined(units: Units) -> None:
    # A point in the State of Mexico whose borough cell names a city borough: it is still not joined.
    frame = _sites(
        lat=[ECATEPEC[0], ZOCALO[0]], lon=[ECATEPEC[1], ZOCALO[1]], alcaldia=["Gustavo A. Madero", ""]
    )
    roles = {"lat": "lat", "lon": "lon", "borough": "alcaldia"}
    kept = check_sites(frame, roles, units)
    context = _row(kept, 1)
    assert bool(context["context"]) is True
    assert (context["borough"], context["colonia"], context["ageb"]) == ("", "", "")
    assert _only(kept, checks.OUTSIDE_KEPT).row == 1
    assert bool(_row(kept, 2)["context"]) is False
    dropped = recheck(kept, outside="drop")
    assert dropped.layer["row"].tolist() == [2]
    assert dropped.rejected.index.tolist() == [1]
    assert _only(dropped, checks.OUTSIDE_DROPPED).severity == "info"
    assert check_sites(frame, roles, units, decisions=Decisions(outside="drop")).layer["row"].tolist() == [2]


def test_unusable_coordinates_fall_back_to_the_area_or_reject_the_row(units: Units) -> None:
    frame = _sites(lat=["abc", "0", "95"], lon=["-99.1", "0", "-99.1"], alcaldia=["Iztapalapa", "", ""])
    layer = check_sites(frame, {"lat": "lat", "lon": "lon", "borough": "alcaldia"}, units)
    assert _row(layer, 1)["located_by"] == "borough"
    assert layer.rejected.index.tolist() == [2, 3]
    assert _codes(layer, 2) == [checks.COORDINATES_INVALID, checks.NOT_LOCATED]


def test_projected_coordinates_in_a_table_wait_for_an_accepted_system(units: Units) -> None:
    point = gpd.GeoSeries([shapely.Point(-99.1332, 19.4326)], crs="EPSG:4326").to_crs("EPSG:32614").iloc[0]
    frame = _sites(x=[f"{point.x:.1f}"], y=[f"{point.y:.1f}"])
    layer = check_sites(frame, guess_roles(frame, "sites"), units)
    missing = _only(layer, CRS_MISSING)
    assert missing.detail["suggested"] == "EPSG:32614"
    assert blocking(layer.findings)
    fixed = apply_fix(layer, [missing])
    assert _row(fixed, 1)["borough"] == "09015"
    assert _only(fixed, CRS_APPLIED).severity == "repaired"
    assert not blocking(fixed.findings)


# --- sites: areas -----------------------------------------------------------------------------------


def test_a_row_located_by_colonia_lands_inside_that_colonia(units: Units) -> None:
    frame = _sites(nombre=["Sitio sintético"], cveut=["7-291"])
    layer = check_sites(frame, guess_roles(frame, "sites"), units)
    row = _row(layer, 1)
    assert (row["located_by"], row["colonia"], row["borough"], row["ageb"]) == (
        "colonia",
        TEOTONGO_I,
        "09007",
        "",
    )
    assert row["precision"] == "import_check.precision.colonia"
    assert _inside(units, "colonia", TEOTONGO_I, row.geometry)
    assert _only(layer, checks.CODE_PADDED).detail == {"value": "7-291", "code": TEOTONGO_I}


def test_integer_codes_that_lost_their_zeros_are_repaired(units: Units) -> None:
    # Spreadsheet integers: a borough 9007 and an AGEB key of 12 digits.
    frame = pd.DataFrame({"borough": [9007, None], "ageb": [None, 900700011458]}, dtype=object)
    layer = check_sites(frame, {"borough": "borough", "ageb": "ageb"}, units)
    assert _row(layer, 1)[["located_by", "borough"]].tolist() == ["borough", "09007"]
    assert _inside(units, "borough", "09007", _row(layer, 1).geometry)
    ageb = _row(layer, 2)
    assert ageb[["located_by", "ageb", "borough", "colonia"]].tolist() == ["ageb", AN_AGEB, "09007", ""]
    assert _inside(units, "ageb", AN_AGEB, ageb.geometry)
    assert _codes(layer) == [checks.CODE_PADDED, checks.CODE_PADDED]


def test_unknown_codes_are_reported_and_the_row_is_rejected_without_an_area(units: Units) -> None:
    frame = _sites(cveut=["99-999", "99-999"], alcaldia=["", "Tlalpan"])
    layer = check_sites(frame, {"colonia_key": "cveut", "borough": "alcaldia"}, units)
    assert _codes(layer, 1) == ["import_check.code_unknown.colonia", checks.NOT_LOCATED]
    assert _row(layer, 2)[["located_by", "borough"]].tolist() == ["borough", "09012"]


def test_a_near_miss_colonia_name_offers_candidates_and_is_never_applied_unasked(units: Units) -> None:
    frame = _sites(
        colonia=["san migel teotongo", "San Miguel Teotongo I"], alcaldia=["Iztapalapa", "IZTAPALAPA"]
    )
    layer = check_sites(frame, guess_roles(frame, "sites"), units)
    near = _row(layer, 1)
    assert (near["located_by"], near["colonia"]) == ("borough", "")
    unmatched = _only(layer, "import_check.name_unmatched.colonia")
    candidates = layer.candidates[(1, "colonia")]
    assert len(candidates) == 3
    assert candidates[0].key == TEOTONGO_I
    assert all(c.borough == "09007" and c.name.startswith("SAN MIGUEL TEOTONGO") for c in candidates)
    assert "SAN MIGUEL TEOTONGO I (07-291)" in unmatched.text("en")
    exact = _row(layer, 2)
    assert (exact["located_by"], exact["colonia"]) == ("colonia", TEOTONGO_I), "an exact folded match is used"
    accepted = accept(layer, 1, candidates[0])
    row = _row(accepted, 1)
    assert (row["located_by"], row["colonia"]) == ("colonia", TEOTONGO_I)
    assert _inside(units, "colonia", TEOTONGO_I, row.geometry)
    assert _only(accepted, checks.NAME_ACCEPTED).severity == "repaired"
    with pytest.raises(ValueError, match="not offered"):
        accept(layer, 1, Candidate("colonia", "02-001", "AGUILERA", "09002", 100.0))


def test_a_colonia_name_shared_by_two_units_is_ambiguous(units: Units) -> None:
    # IECM has EL MOLINO and EL MOLINO_ in Iztapalapa: the same name once folded.
    layer = check_sites(
        _sites(colonia=["El Molino"], alcaldia=["Iztapalapa"]),
        {"colonia_name": "colonia", "borough": "alcaldia"},
        units,
    )
    assert _only(layer, "import_check.name_ambiguous.colonia").row == 1
    assert {c.key for c in layer.candidates[(1, "colonia")]} == {"07-054", "07-055"}
    assert _row(layer, 1)["located_by"] == "borough"


def test_borough_names_are_found_folded_and_short_and_near_misses_are_offered(units: Units) -> None:
    frame = _sites(
        alcaldia=["ÁLVARO OBREGÓN", "Cuajimalpa", "Magdalena Contreras", "Alcaldía Tlalpan", "Iztapalpa"]
    )
    layer = check_sites(frame, {"borough": "alcaldia"}, units)
    assert layer.layer["borough"].tolist() == ["09010", "09004", "09008", "09012"]
    assert layer.candidates[(5, "borough")][0].key == "09007"
    assert _codes(layer, 5) == ["import_check.name_unmatched.borough", checks.NOT_LOCATED]


def test_a_borough_cell_that_disagrees_with_the_place_is_reported(units: Units) -> None:
    frame = _sites(lat=[ZOCALO[0]], lon=[ZOCALO[1]], alcaldia=["Iztapalapa"])
    layer = check_sites(frame, {"lat": "lat", "lon": "lon", "borough": "alcaldia"}, units)
    mismatch = _only(layer, checks.BOROUGH_MISMATCH)
    assert mismatch.detail == {"value": "Iztapalapa", "borough": "Cuauhtémoc"}
    assert _row(layer, 1)["borough"] == "09015"


# --- sites: attributes ------------------------------------------------------------------------------


def test_years_dates_statuses_and_amounts_are_read_and_reported(units: Units) -> None:
    next_year = str(dt.date.today().year + 1)
    frame = _sites(
        alcaldia=["Iztapalapa"] * 5,
        ano=["2020", "1999", next_year, "dos mil", ""],
        fecha=["", "", "", "", "15/07/2021"],
        estatus=["Abierta", "en construcción", "ANUNCIADA", "cancelada", ""],
        monto=["1,500,000.50", "", "mucho", "", ""],
    )
    layer = check_sites(frame, guess_roles(frame, "sites"), units)
    table = layer.layer
    assert table["year"].tolist() == [2020, 1999, int(next_year), pd.NA, 2021]
    assert table["date"].tolist()[4] == "2021-07-15"
    assert table["status"].tolist() == ["open", "under_construction", "announced", "other", None]
    assert table["status_text"].tolist()[3] == "cancelada"
    assert table["amount"].tolist()[0] == 1500000.5
    assert np.isnan(table["amount"].tolist()[2])
    assert [f.row for f in layer.findings if f.code == checks.YEAR_OUT_OF_RANGE] == [2, 3]
    assert _only(layer, checks.YEAR_INVALID).row == 4
    assert _only(layer, checks.STATUS_OTHER).row == 4
    assert _only(layer, checks.NUMBER_INVALID).row == 3
    assert _only(layer, checks.DATE_READ).detail == {"value": "15/07/2021", "date": "2021-07-15"}
    assert list(table.columns) == [*SITE_COLUMNS, "geometry"]
    assert table.crs == "EPSG:4326"


def test_twenty_hostile_names_are_kept_as_text(units: Units) -> None:
    names = hostile.payloads()[:20]
    frame = _sites(nombre=names, alcaldia=["Tlalpan"] * 20, fuente=names)
    layer = check_sites(frame, guess_roles(frame, "sites"), units)
    assert layer.layer["name"].tolist() == names
    assert layer.layer["source"].tolist() == names
    assert layer.findings == ()


def test_a_file_with_nothing_to_place_its_rows_is_blocked(units: Units) -> None:
    frame = _sites(nombre=["x"])
    nothing = check_sites(frame, {"name": "nombre"}, units)
    assert _codes(nothing) == [checks.NO_LOCATION]
    assert blocking(nothing.findings)
    missing = check_sites(frame, {"name": "nombre", "borough": "alcaldia"}, units)
    assert _only(missing, checks.COLUMN_MISSING).detail == {"role": "borough", "column": "alcaldia"}
    assert missing.layer.empty
    assert missing.rejected.index.tolist() == [1]


# --- boundaries -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def boundaries(units: Units) -> gpd.GeoDataFrame:
    """SYNTHETIC polygons in UTM 14N with no declared CRS: three real colonia outlines with their keys as
    integers or short, a bow-tie, a null geometry, a square in the State of Mexico and a point."""
    colonias = units.table("colonia").loc[[TEOTONGO_I, "15-040", "02-001"]].geometry.tolist()
    bow_tie = shapely.Polygon([(-99.10, 19.40), (-99.09, 19.41), (-99.09, 19.40), (-99.10, 19.41)])
    frame = gpd.GeoDataFrame(
        {
            "CVE": ["7-291", "15-040", "2-1", "X", "Y", "Z", "Z"],
            "NOMBRE": ["a", "b", "c", "moño", "vacía", "Ecatepec", "punto"],
            "POB": ["1,5", "2", "x", "4", "5", "6", "7"],
        },
        geometry=[
            *colonias,
            bow_tie,
            None,
            shapely.box(-99.06, 19.59, -99.04, 19.61),
            shapely.Point(-99.1, 19.4),
        ],
        crs="EPSG:4326",
    )
    return frame.to_crs("EPSG:32614").set_crs(None, allow_override=True)


def test_boundaries_in_utm_without_a_crs_wait_for_the_suggested_one(
    units: Units, boundaries: gpd.GeoDataFrame
) -> None:
    roles = guess_roles(boundaries, "boundaries")
    assert roles == {"key": "CVE", "name": "NOMBRE", "value": "POB"}
    waiting = check_boundaries(boundaries, roles, units)
    assert _codes(waiting) == [CRS_MISSING]
    assert waiting.findings[0].detail == {"suggested": "EPSG:32614"}
    assert waiting.layer.empty
    assert len(waiting.rejected) == len(boundaries)
    assert blocking(waiting.findings)
    fixed = apply_fix(waiting, waiting.findings)
    assert fixed.layer["row"].tolist() == [1, 2, 3, 4, 6]
    teotongo = _row(fixed, 1)
    assert teotongo.geometry.equals_exact(units.shape("colonia", TEOTONGO_I), tolerance=1e-6)
    assert teotongo[["key", "borough", "value"]].tolist() == [TEOTONGO_I, "09007", 1.5]
    assert _row(fixed, 3)["key"] == "02-001"
    assert list(fixed.layer.columns) == [*BOUNDARY_COLUMNS, "geometry"]


def test_null_invalid_and_outside_geometries(units: Units, boundaries: gpd.GeoDataFrame) -> None:
    layer = check_boundaries(
        boundaries, guess_roles(boundaries, "boundaries"), units, decisions=Decisions(crs="EPSG:32614")
    )
    counts = summary(layer.findings)
    assert counts[("repaired", "import_check.geometry.repaired")] == 1
    assert counts[("error", "import_check.geometry.null")] == 1
    assert counts[("error", "import_check.geometry.not_polygon")] == 1
    bow_tie = _row(layer, 4).geometry
    assert bow_tie.is_valid
    assert bow_tie.geom_type == "MultiPolygon"
    assert bow_tie.area == pytest.approx(
        0.01 * 0.01 / 2, rel=1e-3
    )  # two triangles, a quarter of the square each
    ecatepec = _row(layer, 6)
    assert bool(ecatepec["context"]) is True
    assert ecatepec["borough"] == ""
    assert layer.rejected.index.tolist() == [5, 7]
    dropped = recheck(layer, outside="drop")
    assert 6 in dropped.rejected.index


def test_repeated_and_integer_keys_of_boundaries(units: Units) -> None:
    shapes = units.table("borough").loc[["09007", "09012"]].geometry.tolist()
    frame = gpd.GeoDataFrame({"clave": [9007, 9007], "nombre": ["a", "b"]}, geometry=shapes, crs="EPSG:4326")
    layer = check_boundaries(frame, {"key": "clave", "name": "nombre"}, units)
    assert layer.layer["key"].tolist() == ["09007", "09007"]
    duplicate = _only(layer, checks.DUPLICATE_KEY)
    assert (duplicate.row, duplicate.severity, duplicate.detail) == (
        2,
        "warning",
        {"key": "09007", "first": 1},
    )
    assert layer.layer["borough"].tolist() == ["09007", "09012"]


@pytest.mark.parametrize(
    ("data_crs", "declared", "code", "suggested"),
    [
        ("EPSG:4326", None, CRS_ASSUMED, None),
        ("EPSG:6372", None, CRS_MISSING, "EPSG:6372"),
        ("EPSG:32614", "EPSG:4326", CRS_IMPLAUSIBLE, "EPSG:32614"),
        ("EPSG:6372", "EPSG:32614", CRS_IMPLAUSIBLE, "EPSG:6372"),
        ("EPSG:32614", "EPSG:32614", None, None),
    ],
)
def test_the_coordinate_system_is_checked_against_the_coordinates(
    units: Units, data_crs: str, declared: str | None, code: str | None, suggested: str | None
) -> None:
    shapes = units.table("borough").loc[["09007"]].to_crs(data_crs).geometry.tolist()
    frame = gpd.GeoDataFrame({"clave": ["09007"]}, geometry=shapes, crs=None).set_crs(
        declared, allow_override=True
    )
    layer = check_boundaries(frame, {"key": "clave"}, units)
    assert _codes(layer) == ([code] if code else [])
    if suggested:
        assert layer.findings[0].detail["suggested"] == suggested
        layer = apply_fix(layer, layer.findings)
    assert _row(layer, 1)["borough"] == "09007"


def test_coordinates_that_fit_no_known_system_block_the_file(units: Units) -> None:
    far = gpd.GeoDataFrame({"k": ["a"]}, geometry=[shapely.box(5e6, 5e6, 5e6 + 10, 5e6 + 10)], crs=None)
    assert _codes(check_boundaries(far, {"key": "k"}, units)) == [CRS_UNKNOWN]
    declared = far.set_crs("EPSG:32614")
    wrong = check_boundaries(declared, {"key": "k"}, units)
    assert _codes(wrong) == [CRS_WRONG]
    assert wrong.findings[0].detail == {"declared": "EPSG:32614"}


# --- indicators -------------------------------------------------------------------------------------


def test_a_long_indicator_table_by_borough_name(units: Units) -> None:
    frame = _sites(
        alcaldia=["Iztapalapa", "COYOACÁN", "Iztapalapa", "Iztapalapa", "Tlalpan", "Iztapalpa"],
        ano=["2020", "2020", "2020", "2015", "2020", ""],
        pobreza=["10,5", "20", "11", "9", "", "1"],
    )
    layer = check_indicators(frame, guess_roles(frame, "indicators"), units)
    table = layer.layer
    assert table[["row", "key", "year", "value"]].values.tolist() == [
        [1, "09007", 2020, 10.5],
        [2, "09003", 2020, 20.0],
        [4, "09007", 2015, 9.0],
    ]
    assert (table["located_by"] == "borough").all()
    assert _only(layer, checks.DUPLICATE_KEY).detail == {"key": "09007", "first": 1}
    assert _only(layer, checks.VALUE_MISSING).row == 5
    assert _codes(layer, 6) == ["import_check.name_unmatched.borough", checks.NOT_LOCATED]
    assert layer.rejected.index.tolist() == [3, 5, 6]
    assert table.geometry.iloc[0].equals(units.shape("borough", "09007"))
    assert list(table.columns) == [*INDICATOR_COLUMNS, "geometry"]


def test_a_wide_indicator_table_by_ageb_with_integer_keys(units: Units) -> None:
    frame = pd.DataFrame(
        {
            "cvegeo": [900700011458, 900200010010, 999, 900200010010, "0900200010025"],
            "2015": ["1,5", "", "3", "4", "6"],
            "2020": [2, None, 5, "x", ""],
        },
        dtype=object,
    )
    roles = guess_roles(frame, "indicators")
    assert roles == {"ageb": "cvegeo"}
    layer = check_indicators(frame, roles, units)
    assert layer.layer[["row", "key", "year", "value"]].values.tolist() == [
        [1, AN_AGEB, 2015, 1.5],
        [1, AN_AGEB, 2020, 2.0],
        [4, "0900200010010", 2015, 4.0],
        [5, "0900200010025", 2015, 6.0],
    ]
    assert _codes(layer, 2) == [checks.CODE_PADDED, checks.VALUE_MISSING]
    assert _codes(layer, 3) == ["import_check.code_unknown.ageb", checks.NOT_LOCATED]
    assert _codes(layer, 4) == [checks.CODE_PADDED, checks.NUMBER_INVALID]


def test_an_indicator_row_is_never_moved_to_a_coarser_unit(units: Units) -> None:
    frame = _sites(colonia=["san migel teotongo"], alcaldia=["Iztapalapa"], valor=["1"])
    layer = check_indicators(frame, guess_roles(frame, "indicators"), units)
    assert layer.layer.empty
    assert _codes(layer) == ["import_check.name_unmatched.colonia", checks.NOT_LOCATED]
    accepted = accept(layer, 1, layer.candidates[(1, "colonia")][0])
    assert _row(accepted, 1)[["located_by", "key"]].tolist() == ["colonia", TEOTONGO_I]


def test_an_indicator_table_without_values_is_blocked(units: Units) -> None:
    layer = check_layer(_sites(alcaldia=["Tlalpan"]), "indicators", {"borough": "alcaldia"}, units)
    assert _codes(layer) == [checks.NO_VALUE]
    assert layer.kind == "indicators"


# --- every finding speaks three languages -----------------------------------------------------------


def test_every_finding_code_has_a_text_in_every_language(units: Units) -> None:
    # Run the checks above once more and render every finding they make.
    frame = _sites(
        lat=["19,4", ZOCALO[1], ECATEPEC[0], "x", ""],
        lon=["-99,1", ZOCALO[0], ECATEPEC[1], "y", ""],
        colonia=["", "", "", "", "el molino"],
        alcaldia=["Iztapalapa", "", "", "", "Iztapalapa"],
        ano=["1999", "", "", "", "x"],
        estatus=["cancelada", "", "", "", ""],
        fecha=["31/02/2021", "", "", "", "15/07/2021"],
    )
    layers = [check_sites(frame, guess_roles(frame, "sites"), units)]
    layers.append(apply_fix(layers[0], [f for f in layers[0].findings if f.code == checks.SWAPPED]))
    findings = [f for layer in layers for f in layer.findings]
    assert len({f.code for f in findings}) >= 10
    for finding in findings:
        for lang in LANGUAGES:
            assert "{" not in finding.text(lang), finding
    for level in ("coordinates", "ageb", "colonia", "borough"):
        assert all(t(f"{checks.PRECISION}.{level}", lang) for lang in LANGUAGES)


def test_every_code_the_checks_name_is_in_the_catalogue() -> None:
    catalogue = i18n.catalogue()
    codes = [value for module in (checks, crs) for value in vars(module).values() if isinstance(value, str)]
    codes = [code for code in codes if code.startswith("import_check.")]
    assert len(codes) > 35
    for code in codes:
        assert code in catalogue or any(key.startswith(f"{code}.") for key in catalogue), code
