"""The search benchmark's results file keeps what a run on fewer settings did not measure."""

from __future__ import annotations

from bench.search import merged


def test_a_run_on_one_database_replaces_its_own_figures_and_keeps_the_others() -> None:
    earlier = [
        {"backend": "tantivy", "records": 100_000, "p95_ms": 24.6, "measured_on": "2026-12-01"},
        {"backend": "sqlite", "records": 100_000, "p95_ms": 112.2, "measured_on": "2026-12-01"},
        {"backend": "postgres", "records": 100_000, "p95_ms": 448.6, "measured_on": "2026-12-01"},
        {"backend": "sqlite", "records": 1_000_000, "p95_ms": 300.0, "measured_on": "2026-11-20"},
    ]
    run = [
        {"backend": "tantivy", "records": 100_000, "p95_ms": 20.3, "measured_on": "2026-12-07"},
        {"backend": "postgres", "records": 100_000, "p95_ms": 92.4, "measured_on": "2026-12-07"},
    ]
    assert merged(earlier, run) == [
        run[0],
        earlier[1],
        run[1],
        earlier[3],
    ]
    assert merged([], run) == run
