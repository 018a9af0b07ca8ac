"""Load held by the reference deployment: nginx in front of two app hosts on PostgreSQL and Redis
(bench/loopback.py, deploy/ as it ships), with `make run`'s demo data, and 50 visitors asking for
pages as fast as they are answered (locust, bench/locustfile.py) on this machine, everything on
loopback. For each kind of address, over 60 s (15 s with --scale quick):

    load path=<kind's example> clients=<c> rps=<r> p95_ms=<x> errors=<e> (<verdict>)

Targets (the issue "Production on several machines"): 0 errors; the home page and record pages
at least 500 requests/s with p95 at most 150 ms; search and API lists at least 250 requests/s
with p95 at most 300 ms. Each kind draws from many addresses (the home page in the six languages,
every published record, searches in the six languages, the API lists and their pages): nothing
is measured on one address the proxy has kept.

    python -m bench.load [--scale quick]

Needs nginx, PostgreSQL and Redis as the suite's loopback test does (make system-test-deps);
prints "load skipped: <why>" without them. Keeps the figures in bench/results/load.json.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench import loopback

RESULTS = Path(__file__).resolve().parent / "results"
# Its own Redis database: the suite uses 0, the loopback test 7.
REDIS = "redis://127.0.0.1:6379/8"
CLIENTS = 50
SECONDS = {"full": 60, "quick": 15}
# The first pass, visitors with a cookie who all reach the platform: it warms every app process
# (models and caches load on first use) and shows what the platform answers by itself.
PLATFORM_SECONDS = {"full": 20, "quick": 10}
# Each app host: gunicorn's processes and threads (two hosts share this machine's 2 cores with
# nginx and the load tool).
WORKERS = 2
THREADS = 4

LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh-hans")
SEARCHES = {
    "en": ("coral reef monitoring", "invasive species", "wetlands", "taxonomy training", "biosafety"),
    "fr": ("aires protégées", "espèces envahissantes", "formation", "mangroves"),
    "es": ("humedales", "restauración de manglares", "especies invasoras", "capacitación"),
    "ru": ("биобезопасность", "охраняемые районы", "обучение"),
    "ar": ("التنوع البيولوجي", "بناء القدرات", "الشعاب المرجانية", "الأنواع الغازية"),
    "zh-hans": ("生物多样性", "能力建设", "湿地", "入侵物种"),
}
API_LISTS = (
    "/api/v1/needs/",
    "/api/v1/needs/?page=2",
    "/api/v1/offers/",
    "/api/v1/resources/",
    "/api/v1/experts/",
    "/api/v1/opportunities/",
    "/api/v1/initiatives/",
    "/api/v1/providers/",
)


@dataclass(frozen=True)
class Kind:
    name: str
    example: str
    min_rps: float
    max_p95_ms: float


KINDS = (
    Kind("home", "/en/", 500, 150),
    Kind("record", "/<language>/<record's page>", 500, 150),
    Kind("search", "/en/search/?q=<query>", 250, 300),
    Kind("api", "/api/v1/<list>/", 250, 300),
)

# Every published record's page, in the six languages in turn.
PUBLISHED = """
import itertools, json
from django.utils import translation
from clearinghouse.publishing import registry
languages = itertools.cycle(%r)
pages = []
for record_type in registry.record_types():
    for record in record_type.live().order_by("pk"):
        with translation.override(next(languages)):
            pages.append(record_type.url(record))
