"""Retrieval by meaning for search: the whole ``Retriever.nearest`` call over large catalogues.

    python -m bench.semantic --scale quick|full [--records N ...] [--exact-limit N]

One line per size (printed, and returned by ``run``, which ``bench.run`` calls):

    semantic records=<n> p50_ms=<x> p95_ms=<y> embed_p50_ms=<e> detect_p50_ms=<d> limit=<k>
             index=<exact|hnsw> exact_limit=<l> build_s=<t> load=<load average of the last minute>

What is timed is what the search service calls for each text query:
``clearinghouse.matching.semantic.retriever().nearest(text, language, limit)``: the query
embedded by the real default model (one BLAS thread), its language detected, centred when long,
the three catalogues searched as this host's caches hold them (exact up to
``MATCHING_EXACT_LIMIT`` records a catalogue, HNSW beyond) and merged on one score, the keys
mapped. ``embed`` and ``detect`` are those two steps alone, timed apart on the same queries.
Queries are the matching development set's need titles (70, six languages, 7 words at the median;
typed search queries are shorter); ``limit`` is what the hybrid search asks for.

Each size runs in a child process on its own throw-away SQLite database under var/bench: the
stored embeddings (random unit vectors; half support, three tenths needs, a fifth other records,
in the six languages, titles of the development set as their profiles) are written with one
``executemany`` per batch rather than through the ORM, the catalogues' states and language means
are set as a rebuild sets them, and this host's caches are built from the stored rows by
``index.sync``, the code a worker runs (``build_s``). Nothing else differs from a web process.
Full scale: 100,000 and 1,000,000 records; quick: 1,000 and 10,000. ``--exact-limit`` sets
``MATCHING_EXACT_LIMIT`` in the child (the catalogues above it are HNSW).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "semantic.json"
WORK_DIR = ROOT / "var" / "bench"
DEVSET = ROOT / "clearinghouse" / "matching" / "data" / "devset.jsonl"
SIZES = {"quick": (1_000, 10_000), "full": (100_000, 1_000_000)}
# Shares of the records in each catalogue.
SHARES = (("support", 0.5), ("need", 0.3), ("record", 0.2))
QUERIES = 300
WARM_UP = 20
LIMIT = 200
BATCH = 5_000
SEED = 2026


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def _devset() -> list[dict[str, Any]]:
    return [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line.strip()]


def _store(count: int) -> None:
    """``count`` stored embeddings over the three catalogues, and the catalogues' states as a
    rebuild leaves them (version, size, language means of the model)."""
    import numpy as np
    from django.db import transaction

    from bench.embeddings import SyntheticEmbeddings, unit_vectors

    titles = [(row["language"], row["title"]) for row in _devset() if row["kind"] in {"need", "offer"}]
    number = 0
    with transaction.atomic():
        store = SyntheticEmbeddings()
        for side, share in SHARES:
            total = round(count * share)
            for start in range(0, total, BATCH):
                size = min(BATCH, total - start)
                vectors = unit_vectors(np.random.default_rng(SEED + number), size, store.model.dimension)
                rows = []
                for offset in range(size):
                    language, title = titles[(number + offset) % len(titles)]
                    rows.append((f"{side}-{number + offset}", side, side, language, title))
                store.write(rows, vectors)
                number += size
        store.finish()


def _child(count: int, exact_limit: int | None) -> dict[str, Any]:
    """In the child process: the database made, the caches built, the call timed."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from clearinghouse.matching import conf, index
    from clearinghouse.matching.embedders import default_embedder
    from clearinghouse.matching.semantic import LanguageDetector, embed_query, retriever

    if exact_limit is not None:
        settings.MATCHING_EXACT_LIMIT = exact_limit
    call_command("migrate", verbosity=0)
    _store(count)
    started = time.perf_counter()
    index.sync()
    build_seconds = time.perf_counter() - started
    kinds = sorted(
        {
            searchable.matcher.index.kind
            for searchable in index.searchable(tuple(index.Catalogue), default_embedder())
            if searchable.matcher is not None and searchable.matcher.index is not None
        }
    )
    queries = [(row["title"], row["language"]) for row in _devset() if row["kind"] == "need"]
    answer = retriever()
    model = default_embedder()
    timings: list[float] = []
    for number in range(QUERIES + WARM_UP):
        text, language = queries[number % len(queries)]
        begin = time.perf_counter()
        hits = answer.nearest(text, language, LIMIT)
        elapsed = (time.perf_counter() - begin) * 1000
        if len(hits) != LIMIT:
            raise RuntimeError(f"{len(hits)} hits for {text!r}, {LIMIT} asked")
        if number >= WARM_UP:
            timings.append(elapsed)
    detector = LanguageDetector()
    embedding: list[float] = []
    detecting: list[float] = []
    for number in range(QUERIES + WARM_UP):
        text, language = queries[number % len(queries)]
        begin = time.perf_counter()
        embed_query(model, text)
        middle = time.perf_counter()
        detector.detect(text, language)
        end = time.perf_counter()
        if number >= WARM_UP:
            embedding.append((middle - begin) * 1000)
            detecting.append((end - middle) * 1000)
    return {
        "records": count,
        "limit": LIMIT,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "embed_p50_ms": round(statistics.median(embedding), 2),
        "detect_p50_ms": round(statistics.median(detecting), 3),
        "index": "+".join(kinds),
        "exact_limit": conf.exact_limit(),
        "build_s": round(build_seconds, 1),
        # The machine is shared: how busy it was over the last minute of the run.
        "load_average": round(os.getloadavg()[0], 1),
        "cores": os.cpu_count(),
    }


