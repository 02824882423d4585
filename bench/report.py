"""Turn measured runs into figures (median, min, max), targets, a table and JSON."""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.measure import ChangeRun, LoadRun, PageResult
from bench.payload import map_breakdown

#: The borough-level figures the README published last: printed beside this run's, never a pass/fail.
BASELINE = Path(__file__).with_name("baseline.json")

#: Figure key -> (label, unit, how to read it from a visit). Per-visit figures of the load.
LOAD_FIGURES: dict[str, tuple[str, str, Callable[[LoadRun], float | None]]] = {
    "map_payload_bytes": ("map payload: websocket bytes to visible", "kB", lambda r: r.ws_bytes_to_visible),
    "http_bytes_to_visible": (
        "HTTP bytes to visible (static files)",
        "MB",
        lambda r: sum(r.http_bytes_to_visible.values()),
    ),
    "seconds_to_visible": ("seconds to map (title) visible", "s", lambda r: r.seconds_to_visible),
}
#: Figure key suffix -> (label suffix, unit, how to read it from a filter change).
#: A change keyed "borough" gives the figures "borough_change_seconds"…
CHANGE_FIGURES: dict[str, tuple[str, str, Callable[[ChangeRun], float]]] = {
    "seconds": ("-> map updated", "s", lambda c: c.seconds),
    "ws_bytes": (": websocket bytes sent", "kB", lambda c: c.ws_bytes_in),
    "remounts": (": map remounted", "runs", lambda c: float(c.remounted)),
}
WHOLE_LOAD = ("load_ws_bytes_settled", "websocket bytes, whole load (to settled)", "kB")
PEAK_RSS = ("peak_rss_mb", "peak server RSS", "MB (as is)")
SCALE = {"kB": 1e3, "MB": 1e6, "s": 1.0, "MB (as is)": 1.0, "runs": 1.0}
#: What the AGEB-level targets allow.
AGEB_PAYLOAD_SHARE = 15
AGEB_PAYLOAD_MAX = 450e3
AGEB_VISIBLE_FACTOR = 1.5
AGEB_CHANGE_MAX_S = 0.6
AGEB_RSS_GROWTH_MB = 150


@dataclass(frozen=True)
class Target:
    """One pass/fail target comparing medians.

    ``unit``: ``bytes`` (shown in kB or MB), ``s``, ``MB`` (values already in
    MB) or ``remounts`` (a count).
    """

    name: str
    value: float | None
    limit: float | None
    unit: str

    @property
    def status(self) -> str:
        """PASS, FAIL, or "not measured" when a page was left out."""
        if self.value is None or self.limit is None:
            return "not measured"
        return "PASS" if self.value <= self.limit else "FAIL"


def summary(values: list[float]) -> dict[str, Any] | None:
    """Median, min, max and the values themselves (``None`` for no values)."""
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "values": values}


def change_keys(results: list[PageResult]) -> list[str]:
    """The keys of the filter changes the pages make, in order of first appearance."""
    keys: list[str] = []
    for result in results:
        keys += [c.key for c in result.spec.changes if c.key not in keys]
    return keys


def rows(keys: list[str]) -> list[tuple[str, str, str]]:
    """(figure key, label, unit) of every row of the table, for changes keyed ``keys``."""
    out = [(key, label, unit) for key, (label, unit, _) in LOAD_FIGURES.items()]
    for change in keys:
        out += [
            (f"{change}_change_{name}", f"{change} change {label}".replace(" :", ":"), unit)
            for name, (label, unit, _) in CHANGE_FIGURES.items()
        ]
    return [*out, WHOLE_LOAD, PEAK_RSS]


def figures(result: PageResult) -> dict[str, dict[str, Any] | None]:
    """Every figure of one page, as summaries in raw units (bytes, seconds, MB of RSS, remount flags)."""
    out: dict[str, dict[str, Any] | None] = {}
    for key, (_, _, read) in LOAD_FIGURES.items():
        out[key] = summary([float(v) for v in (read(run) for run in result.runs) if v is not None])
    for change in result.spec.changes:
        made = [c for run in result.runs for c in run.changes if c.key == change.key]
        for name, (_, _, read) in CHANGE_FIGURES.items():
            out[f"{change.key}_change_{name}"] = summary([float(read(c)) for c in made])
    out[WHOLE_LOAD[0]] = summary([float(run.ws_bytes_settled) for run in result.runs])
    out[PEAK_RSS[0]] = summary([result.rss_peak_bytes / 1e6])
    return out


