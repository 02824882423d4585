"""Load benchmark: many sessions through nginx against several Atlas replicas (``python -m bench.load``).

Not a test: it prints figures to compare with the targets of issue 11 §3 and
says which are met. In one run, on loopback only (:func:`e2e.cluster.atlas_cluster`):

1. a lone session through the proxy: time from opening to the first map
   message, and from a filter change to the new map message (the baseline);
2. ``--sessions`` sessions opened at ``--rate`` a second and held open, each
   changing a filter every ``--every`` s for ``--hold`` s: errors, p50/p95 of
   both times, and the replicas' memory (RSS) with all of them open;
3. ``--churn`` sessions that open and close, a few at a time: the replicas'
   memory every 100, to see whether it keeps growing.

The clients speak Streamlit's protocol (:mod:`bench.streamclient`); the filter
is the "Under construction" status box, the one ``python -m bench`` times.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psutil

from bench.streamclient import StreamSession
from e2e.cluster import Cluster, atlas_cluster
from e2e.harness import ROOT

TOGGLE = "v.status.under_construction."
TIMEOUT_S = 60.0
MB = 1024 * 1024
#: Targets (issue 11 §3): p95 at most this many times the lone session's time…
SLOWDOWN = 3.0
#: …at most this much more replica memory per extra open session…
MB_PER_SESSION = 30.0
#: …and sessions that open and close leave at most this much behind each (after Streamlit's own cache fills).
LEAK_MB_PER_SESSION = 0.1
CHECKPOINT = 100


@dataclass
class Results:
    """What a phase measured: seconds to the first map, seconds to the new map after a change, errors."""

    opens: list[float] = field(default_factory=list)
    changes: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` quantile (nearest rank) of ``values``; NaN when there are none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = min(max(1, math.ceil(share * len(ordered))), len(ordered))
    return ordered[rank - 1]


def cpu_seconds(cluster: Cluster) -> float:
    """CPU time the replicas have used so far (user + system)."""
    times = [psutil.Process(server.process.pid).cpu_times() for server in cluster.replicas]
    return sum(t.user + t.system for t in times)


def rss_mb(cluster: Cluster) -> list[float]:
    """Each replica's resident memory, in MB."""
    return [psutil.Process(server.process.pid).memory_info().rss / MB for server in cluster.replicas]


async def lone(url: str, changes: int, results: Results) -> None:
    """One session at a time: open it and change the filter ``changes`` times."""
    session = StreamSession(url)
    try:
        results.opens.append(await session.open(TIMEOUT_S))
        for _ in range(changes):
            results.changes.append(await session.toggle(TOGGLE, TIMEOUT_S))
            await asyncio.sleep(1)
    except Exception as error:
        results.errors.append(f"lone session: {error!r}")
    finally:
        await session.close()


