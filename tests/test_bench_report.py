"""The benchmark's report: targets on medians, AGEB-level targets, rows per filter change, payload parts.

Figures here are SYNTHETIC (made-up medians), to check the arithmetic of the
targets, not the Atlas's speed, which only ``python -m bench`` measures.
"""

from __future__ import annotations

import json

import pytest

from bench.payload import js_breakdown
from bench.report import Target, baseline_comparison, rows, summary, targets


def synthetic_figures(**changes: dict[str, list[float]]) -> dict:
    """Medians for every page the targets read; ``changes`` replaces one page's figures."""
    pages = {
        "atlas": {
            "map_payload_bytes": [80e3],
            "seconds_to_visible": [2.0],
            "http_bytes_to_visible": [2.8e6],
            "filter_change_seconds": [0.3],
            "peak_rss_mb": [390.0],
        },
        "naive": {
            "map_payload_bytes": [720e3],
            "seconds_to_visible": [2.5],
            "http_bytes_to_visible": [2.9e6],
        },
        "atlas-ageb": {
            "map_payload_bytes": [360e3, 370e3, 380e3],
            "seconds_to_visible": [2.9],
            "indicator_change_seconds": [0.5, 0.7, 0.55],
            "borough_change_seconds": [0.3],
            "indicator_change_remounts": [0.0, 0.0, 0.0],
            "borough_change_remounts": [0.0, 0.0, 0.0],
            "peak_rss_mb": [450.0],
        },
        "naive-ageb": {"map_payload_bytes": [7.5e6]},
    }
    pages.update(changes)
    return {page: {key: summary(values) for key, values in figs.items()} for page, figs in pages.items()}


def by_name(found: list[Target]) -> dict[str, Target]:
    return {t.name: t for t in found}


def test_the_ageb_targets_compare_medians_with_their_limits() -> None:
    found = by_name(targets(synthetic_figures()))
    share = found["atlas-ageb map payload <= naive-ageb map payload / 15"]
    assert (share.value, share.limit, share.status) == (370e3, 500e3, "PASS")
    assert found["atlas-ageb map payload <= 450 kB"].status == "PASS"
    visible = found["atlas-ageb time to map visible <= 1.5 x atlas time to map visible"]
    assert (visible.value, visible.limit, visible.status) == (2.9, 3.0, "PASS")
    assert found["atlas-ageb indicator change -> map updated <= 0.6 s (median)"].value == 0.55
    rss = next(t for t in found.values() if t.name.startswith("atlas-ageb server RSS growth"))
    assert (rss.value, rss.limit, rss.status) == (60.0, 150, "PASS")


def test_a_remount_or_a_heavy_payload_fails_its_target() -> None:
    figures = synthetic_figures()
    heavy = dict(
        figures["atlas-ageb"], map_payload_bytes=summary([520e3]), borough_change_remounts=summary([0, 1, 0])
    )
    found = by_name(targets(dict(figures, **{"atlas-ageb": heavy})))
    assert found["atlas-ageb map payload <= naive-ageb map payload / 15"].status == "FAIL"
    assert found["atlas-ageb map payload <= 450 kB"].status == "FAIL"
    remounts = next(t for t in found.values() if "not remounted" in t.name)
    assert (remounts.value, remounts.status) == (1, "FAIL")


def test_a_page_left_out_leaves_its_targets_not_measured() -> None:
    figures = synthetic_figures()
    del figures["naive-ageb"], figures["atlas"]
    found = by_name(targets(figures))
    assert found["atlas-ageb map payload <= naive-ageb map payload / 15"].status == "not measured"
    assert found["atlas-ageb time to map visible <= 1.5 x atlas time to map visible"].status == "not measured"
    assert found["atlas-ageb map payload <= 450 kB"].status == "PASS"


def test_the_baseline_is_printed_beside_this_runs_medians() -> None:
    baseline = {
        "page": "atlas",
        "source": "README",
        "date": "2026-11-29",
        "figures": {"seconds_to_visible": 2.15},
    }
    compared = baseline_comparison(synthetic_figures(), baseline)
    assert compared["figures"] == [{"figure": "seconds_to_visible", "previous": 2.15, "now": 2.0}]


def test_each_filter_change_gets_its_rows() -> None:
    keys = [key for key, _, _ in rows(["filter", "borough"])]
    assert keys[3:9] == [
        "filter_change_seconds",
        "filter_change_ws_bytes",
        "filter_change_remounts",
        "borough_change_seconds",
        "borough_change_ws_bytes",
        "borough_change_remounts",
    ]
    labels = {key: label for key, label, _ in rows(["borough"])}
    assert labels["borough_change_seconds"] == "borough change -> map updated"
    assert labels["borough_change_ws_bytes"] == "borough change: websocket bytes sent"


@pytest.mark.parametrize("level", ["agebs", None])
def test_a_data_object_in_the_map_script_is_split_by_key(level: str | None) -> None:
    data = {"arcs": "a" * 900, "titles": ["AGEB 0900200010010"] * 20, "classes": "0123" * 10}
    if level:
        data["level"] = level
    literal = json.dumps(data, separators=(",", ":"))
    found = js_breakdown(f"var d = {literal};")["literals"]
    assert len(found) == 1
    assert found[0]["bytes"] == len(literal)
    assert list(found[0]["parts"])[:3] == ['"arcs"', '"titles"', '"classes"']
    assert found[0]["parts"]['"arcs"'] == 902
    assert ("(level 'agebs')" in found[0]["what"]) is bool(level)
