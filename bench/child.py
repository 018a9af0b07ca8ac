"""What the benchmarks that measure in a child process share: the child is a fresh Python with
its own settings and database, so the figures include no state of the parent and "the whole
call" means a real request or command in a process like the server's."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (0.95: the value 95 % of the runs do not exceed)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def fresh_sqlite(work_dir: Path, name: str) -> tuple[Path, dict[str, str]]:
    """An empty SQLite database in ``work_dir`` and the environment a child uses it with."""
    work_dir.mkdir(parents=True, exist_ok=True)
    database = work_dir / f"{name}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return database, {
        "DATABASE_URL": f"sqlite:///{database}",
        # Plain static storage: the benchmarks render pages without running collectstatic.
        "DJANGO_SETTINGS_MODULE": "clearinghouse.test_settings",
        "VAR_DIR": str(work_dir),
    }


def in_child(module: str, argument: int, environment: Mapping[str, str], what: str) -> Any:
    """Run ``python -m module --child argument`` and return the JSON its last line prints."""
    done = subprocess.run(
        [sys.executable, "-m", module, "--child", str(argument)],
        env=os.environ | dict(environment),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"the {what} benchmark failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_results(target: Path, scale: str, runs: list[dict[str, Any]]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"scale": scale, "runs": runs}, indent=2) + "\n", encoding="utf-8")


def main(
    description: str,
    scales: Mapping[str, int],
    default: str,
    child: Callable[[int], Any],
    run: Callable[[str], list[str]],
) -> None:
    """The command line of such a benchmark: ``--scale`` for a run, ``--child N`` inside it."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--scale", choices=tuple(scales), default=default)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(child(arguments.child)))
    else:
        run(arguments.scale)
