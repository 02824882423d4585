"""Check a visitor's table or GeoDataFrame row by row, and keep what can be used, placed in the city's units.

:func:`check_sites`, :func:`check_boundaries` and :func:`check_indicators`
read the columns a :data:`~geo.importing.columns.Roles` mapping names and
return a :class:`CheckedLayer`: the cleaned rows (EPSG:4326, one per usable
input row, or per row and year for a wide indicator table), the rejected
rows, and every finding. Safe repairs (a decimal comma, a lost leading zero,
an invalid polygon made valid) are made and reported; anything that changes
what a row means (swapped axes, a coordinate system, a near-miss name) is
only suggested, and made by :func:`apply_fix` or :func:`accept`, which check
the file again with the user's :class:`Decisions`. Cells are kept as text:
nothing from the file is interpreted beyond the numbers, dates, codes and
names the roles ask for.

Row numbers are 1-based positions in the frame (the reader's first data row
is row 1), the same in findings, in the layer's ``row`` column and in the
index of the rejected rows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from geo.importing.columns import Kind, Roles, year_columns
from geo.importing.crs import CRS_FIXABLE, WGS84, read_crs
from geo.importing.findings import Finding, Severity
from geo.importing.locate import Candidate, Level, NameMatch, Units
from geo.importing.values import (
    OTHER_PROGRAMME,
    OTHER_STATUS,
    cell_text,
    parse_date,
    parse_number,
    parse_programme,
    parse_status,
    parse_year,
    year_range,
)

Outside = Literal["keep", "drop"]

# Finding codes (catalogue keys in geo/locales/import_check.toml); the comment gives the severity and fields.
COLUMN_MISSING = (
    "import_check.column_missing"  # error, file {role} {column}: a role names no column of the file
)
NO_LOCATION = "import_check.no_location"  # error, file: no role places a row
NO_VALUE = "import_check.no_value"  # error, file: an indicator table with no value or year columns
DECIMAL_COMMA = "import_check.decimal_comma"  # repaired {value} {number}
NUMBER_INVALID = "import_check.number_invalid"  # warning (error: an indicator value) {value}
COORDINATES_INVALID = "import_check.coordinates_invalid"  # warning {lat} {lon}
SWAPPED = "import_check.swapped"  # warning {lat} {lon}: fits the city only with the axes swapped
SWAP_APPLIED = "import_check.swap_applied"  # repaired {lat} {lon}
SIGN_LOST = "import_check.sign_lost"  # warning {lon}: fits the city only with a western (negative) longitude
SIGN_APPLIED = "import_check.sign_applied"  # repaired {lon}
OUTSIDE_KEPT = "import_check.outside.kept"  # warning: outside the city, kept as context
OUTSIDE_DROPPED = "import_check.outside.dropped"  # info: outside the city, dropped as the user chose
NOT_LOCATED = "import_check.not_located"  # error: nothing places the row
BOROUGH_MISMATCH = "import_check.borough_mismatch"  # warning {value} {borough}
CODE_PADDED = "import_check.code_padded"  # repaired {value} {code}
CODE_UNKNOWN = "import_check.code_unknown"  # .ageb/.colonia/.borough, warning {value}
NAME_UNMATCHED = "import_check.name_unmatched"  # .colonia/.borough, warning {value} {candidates}
NAME_AMBIGUOUS = "import_check.name_ambiguous"  # .colonia/.borough, warning {value} {candidates}
NAME_ACCEPTED = "import_check.name_accepted"  # repaired {value} {name}
DUPLICATE_KEY = (
    "import_check.duplicate_key"  # error (indicators: dropped), warning (boundaries) {key} {first}
)
VALUE_MISSING = "import_check.value_missing"  # error: an indicator row with no value
YEAR_INVALID = "import_check.year_invalid"  # warning {value}
YEAR_OUT_OF_RANGE = "import_check.year_out_of_range"  # warning {value} {first} {last}
DATE_READ = "import_check.date_read"  # info {value} {date}: a non-ISO date, read day first
DATE_INVALID = "import_check.date_invalid"  # warning {value}
STATUS_OTHER = "import_check.status_other"  # info {value}: kept as "other"
PROGRAMME_OTHER = "import_check.programme_other"  # info {value}: kept as "other", shown with any programme
GEOMETRY_NULL = "import_check.geometry.null"  # error
GEOMETRY_NOT_POLYGON = "import_check.geometry.not_polygon"  # error {kind}
GEOMETRY_REPAIRED = "import_check.geometry.repaired"  # repaired
GEOMETRY_UNREPAIRABLE = "import_check.geometry.unrepairable"  # error
# Where a row is drawn, in words: ``precision`` holds the key (import_check.precision.<located_by>).
PRECISION = "import_check.precision"

AREA_ROLES = ("ageb", "colonia_key", "colonia_name", "borough")
SITE_COLUMNS = ("row", "located_by", "precision", "context", "borough", "colonia", "ageb")
SITE_COLUMNS += ("name", "programme", "programme_text", "year", "date", "status", "status_text")
SITE_COLUMNS += ("amount", "source")
BOUNDARY_COLUMNS = ("row", "located_by", "precision", "context", "borough", "key", "name", "value")
INDICATOR_COLUMNS = ("row", "located_by", "precision", "borough", "key", "year", "value")


@dataclass(frozen=True)
class Decisions:
    """What the user decided: nothing a finding only suggests is changed before it is decided here.

    ``outside``: keep rows outside the city as context or drop them; ``crs``:
    the coordinate system the user accepted; ``swap`` / ``negate``: rows whose
    axes to swap / whose longitude to make western; ``matches``: (row, level)
    → the unit key the user accepted for a name.
    """

    outside: Outside = "keep"
    crs: str | None = None
    swap: frozenset[int] = frozenset()
    negate: frozenset[int] = frozenset()
    matches: Mapping[tuple[int, Level], str] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class CheckedLayer:
    """A checked file: the usable rows (``layer``), the rejected ones and the findings, with what made them.

    ``layer`` is a GeoDataFrame in EPSG:4326 with the kind's columns
    (:data:`SITE_COLUMNS`, :data:`BOUNDARY_COLUMNS`, :data:`INDICATOR_COLUMNS`)
    and a geometry; ``rejected`` holds the input rows not used, indexed by row
    number; ``candidates`` the units offered for each (row, level) whose name
    did not match exactly. ``source``, ``roles``, ``units`` and ``decisions``
    are kept to check the file again when the user decides.
    """

    kind: Kind
    layer: gpd.GeoDataFrame
    rejected: pd.DataFrame
    findings: tuple[Finding, ...]
    candidates: Mapping[tuple[int, Level], tuple[Candidate, ...]]
    source: pd.DataFrame = field(repr=False)
    roles: Roles
    units: Units = field(repr=False)
    decisions: Decisions


class _Report:
    """The findings and name candidates gathered while checking one file, and the cell readers that add them."""

    def __init__(self, frame: pd.DataFrame, roles: Roles, units: Units, decisions: Decisions) -> None:
        self.roles, self.units, self.decisions = roles, units, decisions
        self.findings: list[Finding] = []
        self.candidates: dict[tuple[int, Level], tuple[Candidate, ...]] = {}
        for role, column in roles.items():
            if column not in frame.columns:
                self.findings.append(
                    Finding(COLUMN_MISSING, "error", detail={"role": role, "column": column})
                )
        present = {role: column for role, column in roles.items() if column in frame.columns}
        self.cells = {role: [cell_text(value) for value in frame[column]] for role, column in present.items()}

    def add(
        self,
        code: str,
        severity: Severity,
        row: int | None = None,
        role: str | None = None,
        /,
        **detail: str | float,
    ) -> None:
        """Record a finding about ``row`` (None: the file) in the column playing ``role`` (or named ``role``)."""
        column = None if role is None else self.roles.get(role, role)
        self.findings.append(Finding(code, severity, row, column, detail))

    def cell(self, role: str, row: int) -> str | None:
        """The text of ``role``'s cell in ``row`` (None: empty or no such role)."""
        cells = self.cells.get(role)
        return None if cells is None else cells[row - 1]

    def number(
        self, role: str, row: int, *, grouped: bool, invalid: Severity | None = "warning"
    ) -> float | None:
        """The number in a cell: NaN when empty, None when unreadable (reported as ``invalid``)."""
        text = self.cell(role, row)
        if text is None:
            return float("nan")
        read = parse_number(text, grouped=grouped)
        if read is None:
            if invalid is not None:
                self.add(NUMBER_INVALID, invalid, row, role, value=text)
            return None
        if read.decimal_comma:
            self.add(DECIMAL_COMMA, "repaired", row, role, value=text, number=read.value)
        return read.value

    def year(self, row: int, *, plausible: bool) -> int | None:
        """The year cell of ``row`` (or the year of its date); out of range is reported when ``plausible``."""
        text = self.cell("year", row)
        if text is None:
            date = self.cell("date", row)
            return None if date is None else parse_year(date)
        year = parse_year(text)
        if year is None:
            self.add(YEAR_INVALID, "warning", row, "year", value=text)
        elif plausible and not year_range()[0] <= year <= year_range()[1]:
            first, last = year_range()
            self.add(YEAR_OUT_OF_RANGE, "warning", row, "year", value=text, first=first, last=last)
        return year

    def date(self, row: int) -> str | None:
        """The date cell of ``row`` as ISO text; a day-first date is reported, an impossible one too."""
        text = self.cell("date", row)
        if text is None:
            return None
        read = parse_date(text)
        if read is None:
            self.add(DATE_INVALID, "warning", row, "date", value=text)
            return None
        if read[1]:
            self.add(DATE_READ, "info", row, "date", value=text, date=read[0])
        return read[0]

    def status(self, row: int) -> str | None:
        """The Atlas's status the cell names, :data:`OTHER_STATUS` (reported) for anything else."""
        return self._word("status", row, parse_status, OTHER_STATUS, STATUS_OTHER)

    def programme(self, row: int) -> str | None:
        """The Atlas's programme the cell names, :data:`OTHER_PROGRAMME` (reported) for anything else."""
        return self._word("programme", row, parse_programme, OTHER_PROGRAMME, PROGRAMME_OTHER)

    def _word(self, role: str, row: int, parse: Callable[[str], str], other: str, code: str) -> str | None:
        """The Atlas's word (a status, a programme) the cell names; ``other``, reported as ``code``, if none."""
        text = self.cell(role, row)
        if text is None:
            return None
        word = parse(text)
        if word == other:
            self.add(code, "info", row, role, value=text)
        return word

    def code(self, level: Level, role: str, row: int) -> str | None:
        """The unit key in a code cell, repaired (and reported) if it lost a leading zero."""
        text = self.cell(role, row)
        if text is None:
            return None
        key, repaired = self.units.code(level, text)
        if key is None:
            self.add(f"{CODE_UNKNOWN}.{level}", "warning", row, role, value=text)
        elif repaired:
            self.add(CODE_PADDED, "repaired", row, role, value=text, code=key)
        return key

    def name(
        self, level: Literal["colonia", "borough"], role: str, row: int, borough: str | None
    ) -> str | None:
        """The unit a name cell names: an exact (folded) match or the user's accepted choice, else None."""
        text = self.cell(role, row)
        if text is None:
            return None
        accepted = self.decisions.matches.get((row, level))
        if accepted is not None:
            name = self.units.name_of(level, accepted)
            self.add(NAME_ACCEPTED, "repaired", row, role, value=text, name=name)
            return accepted
        match: NameMatch = self.units.name(level, text, borough)
        if len(match.keys) == 1:
            return match.keys[0]
        code = f"{NAME_AMBIGUOUS if match.keys else NAME_UNMATCHED}.{level}"
        labels = "; ".join(candidate.label() for candidate in match.candidates)
        self.add(code, "warning", row, role, value=text, candidates=labels)
        self.candidates[(row, level)] = match.candidates
        return None

    def borough(self, row: int) -> str | None:
        """The borough a borough cell gives: a code (repaired if needed) or a name."""
        text = self.cell("borough", row)
        if text is None:
            return None
        if any(character.isdigit() for character in text):
            return self.code("borough", "borough", row)
        return self.name("borough", "borough", row, None)

    def locate(self, row: int, levels: tuple[Level, ...]) -> tuple[Level, str] | None:
        """The finest unit among ``levels`` the row's area cells give: AGEB, colonia (key, then name), borough."""
        if "ageb" in levels and (key := self.code("ageb", "ageb", row)):
            return self._checked(row, "ageb", key)
        borough = self.borough(row) if "borough" in self.cells else None
        if "colonia" in levels:
            key = self.code("colonia", "colonia_key", row) or self.name(
                "colonia", "colonia_name", row, borough
            )
            if key:
                return self._checked(row, "colonia", key, borough)
        if "borough" in levels and borough:
            return "borough", borough
        return None

    def _checked(self, row: int, level: Level, key: str, borough: str | None = None) -> tuple[Level, str]:
        """``(level, key)``, after reporting a borough cell that names another borough than the unit's."""
        self.mismatch(row, self.units.borough_of(level, key), borough)
        return level, key

    def mismatch(self, row: int, found: str, given: str | None = None) -> None:
        """Report a borough cell (``given``, or read exactly from the cell) naming another borough than ``found``."""
        text = self.cell("borough", row)
        if text is None or not found:
            return
        if given is None:
            given = self.units.code("borough", text)[0] or next(
                iter(self.units.name("borough", text).keys), None
            )
        if given is not None and given != found:
            self.add(
                BOROUGH_MISMATCH,
                "warning",
                row,
                "borough",
                value=text,
                borough=self.units.name_of("borough", found),
            )

    def checked(
        self, kind: Kind, frame: pd.DataFrame, rows: list[dict[str, object]], columns: tuple[str, ...]
    ) -> CheckedLayer:
        """The :class:`CheckedLayer` of ``rows`` (dicts with the kind's columns and ``geometry``)."""
        layer = gpd.GeoDataFrame(
            pd.DataFrame(rows, columns=[*columns, "geometry"]), geometry="geometry", crs=WGS84
        )
        layer["row"] = layer["row"].astype(int)
        if "year" in layer:
            layer["year"] = layer["year"].astype("Int64")
        for column in ("amount", "value"):
            if column in layer:
                layer[column] = layer[column].astype(float)
        used = set(layer["row"])
        unused = [position for position in range(len(frame)) if position + 1 not in used]
        rejected = frame.iloc[unused].set_axis(pd.Index([position + 1 for position in unused], name="row"))
        return CheckedLayer(
            kind=kind,
            layer=layer,
            rejected=rejected,
            findings=tuple(
                sorted(self.findings, key=lambda finding: (finding.row is not None, finding.row or 0))
            ),
            candidates=dict(self.candidates),
            source=frame,
            roles=dict(self.roles),
            units=self.units,
            decisions=self.decisions,
        )

    def blocked(self) -> bool:
        """Whether a file-level error stops every row (a missing column, an undecided coordinate system)."""
        return any(finding.row is None and finding.severity == "error" for finding in self.findings)