Figures = dict[str, dict[str, dict[str, Any] | None]]


def _median(figs: Figures, page: str, key: str) -> float | None:
    fig = figs.get(page, {}).get(key)
    return fig["median"] if fig else None


def _total(figs: Figures, page: str, keys: tuple[str, ...]) -> float | None:
    found = [fig for key in keys if (fig := figs.get(page, {}).get(key))]
    return sum(sum(fig["values"]) for fig in found) if len(found) == len(keys) else None


def _times(value: float | None, factor: float) -> float | None:
    return value * factor if value is not None else None


def _minus(value: float | None, other: float | None) -> float | None:
    return value - other if value is not None and other is not None else None


def targets(figs: Figures) -> list[Target]:
    """The targets of the briefs, on medians: the borough-level view against the naive page (P1, P4)
    and the whole city at AGEB level (issue 9 §5)."""
    ageb_payload = _median(figs, "atlas-ageb", "map_payload_bytes")
    return [
        Target(
            "atlas map payload <= naive map payload / 8",
            _median(figs, "atlas", "map_payload_bytes"),
            _times(_median(figs, "naive", "map_payload_bytes"), 1 / 8),
            "bytes",
        ),
        Target(
            "atlas time to map visible <= naive time to map visible",
            _median(figs, "atlas", "seconds_to_visible"),
            _median(figs, "naive", "seconds_to_visible"),
            "s",
        ),
        Target(
            "atlas HTTP bytes to map visible <= naive HTTP bytes to map visible",
            _median(figs, "atlas", "http_bytes_to_visible"),
            _median(figs, "naive", "http_bytes_to_visible"),
            "bytes",
        ),
        Target(
            "atlas filter change -> map updated <= 0.4 s (median)",
            _median(figs, "atlas", "filter_change_seconds"),
            0.4,
            "s",
        ),
        Target(
            f"atlas-ageb map payload <= naive-ageb map payload / {AGEB_PAYLOAD_SHARE}",
            ageb_payload,
            _times(_median(figs, "naive-ageb", "map_payload_bytes"), 1 / AGEB_PAYLOAD_SHARE),
            "bytes",
        ),
        Target(
            f"atlas-ageb map payload <= {AGEB_PAYLOAD_MAX / 1e3:.0f} kB",
            ageb_payload,
            AGEB_PAYLOAD_MAX if ageb_payload is not None else None,
            "bytes",
        ),
        Target(
            f"atlas-ageb time to map visible <= {AGEB_VISIBLE_FACTOR} x atlas time to map visible",
            _median(figs, "atlas-ageb", "seconds_to_visible"),
            _times(_median(figs, "atlas", "seconds_to_visible"), AGEB_VISIBLE_FACTOR),
            "s",
        ),
        *(
            Target(
                f"atlas-ageb {change} change -> map updated <= {AGEB_CHANGE_MAX_S} s (median)",
                _median(figs, "atlas-ageb", f"{change}_change_seconds"),
                AGEB_CHANGE_MAX_S,
                "s",
            )
            for change in ("indicator", "borough")
        ),
        Target(
            "atlas-ageb map not remounted by the indicator or borough change (remounts, all runs)",
            _total(figs, "atlas-ageb", ("indicator_change_remounts", "borough_change_remounts")),
            0,
            "remounts",
        ),
        Target(
            f"atlas-ageb server RSS growth <= {AGEB_RSS_GROWTH_MB} MB"
            " (peak RSS of the atlas-ageb server minus the atlas server's)",
            _minus(_median(figs, "atlas-ageb", "peak_rss_mb"), _median(figs, "atlas", "peak_rss_mb")),
            AGEB_RSS_GROWTH_MB,
            "MB",
        ),
    ]


def baseline_comparison(figs: Figures, baseline: dict[str, Any]) -> dict[str, Any]:
    """This run's medians beside the README's previous ones, for ``baseline["page"]``."""
    page = baseline["page"]
    compared = []
    for key, previous in baseline["figures"].items():
        now = _median(figs, page, key)
        compared.append({"figure": key, "previous": previous, "now": now})
    return {"page": page, "source": baseline["source"], "date": baseline["date"], "figures": compared}


def _unit_name(unit: str) -> str:
    return unit.removesuffix(" (as is)")


