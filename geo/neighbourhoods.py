"""Reproducible build of the neighbourhood layers: AGEBs with CONAPO's index, and colonias.

Reads the three files of ``../shared/data-brief/neighbourhoods/`` (see its
README) and writes, in ``data/``:

- ``agebs.csv``: one row per AGEB key found in CONAPO's table or INEGI's
  polygons. CONAPO's values unchanged (column names lower-cased); ``on_map``
  says whether a polygon exists, ``has_index`` whether CONAPO published a row.
  A polygon without a row is "no data": its cells stay empty, never zero.
- ``ageb_fields.csv``: unit, year, source and need direction of every column of
  ``agebs.csv``. CONAPO's index is higher where marginalisation is LOWER, so its
  ``need`` is ``lower``: a map where darker means more need must invert it (or
  use the grade, ordered in :data:`geo.vocabulary.MARGINALISATION_GRADES`).
- ``colonias.csv``: IECM unit key, name, INEGI borough code (matched by name,
  accents and case ignored) and a population estimate by area weighting of the
  AGEB populations (:mod:`geo.areaweight`), with the share of the unit's area
  that AGEBs with data cover, and that estimate split by the grade of the AGEBs
  it comes from (``people_<grade>``, ``people_high_share``).
- ``agebs.topojson`` and ``colonias.topojson``: the shapes, keyed by TopoJSON
  ``id``, in EPSG:4326, quantised, shared borders stored once.
- ``neighbourhoods_report.json``: keys that did not join, geometries repaired,
  AGEBs straddling a borough line, colonias whose borough did not match, urban
  coverage, and the measured simplification displacement.

Shapes, and why: each layer is made a clean coverage
(``shapely.coverage_clean``), then simplified with ``shapely.coverage_simplify``
in INEGI's metric CRS, so neighbours keep identical borders; quantisation in
the TopoJSON is the coordinate rounding. The displacement is measured (densified
Hausdorff distance, after quantisation) and the build fails past
``MAX_DISPLACEMENT_M``. The IECM units overlap in places (some housing units lie
inside another unit): cleaning gives each overlap to one unit, and a unit that
cleaning empties entirely keeps its own (repaired, simplified) shape, drawn over
its neighbour as in the source. Population estimates use the full-resolution
repaired shapes, not the simplified ones.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo import paths
from geo.areaweight import area_weighted_sum
from geo.boundaries import max_displacement_m, read_inegi_municipalities
from geo.loaders import decode_topojson
from geo.names import normalise_name
from geo.schemas import PEOPLE_BY_GRADE
from geo.topology import to_topojson
from geo.vocabulary import MARGINALISATION_GRADES

BRIEF_INDEX = "imu_2020_cdmx.csv"
BRIEF_AGEBS = "ageb_urbana_09a.shp"
BRIEF_COLONIAS = "colonias_iecm.gpkg"

# Largest Hausdorff distance (metres) allowed between a published shape and its source.
MAX_DISPLACEMENT_M = 30
# coverage_simplify tolerances (metres, source CRS) and TopoJSON quantisation (steps across
# the layer's extent; 10,000 is about 5 m in Mexico City). Chosen for size: both layers
# together stay under 1 MB with every border within MAX_DISPLACEMENT_M.
AGEB_TOLERANCE = 12.0
COLONIA_TOLERANCE = 12.0
QUANTIZATION = 10_000
# An AGEB "straddles" a borough line when more than this share of its area lies outside its borough.
STRADDLE_SHARE = 0.01

INDEX_SOURCE = (
    "CONAPO, Índice de marginación urbana 2020 (AGEB), con base en INEGI, Censo de Población y Vivienda 2020"
)
INDEX_SOURCE_URL = "https://github.com/IndiceMx/IMx2020"
YEAR = 2020


@dataclass(frozen=True)
class Field:
    """One column of ``agebs.csv``: what it measures, in what unit, and which way is more need."""

    column: str
    description: str
    unit: str
    need: str  # "higher" or "lower": which values mean more need; "" for keys and counts
    year: int = YEAR
    source: str = INDEX_SOURCE
    source_url: str = INDEX_SOURCE_URL


_OCCUPANTS = "% of occupants of private dwellings"
INDEX_FIELDS = (
    Field("pob_total", "Population (census 2020)", "persons", ""),
    Field("p6a14nae", "Aged 6–14 not attending school", "% of population aged 6–14", "higher"),
    Field("sbasc", "Aged 15+ without basic education", "% of population aged 15+", "higher"),
    Field("psdss", "Without health-service entitlement", "% of population", "higher"),
    Field("ovsde", "In dwellings without drainage or toilet", _OCCUPANTS, "higher"),
    Field("ovsee", "In dwellings without electricity", _OCCUPANTS, "higher"),
    Field("ovsae", "In dwellings without piped water", _OCCUPANTS, "higher"),
    Field("ovpt", "In dwellings with a dirt floor", _OCCUPANTS, "higher"),
    Field("ovhac", "In overcrowded dwellings", _OCCUPANTS, "higher"),
    Field("ovsref", "In dwellings without a refrigerator", _OCCUPANTS, "higher"),
    Field("ovsint", "In dwellings without internet", _OCCUPANTS, "higher"),
    Field("ovscel", "In dwellings without a mobile phone", _OCCUPANTS, "higher"),
    Field(
        "im_2020",
        "Urban marginalisation index (higher = LESS marginalised)",
        "index (CONAPO 2020 method; higher = less marginalised)",
        "lower",
    ),
    Field("gm_2020", "Marginalisation grade", "category (CONAPO grado de marginación)", "higher"),
    Field(
        "imn_2020",
        "Normalised marginalisation index (higher = LESS marginalised)",
        "normalised index (0–1; higher = less marginalised)",
        "lower",
    ),
)
NUMERIC_COLUMNS = tuple(f.column for f in INDEX_FIELDS if f.column != "gm_2020")


def read_index(brief_dir: Path = paths.NEIGHBOURHOODS_BRIEF) -> pd.DataFrame:
    """Read CONAPO's table as text (keys keep their zeros), numbers as numbers."""
    table = pd.read_csv(brief_dir / BRIEF_INDEX, dtype=str, keep_default_na=False)
    table.columns = [c.lower() for c in table.columns]
    for column in NUMERIC_COLUMNS:
        table[column] = pd.to_numeric(table[column])
    return table