def bench_size(count: int, exact_limit: int | None = None) -> dict[str, Any]:
    """The whole call at ``count`` records, in a child process on its own database."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    database = WORK_DIR / f"semantic-{count}.sqlite3"
    var_dir = WORK_DIR / f"semantic-{count}"

    def clean() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(var_dir, ignore_errors=True)

    clean()
    var_dir.mkdir(parents=True, exist_ok=True)
    environment = os.environ | {
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "clearinghouse.settings",
        "VAR_DIR": str(var_dir),
        "DEBUG": "0",
    }
    command = [sys.executable, "-m", "bench.semantic", "--child", str(count)]
    if exact_limit is not None:
        command += ["--exact-limit", str(exact_limit)]
    try:
        output = subprocess.run(
            command, env=environment, cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    except subprocess.CalledProcessError as error:
        raise RuntimeError(f"the semantic benchmark failed:\n{error.stderr[-3000:]}") from error
    finally:
        clean()
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return figures


def line(figures: dict[str, Any]) -> str:
    return (
        f"semantic records={figures['records']} p50_ms={figures['p50_ms']} p95_ms={figures['p95_ms']} "
        f"embed_p50_ms={figures['embed_p50_ms']} detect_p50_ms={figures['detect_p50_ms']} "
        f"limit={figures['limit']} index={figures['index']} exact_limit={figures['exact_limit']} "
        f"build_s={figures['build_s']} load={figures['load_average']}"
    )


def _results_file(scale: str) -> Path:
    # A quick run must not overwrite the full figures the documentation quotes.
    return RESULTS if scale == "full" else RESULTS.with_name(f"semantic-{scale}.json")


def run(scale: str, sizes: tuple[int, ...] | None = None, exact_limit: int | None = None) -> list[str]:
    """Run the benchmark at ``scale`` (or the given sizes); print and return the result lines.
    The figures are written to the scale's results file, replacing those of the same size and
    exact limit."""
    lines = []
    measured = []
    for count in sizes or SIZES[scale]:
        figures = bench_size(count, exact_limit)
        measured.append(figures)
        lines.append(line(figures))
        print(lines[-1], flush=True)
    target = _results_file(scale)
    target.parent.mkdir(parents=True, exist_ok=True)
    kept = json.loads(target.read_text(encoding="utf-8")).get("runs", []) if target.exists() else []
    replaced = {(figures["records"], figures["exact_limit"]) for figures in measured}
    runs = [figures for figures in kept if (figures["records"], figures["exact_limit"]) not in replaced]
    runs = sorted([*runs, *measured], key=lambda figures: (figures["records"], -figures["exact_limit"]))
    target.write_text(json.dumps({"scale": scale, "runs": runs}, indent=2) + "\n", encoding="utf-8")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark retrieval by meaning for search.")
    parser.add_argument("--scale", choices=tuple(SIZES), default="full")
    parser.add_argument("--records", type=int, nargs="+", help="these sizes instead of the scale's")
    parser.add_argument("--exact-limit", type=int, help="MATCHING_EXACT_LIMIT in the child")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.child is not None:
        print(json.dumps(_child(arguments.child, arguments.exact_limit)))
        return
    run(arguments.scale, tuple(arguments.records) if arguments.records else None, arguments.exact_limit)


if __name__ == "__main__":
    main()
