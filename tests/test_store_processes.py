"""The store under several processes, on both backends: concurrent publishers, and a writer killed mid-publish.

Writers are separate Python processes (``python -m tests.store_support``)
publishing SYNTHETIC layers. The kill points are random (the seed is in the
test's output, to replay a failure).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from functools import cache
from pathlib import Path

import pandas as pd

from geo.paths import ROOT
from geo.store import Store, open_store
from geo.userlayers import UserLayer
from tests.store_support import EDITOR, SHA, SUMMARY, synthetic_sites

LAYER = "obras-sinteticas"
BIG = 10_000
KILLS = 3


def _writer(target: str | Path, publishes: int, rows: int) -> subprocess.Popen[str]:
    """A process that opens the store, prints ``ready``, then publishes ``rows`` SYNTHETIC sites."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store_support", str(target), LAYER, str(publishes), str(rows)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@cache
def _published(rows: int) -> UserLayer:
    """The layer a writer of ``rows`` rows publishes (the same every time)."""
    return synthetic_sites(rows, seed=rows)


def _every_version_is_whole(store: Store) -> None:
    """Each listed version reads back complete: its row count, and the rows of the layer it published."""
    for record in store.versions(LAYER):
        read = store.read_layer(LAYER, record.version)
        assert read.count == record.rows
        pd.testing.assert_frame_equal(read.rows, _published(record.rows).rows)


def test_two_processes_publishing_at_once_both_land_as_distinct_versions(
    store: Store, store_target: str | Path
) -> None:
    writers = [_writer(store_target, 3, rows) for rows in (200, 300)]
    outputs = [writer.communicate(timeout=240)[0] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0], outputs
    history = store.versions(LAYER)
    assert [record.version for record in history] == [1, 2, 3, 4, 5, 6]
    assert sorted(record.rows for record in history) == [200, 200, 200, 300, 300, 300]
    assert len({record.store_version for record in history}) == 6
    _every_version_is_whole(store)


def test_a_writer_killed_mid_publish_leaves_the_last_good_version_intact(
    store: Store, store_target: str | Path
) -> None:
    small = _published(50)
    store.publish_layer(small, editor=EDITOR, sha256=SHA, report_summary=SUMMARY, layer_id=LAYER)
    started = time.monotonic()
    store.publish_layer(_published(BIG), editor=EDITOR, sha256=SHA, report_summary=SUMMARY, layer_id=LAYER)
    duration = time.monotonic() - started
    seed = random.randrange(1_000_000)
    print(f"kill points seed {seed}, one big publish takes {duration:.2f} s")
    rng = random.Random(seed)
    for _ in range(KILLS):
        writer = _writer(store_target, 0, BIG)
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0, 1.5 * duration))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        writer.stdout.close()
    store.close()
    reopened = open_store(store_target)
    current = reopened.read_layer(LAYER)
    assert current.count == reopened.versions(LAYER)[-1].rows
    _every_version_is_whole(reopened)
    after = reopened.publish_layer(small, editor=EDITOR, sha256=SHA, report_summary=SUMMARY, layer_id=LAYER)
    pd.testing.assert_frame_equal(reopened.read_layer(LAYER).rows, small.rows)
    assert after.version == len(reopened.versions(LAYER))
    reopened.close()