def read_ageb_shapes(brief_dir: Path = paths.NEIGHBOURHOODS_BRIEF) -> gpd.GeoDataFrame:
    """Read INEGI's urban AGEB polygons (metric Lambert CRS), sorted by key."""
    frame = gpd.read_file(brief_dir / BRIEF_AGEBS, engine="pyogrio", columns=["CVEGEO", "CVE_MUN"])
    return frame.sort_values("CVEGEO", ignore_index=True)


def read_colonia_shapes(brief_dir: Path = paths.NEIGHBOURHOODS_BRIEF) -> gpd.GeoDataFrame:
    """Read the IECM units, sorted by key (EPSG:4326, as published)."""
    frame = gpd.read_file(
        brief_dir / BRIEF_COLONIAS, engine="pyogrio", columns=["CVEDT", "NOMDT", "CVEUT", "NOMUT"]
    )
    return frame.sort_values("CVEUT", ignore_index=True)


def build_ageb_table(index: pd.DataFrame, shapes: gpd.GeoDataFrame) -> pd.DataFrame:
    """Join CONAPO's rows to INEGI's polygons by key, keeping the keys either side lacks."""
    values = index.rename(columns={"cve_ageb": "cvegeo"})[["cvegeo", *(f.column for f in INDEX_FIELDS)]]
    keys = pd.DataFrame({"cvegeo": shapes["CVEGEO"].astype(str), "on_map": True})
    table = keys.merge(values.assign(has_index=True), on="cvegeo", how="outer")
    table["on_map"] = table["on_map"].notna()
    table["has_index"] = table["has_index"].notna()
    table["gm_2020"] = table["gm_2020"].fillna("")
    table.insert(1, "borough", table["cvegeo"].str[:5])
    columns = ["cvegeo", "borough", "on_map", "has_index", *(f.column for f in INDEX_FIELDS)]
    return table[columns].sort_values("cvegeo", ignore_index=True)


def field_table() -> pd.DataFrame:
    """Return the metadata of every indicator column of ``agebs.csv``."""
    return pd.DataFrame([asdict(f) for f in INDEX_FIELDS])


def simplify_coverage(geometries: np.ndarray, tolerance: float) -> np.ndarray:
    """Clean a coverage and simplify each shared border once (neighbours stay joined)."""
    return shapely.coverage_simplify(shapely.coverage_clean(geometries), tolerance)


