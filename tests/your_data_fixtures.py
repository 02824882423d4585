"""SYNTHETIC files for the "Your data" tests: invented sites, made-up years and statuses, not real data.

The coordinates fall roughly inside Mexico City (one in the State of Mexico,
to be outside it); the names say they are synthetic, one is hostile markup.
"""

from __future__ import annotations

import csv
import io

HOSTILE = "<img src=x onerror=alert(1)>"
#: (name, latitude, longitude, year, status): SYNTHETIC sites; the last one is outside the city.
SITES = (
    ("Sitio sintético A", 19.3587, -99.2036, 2021, "abierta"),
    ("Sitio sintético B", 19.4401, -99.0860, 2023, "en construcción"),
    (HOSTILE, 19.2867, -99.0043, 2024, "anunciada"),
    ('=HYPERLINK("http://example.com")', 19.4326, -99.1332, 2019, "abierta"),
    ("Sitio sintético fuera", 19.2826, -99.6557, 2022, "abierta"),
)
INSIDE = len(SITES) - 1


def sites_csv() -> bytes:
    """The SYNTHETIC sites as a UTF-8 CSV with Spanish headers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("nombre", "latitud", "longitud", "año", "estatus"))
    writer.writerows(SITES)
    return buffer.getvalue().encode("utf-8")


#: (borough, year, value): a SYNTHETIC indicator table by borough name, invented values (not real data).
BOROUGH_VALUES = (
    ("Iztapalapa", 2022, 12.5),
    ("Coyoacán", 2022, 3.25),
    ("Tlalpan", 2022, 7.0),
    ("Iztapalapa", 2018, 11.0),
)


def borough_indicator_csv() -> bytes:
    """The SYNTHETIC borough indicator table as a long UTF-8 CSV with Spanish headers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("alcaldia", "año", "valor_sintetico"))
    writer.writerows(BOROUGH_VALUES)
    return buffer.getvalue().encode("utf-8")


#: (colonia key, value): a SYNTHETIC indicator table by IECM colonia key (real keys), invented values.
COLONIA_VALUES = (("02-001", 1.5), ("03-003", 2.5), ("07-001", 4.0))


def colonia_indicator_csv() -> bytes:
    """The SYNTHETIC colonia indicator table as a long UTF-8 CSV (one year)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("cveut", "año", "valor_sintetico"))
    writer.writerows((key, 2021, value) for key, value in COLONIA_VALUES)
    return buffer.getvalue().encode("utf-8")
