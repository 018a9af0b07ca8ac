from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

# Each area's demo data, in dependency order. Every loader is idempotent and returns the lines
# to print (for instance how to sign in as a demo person).
LOADERS = [
    "clearinghouse.accounts.demo",
    "clearinghouse.needs.demo",
    "clearinghouse.support.demo",
    "clearinghouse.matchmaking.demo",
    "clearinghouse.search.demo",
    "clearinghouse.plan.demo",
]


class Command(BaseCommand):
    help = "Load realistic demo records in the six languages (idempotent; for trying the platform)."

    def handle(self, *args: Any, **options: Any) -> None:
        lines: list[str] = []
        with transaction.atomic():
            for module_name in LOADERS:
                load: Callable[[], list[str]] = import_module(module_name).load
                lines.extend(load())
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in with:"))
        for line in lines:
            self.stdout.write(f"  {line}")
