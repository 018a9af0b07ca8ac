"""Search benchmark: build an index of synthetic records, then time a fixed mix of queries end to
end through the service the site uses (text analysis, engine, facet counts, snippets).

    python -m bench.search --scale quick|full [--records N ...] [--databases sqlite postgres]

Lines, each on one line (and the same figures in bench/results/search.json):

    search backend=tantivy records=<n> p50_ms=<x> p95_ms=<y> p99_ms=<z> build_s=<t> db_mb=<m>
    search backend=<sqlite|postgres> records=<n> p50_ms=<x> p95_ms=<y> p99_ms=<z>
        ratio_to_tantivy=<p95 / tantivy's p95 of the same run> build_s=<t> db_mb=<m>
    search-hybrid backend=<sqlite|postgres> records=<n> call=<lexical+retriever|fused> p50_ms=<x>
        p95_ms=<y> p99_ms=<z> retriever_p50_ms=<r> retriever_p95_ms=<s> limit=<k> embeddings_s=<e>

The ``search`` lines of SQLite and PostgreSQL are lexical only (no retriever configured while they
are timed). tantivy, with the same normalised terms, is the floor: what an embedded search library
does with the same work (query, count, facet counts; no snippets); it runs first, so that each
database's line can give its ratio to it.

``search-hybrid`` times the same queries with retrieval by meaning, in the same process and on
the same index. Every record has a stored embedding, written the way the retriever reads them
(``matching.StoredEmbedding`` rows of both catalogues, synthetic unit vectors: no model is asked
anything per record), with the catalogues' language means and this host's vector caches made as
a rebuild and a worker make them (``embeddings_s``). The query is embedded by the real model.
``call=lexical+retriever``: ``service.search`` (lexical) followed by the configured retriever's
``nearest(text, language, limit)``, timed together; ``retriever_*`` is that call alone.
``call=fused``: ``service.search`` alone, when the service itself asks the retriever (see
``HYBRID_CALL``). Skipped with a line when ``SEARCH_SEMANTIC_RETRIEVER`` is not set.

Each database setting runs in a child process of its own (Django binds one database per
process), with a throw-away VAR_DIR: SQLite in a throw-away file under var/bench, PostgreSQL in a
throw-away database ``clearinghouse_bench`` (created and dropped here).
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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "search.json"
WORK_DIR = ROOT / "var" / "bench"
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
# Its own name per checkout when several run at once (BENCH_PG_DATABASE).
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "clearinghouse_bench")
SCALES = {"quick": (1_000, 10_000), "full": (100_000, 1_000_000)}
QUERIES = 1000
WARM_UP = 50
SEED = 2026
# What the hybrid line times: "fused", service.search alone, which asks the retriever itself and
# fuses (search/hybrid.py); "lexical+retriever", the words' search followed by a retriever call,
# for comparing with a service that answers by words only.
HYBRID_CALL = "fused"
# Records asked of the retriever for each query.
SEMANTIC_LIMIT = 200
# Stored embeddings written at a time.
EMBEDDING_BATCH = 5000


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def queries(seed: int, count: int) -> list[dict[str, Any]]:
    """The fixed mix: one to three words in one of the six languages (Arabic with and without
    vowel marks and hamza, some phrases), one or two filters, first page of 20 with facets."""
    from bench.generate import LANGUAGES, Generator

    generator = Generator(seed)
    mix = []
    for _ in range(count):
        mix.append(
            {
                "text": generator.query_text(),
                "filters": generator.query_filters(),
                "language": generator.random.choice(LANGUAGES),
            }
        )
    return mix


class TimedDocuments:
    """The generator's documents, keeping apart the time spent making them."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.seconds = 0.0

    def __iter__(self) -> Iterator[Any]:
        from bench.generate import Generator

        generator = Generator(SEED)
        for number in range(self.count):
            start = time.perf_counter()
            document = generator.document(number)
            self.seconds += time.perf_counter() - start
            yield document


def line(backend: str, records: int, figures: dict[str, Any]) -> str:
    ratio = f" ratio_to_tantivy={figures['ratio_to_tantivy']:.1f}" if "ratio_to_tantivy" in figures else ""
    return (
        f"search backend={backend} records={records} p50_ms={figures['p50_ms']:.1f} "
        f"p95_ms={figures['p95_ms']:.1f} p99_ms={figures['p99_ms']:.1f}{ratio} "
        f"build_s={figures['build_s']:.1f} db_mb={figures['db_mb']:.1f}"
    )