def encode(keys: pd.Series, geometry: gpd.GeoSeries, object_name: str) -> dict:
    """Return the shapes as a quantised TopoJSON topology, each geometry's ``id`` its key."""
    frame = gpd.GeoDataFrame(
        {"id": keys.to_numpy()}, geometry=geometry.to_crs("EPSG:4326").to_numpy(), crs="EPSG:4326"
    )
    topology = to_topojson(frame, quantization=QUANTIZATION)
    collection = topology["objects"].pop("data")
    collection["geometries"] = [
        {"type": g["type"], "arcs": g["arcs"], "id": g["properties"]["id"]} for g in collection["geometries"]
    ]
    return {**topology, "objects": {object_name: collection}}


def dumps(document: dict) -> str:
    """Serialise compactly (no spaces, UTF-8 names), as the files are sent to browsers."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def pinched(text: str) -> list[str]:
    """Keys of the shapes that quantisation left invalid (repaired on reading)."""
    frame = gpd.read_file(text, engine="pyogrio")
    return frame.loc[~frame.is_valid, "id"].tolist()


def check_encoded(decoded: gpd.GeoDataFrame, source: gpd.GeoSeries, keys: pd.Series, layer: str) -> float:
    """Fail unless every decoded shape is a valid polygon within the displacement limit; return it."""
    if decoded["id"].tolist() != keys.tolist():
        raise ValueError(f"{layer}: the encoded keys do not come back in order")
    bad = decoded.loc[~(decoded.is_valid & decoded.geom_type.isin(["Polygon", "MultiPolygon"])), "id"]
    if len(bad):
        raise ValueError(f"{layer}: invalid or non-polygonal shapes after encoding: {bad.tolist()}")
    displacement = max_displacement_m(source.reset_index(drop=True), decoded.geometry)
    if displacement > MAX_DISPLACEMENT_M:
        raise ValueError(f"{layer}: a border moves {displacement:.1f} m (limit {MAX_DISPLACEMENT_M} m)")
    return displacement


def _straddlers(shapes: gpd.GeoDataFrame) -> list[dict]:
    """AGEBs with more than ``STRADDLE_SHARE`` of their area outside their own borough (full resolution)."""
    boroughs = read_inegi_municipalities().to_crs(shapes.crs).set_index("CVEGEO").geometry
    own = boroughs.loc["09" + shapes["CVE_MUN"]].to_numpy()
    area = shapes.area.to_numpy()
    outside = 1 - shapely.area(shapely.intersection(shapes.geometry.to_numpy(), own)) / area
    rows = []
    for i in np.flatnonzero(outside > STRADDLE_SHARE):
        others = boroughs[
            boroughs.intersects(shapes.geometry.iloc[i])
            & (boroughs.index != "09" + shapes["CVE_MUN"].iloc[i])
        ]
        rows.append(
            {
                "cvegeo": shapes["CVEGEO"].iloc[i],
                "borough": "09" + shapes["CVE_MUN"].iloc[i],
                "share_outside": round(float(outside[i]), 3),
                "also_in": sorted(others.index),
            }
        )
    return rows


def _repair(colonias: gpd.GeoDataFrame, crs: pyproj.CRS) -> tuple[np.ndarray, list[dict]]:
    """Make every unit valid (polygons only) in the metric CRS; list what was repaired and why."""
    geometry = colonias.geometry.to_numpy()
    invalid = ~shapely.is_valid(geometry)
    repairs = [
        {"cveut": key, "name": name, "problem": shapely.is_valid_reason(shape)}
        for key, name, shape in zip(
            colonias.loc[invalid, "CVEUT"], colonias.loc[invalid, "NOMUT"], geometry[invalid], strict=True
        )
    ]
    fixed = shapely.make_valid(geometry, method="structure", keep_collapsed=False)
    metric = gpd.GeoSeries(fixed, crs=colonias.crs).to_crs(crs).to_numpy()
    metric = shapely.make_valid(metric, method="structure", keep_collapsed=False)
    return metric, repairs


def _colonia_shapes(repaired: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Simplify the units as a coverage; units that cleaning empties keep their own shape.

    Returns the simplified shapes, the mask of those nested units, and the
    reference each shape's displacement is measured against (the cleaned shape,
    or the repaired one for nested units): resolving the source's overlaps is
    reported apart from simplifying.
    """
    cleaned = shapely.coverage_clean(repaired)
    simplified = shapely.coverage_simplify(cleaned, COLONIA_TOLERANCE)
    nested = shapely.is_empty(cleaned)
    simplified[nested] = shapely.simplify(repaired[nested], COLONIA_TOLERANCE, preserve_topology=True)
    reference = np.where(nested, repaired, cleaned)
    return simplified, nested, reference


