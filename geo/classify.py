"""Class breaks and colours for choropleths.

Breaks come from mapclassify; colours are sampled from colour-blind-safe
sequential scales (ColorBrewer YlOrRd, viridis, cividis) so that, whatever the
indicator's direction, the darkest class is always the one with most need.
Their names, in each language, are ``labels.scheme.<id>`` and
``labels.palette.<id>`` in ``geo/locales/labels.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass

import mapclassify
import numpy as np
import pandas as pd
from plotly.colors import sample_colorscale

# Light to dark; "viridis" and "cividis" run dark to light in plotly, so they are reversed.
_SCALES = {"ylorrd": ("YlOrRd", False), "viridis": ("Viridis", True), "cividis": ("Cividis", True)}
NO_DATA_COLOUR = "#d9d9d9"


@dataclass(frozen=True)
class Classes:
    """A classification: upper bounds, one colour per class, and each borough's class.

    ``bins[i]`` is the upper bound of class ``i``; ``lower`` is the minimum.
    ``of`` maps each input index to its class number, -1 where the value is missing.
    ``names`` labels the classes of an ordinal scale (CONAPO's grades) instead
    of their bounds.
    """

    lower: float
    bins: tuple[float, ...]
    colours: tuple[str, ...]
    of: pd.Series
    names: tuple[str, ...] = ()

    def colour_of(self, index: object) -> str:
        """Return the fill colour for one input row (grey when missing)."""
        cls = int(self.of.loc[index])
        return NO_DATA_COLOUR if cls < 0 else self.colours[cls]


def palette(name: str, n: int, *, reverse: bool = False) -> list[str]:
    """Sample ``n`` colours light→dark from a named colour-blind-safe scale."""
    scale, flip = _SCALES[name]
    points = np.linspace(0.08, 1.0, n) if n > 1 else np.array([0.6])
    colours = sample_colorscale(scale, list(points), colortype="rgb")
    colours = [_rgb_to_hex(c) for c in colours]
    if flip:
        colours.reverse()
    return colours[::-1] if reverse else colours


def _rgb_to_hex(rgb: str) -> str:
    parts = [round(float(p)) for p in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")]
    return "#{:02x}{:02x}{:02x}".format(*parts)


def classify(
    values: pd.Series,
    scheme: str = "quantiles",
    k: int = 5,
    palette_name: str = "ylorrd",
    *,
    higher_is_worse: bool | None = True,
) -> Classes:
    """Classify ``values`` into at most ``k`` classes with a mapclassify scheme.

    Fewer classes are used when there are fewer distinct values than ``k``
    (mapclassify would otherwise produce empty classes). When higher values
    mean less need (``higher_is_worse=False``) the ramp is reversed.
    """
    present = values.dropna().astype(float)
    if present.empty:
        return Classes(float("nan"), (), (), pd.Series(-1, index=values.index))
    k = max(1, min(k, present.nunique()))
    if k == 1:
        bins = np.array([present.max()])
    elif scheme == "quantiles":
        bins = mapclassify.Quantiles(present, k=k).bins
    elif scheme == "natural_breaks":
        bins = mapclassify.FisherJenks(present, k=k).bins
    elif scheme == "equal_interval":
        bins = mapclassify.EqualInterval(present, k=k).bins
    else:
        msg = f"unknown classification scheme {scheme!r}"
        raise ValueError(msg)
    bins = np.unique(bins)
    of = pd.Series(-1, index=values.index, dtype=int)
    of.loc[present.index] = np.searchsorted(bins, present.to_numpy(), side="left")
    colours = palette(palette_name, len(bins), reverse=higher_is_worse is False)
    return Classes(float(present.min()), tuple(float(b) for b in bins), tuple(colours), of)


def ordinal_classes(
    values: pd.Series, categories: tuple[str, ...], names: tuple[str, ...], palette_name: str = "ylorrd"
) -> Classes:
    """Classify ``values`` by an ordered set of ``categories`` (least need first), one class each.

    Every category keeps its class and colour whether or not any value falls
    in it, so a grade always has the same colour; a value outside
    ``categories`` (an empty cell) is missing. ``names`` are the categories'
    labels in the reader's language.
    """
    rank = {category: number for number, category in enumerate(categories)}
    of = values.map(rank).fillna(-1).astype(int)
    bins = tuple(float(number) for number in range(len(categories)))
    return Classes(0.0, bins, tuple(palette(palette_name, len(categories))), of, names)


def fixed_classes(
    values: pd.Series, bins: tuple[float, ...], names: tuple[str, ...], palette_name: str = "ylorrd"
) -> Classes:
    """Classify ``values`` by fixed upper bounds (mapclassify's ``UserDefined``), one named class each.

    For a share where most areas are exactly 0 (colonias with no one in high
    marginalisation), quantiles collapse; fixed bounds keep "none" apart from
    "a few" and "most". A value above the last bound is put in the last class.
    """
    present = values.dropna().astype(float)
    of = pd.Series(-1, index=values.index, dtype=int)
    if not present.empty:
        classes = mapclassify.UserDefined(present, bins=list(bins)).yb
        of.loc[present.index] = np.minimum(classes, len(bins) - 1)
    return Classes(
        float(bins[0]), tuple(float(b) for b in bins), tuple(palette(palette_name, len(bins))), of, names
    )
