"""Validation schemas for the shipped tables (pandera).

The schemas say what a well-formed file looks like; ``geo.loaders`` applies
them on load and turns a failure into a :class:`geo.errors.DataError`.
"""

from __future__ import annotations

import pandera.pandas as pa

from geo.vocabulary import (
    BOROUGHS,
    MARGINALISATION_COMPONENTS,
    MARGINALISATION_GRADES,
    SITE_PROGRAMMES,
    STATUSES,
)

OPENED_KINDS = ("exact", "by", "unknown")

_text = pa.Column(str, pa.Check.str_length(min_value=1))
_optional_text = pa.Column(str, nullable=True)

INDICATORS = pa.DataFrameSchema(
    {
        "cvegeo": pa.Column(str, pa.Check.isin(BOROUGHS)),
        "year": pa.Column(int, pa.Check.in_range(1990, 2100)),
        "indicator": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$")),
        "value": pa.Column(float, nullable=True),
        "category": _optional_text,
        "unit": _text,
        "source": _text,
        "source_url": _text,
    },
    checks=[
        pa.Check(
            lambda df: df["value"].notna() | (df["category"].fillna("") != ""),
            error="a row has neither a value nor a category",
        ),
    ],
    unique=["cvegeo", "year", "indicator"],
    strict=True,
    coerce=True,
)

SITES = pa.DataFrameSchema(
    {
        "site_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9-]+$"), unique=True),
        "programme": pa.Column(str, pa.Check.isin(SITE_PROGRAMMES)),
        "name": _text,
        "borough": _text,
        "colonia": _optional_text,
        "address": _optional_text,
        "status": pa.Column(str, pa.Check.isin(STATUSES)),
        "status_detail": _optional_text,
        "opened_text": _optional_text,
        "opened_date": pa.Column(str, pa.Check.str_matches(r"^(\d{4}(-\d{2}){0,2})?$"), nullable=True),
        "opened_kind": pa.Column(str, pa.Check.isin(OPENED_KINDS)),
        "area_m2": pa.Column(float, pa.Check.gt(0), nullable=True),
        "facilities": _optional_text,
        "lat": pa.Column(float, pa.Check.in_range(-90, 90), nullable=True),
        "lon": pa.Column(float, pa.Check.in_range(-180, 180), nullable=True),
        "location_precision": _optional_text,
        "sources": _text,
        "correction_note": _optional_text,
    },
    checks=[
        pa.Check(
            lambda df: df["lat"].isna() == df["lon"].isna(),
            error="a site has a latitude without a longitude or the reverse",
        ),
    ],
    strict=True,
    coerce=True,
)

PCMB = pa.DataFrameSchema(
    {
        "period": _text,
        "year_start": pa.Column(int, pa.Check.in_range(2007, 2100)),
        "year_end": pa.Column(int, pa.Check.in_range(2007, 2100)),
        "projects": pa.Column(float, pa.Check.ge(0), nullable=True),
        "projects_qualifier": pa.Column(str, pa.Check.isin(["", ">", "<", "~"]), nullable=True),
        "budget_mxn": pa.Column(float, pa.Check.ge(0), nullable=True),
        "source_url": _text,
        "note": _optional_text,
    },
    checks=[pa.Check(lambda df: df["year_end"] >= df["year_start"], error="a period ends before it starts")],
    strict=True,
    coerce=True,
)

AGEB_KEY_PATTERN = r"^09(0(0[2-9]|1[0-7]))\d{4}[0-9A-Z]{4}$"
_flag = pa.Column(str, pa.Check.isin(["True", "False"]))
_share = pa.Column(float, pa.Check.in_range(0, 100), nullable=True)

AGEBS = pa.DataFrameSchema(
    {
        "cvegeo": pa.Column(str, pa.Check.str_matches(AGEB_KEY_PATTERN), unique=True),
        "borough": pa.Column(str, pa.Check.isin(BOROUGHS)),
        "on_map": _flag,
        "has_index": _flag,
        "pob_total": pa.Column(float, pa.Check.ge(0), nullable=True),
        **{name: _share for name in MARGINALISATION_COMPONENTS},
        "im_2020": pa.Column(float, nullable=True),
        "gm_2020": pa.Column(str, pa.Check.isin(["", *MARGINALISATION_GRADES])),
        "imn_2020": pa.Column(float, pa.Check.in_range(0, 1), nullable=True),
    },
    checks=[
        pa.Check(
            lambda df: df["cvegeo"].str[:5] == df["borough"],
            error="borough is not the key's first five digits",
        ),
        pa.Check(
            lambda df: (df["has_index"] == "True") == df["im_2020"].notna(),
            error="an AGEB has an index row without an index, or an index without a row",
        ),
    ],
    strict=True,
    coerce=True,
)

AGEB_FIELDS = pa.DataFrameSchema(
    {
        "column": pa.Column(str, pa.Check.isin(list(AGEBS.columns)), unique=True),
        "description": _text,
        "unit": _text,
        "need": pa.Column(str, pa.Check.isin(["", "higher", "lower"]), nullable=True),
        "year": pa.Column(int, pa.Check.in_range(1990, 2100)),
        "source": _text,
        "source_url": _text,
    },
    strict=True,
    coerce=True,
)

# The column of colonias.csv holding the estimated people in AGEBs of each marginalisation grade.
PEOPLE_BY_GRADE = {grade: "people_" + grade.lower().replace(" ", "_") for grade in MARGINALISATION_GRADES}
_people = pa.Column(float, pa.Check.ge(0), nullable=True)

COLONIAS = pa.DataFrameSchema(
    {
        "cveut": pa.Column(str, pa.Check.str_matches(r"^\d{2}-\d{3}$"), unique=True),
        "name": _text,
        "borough": pa.Column(str, pa.Check.isin(["", *BOROUGHS]), nullable=True),
        "population_estimate": _people,
        "urban_share": pa.Column(float, pa.Check.in_range(0, 1)),
        **dict.fromkeys(PEOPLE_BY_GRADE.values(), _people),
        "people_high_share": pa.Column(float, pa.Check.in_range(0, 1), nullable=True),
    },
    checks=[
        pa.Check(
            lambda df: (
                df[list(PEOPLE_BY_GRADE.values())].sum(axis=1, min_count=1).fillna(-1)
                == df["population_estimate"].fillna(-1)
            ),
            error="the people by grade do not add up to the population estimate",
        ),
    ],
    strict=True,
    coerce=True,
)