def _match_boroughs(colonias: gpd.GeoDataFrame, boroughs: gpd.GeoDataFrame) -> pd.Series:
    """INEGI borough code of each unit, from its IECM borough name (empty when no name matches)."""
    codes = {
        normalise_name(name): code for name, code in zip(boroughs["name"], boroughs["cvegeo"], strict=True)
    }
    return colonias["NOMDT"].map(lambda name: codes.get(normalise_name(name), ""))


def _misplaced(colonias: gpd.GeoDataFrame, codes: pd.Series, boroughs: gpd.GeoDataFrame) -> list[dict]:
    """Units whose larger part lies in another borough than the one their name matched."""
    points = gpd.GeoSeries(colonias.geometry.representative_point(), crs=colonias.crs)
    located = gpd.sjoin(gpd.GeoDataFrame(geometry=points), boroughs[["cvegeo", "geometry"]], how="left")
    located = located[~located.index.duplicated()]["cvegeo"].fillna("")
    wrong = (codes != "") & (located != codes)
    return [
        {"cveut": key, "name": name, "borough": code, "point_in": where}
        for key, name, code, where in zip(
            colonias.loc[wrong, "CVEUT"],
            colonias.loc[wrong, "NOMUT"],
            codes[wrong],
            located[wrong],
            strict=True,
        )
    ]


def _city_population(indicators: Path) -> int:
    """Mexico City's census 2020 population: the sum over boroughs in ``indicators.csv``."""
    table = pd.read_csv(indicators, dtype={"cvegeo": str})
    rows = table[(table["indicator"] == "population_total") & (table["year"] == YEAR)]
    return int(rows["value"].sum())


@dataclass(frozen=True)
class Neighbourhoods:
    """Everything the build writes, as values (so tests can rebuild and compare)."""

    agebs: pd.DataFrame
    fields: pd.DataFrame
    colonias: pd.DataFrame
    ageb_topology: dict
    colonia_topology: dict
    report: dict


def _publish(
    keys: pd.Series, shapes: gpd.GeoSeries, reference: gpd.GeoSeries, name: str, tolerance: float
) -> tuple[dict, dict]:
    """Encode a simplified layer, check it against ``reference`` and describe what was published.

    Returns
    -------
    tuple
        The TopoJSON topology and its entry in the report's ``simplification``.
    """
    topology = encode(keys, shapes, name)
    text = dumps(topology)
    displacement = check_encoded(decode_topojson(text), reference, keys, name)
    entry = {
        "tolerance": tolerance,
        "max_displacement_m": round(displacement, 1),
        "repaired_after_quantisation": pinched(text),
        "bytes": len(text.encode()),
    }
    return topology, entry


def _ageb_report(index: pd.DataFrame, agebs: pd.DataFrame, shapes: gpd.GeoDataFrame) -> dict:
    """What joined and what did not, and which AGEBs straddle a borough line."""
    unmatched = agebs[agebs["has_index"] & ~agebs["on_map"]]
    return {
        "polygons": len(shapes),
        "index_rows": len(index),
        "matched": int((agebs["has_index"] & agebs["on_map"]).sum()),
        "index_rows_without_polygon": [
            {"cvegeo": r.cvegeo, "borough": r.borough, "pob_total": int(r.pob_total), "gm_2020": r.gm_2020}
            for r in unmatched.itertuples()
        ],
        "polygons_without_index_row": agebs.loc[agebs["on_map"] & ~agebs["has_index"], "cvegeo"].tolist(),
        "straddling_a_borough_line": _straddlers(shapes),
        "straddle_rule": (
            f"more than {STRADDLE_SHARE:.0%} of the AGEB's area outside its borough (INEGI, full resolution)"
        ),
    }