print("PUBLISHED", json.dumps(pages))
"""


@dataclass(frozen=True)
class Figures:
    kind: str
    path: str
    visitors: str
    clients: int
    seconds: int
    requests: int
    rps: float
    p95_ms: float
    errors: int
    addresses: int
    proxy: dict[str, int]

    @property
    def hits(self) -> int:
        """The share of answers the proxy gave from its cache, in percent."""
        return round(100 * self.proxy.get("HIT", 0) / max(1, sum(self.proxy.values())))

    def meets(self, kind: Kind) -> bool:
        return self.errors == 0 and self.rps >= kind.min_rps and self.p95_ms <= kind.max_p95_ms


def addresses(deployment: loopback.Deployment) -> dict[str, list[str]]:
    """The addresses each kind of request draws from."""
    output = deployment.shell("a", PUBLISHED % (LANGUAGES,))
    line = next(line for line in output.splitlines() if line.startswith("PUBLISHED "))
    pages = json.loads(line.removeprefix("PUBLISHED "))
    return {
        "home": [f"/{language}/" for language in LANGUAGES],
        "record": pages,
        "search": [
            f"/{language}/search/?q={quote(query)}"
            for language, queries in SEARCHES.items()
            for query in queries
        ],
        "api": list(API_LISTS),
    }


def hammer(
    proxy: str, kind: Kind, paths: list[str], seconds: int, work: Path, *, cookie: str = ""
) -> Figures:
    """locust's headless run against ``paths`` (every request with ``cookie``, when given): its
    totals."""
    run = f"{kind.name}-{'cookie' if cookie else 'public'}"
    listing = work / f"{run}.txt"
    listing.write_text("\n".join(paths) + "\n")
    prefix = work / run
    environment = {
        **os.environ,
        "LOAD_ADDRESSES": str(listing),
        "LOAD_NAME": kind.name,
        "LOAD_COOKIE": cookie,
        "LOAD_VERDICTS": str(work / f"{run}-verdicts.json"),
    }
    subprocess.run(
        [
            str(loopback.BIN / "locust"),
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            "--headless",
            "--users",
            str(CLIENTS),
            "--spawn-rate",
            str(CLIENTS),
            "--run-time",
            f"{seconds}s",
            "--host",
            proxy,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
        ],
        env=environment,
        check=True,
        capture_output=True,
        timeout=seconds + 120,
    )
    with (work / f"{run}_stats.csv").open() as stats:
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    return Figures(
        kind=kind.name,
        path=kind.example,
        visitors="with a cookie" if cookie else "public",
        clients=CLIENTS,
        seconds=seconds,
        requests=int(total["Request Count"]),
        rps=round(float(total["Requests/s"]), 1),
        p95_ms=float(total["95%"]),
        errors=int(total["Failure Count"]),
        addresses=len(paths),
        proxy=json.loads((work / f"{run}-verdicts.json").read_text()),
    )


def bring_up(deployment: loopback.Deployment) -> str:
    """The demo platform on two app hosts behind nginx: the proxy's address."""
    deployment.install()
    for command in (
        ("importplan", "clearinghouse/plan/data/decision-XIII-23-ar.txt"),
        ("loadindicators",),
        ("loaddemo",),
    ):
        deployment.run("a", *command, seconds=1200, JOBS_IMMEDIATE="1")
    ports = loopback.free_port(), loopback.free_port()
    for host, port in zip("ab", ports, strict=True):
        # Each host's own search-by-meaning index, as README's production steps build it.
        deployment.run(host, "rebuildmatching", "--sync", seconds=1200)
        deployment.start_app(host, port, workers=WORKERS, threads=THREADS)
        deployment.start_worker(host)
    proxy = deployment.start_proxy(ports)

    def healthy() -> bool:
        status, body = loopback.get(f"{proxy}/healthz")
        answer: dict[str, Any] = json.loads(body) if status == 200 else {}
        return answer.get("live_workers") == 2

    loopback.poll(
        healthy,
        seconds=90,
        failure=lambda: "no healthy platform through nginx\n" + deployment.tail("nginx", "app-a", "app-b"),
    )
    return proxy


def shipped_settings() -> dict[str, str]:
    """The settings of deploy/env.example this measures with: the proxy's public-page cache as it
    ships; and the anonymous API rate limit (per client address) raised, as the 50 visitors all
    come from one address here."""
    example = (loopback.ROOT / "deploy" / "env.example").read_text()
    cache = re.search(r"^PROXY_CACHE_SECONDS=(\d+)$", example, re.M)
    assert cache is not None, "deploy/env.example sets no PROXY_CACHE_SECONDS"
    return {"PROXY_CACHE_SECONDS": cache.group(1), "API_THROTTLE_ANONYMOUS": "1000000/minute"}


def report(result: Figures, kind: Kind) -> str:
    line = (
        f"load path={result.path} clients={result.clients} rps={result.rps} "
        f"p95_ms={result.p95_ms:g} errors={result.errors}"
    )
    if result.visitors == "public":
        verdict = "within target" if result.meets(kind) else "OVER TARGET"
        return (
            f"{line} ({verdict}; {result.requests} requests to {result.addresses} addresses in "
            f"{result.seconds} s, {result.hits}% from the proxy's cache)"
        )
    return f"{line} (visitors with a cookie: the platform itself answers; not the target's measure)"


def run(scale: str = "full") -> list[Figures]:
    why = loopback.unavailable(REDIS)
    if why:
        print(f"load skipped: {why}")
        return []
    seconds = SECONDS[scale]
    figures: list[Figures] = []
    settings = shipped_settings()
    with tempfile.TemporaryDirectory(prefix="clearinghouse-load-") as folder:
        work = Path(folder)
        with loopback.deployment(work, REDIS, prefix="load", settings=settings) as deployment:
            started = time.monotonic()
            proxy = bring_up(deployment)
            print(f"load: the demo platform is up behind nginx in {time.monotonic() - started:.0f} s")
            drawn = addresses(deployment)
            for kind in KINDS:
                paths = drawn[kind.name]
                # Every address answers before it is timed: a broken one is a failure, not a figure.
                for path in paths:
                    status, _ = loopback.get(proxy + path)
                    if status != 200:
                        raise SystemExit(f"load: {path} answers {status}")
                for result in (
                    hammer(proxy, kind, paths, PLATFORM_SECONDS[scale], work, cookie="load=platform"),
                    hammer(proxy, kind, paths, seconds, work),
                ):
                    print(report(result, kind), flush=True)
                    figures.append(result)
    name = "load.json" if scale == "full" else f"load-{scale}.json"
    (RESULTS / name).write_text(json.dumps([asdict(result) for result in figures], indent=2) + "\n")
    return figures


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=tuple(SECONDS), default="full")
    run(parser.parse_args().scale)
