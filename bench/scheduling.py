"""The round tables' meeting scheduler: the whole ``schedule-meetings`` command against the
proven optimum.

    python -m bench.scheduling --scale quick|full

One line per instance (printed, and returned by ``run``, which ``bench.run`` calls):

    scheduling participants=<p> slots=<s> requests=<r> seed=<k> objective=<o> optimum=<best>
               bound=<b> gap_pct=<g> seconds=<t> command_s=<c> scheduled=<n> load=<l>

The instance is made by ``clearinghouse.events.scheduling_instances.generate`` (seeded), written
to a file under var/bench, and scheduled by the command in a child process with its default
time limit: ``seconds`` is the wall time of that whole call (Python and Django starting,
reading, scheduling, checking, writing), ``command_s`` what the command prints as its own. The
schedule written is checked by ``scheduling.check``. The reference is HiGHS on the same model
with no gap tolerance and ``REFERENCE_LIMIT`` seconds: ``optimum`` is its best schedule,
``bound`` its dual bound (equal when it is proven), and ``gap_pct`` = (bound - objective) / bound.
Full scale: 3 seeds each of (120 participants, 12 slots, 500 requests) and (400, 16, 2,500);
quick: one seed of (40, 6, 120) and (120, 12, 500).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "scheduling.json"
WORK_DIR = ROOT / "var" / "bench"
SIZES = {
    "quick": ((40, 6, 120, (1,)), (120, 12, 500, (1,))),
    "full": ((120, 12, 500, (1, 2, 3)), (400, 16, 2_500, (1, 2, 3))),
}
REFERENCE_LIMIT = 600.0


def bench_instance(participants: int, slots: int, requests: int, seed: int) -> dict[str, Any]:
    """The command on one seeded instance, timed whole, and the exact reference."""
    from clearinghouse.events.scheduling import Meeting, Schedule, check, exact_schedule, parse_instance
    from clearinghouse.events.scheduling_instances import generate

    WORK_DIR.mkdir(parents=True, exist_ok=True)
    data = generate(participants, slots, requests, seed)
    source = WORK_DIR / f"scheduling-{participants}-{slots}-{requests}-{seed}.json"
    target = source.with_name(f"{source.stem}-schedule.json")
    source.write_text(json.dumps(data), encoding="utf-8")
    target.unlink(missing_ok=True)
    environment = os.environ | {"DJANGO_SETTINGS_MODULE": "clearinghouse.settings", "DEBUG": "0"}
    command = [
        sys.executable,
        "-m",
        "clearinghouse",
        "schedule-meetings",
        str(source),
        "--output",
        str(target),
    ]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, env=environment, cwd=ROOT, capture_output=True, text=True, check=True)
    except subprocess.CalledProcessError as error:
        raise RuntimeError(f"schedule-meetings failed:\n{error.stderr[-3000:]}") from error
    seconds = time.perf_counter() - started
    last = dict(field.split("=", 1) for field in done.stdout.strip().splitlines()[-1].split())
    instance = parse_instance(data)
    written = json.loads(target.read_text(encoding="utf-8"))
    meetings = tuple(Meeting(item["request"], item["slot"], item["table"]) for item in written["meetings"])
    problems = check(instance, Schedule(meetings, written["objective"], 0.0))
    if problems:
        raise RuntimeError(f"the schedule breaks rules: {problems[:5]}")
    reference = exact_schedule(instance, time_limit=REFERENCE_LIMIT)
    bound = reference.bound if reference.bound is not None else float(reference.objective)
    objective = int(last["objective"])
    source.unlink()
    target.unlink()
    return {
        "participants": participants,
        "slots": slots,
        "requests": len(instance.requests),
        "locked": len(instance.locked),
        "seed": seed,
        "objective": objective,
        "scheduled": int(last["scheduled"]),
        "optimum": reference.objective,
        "proven": reference.optimal,
        "bound": bound,
        "gap_pct": round(100 * (bound - objective) / bound, 3) if bound else 0.0,
        "seconds": round(seconds, 2),
        "command_s": float(last["seconds"]),
        "reference_s": round(reference.seconds, 2),
        # The machine is shared: how busy it was over the last minute of the run.
        "load_average": round(os.getloadavg()[0], 1),
        "cores": os.cpu_count(),
    }


def line(figures: dict[str, Any]) -> str:
    return (
        f"scheduling participants={figures['participants']} slots={figures['slots']} "
        f"requests={figures['requests']} seed={figures['seed']} objective={figures['objective']} "
        f"optimum={figures['optimum']}{'' if figures['proven'] else '?'} bound={figures['bound']:g} "
        f"gap_pct={figures['gap_pct']} seconds={figures['seconds']} command_s={figures['command_s']} "
        f"scheduled={figures['scheduled']} reference_s={figures['reference_s']} "
        f"load={figures['load_average']}"
    )


def _results_file(scale: str) -> Path:
    # A quick run must not overwrite the full figures the documentation quotes.
    return RESULTS if scale == "full" else RESULTS.with_name(f"scheduling-{scale}.json")


def run(scale: str) -> list[str]:
    """Run the benchmark at ``scale``; print and return the result lines, and write the figures
    to the scale's results file."""
    lines = []
    measured = []
    for participants, slots, requests, seeds in SIZES[scale]:
        for seed in seeds:
            figures = bench_instance(participants, slots, requests, seed)
            measured.append(figures)
            lines.append(line(figures))
            print(lines[-1], flush=True)
    target = _results_file(scale)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"scale": scale, "runs": measured}, indent=2) + "\n", encoding="utf-8")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark the round tables' meeting scheduler.")
    parser.add_argument("--scale", choices=tuple(SIZES), default="full")
    arguments = parser.parse_args(argv)
    run(arguments.scale)


if __name__ == "__main__":
    main()