def _coordinates(
    report: _Report, rows: range
) -> tuple[dict[int, tuple[float, float]], dict[int, tuple[float, float]]]:
    """Rows placed by their coordinates inside the city, and rows whose coordinates lie outside it (lon, lat).

    Other rows fall back to their area cells. Coordinates that fit the city
    only swapped, or only with a western longitude, are reported and used
    once the user accepts the fix; projected ones wait for an accepted system.
    """
    units, decisions = report.units, report.decisions
    lon = np.array([report.number("lon", row, grouped=False, invalid=None) for row in rows], dtype=float)
    lat = np.array([report.number("lat", row, grouped=False, invalid=None) for row in rows], dtype=float)
    finite = np.isfinite(lon) & np.isfinite(lat)
    projected = (
        bool(finite.any()) and max(np.median(np.abs(lon[finite])), np.median(np.abs(lat[finite]))) > 180
    )
    if decisions.crs is not None or projected:
        crs, finding = read_crs(lon, lat, None, decisions.crs, tuple(units.boroughs.total_bounds))
        report.findings.extend([finding] if finding else [])
        if crs is None:
            return {}, {}
        lon, lat = Transformer.from_crs(crs, WGS84, always_xy=True).transform(lon, lat)
    in_range = (np.abs(lon) <= 180) & (np.abs(lat) <= 90) & ~((lon == 0) & (lat == 0))
    inside = in_range & units.in_city(lon, lat)
    swapped = ~inside & (np.abs(lon) <= 90) & units.in_city(lat, lon)
    negated = ~inside & ~swapped & (lon > 0) & units.in_city(-lon, lat)
    placed: dict[int, tuple[float, float]] = {}
    outside: dict[int, tuple[float, float]] = {}
    for index, row in enumerate(rows):
        here = (float(lon[index]), float(lat[index]))
        texts = {"lat": report.cell("lat", row) or "", "lon": report.cell("lon", row) or ""}
        if inside[index]:
            placed[row] = here
        elif swapped[index] and row in decisions.swap:
            placed[row] = here[::-1]
            report.add(SWAP_APPLIED, "repaired", row, "lat", **texts)
        elif swapped[index]:
            report.add(SWAPPED, "warning", row, "lat", **texts)
        elif negated[index] and row in decisions.negate:
            placed[row] = (-here[0], here[1])
            report.add(SIGN_APPLIED, "repaired", row, "lon", lon=texts["lon"])
        elif negated[index]:
            report.add(SIGN_LOST, "warning", row, "lon", lon=texts["lon"])
        elif in_range[index]:
            outside[row] = here
        elif texts["lat"] or texts["lon"]:
            report.add(COORDINATES_INVALID, "warning", row, "lat", **texts)
    return placed, outside


