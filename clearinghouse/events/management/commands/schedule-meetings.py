# ruff: noqa: N999 - Django names the command after its module: schedule-meetings
"""``clearinghouse schedule-meetings INSTANCE.json --output SCHEDULE.json [--time-limit S]``:
schedule the 1:1 meetings of a matchmaking round table.

The instance (slots, tables, participants with their availability, maximum of meetings and
fixed table, requests with their priority, locked meetings) is checked first: a file that is
not JSON, of the wrong shape, or whose locked meetings break a rule stops the command with a
message naming the problem, and no output is written. The schedule is written as
``{"meetings": [{"request", "slot", "table"}], "unscheduled": [...], "objective": ...}`` with the
instance's ids. The last line printed is ``scheduled=<n> objective=<sum of priorities>
seconds=<whole run>``. See docs/events.md.
"""

from __future__ import annotations

import json
import os
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from clearinghouse.events.scheduling import (
    InstanceError,
    check,
    default_time_limit,
    parse_instance,
    schedule,
    schedule_to_json,
)


def _process_age() -> float:
    """Seconds since this process began (Linux: /proc), 0 where that cannot be read."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        began = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        since_boot = float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
    return max(0.0, since_boot - began)


class Command(BaseCommand):
    help = "Schedule the 1:1 meetings of a round table from a JSON instance."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("instance", type=Path, help="the round table (JSON)")
        parser.add_argument("--output", type=Path, required=True, help="write the schedule here (JSON)")
        parser.add_argument(
            "--time-limit",
            type=float,
            help=(
                "seconds the whole run may take, from the start of the process "
                "(default: 4 up to 600 requests, 25 beyond)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The whole call counts, from the moment the process began: starting Python and Django
        # takes about two seconds of the budget on a small machine.
        started = time.perf_counter() - _process_age()
        path: Path = options["instance"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror or error}
            ) from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            message = _("%(path)s is not JSON: %(error)s") % {"path": path, "error": error}
            raise CommandError(message) from error
        try:
            instance = parse_instance(data)
        except InstanceError as error:
            raise CommandError(_(error.template) % error.params) from error
        limit = options["time_limit"]
        if limit is not None and limit < 0:
            raise CommandError(_("The time limit must be 0 seconds or more."))
        if limit is None:
            limit = default_time_limit(instance)
        # The limit is for the whole run: what reading took is taken off the scheduler's share.
        result = schedule(instance, time_limit=max(0.0, limit - (time.perf_counter() - started)))
        problems = check(instance, result)
        if problems:
            raise CommandError(
                _("The schedule breaks these rules, nothing was written: %(problems)s")
                % {"problems": "; ".join(problems)}
            )
        output: Path = options["output"]
        try:
            output.write_text(
                json.dumps(schedule_to_json(instance, result), ensure_ascii=False) + "\n",
                encoding="utf-8",
            )
        except OSError as error:
            raise CommandError(
                _("Cannot write %(path)s: %(error)s") % {"path": output, "error": error.strerror or error}
            ) from error
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"scheduled={len(result.meetings)} objective={result.objective} seconds={seconds:.2f}"
        )
