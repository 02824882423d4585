"""Choropleth classes (mapclassify) and colour ramps, on small synthetic series with known answers."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from geo.classify import NO_DATA_COLOUR, classify, palette
from geo.i18n import LANGUAGES, catalogue
from geo.state import CLASS_COUNTS, PALETTES, SCHEMES

pytestmark = pytest.mark.filterwarnings("ignore:Numba not installed:UserWarning")

HEX = re.compile(r"^#[0-9a-f]{6}$")


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour (0 = black, 1 = white)."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


# --- class breaks and assignment -----------------------------------------------------------------


def test_quantiles_on_one_to_ten() -> None:
    classes = classify(pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10]), "quantiles", 5)
    assert classes.lower == 1.0
    assert classes.bins == pytest.approx((2.8, 4.6, 6.4, 8.2, 10.0))
    assert classes.of.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert len(classes.colours) == 5


def test_quantiles_three_classes_of_three_values() -> None:
    classes = classify(pd.Series([10.0, 30.0, 20.0]), "quantiles", 3)
    assert classes.bins == pytest.approx((16.6667, 23.3333, 30.0), abs=1e-4)
    assert classes.of.tolist() == [0, 2, 1]


def test_natural_breaks_finds_the_gaps() -> None:
    classes = classify(pd.Series([1.0, 2, 3, 10, 11, 12, 30, 31, 32]), "natural_breaks", 3)
    assert classes.lower == 1.0
    assert classes.bins == (3.0, 12.0, 32.0)
    assert classes.of.tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2]


def test_natural_breaks_order_of_input_does_not_matter() -> None:
    classes = classify(pd.Series([31.0, 1, 12, 2, 30, 10, 3, 32, 11]), "natural_breaks", 3)
    assert classes.bins == (3.0, 12.0, 32.0)
    assert classes.of.tolist() == [2, 0, 1, 0, 2, 1, 0, 2, 1]


def test_equal_interval_on_zero_to_ten() -> None:
    classes = classify(pd.Series([0.0, 1, 2, 10]), "equal_interval", 2)
    assert classes.lower == 0.0
    assert classes.bins == (5.0, 10.0)
    assert classes.of.tolist() == [0, 0, 0, 1]


def test_equal_interval_upper_bounds_are_inclusive() -> None:
    classes = classify(pd.Series([0.0, 2, 4, 6, 8, 10]), "equal_interval", 5)
    assert classes.bins == pytest.approx((2.0, 4.0, 6.0, 8.0, 10.0))
    # A value equal to a bound belongs to the class that bound closes.
    assert classes.of.tolist() == [0, 0, 1, 2, 3, 4]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_scheme_offered_in_the_url_is_known(scheme: str) -> None:
    assert all(catalogue()[f"labels.scheme.{scheme}"][lang] for lang in LANGUAGES)
    classes = classify(pd.Series([5.0, 1, 4, 2, 3, 9, 7]), scheme, 3)
    assert classes.bins[-1] == 9.0
    assert classes.of.min() == 0
    assert classes.of.max() == len(classes.bins) - 1


def test_unknown_scheme_raises() -> None:
    with pytest.raises(ValueError, match="unknown classification scheme 'jenks'"):
        classify(pd.Series([1.0, 2, 3]), "jenks", 3)


def test_classes_keep_the_input_index() -> None:
    values = pd.Series({"09007": 43.89, "09014": 8.6, "09009": 50.0})
    classes = classify(values, "quantiles", 3)
    assert classes.of.to_dict() == {"09007": 1, "09014": 0, "09009": 2}
    assert classes.colour_of("09009") == classes.colours[2]


# --- missing values ------------------------------------------------------------------------------


def test_missing_value_gets_class_minus_one_and_the_no_data_colour() -> None:
    values = pd.Series({"09002": 10.0, "09003": np.nan, "09004": 30.0, "09005": 20.0})
    classes = classify(values, "quantiles", 3)
    assert classes.of.to_dict() == {"09002": 0, "09003": -1, "09004": 2, "09005": 1}
    assert classes.colour_of("09003") == NO_DATA_COLOUR == "#d9d9d9"
    assert NO_DATA_COLOUR not in classes.colours
    assert classes.lower == 10.0


def test_all_missing_gives_no_classes() -> None:
    classes = classify(pd.Series([np.nan, np.nan], index=["09002", "09003"]), "natural_breaks", 5)
    assert math.isnan(classes.lower)
    assert classes.bins == ()
    assert classes.colours == ()
    assert classes.of.tolist() == [-1, -1]
    assert classes.colour_of("09002") == NO_DATA_COLOUR


# --- fewer distinct values than classes ----------------------------------------------------------


def test_fewer_distinct_values_than_k_reduces_k() -> None:
    classes = classify(pd.Series([1.0, 1, 2, 2, np.nan]), "quantiles", 5)
    assert classes.bins == (1.5, 2.0)
    assert classes.of.tolist() == [0, 0, 1, 1, -1]
    assert len(classes.colours) == 2


@pytest.mark.parametrize("scheme", SCHEMES)
def test_one_distinct_value_gives_one_class(scheme: str) -> None:
    classes = classify(pd.Series([3.0, 3.0, 3.0]), scheme, 5)
    assert classes.bins == (3.0,)
    assert classes.of.tolist() == [0, 0, 0]
    assert len(classes.colours) == 1


@pytest.mark.filterwarnings("ignore:Not enough unique values:UserWarning")
@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_empty_classes_with_ties(scheme: str) -> None:
    classes = classify(pd.Series([1.0, 1, 1, 1, 1, 1, 2, 3]), scheme, 5)
    assert len(classes.colours) == len(classes.bins) <= 3
    assert sorted(classes.of.unique()) == list(range(len(classes.bins)))


# --- colours -------------------------------------------------------------------------------------


def test_higher_is_worse_false_reverses_the_colours() -> None:
    values = pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    worse_high = classify(values, "quantiles", 5, "viridis", higher_is_worse=True)
    worse_low = classify(values, "quantiles", 5, "viridis", higher_is_worse=False)
    assert worse_low.colours == tuple(reversed(worse_high.colours))
    assert worse_low.colours == tuple(palette("viridis", 5)[::-1])
    # The classes themselves do not change, only which end is dark.
    assert worse_low.bins == worse_high.bins
    assert worse_low.of.tolist() == worse_high.of.tolist()


def test_no_need_direction_keeps_light_to_dark() -> None:
    classes = classify(pd.Series([1.0, 2, 3]), "quantiles", 3, "cividis", higher_is_worse=None)
    assert classes.colours == tuple(palette("cividis", 3))


def test_ylorrd_five_colours() -> None:
    assert palette("ylorrd", 5) == ["#fff3b0", "#fec662", "#fd7936", "#dd161e", "#800026"]


@pytest.mark.parametrize("name", PALETTES)
@pytest.mark.parametrize("n", CLASS_COUNTS)
def test_palettes_are_distinct_hex_colours_light_to_dark(name: str, n: int) -> None:
    colours = palette(name, n)
    assert len(colours) == n
    assert all(HEX.match(c) for c in colours)
    assert len(set(colours)) == n
    lightness = [luminance(c) for c in colours]
    assert lightness == sorted(lightness, reverse=True)
    assert len(set(lightness)) == n


@pytest.mark.parametrize("name", PALETTES)
def test_reversed_palette_is_dark_to_light(name: str) -> None:
    assert palette(name, 5, reverse=True) == palette(name, 5)[::-1]
    assert all(catalogue()[f"labels.palette.{name}"][lang] for lang in LANGUAGES)


def test_one_colour_palette() -> None:
    colours = palette("ylorrd", 1)
    assert len(colours) == 1
    assert HEX.match(colours[0])


def test_palettes_differ_from_each_other() -> None:
    assert len({tuple(palette(name, 5)) for name in PALETTES}) == len(PALETTES)