def _site(report: _Report, row: int) -> dict[str, object]:
    """The attribute columns of a kept site row, each cell read as its role asks (and reported)."""
    return {
        "row": row,
        "name": report.cell("name", row),
        "programme": report.programme(row),
        "programme_text": report.cell("programme", row),
        "year": report.year(row, plausible=True),
        "date": report.date(row),
        "status": report.status(row),
        "status_text": report.cell("status", row),
        "amount": report.number("amount", row, grouped=True),
        "source": report.cell("source", row),
    }


def _place(report: _Report, entries: list[dict[str, object]]) -> None:
    """Fill the borough, colonia and AGEB under each in-city point, and report borough cells that disagree."""
    inside = [entry for entry in entries if entry["located_by"] == "coordinates" and not entry["context"]]
    if not inside:
        return
    placed = report.units.place(np.array([entry["geometry"] for entry in inside]))
    for entry, units in zip(inside, placed.to_dict("records"), strict=True):
        entry.update(units)
        report.mismatch(int(entry["row"]), str(units["borough"]))  # type: ignore[call-overload]


def _away(report: _Report, row: int) -> bool:
    """Report a row outside the city; True when it is kept as context (the user's choice)."""
    if report.decisions.outside == "drop":
        report.add(OUTSIDE_DROPPED, "info", row)
        return False
    report.add(OUTSIDE_KEPT, "warning", row)
    return True


