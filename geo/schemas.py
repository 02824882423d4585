"""Validation schemas for the shipped tables (pandera).

The schemas say what a well-formed file looks like; ``geo.loaders`` applies
them on load and turns a failure into a :class:`geo.errors.DataError`.
"""

from __future__ import annotations

import pandera.pandas as pa

from geo.vocabulary import BOROUGHS, SITE_PROGRAMMES, STATUSES

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
