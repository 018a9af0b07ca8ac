from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Q

from clearinghouse.monitoring import compute
from clearinghouse.monitoring.compute import Period
from clearinghouse.monitoring.models import Computation, Indicator, Method
from clearinghouse.plan.models import parse_period


class Command(BaseCommand):
    help = (
        "Compute every indicator now for a year (2025), a biennium (2025-2026) or the days "
        "--from 2025-03-01 --to 2025-06-30, keep the values as a new computation and print a summary."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("period", nargs="?", help="a year (2025) or a biennium (2025-2026)")
        parser.add_argument("--from", dest="start", type=date.fromisoformat, help="first day (YYYY-MM-DD)")
        parser.add_argument("--to", dest="end", type=date.fromisoformat, help="last day (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        period = self._period(options["period"], options["start"], options["end"])
        began = time.monotonic()
        try:
            computation = compute.compute(period)
        except Exception as error:
            raise CommandError(f"{period}: the computation failed: {error}") from error
        self.stdout.write(self._summary(computation, period, time.monotonic() - began))

    def _period(self, years: str | None, start: date | None, end: date | None) -> Period:
        if years and (start or end):
            raise CommandError("Give a year or a biennium, or --from and --to, not both.")
        if years:
            try:
                parsed = parse_period(years)
            except ValidationError as error:
                raise CommandError(" ".join(error.message_dict["period"])) from error
            return Period.years(parsed.start, parsed.end)
        if not (start and end):
            raise CommandError("Give a year (2025), a biennium (2025-2026), or both --from and --to.")
        if end < start:
            raise CommandError("The period ends before it starts.")
        return Period(start, end)

    def _summary(self, computation: Computation, period: Period, seconds: float) -> str:
        counts = Indicator.objects.aggregate(
            computed=Count("pk", filter=Q(method=Method.COMPUTED)),
            manual=Count("pk", filter=Q(method=Method.MANUAL)),
            not_yet=Count("pk", filter=Q(method=Method.NOT_YET)),
        )
        values = computation.values.all()
        with_value = values.filter(dimension="", value__isnull=False)
        return (
            f"{period}: computation {computation.pk} {computation.state} in {seconds:.1f} s; "
            f"{counts['computed']} computed indicators "
            f"({with_value.filter(indicator__method=Method.COMPUTED).count()} with a value), "
            f"{counts['manual']} entered by hand "
            f"({with_value.filter(indicator__method=Method.MANUAL).count()} with an approved value), "
            f"{counts['not_yet']} not yet possible; {values.count()} values stored."
        )
