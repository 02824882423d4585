"""A visitor's confirmed sites counted per borough (and per 100,000 people) and per colonia of one borough.

The rows are a :class:`~geo.userlayers.UserLayer`'s: each carries the
``borough`` (code) and ``colonia`` (key) the check located it in; rows kept
as context outside the city have neither and are not counted. The counts are
the user's data: the page marks them so and cites the user's source line.
Plain tables, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

PER = 100_000
TOP = 15


def _located(values: pd.Series) -> pd.Series:
    """A location column's non-empty keys, as text."""
    values = values.dropna().astype(str)
    return values[values != ""]


def user_sites_by_borough_data(
    rows: pd.DataFrame, population: pd.Series, *, names: Mapping[str, str]
) -> pd.DataFrame:
    """Every borough's count of the layer's sites and sites per 100,000 people, most per person first.

    ``population`` is by ``cvegeo``; a borough without it has no rate (NaN).
    Boroughs with no site are listed with 0, so the table compares all of them.
    Columns: cvegeo, borough, sites, population, per_100k.
    """
    counts = _located(rows["borough"]).value_counts()
    codes = list(names)
    sites = [int(counts.get(code, 0)) for code in codes]
    people = population.reindex(codes).astype(float).to_numpy()
    table = pd.DataFrame(
        {
            "cvegeo": codes,
            "borough": [names[code] for code in codes],
            "sites": sites,
            "population": people,
            "per_100k": [
                count / total * PER if total > 0 else float("nan")
                for count, total in zip(sites, people, strict=True)
            ],
        }
    )
    return table.sort_values(
        ["per_100k", "sites", "borough"], ascending=[False, False, True], na_position="last"
    ).reset_index(drop=True)


def user_sites_by_colonia_data(
    rows: pd.DataFrame, borough: str, colonias: pd.DataFrame, *, top: int = TOP
) -> pd.DataFrame:
    """The ``top`` colonias of ``borough`` with most of the layer's sites, most first (ties by name, key).

    ``colonias`` is the colonia table (``cveut``, ``name``); a key it lacks is
    named by the key. Columns: cveut, colonia, sites.
    """
    inside = rows[rows["borough"].astype(str) == borough]
    counts = _located(inside["colonia"]).value_counts()
    named = colonias.set_index("cveut")["name"]
    table = pd.DataFrame(
        {
            "cveut": counts.index.to_list(),
            "colonia": [str(named.get(key, key)) for key in counts.index],
            "sites": counts.astype(int).to_numpy(),
        }
    )
    table = table.sort_values(["sites", "colonia", "cveut"], ascending=[False, True, True])
    return table.head(top).reset_index(drop=True)
