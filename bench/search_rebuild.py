"""Search rebuild benchmark: ``clearinghouse rebuildindex`` end to end over records in the
database, so that reading the records and building their documents (the registry's provider,
with its prefetches) is measured with the indexing.

    python -m bench.search_rebuild --scale quick|full [--records N] [--backend sqlite|postgres]

Prints, per database:

    search-rebuild backend=<sqlite|postgres> records=<n> seconds=<t> records_per_s=<r>
        peak_rss_mb=<m> seed_s=<s>

(on one line) and writes bench/results/search_rebuild.json. The records (needs and offers in the
six languages, with subjects, targets and types of support) are written in one child process;
the rebuild runs in a fresh one, so its peak resident memory (``ru_maxrss``) is the rebuild's
own: it stays flat as the number of records grows when documents are streamed in chunks.
Target: 1,000,000 records in 15 minutes or less on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "search_rebuild.json"
WORK_DIR = ROOT / "var" / "bench"
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "clearinghouse_bench_rebuild")
SCALES = {"quick": (5_000, 20_000), "full": (100_000, 1_000_000)}
BACKENDS = ("sqlite", "postgres")
SEED = 2026
BATCH = 5000


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearinghouse.settings")
    django.setup()


def seed(records: int) -> dict[str, float]:
    """Published needs and offers (half each), with their terms, written in batches."""
    _setup()
    from django.core.management import call_command
    from django.utils import timezone

    from bench.generate import Generator
    from clearinghouse.geo.models import Country
    from clearinghouse.needs.models import Need
    from clearinghouse.support.models import Offer
    from clearinghouse.vocabularies.models import Term
    from clearinghouse.vocabularies.services import data_files, load_vocabularies

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("loadreference", verbosity=0)
    load_vocabularies(data_files())
    generator = Generator(SEED)
    choose = random.Random(SEED)
    parties = list(Country.objects.filter(cbd_party=True))
    by_vocabulary: dict[str, list[int]] = {}
    for pk, vocabulary in Term.objects.values_list("pk", "vocabulary__name"):
        by_vocabulary.setdefault(vocabulary, []).append(pk)
    now = timezone.now()
    common = {
        "state": "published",
        "live": True,
        "revision_number": 1,
        "live_revision_number": 1,
        "first_published_at": now,
        "last_published_at": now,
    }
    for start in range(0, records, BATCH):
        needs: list[Need] = []
        offers: list[Offer] = []
        for number in range(start, min(records, start + BATCH)):
            document = generator.document(number)
            party = choose.choice(parties)
            if number % 2:
                needs.append(
                    Need(
                        identifier=f"CB-NEED-{party.code}-{number:07d}",
                        owner_country=party,
                        original_language=document.language,
                        format_version="1.0",
                        title=dict(document.titles),
                        description=dict(document.texts),
                        status="open",
                        **common,
                    )
                )
            else:
                offers.append(
                    Offer(
                        identifier=f"CB-OFFER-{party.code}-{number:07d}",
                        owner_country=party,
                        original_language=document.language,
                        title=dict(document.titles),
                        description=dict(document.texts),
                        **common,
                    )
                )
        for model, rows in ((Need, needs), (Offer, offers)):
            created = model.objects.bulk_create(rows)  # type: ignore[attr-defined]
            for field, vocabulary in (
                ("subjects", "subjects"),
                ("gbf_targets", "gbf-targets"),
                ("support_types", "support-types"),
            ):
                through = getattr(model, field).through
                column = f"{model._meta.model_name}_id"
                through.objects.bulk_create(
                    [
                        through(**{column: row.pk, "term_id": term})
                        for row in created
                        for term in choose.sample(by_vocabulary[vocabulary], 2)
                    ]
                )
    return {"seed_s": time.perf_counter() - started}


def rebuild() -> dict[str, float]:
    """``rebuildindex`` as an operator runs it; time and this process's peak memory."""
    _setup()
    from django.core.management import call_command

    out = StringIO()
    started = time.perf_counter()
    call_command("rebuildindex", stdout=out)
    seconds = time.perf_counter() - started
    indexed = int(out.getvalue().rsplit("Indexed ", 1)[1].split()[0])
    # Linux reports kilobytes.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "load_1min": os.getloadavg()[0],
        "indexed": indexed,
        "seconds": seconds,
        "records_per_s": indexed / seconds if seconds else 0.0,
        "peak_rss_mb": peak,
    }


