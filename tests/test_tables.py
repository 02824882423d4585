"""Tables as pages show them: numbers stay numbers (so they sort as numbers), formatted per language."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from geo.coverage import coverage_by_borough, need_inputs, reach_areas
from geo.formatting import format_count, format_value, printf_format
from geo.i18n import LANGUAGES
from geo.loaders import Atlas, load_atlas
from geo.tables import reach_table, sites_table

NNBSP = "\u202f"


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


@pytest.fixture(scope="module")
def coverage(atlas: Atlas) -> pd.DataFrame:
    population, poor, sources = need_inputs(atlas.indicators)
    return coverage_by_borough(atlas.boroughs, reach_areas(atlas.sites), population, poor, sources=sources)


def printf(fmt: str, value: float) -> str:
    """The browser's rendering of the printf formats used here (sprintf-js, as Streamlit ships it)."""
    spec = re.fullmatch(r"%(?:'(.))?(,)?\.(\d+)f(.*)", fmt)
    assert spec, fmt
    group, grouped, decimals, tail = spec.groups()
    number = f"{value:{',' if grouped else ''}.{decimals}f}"
    return number.replace(",", group or ",") + tail.replace("%%", "%")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_printf_formats_show_numbers_as_babel_does(lang: str) -> None:
    for value in (0, 7, 1_500, 1_835_486.4):
        assert printf(printf_format("count", lang), value) == format_count(value, lang)
    assert printf(printf_format("count", lang, "m"), 1500) == f"{format_count(1500, lang)} m"
    percent = format_value(43.89, "percent", lang)
    # printf has no other decimal mark than "." (French writes 43,9 %).
    assert printf(printf_format("percent", lang), 43.89) == percent.replace(",", ".")


def test_printf_formats_group_thousands_the_languages_way() -> None:
    assert printf_format("count", "en") == printf_format("count", "es") == "%,.0f"
    assert printf_format("count", "fr") == f"%'{NNBSP},.0f"
    assert printf_format("percent", "en") == "%,.1f%%"
    assert printf_format("percent", "fr") == f"%'{NNBSP},.1f %%"


def sorts_as_numbers(column: pd.Series, fmt: str) -> None:
    """The column is numeric, and its data is such that sorting the shown texts would give another order."""
    assert is_numeric_dtype(column), column.dtype
    values = column.dropna()
    numeric = values.sort_values(kind="stable").index.tolist()
    as_text = values.map(lambda value: printf(fmt, value)).sort_values(kind="stable").index.tolist()
    assert numeric != as_text, "the data would sort the same as text: this test would not show the bug"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reach_table_keeps_its_numbers(coverage: pd.DataFrame, lang: str) -> None:
    table = reach_table(coverage, lang)
    frame = table.frame
    assert len(frame) == len(coverage)
    assert is_numeric_dtype(frame.iloc[:, 1]), "distance"
    assert set(frame.iloc[:, 1]) == {800, 1500}
    assert list(table.formats) == list(frame.columns[1:])
    for column in table.formats:
        assert is_numeric_dtype(frame[column]), column
    share, people = frame.columns[2], frame.columns[3]
    assert frame[share].tolist() == pytest.approx((coverage["share"] * 100).tolist())
    sorts_as_numbers(frame[people], table.formats[people])
    assert printf(table.formats[frame.columns[1]], 1500) == f"{format_count(1500, lang)} m"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sites_table_keeps_areas_as_numbers(atlas: Atlas, lang: str) -> None:
    table = sites_table(atlas.sites, lang)
    frame = table.frame
    assert frame["area_m2"].tolist() == pytest.approx(atlas.sites["area_m2"].tolist(), nan_ok=True)
    sorts_as_numbers(frame["area_m2"], table.formats["area_m2"])
    assert table.formats == {"area_m2": printf_format("count", lang)}
    assert is_bool_dtype(frame["on_map"])
    assert frame["on_map"].sum() == atlas.sites.geometry.notna().sum()


def test_sites_table_headers_and_statuses_in_the_language(atlas: Atlas) -> None:
    table = sites_table(atlas.sites, "fr")
    assert table.labels["area_m2"] == "Superficie (m²)"
    assert table.labels["location_precision"] == "Localisation"
    assert set(table.frame["status"]) == {"Ouverte", "En construction", "Annoncée"}
    assert list(table.labels) == list(table.frame.columns)
