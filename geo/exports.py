"""Downloads: the sites and indicators as CSV and GeoJSON, sources kept.

CSV files are UTF-8 with a byte-order mark so Excel opens accented names
correctly, and are safe against formula injection: names and sources come
from public reports, and a text cell such as ``=HYPERLINK(…)`` would run as a
formula in a spreadsheet. Following OWASP's advice, any text cell starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
``'``; numbers are left as numbers (a longitude of -99.1 stays -99.1).
GeoJSON keeps the values as they are (it is data for GIS, not a spreadsheet).

The files are the same in every interface language: column and property
names are machine-readable identifiers that scripts depend on, and the few
texts inside (the GeoJSON ``note``, the indicator ``label``) stay in English
so that a file means the same whoever downloads it. What a visitor reads
about a download (its button label) is translated by the page that offers it.

The neighbourhood tables: every AGEB with every CONAPO column as published
(a key without a polygon and a polygon without an index row included, the
latter with empty cells: no data, never zero), with the year and source of
those columns; their units are in the column guide (``data/ageb_fields.csv``
as a download). Every colonia with its estimated population and people by
grade, the columns named ``..._estimate`` and the source saying how they were
estimated: they are the Atlas's area-weighted estimates, not census counts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import geopandas as gpd
import pandas as pd

from geo.i18n import t
from geo.indicators import REGISTRY, rows_for
from geo.schemas import PEOPLE_BY_GRADE

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SITES_COLLECTION = "cdmx-inclusion-atlas-sites"  # the GeoJSON's ``name`` member: an identifier
CSV_ENCODING = "utf-8-sig"  # UTF-8 with BOM
#: The language of the texts inside a file (see the module's docstring).
FILE_LANGUAGE = "en"
#: The unit of a count of people in data/ageb_fields.csv.
PERSONS = "persons"
#: A colonia's estimated people (data/colonias.csv's columns), whole numbers...
COLONIA_COUNTS = ("population_estimate", *PEOPLE_BY_GRADE.values())
#: ...and all its estimated figures: column, then its name in the download.
COLONIA_ESTIMATES = {
    column: column if column.endswith("_estimate") else f"{column}_estimate"
    for column in (*COLONIA_COUNTS, "people_high_share")
}
NO_COORDINATES_NOTE = (
    "{n} site(s) without coordinates are omitted from this file; they are listed, "
    "with their borough, in the CSV download."
)


def neutralise(value: object) -> object:
    """Prefix a text cell that a spreadsheet would read as a formula with ``'``; leave anything else."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_for_spreadsheets(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with every text cell neutralised; numeric columns are not touched."""
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]) and not pd.api.types.is_bool_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    return safe


def table_csv(frame: pd.DataFrame) -> bytes:
    """Return any table as spreadsheet-safe CSV (UTF-8 with BOM, text cells neutralised)."""
    return safe_for_spreadsheets(frame).to_csv(index=False, lineterminator="\r\n").encode(CSV_ENCODING)


def _without_geometry(frame: pd.DataFrame) -> pd.DataFrame:
    if isinstance(frame, gpd.GeoDataFrame):
        return pd.DataFrame(frame.drop(columns=frame.geometry.name))
    return frame


def sites_csv(sites: pd.DataFrame) -> bytes:
    """Every site (mapped or not) with all its columns, sources included; coordinates in lat/lon."""
    return table_csv(_without_geometry(sites))


def indicators_csv(indicators: pd.DataFrame) -> bytes:
    """The long indicator table (derived rows included), with source and source_url per row."""
    return table_csv(_without_geometry(indicators))


def _feature_collection(frame: gpd.GeoDataFrame, **members: object) -> bytes:
    """Serialise as an RFC 7946 FeatureCollection (EPSG:4326), with extra top-level members."""
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    collection = json.loads(frame.to_json(na="null", drop_id=True))
    collection.pop("crs", None)  # RFC 7946: always WGS 84 longitude/latitude, no "crs" member
    ordered = {"type": collection.pop("type"), **members, **collection}
    return json.dumps(ordered, ensure_ascii=False).encode("utf-8")