def _fmt(value: float, unit: str) -> str:
    scaled = value / SCALE[unit]
    if unit in ("s", "MB"):
        return f"{scaled:.2f}"
    return f"{scaled:,.0f}" if scaled >= 100 else f"{scaled:.1f}"


def _cell(fig: dict[str, Any] | None, unit: str) -> str:
    if fig is None:
        return "–"
    if unit == "runs":
        return f"{sum(fig['values']):.0f}/{len(fig['values'])}"
    if fig["min"] == fig["max"]:
        return _fmt(fig["median"], unit)
    return f"{_fmt(fig['median'], unit)} ({_fmt(fig['min'], unit)}–{_fmt(fig['max'], unit)})"


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def breakdown_lines(breakdown: dict[str, Any], *, indent: str = "  ") -> list[str]:
    """Readable lines for :func:`bench.payload.map_breakdown`'s result."""
    lines = []
    total = breakdown["total_bytes"]
    component = breakdown.get("component")
    others = total - (component["message_bytes"] * component["messages"] if component else 0)
    if component:
        lines.append(
            f"{indent}map component message{'s' if component['messages'] > 1 else ''}: "
            f"{component['message_bytes'] * component['messages'] / 1e3:.1f} kB; "
            f"everything else (other elements, session): {others / 1e3:.1f} kB"
        )
        big_args = {k: v for k, v in component["args"].items() if v >= 200}
        lines.append(f"{indent}  args: " + ", ".join(f"{k} {v / 1e3:.1f} kB" for k, v in big_args.items()))
        for name, js in component["js"].items():
            for literal in js["literals"]:
                lines.append(f"{indent}  {name}: {literal['what']}: {literal['bytes'] / 1e3:.1f} kB")
                lines.extend(
                    f"{indent}      {part}: {size / 1e3:.1f} kB"
                    for part, size in literal["parts"].items()
                    if size >= 0.02 * literal["bytes"]
                )
            extra = [
                f"{label} {js[key] / 1e3:.1f} kB"
                for key, label in (
                    ("popup_html", "popup HTML"),
                    ("tooltip_html", "tooltip HTML"),
                    ("code", "code"),
                )
                if js[key]
            ]
            if extra and js["bytes"] >= 1000:
                lines.append(f"{indent}  {name}: " + ", ".join(extra))
    kinds = [
        f"{k.removeprefix('delta.new_element.')} {v['bytes'] / 1e3:.1f} kB"
        for k, v in breakdown["by_kind"].items()
        if k != "delta.new_element.component_instance" and v["bytes"] >= 500
    ]
    if kinds:
        lines.append(f"{indent}largest other messages: " + ", ".join(kinds[:6]))
    return lines


def _change_json(change: ChangeRun) -> dict[str, Any]:
    return {
        "key": change.key,
        "seconds": change.seconds,
        "seconds_click_to_map_message": change.seconds_to_map_message,
        "seconds_click_to_dom_change": change.seconds_to_dom,
        "ws_bytes_server_to_browser": change.ws_bytes_in,
        "ws_bytes_server_to_browser_until_updated": change.ws_bytes_in_to_update,
        "ws_bytes_browser_to_server": change.ws_bytes_out,
        "before": change.before,
        "after": change.after,
        "remounted": change.remounted,
        "change_back_seconds": change.restore_seconds,
    }


def _run_json(run: LoadRun) -> dict[str, Any]:
    return {
        "seconds_to_visible": run.seconds_to_visible,
        "seconds_to_visible_seen_by_playwright": run.seconds_to_visible_playwright,
        "ws_bytes_to_visible": run.ws_bytes_to_visible,
        "ws_bytes_settled": run.ws_bytes_settled,
        "http_bytes_to_visible": run.http_bytes_to_visible,
        "http_bytes_settled": run.http_bytes_settled,
        "blocked_requests": run.blocked_requests,
        "final_url": run.final_url,
        "markers_at_load": run.markers_at_load,
        "timeline_s": run.timeline,
        "filter_changes": [_change_json(c) for c in run.changes],
    }