def hybrid_line(backend: str, records: int, figures: dict[str, Any]) -> str:
    return (
        f"search-hybrid backend={backend} records={records} call={figures['call']} "
        f"p50_ms={figures['p50_ms']:.1f} p95_ms={figures['p95_ms']:.1f} p99_ms={figures['p99_ms']:.1f} "
        f"retriever_p50_ms={figures['retriever_p50_ms']:.1f} "
        f"retriever_p95_ms={figures['retriever_p95_ms']:.1f} limit={figures['limit']} "
        f"embeddings_s={figures['embeddings_s']:.1f}"
    )


def _figures(timings: list[float]) -> dict[str, float]:
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 0.95),
        "p99_ms": percentile(timings, 0.99),
    }


# --- one database (child process) --------------------------------------------------------------


_CONFIGURED_RETRIEVER: list[str | None] = []


def _lexical_only(enabled: bool) -> None:
    """Whether the service may ask a retriever (the lexical lines are timed without one)."""
    from django.conf import settings

    from clearinghouse.search.semantic import get_retriever

    if not _CONFIGURED_RETRIEVER:
        _CONFIGURED_RETRIEVER.append(getattr(settings, "SEARCH_SEMANTIC_RETRIEVER", None))
    settings.SEARCH_SEMANTIC_RETRIEVER = None if enabled else _CONFIGURED_RETRIEVER[0]
    get_retriever.cache_clear()


def run_database(records: int) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearinghouse.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from clearinghouse.search import service
    from clearinghouse.search.documents import SearchQuery

    call_command("migrate", verbosity=0)
    _lexical_only(True)
    documents = TimedDocuments(records)
    start = time.perf_counter()
    service.rebuild(documents)
    build = time.perf_counter() - start - documents.seconds
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = Path(connection.settings_dict["NAME"]).stat().st_size
    else:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_searchentry")
            cursor.execute("SELECT pg_total_relation_size('search_searchentry')")
            size = cursor.fetchone()[0]
    for spec in queries(SEED + 1, WARM_UP):
        service.search(SearchQuery(**spec))
    timings = []
    for spec in queries(SEED, QUERIES):
        query = SearchQuery(**spec)
        start = time.perf_counter()
        service.search(query)
        timings.append((time.perf_counter() - start) * 1000)
    figures: dict[str, Any] = {
        # Other work on the machine skews the figures: keep the load beside them.
        "load_1min": os.getloadavg()[0],
        **_figures(timings),
        "build_s": build,
        "db_mb": size / 1e6,
    }
    _lexical_only(False)
    hybrid = run_hybrid()
    if hybrid is not None:
        figures["hybrid"] = hybrid
    return figures


# --- lexical and semantic (same child process) ------------------------------------------------


def store_embeddings() -> float:
    """A stored embedding for every indexed record, as the retriever reads them: synthetic unit
    vectors in both catalogues (needs and requests as needs, the rest as support), the
    catalogues' states with language means as a rebuild leaves them, then this host's caches made
    by ``index.sync``, as a worker makes them. Returns the seconds taken."""
    import numpy as np
    from django.db import transaction

    from bench.embeddings import SyntheticEmbeddings, unit_vectors
    from clearinghouse.matching import index
    from clearinghouse.search.models import SearchEntry

    started = time.perf_counter()
    generator = np.random.default_rng(SEED)
    entries = SearchEntry.objects.order_by("id").values_list("key", "record_type", "language", "titles")
    with transaction.atomic():
        store = SyntheticEmbeddings()
        batch: list[tuple[str, str, str, str, str]] = []
        for key, record_type, language, titles in entries.iterator(chunk_size=EMBEDDING_BATCH):
            side = "need" if record_type in {"need", "request"} else "support"
            batch.append((key, side, record_type, language, titles.get(language, "")))
            if len(batch) == EMBEDDING_BATCH:
                store.write(batch, unit_vectors(generator, len(batch), store.model.dimension))
                batch = []
        if batch:
            store.write(batch, unit_vectors(generator, len(batch), store.model.dimension))
        store.finish()
    index.sync()
    return time.perf_counter() - started


