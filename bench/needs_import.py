"""Needs import benchmark: a filled-in template of 5,000 needs (seeded), checked and imported
end to end (reader + importer: every cell checked, language detection, one draft with its
revision per need through the publishing workflow) into a throw-away SQLite database.

    python -m bench.needs_import --scale quick|full

prints

    needs-import rows=<n> s=<t> peak_mb=<m>

``s`` is the wall time of ``import_workbook`` alone (the workbook is made beforehand, in
another process). ``peak_mb`` is the growth of the importing process's peak resident memory
(``ru_maxrss``) during the import: what an upload costs the server on top of a running site.
tracemalloc is not used because it slows the import severalfold and misses memory held by C
extensions (lingua's detector, the XML parser).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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
    from clearinghouse.needs.offline.template import build_workbook
    from clearinghouse.needs.offline.testing import FRENCH_ASSESSMENT, fill_workbook, generated_needs
    from clearinghouse.vocabularies.services import data_files, load_vocabularies

    load_vocabularies(data_files())
    path.write_bytes(fill_workbook(build_workbook("fr"), generated_needs(rows, SEED), FRENCH_ASSESSMENT))


def import_file(path: Path) -> dict[str, float]:
    """Import the workbook as Kenya's authorised user; time and memory of the import alone."""
    _setup()
    from clearinghouse.core.testing import build_world
    from clearinghouse.needs.models import Need
    from clearinghouse.needs.offline.importer import import_workbook
    from clearinghouse.vocabularies.services import data_files, load_vocabularies

    load_vocabularies(data_files())
    world = build_world()
    content = path.read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = import_workbook(world.authorised_user, world.kenya, content, "fr")
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    if result.problems:
        raise SystemExit(f"the generated workbook has problems: {result.problems[:3]}")
    return {"rows": Need.objects.count(), "s": seconds, "peak_mb": peak_kb / 1024, "bytes": len(content)}


def _child(*arguments: str, database: Path) -> str:
    env = dict(os.environ)
    env["DATABASE_URL"] = f"sqlite:///{database}"
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
    WORK_DIR.mkdir(parents=True, exist_ok=True)
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
    line = f"needs-import rows={figures['rows']:.0f} s={figures['s']:.1f} peak_mb={figures['peak_mb']:.0f}"
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