def _page_json(r: PageResult, figs: dict[str, dict[str, Any] | None]) -> dict[str, Any]:
    last = r.runs[-1]
    return {
        "script": r.spec.script + r.spec.query,
        "description": r.spec.description,
        "filter_changes": {
            change.key: {
                "what": change.describe(),
                "breakdown_last_run": map_breakdown(made.payloads) if made else None,
            }
            for change in r.spec.changes
            for made in [next((c for c in reversed(last.changes) if c.key == change.key), None)]
        },
        "figures": figs,
        "server": {
            "start_seconds": r.server_start_seconds,
            "rss_start_mb": r.rss_start_bytes / 1e6,
            "rss_peak_mb": r.rss_peak_bytes / 1e6,
        },
        "visits_discarded_view_lost": r.visits_view_lost,
        "seconds_waited_for_idle_servers": r.idle_waits,
        "notes": r.notes,
        "timeline_median_s": {
            k: statistics.median(v)
            for k in last.timeline
            if (v := [run.timeline[k] for run in r.runs if run.timeline.get(k) is not None])
        },
        "http_bytes_to_visible_by_kind_median": {
            k: statistics.median(run.http_bytes_to_visible.get(k, 0) for run in r.runs)
            for k in sorted({k for run in r.runs for k in run.http_bytes_to_visible})
        },
        "payload_breakdown": map_breakdown(last.payloads_to_visible),
        "whole_load_by_kind": map_breakdown(last.payloads_settled)["by_kind"],
        "largest_http_responses_last_run": last.largest_http,
        "runs": [_run_json(run) for run in r.runs],
    }


def build(results: list[PageResult], meta: dict[str, Any], baseline: Path = BASELINE) -> dict[str, Any]:
    """Everything the JSON file holds: meta, rows, per-page figures and runs, targets, baseline."""
    figs = {r.spec.name: figures(r) for r in results}
    return {
        "meta": meta,
        "rows": rows(change_keys(results)),
        "pages": {r.spec.name: _page_json(r, figs[r.spec.name]) for r in results},
        "targets": [
            {"target": t.name, "value": t.value, "limit": t.limit, "unit": t.unit, "status": t.status}
            for t in targets(figs)
        ],
        "baseline": baseline_comparison(figs, json.loads(baseline.read_text(encoding="utf-8"))),
    }


def _target_value(value: float, unit: str, limit: float) -> str:
    if unit == "bytes":
        unit = "MB" if limit >= 1e6 else "kB"
        return f"{value / SCALE[unit]:.4g} {unit}"
    if unit == "remounts":
        return f"{value:.0f}"
    return f"{value:.4g} {unit}"


def _areas(signature: str) -> str:
    """``agebs:2430#1x2;borough_borders:16#9z`` as "agebs 2430, borough_borders 16" (fills hashes left out)."""
    return ", ".join(part.split("#")[0].replace(":", " ") for part in signature.split(";") if part) or "none"


def _change_lines(page: dict[str, Any], key: str, info: dict[str, Any]) -> list[str]:
    made = [c for run in page["runs"] for c in run["filter_changes"] if c["key"] == key]
    if not made:
        return []
    before, after = made[-1]["before"], made[-1]["after"]
    if before["areaShapes"] or after["areaShapes"]:
        fills = "fills changed" if before["areas"] != after["areas"] else "fills unchanged"
        state = f"canvas areas {_areas(before['areas'])} -> {_areas(after['areas'])} ({fills})"
    else:
        state = (
            f"markers {before['markers']} -> {after['markers']}, fills {before['fills']} -> {after['fills']}"
        )
    lines = [
        f"  {key} change: {info['what']}; {state};"
        f" map remounted (new iframe, document or L.Map) in {sum(c['remounted'] for c in made)}/{len(made)} runs",
    ]
    split = [c for c in made if c["seconds_click_to_map_message"] is not None]
    if split:
        server = statistics.median(c["seconds_click_to_map_message"] for c in split)
        script = statistics.median(
            c["seconds_click_to_dom_change"] - c["seconds_click_to_map_message"] for c in split
        )
        drawn = statistics.median(c["seconds"] - c["seconds_click_to_dom_change"] for c in split)
        lines.append(
            f"  {key} change time, medians: click -> map message received {server:.2f} s (server run and"
            f" transfer), message -> map DOM changed {script:.2f} s (browser: Streamlit, streamlit-folium,"
            f" the layers' script), DOM changed -> drawn {drawn:.2f} s"
        )
    if info["breakdown_last_run"]:
        lines.append(f"  what the {key} change sent (last run):")
        lines += breakdown_lines(info["breakdown_last_run"], indent="    ")
    return lines


