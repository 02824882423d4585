"""Turn measured runs into figures (median, min, max), targets, a table and JSON."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.measure import LoadRun, PageResult
from bench.payload import map_breakdown

#: Figure key -> (label, unit, how to read it from a run). Per-run figures only.
RUN_FIGURES: dict[str, tuple[str, str, Callable[[LoadRun], float | None]]] = {
    "map_payload_bytes": ("map payload: websocket bytes to visible", "kB", lambda r: r.ws_bytes_to_visible),
    "http_bytes_to_visible": (
        "HTTP bytes to visible (static files)",
        "MB",
        lambda r: sum(r.http_bytes_to_visible.values()),
    ),
    "seconds_to_visible": ("seconds to map (title) visible", "s", lambda r: r.seconds_to_visible),
    "filter_change_seconds": (
        "filter change -> map updated",
        "s",
        lambda r: r.change.seconds if r.change else None,
    ),
    "filter_change_ws_bytes": (
        "filter change: websocket bytes sent",
        "kB",
        lambda r: r.change.ws_bytes_in if r.change else None,
    ),
    "load_ws_bytes_settled": (
        "websocket bytes, whole load (to settled)",
        "kB",
        lambda r: r.ws_bytes_settled,
    ),
}
SCALE = {"kB": 1e3, "MB": 1e6, "s": 1.0, "MB (as is)": 1.0}


@dataclass(frozen=True)
class Target:
    """One pass/fail target comparing medians."""

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


def figures(result: PageResult) -> dict[str, dict[str, Any] | None]:
    """Every figure of one page, as summaries in raw units (bytes, seconds, bytes of RSS)."""
    out: dict[str, dict[str, Any] | None] = {}
    for key, (_, _, read) in RUN_FIGURES.items():
        values = [v for v in (read(run) for run in result.runs) if v is not None]
        out[key] = summary([float(v) for v in values])
    out["peak_rss_mb"] = summary([result.rss_peak_bytes / 1e6])
    return out


def _median(figs: dict[str, dict[str, dict[str, Any] | None]], page: str, key: str) -> float | None:
    fig = figs.get(page, {}).get(key)
    return fig["median"] if fig else None


def targets(figs: dict[str, dict[str, dict[str, Any] | None]]) -> list[Target]:
    """The targets of the briefs (P1: payload, time, filter change; P4: HTTP bytes), on medians."""
    naive_payload = _median(figs, "naive", "map_payload_bytes")
    return [
        Target(
            "atlas map payload <= naive map payload / 8",
            _median(figs, "atlas", "map_payload_bytes"),
            naive_payload / 8 if naive_payload is not None else None,
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
    ]


def _fmt(value: float, unit: str) -> str:
    scaled = value / SCALE[unit]
    if unit == "s":
        return f"{scaled:.2f}"
    return f"{scaled:,.0f}" if scaled >= 100 else f"{scaled:.1f}"


def _cell(fig: dict[str, Any] | None, unit: str) -> str:
    if fig is None:
        return "–"
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


def build(results: list[PageResult], meta: dict[str, Any]) -> dict[str, Any]:
    """Everything the JSON file holds: meta, per-page figures and runs, targets."""
    figs = {r.spec.name: figures(r) for r in results}
    pages: dict[str, Any] = {}
    for r in results:
        last = r.runs[-1]
        changes = [run.change for run in r.runs if run.change]
        pages[r.spec.name] = {
            "script": r.spec.script,
            "description": r.spec.description,
            "filter_change": r.spec.toggle and f"checkbox '{r.spec.toggle}' ({r.spec.watch} must change)",
            "figures": figs[r.spec.name],
            "server": {
                "start_seconds": r.server_start_seconds,
                "rss_start_mb": r.rss_start_bytes / 1e6,
                "rss_peak_mb": r.rss_peak_bytes / 1e6,
            },
            "visits_discarded_view_lost": r.visits_view_lost,
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
            "filter_change_breakdown": map_breakdown(changes[-1].payloads) if changes else None,
            "runs": [_run_json(run) for run in r.runs],
        }
    return {
        "meta": meta,
        "pages": pages,
        "targets": [
            {"target": t.name, "value": t.value, "limit": t.limit, "unit": t.unit, "status": t.status}
            for t in targets(figs)
        ],
    }


def _run_json(run: LoadRun) -> dict[str, Any]:
    data = {
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
        "filter_change": None,
    }
    if run.change:
        c = run.change
        data["filter_change"] = {
            "seconds": c.seconds,
            "ws_bytes_server_to_browser": c.ws_bytes_in,
            "ws_bytes_server_to_browser_until_updated": c.ws_bytes_in_to_update,
            "ws_bytes_browser_to_server": c.ws_bytes_out,
            "before": c.before,
            "after": c.after,
            "iframe_replaced": c.remounted,
            "change_back_seconds": c.restore_seconds,
        }
    return data


def render(report: dict[str, Any]) -> str:
    """The human-readable report: figures table, targets, breakdowns and notes."""
    pages = report["pages"]
    names = list(pages)
    rows = []
    for key, (label, unit, _) in RUN_FIGURES.items():
        rows.append([f"{label} [{unit}]", *(_cell(pages[n]["figures"][key], unit) for n in names)])
    rows.append(
        ["peak server RSS [MB]", *(_cell(pages[n]["figures"]["peak_rss_mb"], "MB (as is)") for n in names)]
    )
    runs = report["meta"]["runs"]
    load = report["meta"]["load_average"]
    out = [
        f"Medians of {runs} runs (min–max) · headless Chromium over loopback · fresh browser context per run,"
        " warm server",
        "",
        _table(["figure", *names], rows),
        "",
        "Targets (medians):",
    ]
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
        unit = t["unit"]
        if unit == "bytes":
            unit = "MB" if t["limit"] >= 1e6 else "kB"
        scale = SCALE[unit]
        out.append(
            f"  [{t['status']}] {t['target']}: {t['value'] / scale:.4g} {unit} vs limit {t['limit'] / scale:.4g} {unit}"
        )
    for name in names:
        page = pages[name]
        out += ["", f"{name} ({page['script']})"]
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
        if page["filter_change_breakdown"]:
            change = page["runs"][-1]["filter_change"]
            replaced = sum(
                bool(r["filter_change"]["iframe_replaced"]) for r in page["runs"] if r["filter_change"]
            )
            out.append(
                f"  filter change: {page['filter_change']}; markers {change['before']['markers']} -> "
                f"{change['after']['markers']}, fills {change['before']['fills']} -> {change['after']['fills']};"
                f" map iframe replaced (remount) in {replaced}/{len(page['runs'])} runs"
            )
            out.append("  what the filter change sent (last run):")
            out += breakdown_lines(page["filter_change_breakdown"], indent="    ")
        if page["visits_discarded_view_lost"]:
            out.append(
                f"  {page['visits_discarded_view_lost']} visit(s) discarded: the page settled on another view"
            )
        out += [f"  note: {n}" for n in page["notes"]]
        blocked = sorted({u for r in page["runs"] for u in r["blocked_requests"]})
        if blocked:
            out.append(f"  requests to the internet (aborted): {', '.join(blocked[:5])}")
    return "\n".join(out)
