from typing import Any

from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY
from huey.contrib.djhuey.management.commands.run_huey import Command as RunHueyCommand

from clearinghouse.core import jobs


class Command(RunHueyCommand):
    """``clearinghouse worker``: the huey consumer under the platform's own name, with a heartbeat
    and the recovery of the jobs of workers that stopped (core/jobs.py)."""

    help = "Run a background-job worker (e-mails, index updates, imports, report builds)."

    def handle(self, *args: Any, **options: Any) -> None:
        # Every task known before the first recovery reads the jobs it may queue again.
        autodiscover_modules("tasks")
        with jobs.serving_as_worker(HUEY):
            super().handle(*args, **options)