async def held(
    number: int, url: str, args: argparse.Namespace, results: Results, opened: list[StreamSession]
) -> None:
    """Open session ``number`` in its turn, change the filter every ``args.every`` s for ``args.hold`` s; keep it open."""
    await asyncio.sleep(number / args.rate)
    session = StreamSession(url)
    opened.append(session)
    try:
        results.opens.append(await session.open(TIMEOUT_S))
        start = time.monotonic()
        for step in range(1, int(args.hold // args.every) + 1):
            await asyncio.sleep(max(start + step * args.every - time.monotonic(), 0))
            results.changes.append(await session.toggle(TOGGLE, TIMEOUT_S))
    except Exception as error:
        results.errors.append(f"session {number}: {error!r}")


async def crowd(url: str, args: argparse.Namespace, cluster: Cluster) -> tuple[Results, list[float]]:
    """The held sessions; returns their results and the replicas' RSS with all of them open."""
    results = Results()
    opened: list[StreamSession] = []
    await asyncio.gather(*(held(i, url, args, results, opened) for i in range(args.sessions)))
    memory = rss_mb(cluster)
    await asyncio.gather(*(session.close() for session in opened))
    return results, memory


async def churn(url: str, count: int, concurrency: int, cluster: Cluster) -> tuple[list[str], list[float]]:
    """Open and close ``count`` sessions, ``concurrency`` at a time; total RSS at the start and every 100."""
    errors: list[str] = []
    totals = [sum(rss_mb(cluster))]
    gate = asyncio.Semaphore(concurrency)
    done = 0

    async def one(number: int) -> None:
        nonlocal done
        async with gate:
            session = StreamSession(url)
            try:
                await session.open(TIMEOUT_S)
            except Exception as error:
                errors.append(f"churn session {number}: {error!r}")
            finally:
                await session.close()
            done += 1
            if done % CHECKPOINT == 0:
                totals.append(sum(rss_mb(cluster)))

    await asyncio.gather(*(one(i) for i in range(count)))
    return errors, totals


def _commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or "unknown"


def _seconds(values: Sequence[float]) -> str:
    return f"p50 {percentile(values, 0.5):.2f} s · p95 {percentile(values, 0.95):.2f} s (n={len(values)})"


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


async def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    print(f"python -m bench.load · {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · commit {_commit()}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} · {os.cpu_count()} cores")
    with atlas_cluster(args.replicas) as cluster:
        for server in cluster.replicas:  # each replica's slow first run is nobody's measure
            await lone(server.url, 0, Results())
        baseline = Results()
        for _ in range(3):
            await lone(cluster.url, 3, baseline)
        idle = rss_mb(cluster)
        cpu, wall = cpu_seconds(cluster), time.monotonic()
        crowded, busy = await crowd(cluster.url, args, cluster)
        cpu, wall = cpu_seconds(cluster) - cpu, time.monotonic() - wall
        churn_errors, totals = await churn(cluster.url, args.churn, args.concurrency, cluster)
    load = os.getloadavg()

    errors = baseline.errors + crowded.errors + churn_errors
    lone_open = statistics.median(baseline.opens) if baseline.opens else float("nan")
    lone_change = statistics.median(baseline.changes) if baseline.changes else float("nan")
    per_session = (sum(busy) - sum(idle)) / max(args.sessions, 1)
    settled = totals[1:] if len(totals) > 2 else totals
    leak = (settled[-1] - settled[0]) / max(CHECKPOINT * (len(settled) - 1), 1)
    print(f"{args.replicas} replicas behind nginx; {args.sessions} sessions at {args.rate:g}/s, "
          f"held {args.hold:g} s, a filter change every {args.every:g} s")  # fmt: skip
    print(f"lone session    open → first map  {_seconds(baseline.opens)}")
    print(f"lone session    change → new map  {_seconds(baseline.changes)}")
    print(f"{args.sessions} sessions     open → first map  {_seconds(crowded.opens)}")
    print(f"{args.sessions} sessions     change → new map  {_seconds(crowded.changes)}")
    print(f"replica CPU while {args.sessions} sessions ran: {cpu:.0f} s in {wall:.0f} s "
          f"({cpu / wall:.2f} cores busy on average; {cpu / max(args.sessions, 1):.2f} s a session)")  # fmt: skip
    print(f"replica RSS idle {' + '.join(f'{m:.0f}' for m in idle)} MB; with {args.sessions} open "
          f"{' + '.join(f'{m:.0f}' for m in busy)} MB → {per_session:.1f} MB per extra session")  # fmt: skip
    print(f"{args.churn} sessions opened and closed: total RSS {' → '.join(f'{m:.0f}' for m in totals)} MB "
          f"(start, then every {CHECKPOINT}) → {leak:.3f} MB per session after the first {CHECKPOINT}")  # fmt: skip
    print(f"errors: {len(errors)}")
    for error in errors[:10]:
        print(f"  {error}")
    p95_open, p95_change = percentile(crowded.opens, 0.95), percentile(crowded.changes, 0.95)
    print("targets:")
    print(f"  0 errors                               {_verdict(not errors)}")
    print(f"  open p95 ≤ {SLOWDOWN:g}× lone ({SLOWDOWN * lone_open:.2f} s)        "
          f"{_verdict(p95_open <= SLOWDOWN * lone_open)} ({p95_open / lone_open:.1f}×)")  # fmt: skip
    print(f"  change p95 ≤ {SLOWDOWN:g}× lone ({SLOWDOWN * lone_change:.2f} s)      "
          f"{_verdict(p95_change <= SLOWDOWN * lone_change)} ({p95_change / lone_change:.1f}×)")  # fmt: skip
    print(
        f"  ≤ {MB_PER_SESSION:g} MB RSS per extra session           {_verdict(per_session <= MB_PER_SESSION)}"
    )
    print(f"  no growth over {args.churn} sessions (≤ {LEAK_MB_PER_SESSION} MB each)  "
          f"{_verdict(leak <= LEAK_MB_PER_SESSION)}")  # fmt: skip
    print(
        f"load average after: {' '.join(f'{x:.2f}' for x in load)} · run took {time.monotonic() - started:.0f} s"
    )
    return 1 if errors else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--rate", type=float, default=2.0, help="sessions opened per second")
    parser.add_argument("--hold", type=float, default=60.0, help="seconds each session changes filters for")
    parser.add_argument(
        "--every", type=float, default=20.0, help="seconds between a session's filter changes"
    )
    parser.add_argument("--churn", type=int, default=500, help="sessions that open and close (leak check)")
    parser.add_argument("--concurrency", type=int, default=4, help="churn sessions open at once")
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
