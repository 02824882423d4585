"""Move counts from one set of polygons to another by shared area (areal weighting).

CONAPO counts people by AGEB; colonias cut across AGEBs (fewer than half of
the AGEBs lie almost wholly in one colonia), so a colonia's population can only
be estimated: each AGEB's people are assumed spread evenly over its own area and
a colonia receives the share of each AGEB's area that it covers. The result is
an estimate and every caller must label it so.
"""

from __future__ import annotations

import numpy as np
import shapely


def area_weighted_sum(
    sources: np.ndarray, values: np.ndarray, targets: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return each target's area-weighted sum of ``values`` and the share of it the sources cover.

    Parameters
    ----------
    sources, targets
        Arrays of valid polygons in the same projected CRS (areas in that CRS's units).
    values
        One count per source; a source with NaN is left out (it covers nothing).

    Returns
    -------
    tuple of arrays
        ``sums[i] = Σ_s values[s] · area(s ∩ t_i) / area(s)`` and
        ``covered[i] = area(t_i ∩ ⋃ counted sources) / area(t_i)`` (sources are
        assumed not to overlap one another, as a census coverage does not).
    """
    values = np.asarray(values, dtype=float)
    counted = ~np.isnan(values)
    sources, values = np.asarray(sources)[counted], values[counted]
    targets = np.asarray(targets)
    target_index, source_index = shapely.STRtree(sources).query(targets, predicate="intersects")
    shared = shapely.area(shapely.intersection(targets[target_index], sources[source_index]))
    sums = np.bincount(
        target_index,
        weights=values[source_index] * shared / shapely.area(sources[source_index]),
        minlength=len(targets),
    )
    covered = np.bincount(target_index, weights=shared, minlength=len(targets)) / shapely.area(targets)
    return sums, np.minimum(covered, 1.0)