def run_hybrid() -> dict[str, Any] | None:
    """The queries with retrieval by meaning (see the module's docstring); None without a
    retriever."""
    from clearinghouse.search import service
    from clearinghouse.search.documents import SearchQuery
    from clearinghouse.search.semantic import get_retriever

    retriever = get_retriever()
    if retriever is None:
        return None
    embeddings = store_embeddings()
    fused = HYBRID_CALL == "fused"

    def one(spec: dict[str, Any]) -> tuple[float, float]:
        query = SearchQuery(**spec)
        start = time.perf_counter()
        service.search(query)
        middle = time.perf_counter()
        retriever.nearest(query.text, query.language, SEMANTIC_LIMIT)
        end = time.perf_counter()
        # Fused, the service has asked the retriever itself: the call after it is timed apart only.
        total = middle - start if fused else end - start
        return total * 1000, (end - middle) * 1000

    for spec in queries(SEED + 1, WARM_UP):
        one(spec)
    timings = [one(spec) for spec in queries(SEED, QUERIES)]
    retriever_figures = _figures([call for _total, call in timings])
    return {
        "call": HYBRID_CALL,
        "load_1min": os.getloadavg()[0],
        **_figures([total for total, _call in timings]),
        "retriever_p50_ms": retriever_figures["p50_ms"],
        "retriever_p95_ms": retriever_figures["p95_ms"],
        "limit": SEMANTIC_LIMIT,
        "embeddings_s": embeddings,
    }


# --- tantivy -----------------------------------------------------------------------------------


def run_tantivy(records: int) -> dict[str, float]:
    import tantivy

    from clearinghouse.search.entries import build_entry, document_facets
    from clearinghouse.search.text import parse_query

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("title", tokenizer_name="whitespace")
    builder.add_text_field("body", tokenizer_name="whitespace")
    builder.add_text_field("facets", tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_integer_field("id", stored=True, fast=True, indexed=True)
    schema = builder.build()
    path = WORK_DIR / f"tantivy-{records}"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    index = tantivy.Index(schema, path=str(path))
    writer = index.writer(heap_size=500_000_000)
    documents = TimedDocuments(records)
    start = time.perf_counter()
    for number, document in enumerate(documents):
        entry = build_entry(document, number)
        facets = [f"{name}:{value}" for name, values in document_facets(document).items() for value in values]
        writer.add_document(
            tantivy.Document(
                title=" ".join(entry.title_terms), body=" ".join(entry.body_terms), facets=facets, id=number
            )
        )
    writer.commit()
    writer.wait_merging_threads()
    build = time.perf_counter() - start - documents.seconds
    index.reload()
    searcher = index.searcher()
    size = sum(file.stat().st_size for file in path.iterdir())

    def text_query(clause_alternatives: Any) -> Any:
        options = []
        for sequence in clause_alternatives:
            for field, boost in (("title", 4.0), ("body", 1.0)):
                if len(sequence) == 1:
                    query = tantivy.Query.term_query(schema, field, sequence[0])
                else:
                    query = tantivy.Query.phrase_query(schema, field, list(sequence))
                options.append((tantivy.Occur.Should, tantivy.Query.boost_query(query, boost)))
        return tantivy.Query.boolean_query(options)

    def filter_query(facet: str, values: list[str]) -> Any:
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.term_query(schema, "facets", f"{facet}:{value}"))
                for value in values
            ]
        )

    def one(spec: dict[str, Any]) -> None:
        parsed = parse_query(spec["text"])
        words = [(tantivy.Occur.Must, text_query(clause)) for clause in parsed.clauses]
        filters = {facet: filter_query(facet, values) for facet, values in spec["filters"].items()}
        full = words + [(tantivy.Occur.Must, query) for query in filters.values()]
        query = tantivy.Query.boolean_query(full) if full else tantivy.Query.all_query()
        searcher.search(query, 20, count=True)
        aggregation = {"facets": {"terms": {"field": "facets", "size": 5000}}}
        searcher.aggregate(query, aggregation)
        for facet in filters:
            # Counts of a filtered facet without its own filter, as the service does.
            others = words + [(tantivy.Occur.Must, q) for name, q in filters.items() if name != facet]
            searcher.aggregate(
                tantivy.Query.boolean_query(others) if others else tantivy.Query.all_query(), aggregation
            )

    for spec in queries(SEED + 1, WARM_UP):
        one(spec)
    timings = []
    for spec in queries(SEED, QUERIES):
        start = time.perf_counter()
        one(spec)
        timings.append((time.perf_counter() - start) * 1000)
    shutil.rmtree(path, ignore_errors=True)
    return {
        "load_1min": os.getloadavg()[0],
        "p50_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 0.95),
        "p99_ms": percentile(timings, 0.99),
        "build_s": build,
        "db_mb": size / 1e6,
    }


# --- orchestration -----------------------------------------------------------------------------