def _located(level: str, context: bool = False) -> dict[str, object]:
    """The location columns every kept row has."""
    return {"located_by": level, "precision": f"{PRECISION}.{level}", "context": context}


def check_sites(
    frame: pd.DataFrame, roles: Roles, units: Units, *, decisions: Decisions | None = None
) -> CheckedLayer:
    """Check a table of sites or projects: place each row by its coordinates or its area cells.

    A row is drawn at its coordinates when they fall in the city, at the
    representative point of its AGEB, colonia (key, or name within its
    borough) or borough otherwise, finest first; ``located_by`` says which.
    Rows outside the city are kept as context (never joined to a borough) or
    dropped, as ``decisions.outside`` says.
    """
    decisions = decisions or Decisions()
    report = _Report(frame, roles, units, decisions)
    if not ({"lat", "lon"} <= report.cells.keys() or report.cells.keys() & set(AREA_ROLES)):
        report.findings.append(Finding(NO_LOCATION, "error"))
    if report.blocked():
        return report.checked("sites", frame, [], SITE_COLUMNS)
    rows = range(1, len(frame) + 1)
    placed, outside = _coordinates(report, rows) if {"lat", "lon"} <= report.cells.keys() else ({}, {})
    entries: list[dict[str, object]] = []
    for row in rows:
        blank = {"borough": "", "colonia": "", "ageb": ""}
        if row in placed:
            entry = {**_located("coordinates"), **blank, "geometry": shapely.Point(placed[row])}
        elif row in outside:
            if not _away(report, row):
                continue
            entry = {
                **_located("coordinates", context=True),
                **blank,
                "geometry": shapely.Point(outside[row]),
            }
        elif found := report.locate(row, ("ageb", "colonia", "borough")):
            level, key = found
            areas = {**blank, "borough": units.borough_of(level, key), level: key}
            entry = {**_located(level), **areas, "geometry": units.point(level, key)}
        else:
            report.add(NOT_LOCATED, "error", row)
            continue
        entries.append({**entry, **_site(report, row)})
    _place(report, entries)
    return report.checked("sites", frame, entries, SITE_COLUMNS)


