"""The units of the indicator table, named in the view's language: one table for the legend and the charts.

``data/indicators.csv`` states each row's unit in English; the units known
here have a name in each language (``units.<key>`` in ``geo/locales/units.toml``).
A unit the table does not know is shown as the data writes it, never dropped.
"""

from __future__ import annotations

from geo.i18n import t

# The unit texts of data/indicators.csv (and of the Atlas's derived indicators) and their catalogue keys.
UNIT_KEYS = {
    "% of population": "percent_population",
    "category (CONAPO grado de marginación)": "marginalisation_grade",
    "index (CONAPO 2020 method; higher = less marginalised)": "marginalisation_index",
    "years": "years",
    "persons": "persons",
    "persons (approx., as reported)": "persons_reported",
    "persons (estimate)": "persons_estimate",
    "persons per km²": "persons_per_km2",
    "% of population aged 6–14": "percent_aged_6_14",
    "% of population aged 15+": "percent_aged_15_plus",
    "% of occupants of private dwellings": "percent_occupants",
    "% of people (estimate)": "percent_people_estimate",
}


def unit_label(unit: str, lang: str) -> str:
    """Return the data's unit in ``lang`` when the catalogue knows it, else as written."""
    key = UNIT_KEYS.get(unit.strip())
    return t(f"units.{key}", lang) if key else unit
