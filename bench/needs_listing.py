"""Needs registry benchmark: the public list of needs (/needs/, first page of 20, with filters)
at 100,000 published needs (SCALE=quick: 1,000).

    python -m bench.needs_listing --scale quick|full

Prints ``needs-list records=<n> p50_ms=<x> p95_ms=<y> build_s=<t>``. Runs in a child process on a
throw-away SQLite file under var/bench (Django binds one database per process).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK_DIR = ROOT / "var" / "bench"
SCALES = {"quick": 1_000, "full": 100_000}
REQUESTS = 300
SEED = 2026


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def _child(records: int) -> dict[str, float]:
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.test import RequestFactory
    from django.utils import timezone, translation

    from clearinghouse.geo.models import Country
    from clearinghouse.needs.models import Need, NeedStatus, Priority
    from clearinghouse.needs.views import index
    from clearinghouse.vocabularies.models import Term

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("loadreference", verbosity=0)
    random_numbers = random.Random(SEED)
    parties = list(Country.objects.filter(cbd_party=True)[:60])
    subjects = list(Term.objects.filter(vocabulary__name="subjects"))
    words = [
        "formation",
        "training",
        "تدريب",
        "монитор",
        "capacitación",
        "能力",
        "coral",
        "forest",
        "biosafety",
    ]
    now = timezone.now()
    batch = []
    for number in range(records):
        party = random_numbers.choice(parties)
        batch.append(
            Need(
                identifier=f"CB-NEED-{party.code}-{number:06d}",
                owner_country=party,
                original_language="en",
                format_version="1.0",
                title={"en": " ".join(random_numbers.choices(words, k=5))},
                priority=random_numbers.choice(Priority.values),
                status=random_numbers.choice(NeedStatus.values),
                state="published",
                live=True,
                revision_number=1,
                live_revision_number=1,
                last_published_at=now,
                first_published_at=now,
            )
        )
        if len(batch) == 5000:
            Need.objects.bulk_create(batch)
            batch = []
    Need.objects.bulk_create(batch)
    through = Need.subjects.through
    ids = list(Need.objects.values_list("pk", flat=True))
    through.objects.bulk_create(
        [through(need_id=pk, term_id=random_numbers.choice(subjects).pk) for pk in ids], batch_size=5000
    )
    build_s = time.perf_counter() - started

    factory = RequestFactory()
    timings = []
    for number in range(REQUESTS):
        query: dict[str, str] = {}
        if number % 2:
            query["party"] = str(random_numbers.choice(parties).pk)
        if number % 3 == 0:
            query["priority"] = random_numbers.choice(Priority.values)
        if number % 5 == 0:
            query["subject"] = str(random_numbers.choice(subjects).pk)
        request = factory.get("/en/needs/", query)
        request.user = AnonymousUser()
        with translation.override("en"):
            begin = time.perf_counter()
            response = index(request)
            timings.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": _percentile(timings, 0.95),
        "build_s": build_s,
    }


def run(scale: str) -> list[str]:
    records = SCALES[scale]
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    database = WORK_DIR / "needs-list.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    environment = os.environ | {
        "DATABASE_URL": f"sqlite:///{database}",
        # Plain static storage: the benchmark renders pages without running collectstatic.
        "DJANGO_SETTINGS_MODULE": "clearinghouse.test_settings",
        "JOBS_IMMEDIATE": "1",
        "VAR_DIR": str(WORK_DIR),
    }
    output = (
        subprocess.run(
            [sys.executable, "-m", "bench.needs_listing", "--child", str(records)],
            env=environment,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    figures = json.loads(output)
    line = (
        f"needs-list records={records} p50_ms={figures['p50_ms']:.1f} p95_ms={figures['p95_ms']:.1f} "
        f"build_s={figures['build_s']:.1f}"
    )
    print(line, flush=True)
    database.unlink(missing_ok=True)
    return [line]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=tuple(SCALES), default="quick")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(_child(arguments.child)))
    else:
        run(arguments.scale)


if __name__ == "__main__":
    main()