def _polygon(report: _Report, row: int, shape: shapely.Geometry | None) -> shapely.Geometry | None:
    """A usable (multi)polygon from a feature's shape: invalid ones made valid where only polygons result."""
    if shape is None or shape.is_empty:
        report.add(GEOMETRY_NULL, "error", row)
        return None
    if shape.geom_type not in ("Polygon", "MultiPolygon"):
        report.add(GEOMETRY_NOT_POLYGON, "error", row, kind=shape.geom_type)
        return None
    if shape.is_valid:
        return shape
    parts = shapely.get_parts(shapely.get_parts(shapely.make_valid(shape)))
    polygons = [part for part in parts if part.geom_type == "Polygon" and not part.is_empty]
    if not polygons:
        report.add(GEOMETRY_UNREPAIRABLE, "error", row)
        return None
    report.add(GEOMETRY_REPAIRED, "repaired", row)
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def _key(report: _Report, row: int, seen: dict[str, int], severity: Severity) -> str | None:
    """The row's key, repaired if it is a unit code that lost a leading zero; a repeated key is reported."""
    text = report.cell("key", row)
    if text is None:
        return None
    key, repaired = report.units.any_code(text)
    if repaired:
        report.add(CODE_PADDED, "repaired", row, "key", value=text, code=str(key))
    key = key or text.strip()
    if key in seen:
        report.add(DUPLICATE_KEY, severity, row, "key", key=key, first=seen[key])
    seen.setdefault(key, row)
    return key


