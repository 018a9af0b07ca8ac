from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.monitoring import report_documents, reports
from clearinghouse.monitoring.models import Report
from clearinghouse.plan.models import parse_period


class Command(BaseCommand):
    help = (
        "Build the progress report of a period (2025-2026) as PDF and DOCX in each language: the "
        "period's latest report, else a new draft on its current computation (computed now when "
        "there is none). Files go under REPORTS_ROOT/<id>/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("period", help="a year (2025) or a biennium (2025-2026)")
        parser.add_argument(
            "--languages",
            default=",".join(CONTENT_LANGUAGES),
            help="comma-separated languages (en,ar; zh or zh-hans for Chinese); all six by default",
        )
        parser.add_argument("--publish", action="store_true", help="publish the report once built")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = parse_period(options["period"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        try:
            languages = [
                reports.report_language(code.strip())
                for code in options["languages"].split(",")
                if code.strip()
            ]
        except ValueError as error:
            raise CommandError(f"unknown language: {error}") from error
        if not languages:
            raise CommandError("no language given")
        report = (
            Report.objects.filter(period_start=period.start, period_end=period.end)
            .order_by("-created_at", "-pk")
            .first()
        )
        if report is None:
            report = reports.create(period.start, period.end)
            self.stdout.write(f"report {report.pk}: created for {period}")
        built = report_documents.build(report, languages)
        for stored in built:
            self.stdout.write(f"{stored.path} ({stored.size} bytes, sha256 {stored.sha256[:12]})")
        missing = sorted(set(languages) - {stored.language for stored in built if stored.format == "pdf"})
        if missing:
            self.stdout.write(f"PDF unavailable here (WeasyPrint or Pango missing): {', '.join(missing)}")
        if options["publish"] and report.state == Report.State.DRAFT:
            reports.publish(report)
            self.stdout.write(f"report {report.pk}: published")