def _child(backend: str, records: int, database_url: str | None) -> dict[str, Any] | None:
    env = dict(os.environ)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    env["DEBUG"] = "0"
    # Caches, job queue and files of the run stay out of the project's own var/.
    var_dir = WORK_DIR / f"var-{backend}-{records}"
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    env["VAR_DIR"] = str(var_dir)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bench.search", "--child", backend, "--records", str(records)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    if result.returncode != 0:
        print(f"search backend={backend} records={records} failed:\n{result.stderr[-3000:]}", file=sys.stderr)
        return None
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def _postgres_available() -> bool:
    try:
        import psycopg

        psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3).close()
    except Exception:
        return False
    return True


def _postgres(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def run(
    scale: str, sizes: tuple[int, ...] | None = None, databases: tuple[str, ...] = ("sqlite", "postgres")
) -> list[str]:
    """Every setting of the scale (or of these sizes or databases only; tantivy always runs, as the
    floor of the ratios); print and return the lines, write the JSON file."""
    results: list[dict[str, Any]] = []
    lines = []
    postgres = "postgres" in databases and _postgres_available()
    if "postgres" in databases and not postgres:
        print(f"search backend=postgres skipped: no PostgreSQL at {PG_SERVER}")
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    for records in sizes or SCALES[scale]:
        settings: list[tuple[str, str | None]] = [("tantivy", None)]
        sqlite_file = WORK_DIR / f"search-{records}.sqlite3"
        if "sqlite" in databases:
            settings.append(("sqlite", f"sqlite:///{sqlite_file}"))
        if postgres:
            settings.append(("postgres", f"{PG_SERVER}/{PG_DATABASE}"))
        floor: float | None = None
        for backend, url in settings:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
            if backend == "postgres":
                _postgres(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
                _postgres(f"CREATE DATABASE {PG_DATABASE}")
            try:
                figures = _child(backend, records, url)
            finally:
                if backend == "postgres":
                    _postgres(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
            if figures is None:
                continue
            hybrid = figures.pop("hybrid", None)
            if backend == "tantivy":
                floor = figures["p95_ms"]
            elif floor:
                figures["ratio_to_tantivy"] = figures["p95_ms"] / floor
            for text in [line(backend, records, figures)] + (
                [hybrid_line(backend, records, hybrid)] if hybrid else []
            ):
                print(text, flush=True)
                lines.append(text)
            if backend != "tantivy" and hybrid is None:
                print(
                    f"search-hybrid backend={backend} records={records} skipped: no SEARCH_SEMANTIC_RETRIEVER"
                )
            result: dict[str, Any] = {
                "backend": backend,
                "records": records,
                "measured_on": time.strftime("%Y-%m-%d"),
                **{key: round(value, 2) for key, value in figures.items()},
            }
            if hybrid:
                result["hybrid"] = {
                    key: round(value, 2) if isinstance(value, float) else value
                    for key, value in hybrid.items()
                }
            results.append(result)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    earlier = json.loads(RESULTS.read_text()).get("results", []) if RESULTS.exists() else []
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "search",
                "scale": scale,
                "cores": os.cpu_count(),
                "queries": QUERIES,
                "results": merged(earlier, results),
            },
            indent=2,
        )
        + "\n"
    )
    return lines


def merged(earlier: list[dict[str, Any]], results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """This run's results, and those of earlier runs for the settings it did not run (a run on
    one database keeps the other's figures; each says when it was measured), by size then in
    the order the settings run."""
    ran = {(result["backend"], result["records"]) for result in results}
    kept = [result for result in earlier if (result.get("backend"), result.get("records")) not in ran]
    order = {"tantivy": 0, "sqlite": 1, "postgres": 2}
    return sorted(kept + results, key=lambda result: (result["records"], order.get(result["backend"], 3)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--child", choices=("sqlite", "postgres", "tantivy"))
    parser.add_argument("--records", type=int, nargs="+", help="these sizes only (or the child's size)")
    parser.add_argument(
        "--databases", nargs="+", choices=("sqlite", "postgres"), default=["sqlite", "postgres"]
    )
    arguments = parser.parse_args(argv)
    if arguments.child:
        sys.path.insert(0, str(ROOT))
        runner = run_tantivy if arguments.child == "tantivy" else run_database
        print(json.dumps(runner(arguments.records[0])))
        return
    run(arguments.scale, tuple(arguments.records) if arguments.records else None, tuple(arguments.databases))


if __name__ == "__main__":
    main()