def check_boundaries(
    frame: gpd.GeoDataFrame, roles: Roles, units: Units, *, decisions: Decisions | None = None
) -> CheckedLayer:
    """Check a file of polygons: its coordinate system, each geometry, keys, names and a value to shade by.

    Nothing is drawn until the coordinate system is settled: declared and
    fitting, longitudes and latitudes without a declaration, or accepted by
    the user. A polygon whose representative point lies outside the city is
    context (or dropped); one inside is joined to the borough under that point.
    """
    decisions = decisions or Decisions()
    report = _Report(frame, roles, units, decisions)
    if report.blocked():
        return report.checked("boundaries", frame, [], BOUNDARY_COLUMNS)
    shapes = np.asarray(frame.geometry.to_numpy(), dtype=object)
    bounds = shapely.bounds(shapes)
    centre_x, centre_y = (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2
    crs, finding = read_crs(centre_x, centre_y, frame.crs, decisions.crs, tuple(units.boroughs.total_bounds))
    report.findings.extend([finding] if finding else [])
    if crs is None:
        return report.checked("boundaries", frame, [], BOUNDARY_COLUMNS)
    shapes = gpd.GeoSeries(shapes, crs=crs).to_crs(WGS84).to_numpy()
    seen: dict[str, int] = {}
    entries: list[dict[str, object]] = []
    for row, shape in enumerate(shapes, start=1):
        polygon = _polygon(report, row, shape)
        if polygon is None:
            continue
        point = polygon.representative_point()
        context = not units.in_city(np.array([point.x]), np.array([point.y]))[0]
        if context and not _away(report, row):
            continue
        entries.append(
            {
                **_located("coordinates", context=context),
                "row": row,
                "borough": "",
                "key": _key(report, row, seen, "warning"),
                "name": report.cell("name", row),
                "value": report.number("value", row, grouped=True),
                "geometry": polygon,
                "point": point,
            }
        )
    inside = [entry for entry in entries if not entry["context"]]
    if inside:
        boroughs = units.place(np.array([entry["point"] for entry in inside]))["borough"]
        for entry, borough in zip(inside, boroughs, strict=True):
            entry["borough"] = borough
    return report.checked("boundaries", frame, entries, BOUNDARY_COLUMNS)


def _level(report: _Report) -> Level | None:
    """The unit an indicator table is keyed by: the finest its area roles give."""
    for level, roles in (
        ("ageb", ("ageb",)),
        ("colonia", ("colonia_key", "colonia_name")),
        ("borough", ("borough",)),
    ):
        if report.cells.keys() & set(roles):
            return level  # type: ignore[return-value]
    return None


def _values(report: _Report, row: int, years: Mapping[str, int]) -> list[tuple[int | None, float]] | None:
    """The (year, value) pairs of an indicator row; None (reported) when it has no usable value."""
    if not years:
        value = report.number("value", row, grouped=True, invalid="error")
        if value is None:
            return None
        pairs = [] if np.isnan(value) else [(report.year(row, plausible=False), value)]
    else:
        read = {year: report.number(column, row, grouped=True) for column, year in years.items()}
        pairs = [(year, value) for year, value in read.items() if value is not None and not np.isnan(value)]
    if not pairs:
        report.add(VALUE_MISSING, "error", row)
        return None
    return pairs


def check_indicators(
    frame: pd.DataFrame, roles: Roles, units: Units, *, decisions: Decisions | None = None
) -> CheckedLayer:
    """Check an indicator table, long (a ``value`` role, maybe a ``year``) or wide (columns headed by years).

    Every row is placed at the table's level, the finest its area roles give
    (AGEB, colonia, borough): a row whose unit is not found is rejected, never
    moved to a coarser unit. The layer has one row per input row and year,
    drawn with the unit's outline; a unit (and year) given twice keeps its
    first row.
    """
    decisions = decisions or Decisions()
    report = _Report(frame, roles, units, decisions)
    level = _level(report)
    years = (
        {} if "value" in roles else {c: y for c, y in year_columns(frame).items() if c not in roles.values()}
    )
    if level is None:
        report.findings.append(Finding(NO_LOCATION, "error"))
    if "value" not in roles and not years:
        report.findings.append(Finding(NO_VALUE, "error"))
    if report.blocked() or level is None:
        return report.checked("indicators", frame, [], INDICATOR_COLUMNS)
    report.cells.update({column: [cell_text(value) for value in frame[column]] for column in years})
    seen: dict[tuple[str, int | None], int] = {}
    entries: list[dict[str, object]] = []
    for row in range(1, len(frame) + 1):
        found = report.locate(row, (level,))
        if found is None:
            report.add(NOT_LOCATED, "error", row)
            continue
        pairs = _values(report, row, years)
        if pairs is None:
            continue
        key = found[1]
        first = next((seen[(key, year)] for year, _ in pairs if (key, year) in seen), None)
        if first is not None:
            report.add(DUPLICATE_KEY, "error", row, key=key, first=first)
            continue
        seen.update({(key, year): row for year, _ in pairs})
        located = {**_located(level), "row": row, "borough": units.borough_of(level, key), "key": key}
        entries.extend(
            {**located, "year": year, "value": value, "geometry": units.shape(level, key)}
            for year, value in pairs
        )
    return report.checked("indicators", frame, entries, INDICATOR_COLUMNS)


CHECKS: dict[Kind, Callable[..., CheckedLayer]] = {
    "sites": check_sites,
    "boundaries": check_boundaries,
    "indicators": check_indicators,
}
# The findings :func:`apply_fix` can act on.
FIXABLE = (SWAPPED, SIGN_LOST, *CRS_FIXABLE)


def check_layer(
    frame: pd.DataFrame, kind: Kind, roles: Roles, units: Units, decisions: Decisions | None = None
) -> CheckedLayer:
    """Check ``frame`` as a layer of ``kind`` (the page's one entry point)."""
    return CHECKS[kind](frame, roles, units, decisions=decisions)


def recheck(layer: CheckedLayer, **changes: object) -> CheckedLayer:
    """Check the same file again with some decisions changed (e.g. ``outside="drop"``)."""
    decisions = dataclasses.replace(layer.decisions, **changes)  # type: ignore[arg-type]
    return check_layer(layer.source, layer.kind, layer.roles, layer.units, decisions)


def apply_fix(layer: CheckedLayer, findings: Iterable[Finding]) -> CheckedLayer:
    """Accept the fixes ``findings`` suggest (swap axes, make a longitude western, read in a system), at once.

    Raises ValueError for a finding that suggests no fix (:data:`FIXABLE`).
    """
    decisions = layer.decisions
    for finding in findings:
        if finding.code == SWAPPED and finding.row is not None:
            decisions = dataclasses.replace(decisions, swap=decisions.swap | {finding.row})
        elif finding.code == SIGN_LOST and finding.row is not None:
            decisions = dataclasses.replace(decisions, negate=decisions.negate | {finding.row})
        elif finding.code in CRS_FIXABLE:
            decisions = dataclasses.replace(decisions, crs=str(finding.detail["suggested"]))
        else:
            raise ValueError(f"{finding.code} suggests no fix")
    return check_layer(layer.source, layer.kind, layer.roles, layer.units, decisions)


def accept(layer: CheckedLayer, row: int, candidate: Candidate) -> CheckedLayer:
    """Accept ``candidate`` as the unit row ``row``'s name means; it must be one the check offered."""
    if candidate not in layer.candidates.get((row, candidate.level), ()):
        raise ValueError(f"{candidate.key} was not offered for row {row}")
    matches = {**layer.decisions.matches, (row, candidate.level): candidate.key}
    return recheck(layer, matches=matches)
