"""A small plan with indicators and counted records for the progress reports' tests: notes
(the test app's record type) published in 2025 by Kenya and Tanzania, two activities with
progress and evidence, indicators computed, entered by hand and not yet possible."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from clearinghouse.monitoring import compute, report_documents, reports
from clearinghouse.monitoring.compute import Period
from clearinghouse.monitoring.models import Computation, Indicator, Method, Report, Target
from clearinghouse.plan import services as plan_services
from clearinghouse.plan.models import Activity, Section
from clearinghouse.publishing.tests.testapp.models import Note

PERIOD = Period.years(2025, 2026)


def without_pdf(monkeypatch: Any) -> None:
    """Report files built as on a server where WeasyPrint cannot run: the DOCX only (and fast)."""

    def unavailable(report: Report, language: str) -> bytes:
        raise report_documents.PdfUnavailableError

    monkeypatch.setattr(report_documents, "pdf", unavailable)


def note(country: Any, when: datetime, activity: Activity | None = None) -> Note:
    made = Note.objects.create(
        identifier=f"CB-NOTE-{country.code}-{Note.objects.count() + 1:06d}",
        owner_country=country,
        original_language="en",
        title={"en": "A note"},
        live=True,
        first_published_at=when,
    )
    if activity is not None:
        made.plan_activities.add(activity)
    return made


def plan_with_indicators(world: Any) -> tuple[Activity, Activity]:
    first = Activity.objects.create(
        number=1,
        section=Section.CROSS_CUTTING,
        text_original="إنشاء آلية لتبادل المعلومات",
        text_translations={
            "en": "Set up the clearing-house mechanism",
            "fr": "Mettre en place le centre d'échange",
        },
    )
    fifth = Activity.objects.create(
        number=5,
        section=Section.CROSS_CUTTING,
        text_original="شراكات فعالة",
        text_translations={"en": "Partnerships"},
    )
    Indicator.objects.create(
        code="1.1",
        activity=first,
        area="needs",
        position=1,
        names={"en": "Notes published", "ar": "الملاحظات المنشورة", "fr": "Notes publiées"},
        definitions={"en": "Notes first published in the period."},
        method=Method.COMPUTED,
        numerator="note.published",
        disaggregations=["party"],
        baseline_year=2024,
        baseline_value=1,
    )
    Indicator.objects.create(
        code="5.1",
        activity=fifth,
        area="matchmaking",
        position=2,
        names={"en": "Notes serving partnerships"},
        method=Method.COMPUTED,
        numerator="note.published",
        activity_only=True,
    )
    Indicator.objects.create(
        code="5.2",
        activity=fifth,
        area="plan",
        position=3,
        names={"en": "National strategies updated"},
        method=Method.MANUAL,
        reasons={"en": "The platform does not hold the strategies."},
    )
    Indicator.objects.create(
        code="5.3",
        activity=fifth,
        area="communities",
        position=4,
        names={"en": "Members of communities of practice"},
        method=Method.NOT_YET,
        reasons={
            "en": "Communities of practice do not exist yet.",
            "fr": "Les communautés n'existent pas encore.",
        },
    )
    Target.objects.create(
        indicator=Indicator.objects.get(code="1.1"), period_start=2025, period_end=2026, value=12
    )
    inside = datetime(2025, 6, 1, tzinfo=UTC)
    for _ in range(7):
        note(world.kenya, inside)
    note(world.tanzania, inside, activity=fifth)
    note(world.tanzania, inside, activity=fifth)
    note(world.kenya, datetime(2023, 1, 5, tzinfo=UTC))  # before the period
    plan_services.record_progress(
        world.secretariat, first, period="2025-2026", status="completed", note="Launched."
    )
    plan_services.record_progress(world.secretariat, fifth, period="2025", status="under_way")
    plan_services.add_evidence(
        world.secretariat,
        first,
        kind="other",
        title="Launch page",
        url="https://example.org/launch",
        identifier="",
    )
    return first, fifth


def reported(world: Any) -> Report:
    """A draft report for 2025-2026 on a fresh computation of the small plan."""
    plan_with_indicators(world)
    computation = compute.compute(PERIOD)
    assert computation.state == Computation.State.DONE
    return reports.create(2025, 2026, by=world.secretariat)