def _child(step: str, records: int, database_url: str) -> dict[str, float]:
    env = dict(os.environ) | {"DATABASE_URL": database_url, "DEBUG": "0"}
    env.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    result = subprocess.run(
        [sys.executable, "-m", "bench.search_rebuild", "--child", step, "--records", str(records)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"search-rebuild {step} records={records} failed:\n{result.stderr[-3000:]}")
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def _postgres(statement: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as connection:
            connection.execute(statement)
    except Exception:
        return False
    return True


def line(backend: str, records: int, figures: dict[str, Any]) -> str:
    return (
        f"search-rebuild backend={backend} records={records} seconds={figures['seconds']:.1f} "
        f"records_per_s={figures['records_per_s']:.0f} peak_rss_mb={figures['peak_rss_mb']:.0f} "
        f"seed_s={figures['seed_s']:.1f}"
    )


def run(scale: str, sizes: list[int] | None = None, backends: tuple[str, ...] = BACKENDS) -> list[str]:
    """The scale's sizes (or ``sizes``) on ``backends``. A run of some of them replaces their
    results in the file and keeps the others of the same scale."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    results: list[dict[str, Any]] = []
    for records in sizes or SCALES[scale]:
        sqlite_file = WORK_DIR / f"search-rebuild-{records}.sqlite3"
        settings = [("sqlite", f"sqlite:///{sqlite_file}")] if "sqlite" in backends else []
        if "postgres" in backends:
            if _postgres(f"DROP DATABASE IF EXISTS {PG_DATABASE}"):
                settings.append(("postgres", f"{PG_SERVER}/{PG_DATABASE}"))
            else:
                print(f"search-rebuild backend=postgres skipped: no PostgreSQL at {PG_SERVER}")
        for backend, url in settings:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
            if backend == "postgres":
                _postgres(f"CREATE DATABASE {PG_DATABASE}")
            try:
                figures = _child("seed", records, url) | _child("rebuild", records, url)
            finally:
                if backend == "postgres":
                    _postgres(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
            text = line(backend, records, figures)
            print(text, flush=True)
            lines.append(text)
            results.append(
                {"backend": backend, "records": records, **{k: round(v, 2) for k, v in figures.items()}}
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    if sizes or backends != BACKENDS:
        results = _kept(scale, results) + results
    RESULTS.write_text(
        json.dumps(
            {"benchmark": "search_rebuild", "scale": scale, "cores": os.cpu_count(), "results": results},
            indent=2,
        )
        + "\n"
    )
    return lines


def _kept(scale: str, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The results on file of the same scale that this run did not measure again."""
    try:
        previous = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        return []
    if previous.get("scale") != scale:
        return []
    measured = {(result["backend"], result["records"]) for result in results}
    return [
        result
        for result in previous.get("results", [])
        if (result["backend"], result["records"]) not in measured
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--child", choices=("seed", "rebuild"))
    parser.add_argument("--records", type=int, action="append", help="only this size (repeatable)")
    parser.add_argument("--backend", choices=BACKENDS, action="append", help="only this backend")
    arguments = parser.parse_args(argv)
    if arguments.child:
        sys.path.insert(0, str(ROOT))
        figures = seed(arguments.records[0]) if arguments.child == "seed" else rebuild()
        print(json.dumps(figures))
        return
    run(arguments.scale, arguments.records, tuple(arguments.backend or BACKENDS))


if __name__ == "__main__":
    main()