def apportion(parts: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Round each row of ``parts`` to whole numbers that add up to its (whole) total.

    Largest remainder: every part is rounded down, then the row's shortfall goes
    one by one to the parts with the largest fractions (ties to the earlier
    column). Rounding each part alone could make the grades of a colonia add up
    to more than its estimate, and its share in Alto/Muy alto exceed 1.
    """
    floors = np.floor(parts)
    short = np.rint(totals - floors.sum(axis=1)).astype(int)
    order = np.argsort(floors - parts, axis=1, kind="stable")
    ranks = np.argsort(order, axis=1, kind="stable")
    return (floors + (ranks < short[:, None])).astype(int)


def _people_by_grade(
    agebs: pd.DataFrame, shapes: gpd.GeoDataFrame, repaired: np.ndarray, estimate: pd.Series
) -> pd.DataFrame:
    """Estimated people of each unit in AGEBs of each grade, adding up to ``estimate``, and the high share.

    Every AGEB with a population has a grade (the 50 without an index row have
    neither), so the grades split the whole estimate; the build fails if that
    ever stops being true rather than publish grades that silently fall short.
    """
    table = agebs.set_index("cvegeo").reindex(shapes["CVEGEO"])
    population, grade = table["pob_total"].to_numpy(), table["gm_2020"].to_numpy()
    ungraded = table.index[~np.isnan(population) & ~np.isin(grade, MARGINALISATION_GRADES)]
    if len(ungraded):
        raise ValueError(f"AGEBs with a population but no grade: {ungraded.tolist()[:10]}")
    sources = shapes.geometry.to_numpy()
    parts = np.column_stack(
        [
            area_weighted_sum(sources, np.where(grade == g, population, np.nan), repaired)[0]
            for g in MARGINALISATION_GRADES
        ]
    )
    known = estimate.notna().to_numpy()
    people = pd.DataFrame(np.nan, index=estimate.index, columns=list(PEOPLE_BY_GRADE.values()), dtype=float)
    people.loc[known] = apportion(parts[known], estimate[known].to_numpy(dtype=float))
    people = people.astype("Int64")
    high = people[[PEOPLE_BY_GRADE["Alto"], PEOPLE_BY_GRADE["Muy alto"]]].sum(axis=1, min_count=1)
    people["people_high_share"] = (high / estimate.where(estimate > 0)).astype(float).round(3)
    return people


def _colonia_table(
    source: gpd.GeoDataFrame,
    repaired: np.ndarray,
    codes: pd.Series,
    agebs: pd.DataFrame,
    shapes: gpd.GeoDataFrame,
) -> pd.DataFrame:
    """Key, name, INEGI borough and area-weighted population estimates of each unit, in all and by grade."""
    population = agebs.set_index("cvegeo")["pob_total"].reindex(shapes["CVEGEO"]).to_numpy()
    estimate, covered = area_weighted_sum(shapes.geometry.to_numpy(), population, repaired)
    table = pd.DataFrame(
        {
            "cveut": source["CVEUT"],
            "name": source["NOMUT"],
            "borough": codes,
            "population_estimate": pd.array(np.where(covered > 0, np.round(estimate), np.nan)).astype(
                "Int64"
            ),
            "urban_share": np.round(covered, 3),
        }
    )
    return table.join(_people_by_grade(agebs, shapes, repaired, table["population_estimate"]))


def _coverage(index: pd.DataFrame) -> dict:
    """People in CONAPO's urban index against the city's census 2020 total."""
    index_people = int(index["pob_total"].sum())
    city_people = _city_population(paths.INDICATORS)
    return {
        "index_population": index_people,
        "city_population_2020": city_people,
        "share": round(index_people / city_people, 4),
        "note": "CONAPO's urban index covers urban AGEBs only; people in rural localities are outside it.",
    }


def build_neighbourhoods(brief_dir: Path = paths.NEIGHBOURHOODS_BRIEF) -> Neighbourhoods:
    """Derive every neighbourhood file from the brief; nothing is written."""
    index = read_index(brief_dir)
    ageb_shapes = read_ageb_shapes(brief_dir)
    metric = ageb_shapes.crs
    agebs = build_ageb_table(index, ageb_shapes)
    simplified = gpd.GeoSeries(simplify_coverage(ageb_shapes.geometry.to_numpy(), AGEB_TOLERANCE), crs=metric)
    ageb_topology, ageb_entry = _publish(
        ageb_shapes["CVEGEO"], simplified, ageb_shapes.geometry, "agebs", AGEB_TOLERANCE
    )

    source = read_colonia_shapes(brief_dir)
    repaired, repairs = _repair(source, metric)
    shapes, nested, reference = _colonia_shapes(repaired)
    colonia_topology, colonia_entry = _publish(
        source["CVEUT"],
        gpd.GeoSeries(shapes, crs=metric),
        gpd.GeoSeries(reference, crs=metric),
        "colonias",
        COLONIA_TOLERANCE,
    )
    overlap_moved = max_displacement_m(
        gpd.GeoSeries(repaired[~nested], crs=metric), gpd.GeoSeries(reference[~nested], crs=metric)
    )
    boroughs = gpd.read_file(paths.BOUNDARIES, engine="pyogrio")
    codes = _match_boroughs(source, boroughs)
    colonias = _colonia_table(source, repaired, codes, agebs, ageb_shapes)

    report = {
        "title": "Neighbourhood layers: build report",
        "build": "python -m geo.build neighbourhoods",
        "agebs": _ageb_report(index, agebs, ageb_shapes),
        "colonias": {
            "units": len(source),
            "geometries_repaired": repairs,
            "borough_not_matched": source.loc[codes == "", ["CVEUT", "NOMUT", "NOMDT"]]
            .rename(columns=str.lower)
            .to_dict("records"),
            "borough_name_disagrees_with_location": _misplaced(source, codes, boroughs),
            "nested_in_another_unit": source.loc[nested, "CVEUT"].tolist(),
            "overlap_resolution_max_move_m": round(overlap_moved, 1),
            "without_population_estimate": colonias.loc[
                colonias["population_estimate"].isna(), "cveut"
            ].tolist(),
            "population_estimate_total": int(colonias["population_estimate"].sum()),
            "population_estimate_note": (
                "area weighting of AGEB census 2020 populations over the repaired full-resolution units; "
                "where units overlap in the source, the shared area's people count in each, so the total "
                "can exceed the people the AGEBs hold"
            ),
            "people_by_grade_total": {
                grade: int(colonias[column].sum()) for grade, column in PEOPLE_BY_GRADE.items()
            },
            "people_by_grade_note": (
                "each unit's population_estimate split by the CONAPO grade of the AGEBs its people come from "
                "(same area weighting; whole people by largest remainder, so the grades add up to the estimate "
                "exactly); the AGEB polygons without an index row have no population in CONAPO's table, so "
                "their people, if any, are in neither; people_high_share = (people_alto + people_muy_alto) / "
                "population_estimate, empty when the estimate is empty or 0"
            ),
        },
        "urban_coverage": _coverage(index),
        "simplification": {
            "method": "shapely coverage_clean + coverage_simplify in INEGI's Lambert CRS, TopoJSON quantised",
            "quantization": QUANTIZATION,
            "limit_m": MAX_DISPLACEMENT_M,
            "displacement": (
                "largest densified Hausdorff distance between a published shape (after quantisation) and its "
                "source; for colonias the source is the unit after overlaps between units were resolved "
                "(colonias.overlap_resolution_max_move_m measures that step against the repaired source)"
            ),
            "agebs": ageb_entry,
            "colonias": colonia_entry,
        },
    }
    return Neighbourhoods(agebs, field_table(), colonias, ageb_topology, colonia_topology, report)


def render(built: Neighbourhoods) -> dict[Path, str]:
    """Return the text of each file the build writes, by path (tests compare these with ``data/``)."""
    return {
        paths.AGEBS: built.agebs.to_csv(index=False),
        paths.AGEB_FIELDS: built.fields.to_csv(index=False),
        paths.COLONIAS: built.colonias.to_csv(index=False),
        paths.AGEB_SHAPES: dumps(built.ageb_topology),
        paths.COLONIA_SHAPES: dumps(built.colonia_topology),
        paths.NEIGHBOURHOODS_REPORT: json.dumps(built.report, ensure_ascii=False, indent=1) + "\n",
    }


def write_neighbourhoods(brief_dir: Path = paths.NEIGHBOURHOODS_BRIEF) -> list[Path]:
    """Build the neighbourhood files and write them to ``data/``; return the paths written."""
    texts = render(build_neighbourhoods(brief_dir))
    for path, text in texts.items():
        path.write_text(text, encoding="utf-8")
    return list(texts)
