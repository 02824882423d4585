"""The load benchmark's percentiles: nearest rank, so a p95 is a time some session really waited."""

from __future__ import annotations

import math

import pytest

from bench.load import percentile


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [
        ([3.0, 1.0, 2.0], 0.5, 2.0),
        ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 0.5, 3.0),
        ([float(i) for i in range(1, 51)], 0.95, 48.0),
        ([float(i) for i in range(1, 10)], 0.95, 9.0),
        ([7.0], 0.95, 7.0),
        ([1.0, 2.0], 0.0, 1.0),
    ],
)
def test_nearest_rank(values: list[float], share: float, expected: float) -> None:
    assert percentile(values, share) == expected


def test_no_values_give_no_figure() -> None:
    assert math.isnan(percentile([], 0.95))
