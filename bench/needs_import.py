"""Needs import benchmark: a filled-in template of 5,000 needs (seeded) uploaded through the web
view, which checks it, stores it and queues its job; then the job run as the worker runs it
(reader + importer: every cell checked, language detection, one draft with its revision per
need through the publishing workflow), into a throw-away SQLite database and job queue.

    python -m bench.needs_import --scale quick|full

prints

    needs-import rows=<n> request_s=<r> job_s=<t> peak_mb=<m>

``request_s`` is the wall time of the upload's web request (Django's test client, through the
middleware: the checks before parsing, storing the file, queuing the job); it must stay far
under gunicorn's 30 s timeout. ``job_s`` is the job alone (the workbook is made beforehand, in
another process). ``peak_mb`` is the growth of the process's peak resident memory (``ru_maxrss``)
during the job: what an import costs the worker. tracemalloc is not used because it slows the
import severalfold and misses memory held by C extensions (the language detector's model, the XML parser).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK_DIR = ROOT / "var" / "bench"
SCALES = {"quick": 50, "full": 5_000}
SEED = 2026


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearinghouse.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_workbook(rows: int, path: Path) -> None:
    """The template in French with ``rows`` generated needs (child process)."""
    _setup()
    from clearinghouse.needs.offline.filling import FRENCH_ASSESSMENT, fill_workbook, generated_needs
    from clearinghouse.needs.offline.template import build_workbook
    from clearinghouse.vocabularies.services import data_files, load_vocabularies

    load_vocabularies(data_files())
    path.write_bytes(fill_workbook(build_workbook("fr"), generated_needs(rows, SEED), FRENCH_ASSESSMENT))


def import_file(path: Path) -> dict[str, float]:
    """Upload the workbook as Kenya's authorised user, then run its job; the time of each."""
    _setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from clearinghouse.core.testing import build_world
    from clearinghouse.exchange import services
    from clearinghouse.exchange.models import ImportJob, JobState
    from clearinghouse.needs.models import Need
    from clearinghouse.vocabularies.services import data_files, load_vocabularies

    load_vocabularies(data_files())
    world = build_world()
    content = path.read_bytes()
    client = Client(HTTP_HOST="localhost")
    client.force_login(world.authorised_user)
    upload = SimpleUploadedFile(path.name, content)
    # The first request of a process loads the URLconf and the views: not the upload's cost.
    client.get("/healthz")
    start = time.perf_counter()
    response = client.post(
        "/fr/needs/offline/upload/", {"owner": f"country:{world.kenya.pk}", "file": upload}
    )
    request_seconds = time.perf_counter() - start
    if response.status_code != 302:
        raise SystemExit(f"the upload was refused: {response.status_code}")
    job = ImportJob.objects.get()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    # What the worker does with the queued job.
    services.run(job.pk)
    job_seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    job.refresh_from_db()
    if job.state != JobState.DONE:
        raise SystemExit(f"the generated workbook has problems: {job.problems[:3]}")
    return {
        "rows": Need.objects.count(),
        "request_s": request_seconds,
        "job_s": job_seconds,
        "peak_mb": peak_kb / 1024,
        "bytes": len(content),
    }


def _child(*arguments: str, database: Path) -> str:
    env = dict(os.environ)
    env["DATABASE_URL"] = f"sqlite:///{database}"
    # The job queue and the stored uploads are thrown away with the database.
    env["VAR_DIR"] = str(WORK_DIR / "var")
    env.pop("REDIS_URL", None)
    env["JOBS_IMMEDIATE"] = "0"
    env.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    env["DEBUG"] = "0"
    result = subprocess.run(
        [sys.executable, "-m", "bench.needs_import", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"needs-import child {arguments} failed:\n{result.stderr[-3000:]}")
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def _fresh(database: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def run(scale: str) -> list[str]:
    """Generate, then import, the scale's workbook; print and return the result line."""
    rows = SCALES[scale]
    (WORK_DIR / "var").mkdir(parents=True, exist_ok=True)
    workbook = WORK_DIR / f"needs-import-{rows}.xlsx"
    database = WORK_DIR / "needs-import.sqlite3"
    try:
        _fresh(database)
        _child("--make", str(rows), "--file", str(workbook), database=database)
        _fresh(database)
        figures = json.loads(_child("--import-file", str(workbook), database=database))
    finally:
        _fresh(database)
        workbook.unlink(missing_ok=True)
        shutil.rmtree(WORK_DIR / "var", ignore_errors=True)
    line = (
        f"needs-import rows={figures['rows']:.0f} request_s={figures['request_s']:.2f} "
        f"job_s={figures['job_s']:.1f} peak_mb={figures['peak_mb']:.0f}"
    )
    print(line, flush=True)
    return [line]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--make", type=int, help="child: write a workbook of this many needs to --file")
    parser.add_argument("--import-file", type=Path, help="child: import this workbook, print figures as JSON")
    parser.add_argument("--file", type=Path)
    arguments = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if arguments.make:
        make_workbook(arguments.make, arguments.file)
    elif arguments.import_file:
        print(json.dumps(import_file(arguments.import_file)))
    else:
        run(arguments.scale)


if __name__ == "__main__":
    main()