def sites_geojson(sites: gpd.GeoDataFrame) -> bytes:
    """Sites that have coordinates as points; a top-level ``note`` counts the ones left out.

    ``omitted_without_coordinates`` holds the same count as a number, so a
    script can check it without parsing the note.
    """
    located = sites.geometry.notna() & ~sites.geometry.is_empty
    omitted = int((~located).sum())
    return _feature_collection(
        sites[located],
        name=SITES_COLLECTION,
        note=NO_COORDINATES_NOTE.format(n=omitted),
        omitted_without_coordinates=omitted,
    )


def indicators_geojson(
    boroughs: gpd.GeoDataFrame, indicators: pd.DataFrame, indicator: str, year: int
) -> bytes:
    """The 16 borough polygons with one indicator-year: value, category, unit, source, source_url.

    A borough without a value keeps its polygon with ``value`` null (a gap,
    not a zero).
    """
    rows = rows_for(indicators, indicator, year)
    columns = ["cvegeo", "value", "category", "unit", "source", "source_url"]
    joined = boroughs[["cvegeo", "name", boroughs.geometry.name]].merge(
        rows[columns], on="cvegeo", how="left"
    )
    spec = REGISTRY.get(indicator)
    joined.insert(2, "indicator", indicator)
    joined.insert(3, "label", spec.title("en") if spec else indicator)
    joined.insert(4, "year", year)
    collection = f"cdmx-inclusion-atlas-{indicator}-{year}"  # an identifier, like the file name
    return _feature_collection(
        gpd.GeoDataFrame(joined, geometry=boroughs.geometry.name, crs=boroughs.crs),
        name=collection,
        indicator=indicator,
        year=year,
    )


def _one_value(values: pd.Series) -> str:
    """The value every row shares, or each distinct value once, joined with `` | ``."""
    return " | ".join(dict.fromkeys(str(value) for value in values))


def agebs_table(agebs: pd.DataFrame, fields: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Every AGEB key with its borough and every CONAPO column (``fields``' order), then their year and source.

    ``on_map`` says whether INEGI has a polygon for the key, ``has_index``
    whether CONAPO published a row (without one, the cells are empty).
    """
    columns = list(fields.index)
    table = _without_geometry(agebs)[["cvegeo", "borough", "on_map", "has_index", *columns]].copy()
    table.insert(2, "borough_name", table["borough"].map(names).fillna(""))
    counts = [column for column in columns if fields.loc[column, "unit"] == PERSONS]
    table[counts] = table[counts].astype("Int64")  # whole people, written without ".0"
    for column in ("year", "source", "source_url"):
        table[column] = _one_value(fields.loc[columns, column])
    return table.reset_index(drop=True)


def ageb_fields_table(fields: pd.DataFrame) -> pd.DataFrame:
    """The column guide of :func:`agebs_table`: each CONAPO column's description, unit, year and source."""
    return fields.reset_index()


def colonias_table(colonias: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Every colonia (key, name, borough) with its estimated population and people by grade, and their source.

    The estimates keep their ``_estimate`` names; ``urban_share`` is the share
    of the colonia's area that urban AGEBs with data cover (what the estimate
    counts); ``source`` says how the figures were made.
    """
    table = _without_geometry(colonias)[["cveut", "name", "borough", *COLONIA_ESTIMATES, "urban_share"]]
    table = table.astype(dict.fromkeys(COLONIA_COUNTS, "Int64")).rename(columns=COLONIA_ESTIMATES)
    table.insert(3, "borough_name", table["borough"].map(names).fillna(""))
    table["source"] = t("areas.colonia_source", FILE_LANGUAGE)
    return table.reset_index(drop=True)