def _baseline_lines(comparison: dict[str, Any], units: dict[str, tuple[str, str]]) -> list[str]:
    table = []
    for fig in comparison["figures"]:
        label, unit = units[fig["figure"]]
        now, previous = fig["now"], fig["previous"]
        delta = f"{now / previous - 1:+.0%}" if now is not None and previous else "–"
        shown = _fmt(now, unit) if now is not None else "not measured"
        table.append([f"{label} [{_unit_name(unit)}]", _fmt(previous, unit), shown, delta])
    return [
        f"Borough level ({comparison['page']}) beside the README's previous figures"
        f" ({comparison['source']}); no pass/fail, and times depend on the machine's load:",
        "",
        _table(["figure", "previous", "this run", "change"], table),
    ]


def render(report: dict[str, Any]) -> str:
    """The human-readable report: figures table, targets, baseline, breakdowns and notes."""
    pages = report["pages"]
    names = list(pages)
    table = [
        [f"{label} [{_unit_name(unit)}]", *(_cell(pages[n]["figures"].get(key), unit) for n in names)]
        for key, label, unit in report["rows"]
    ]
    runs = report["meta"]["runs"]
    load = report["meta"]["load_average"]
    out = [
        f"Medians of {runs} runs (min–max) · headless Chromium over loopback · fresh browser context per run,"
        " warm server",
        "",
        _table(["figure", *names], table),
        "",
    ]
    out += [
        f"  {name} {key} change: {info['what']}"
        for name in names
        for key, info in pages[name]["filter_changes"].items()
    ]
    out += ["", "Targets (medians):"]
    busy = max(load["start"], load["end"]) > load["cpus"]
    if busy:
        out.insert(
            1,
            f"WARNING: load average {load['start']:.1f} at start, {load['end']:.1f} at end on "
            f"{load['cpus']} CPUs: other processes competed; times are inflated and noisy.",
        )
    for t in report["targets"]:
        if t["status"] == "not measured":
            out.append(f"  [not measured] {t['target']}")
            continue
        out.append(
            f"  [{t['status']}] {t['target']}: {_target_value(t['value'], t['unit'], t['limit'])}"
            f" vs limit {_target_value(t['limit'], t['unit'], t['limit'])}"
        )
    units = {key: (label, unit) for key, label, unit in [*rows(["filter"]), *report["rows"]]}
    out += ["", *_baseline_lines(report["baseline"], units)]
    for name in names:
        page = pages[name]
        out += ["", f"{name} ({page['script']}): {page['description']}"]
        timeline = ", ".join(f"{k} {v:.2f}" for k, v in page["timeline_median_s"].items())
        out.append(f"  timeline, median seconds from goto: {timeline}")
        http = ", ".join(
            f"{k} {v / 1e3:,.0f} kB" for k, v in page["http_bytes_to_visible_by_kind_median"].items()
        )
        out.append(f"  HTTP to visible by kind: {http}")
        top = ", ".join(
            f"{path.rsplit('/', 1)[-1]} {size / 1e3:,.0f} kB"
            for path, size in page["largest_http_responses_last_run"][:6]
        )
        out.append(f"  largest HTTP responses: {top}")
        if page["figures"]["map_payload_bytes"] and page["payload_breakdown"].get("component"):
            out.append("  map payload breakdown (last run, websocket to visible):")
            out += breakdown_lines(page["payload_breakdown"], indent="    ")
        whole = page["whole_load_by_kind"].get("delta.new_element.component_instance")
        if whole and whole["messages"] > 1:
            out.append(
                f"  whole load (to settled): the map component was sent {whole['messages']} times,"
                f" {whole['bytes'] / 1e3:.1f} kB in all (reruns triggered by st_folium's returned values)"
            )
        for key, info in page["filter_changes"].items():
            out += _change_lines(page, key, info)
        if page["visits_discarded_view_lost"]:
            out.append(
                f"  {page['visits_discarded_view_lost']} visit(s) discarded: the page settled on another view"
            )
        waits = page["seconds_waited_for_idle_servers"]
        if waits:
            out.append(
                f"  before each visit, waited for the servers to be idle: median {statistics.median(waits):.1f} s,"
                f" longest {max(waits):.1f} s"
            )
        out += [f"  note: {n}" for n in page["notes"]]
        blocked = sorted({u for r in page["runs"] for u in r["blocked_requests"]})
        if blocked:
            out.append(f"  requests to the internet (aborted): {', '.join(blocked[:5])}")
    return "\n".join(out)
