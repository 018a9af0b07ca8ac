"""Monitoring under a realistic load: 100,000 published records (needs and offers mostly, spread
over 2021-2026, with their GBF targets, subjects and types of support, cases, matches, status
changes and co-funding), 1,000,000 views as DailyUsage rows over days, records and countries,
and 50,000 event participants checked in (gender, IPLC, youth, sector), half of whom rate their
event in its survey; then the indicator
catalogue (``clearinghouse.monitoring.catalogue`` when it exists, else about 60 indicators over
every measure, each with every disaggregation its measure has).

    python -m bench.monitoring --scale quick|full

Measures whole calls in a fresh child process on a throw-away SQLite file under var/bench:
every indicator of the biennium 2025-2026 computed (``compute.compute``: counted and stored;
target at most 60 s on 2 cores); the gap analysis of the same biennium (``gaps.analyse``); the
public statistics pages from the snapshots, each request whole through Django's test client
(target p95 at most 100 ms); and the biennium's progress report as PDF in English and in Arabic
(``report_documents.pdf``: the report's data, the template and WeasyPrint; target at most 60 s).
Prints ``monitoring-compute records=<n> views=<v> participants=<p> indicators=<i> values=<x>
seconds=<s>``, ``monitoring-gaps records=<n> seconds=<s> queries=<q>``,
``monitoring-statistics-pages requests=<r> p50_ms=<x> p95_ms=<y> queries=<q>`` and
``monitoring-report-pdf language=en seconds=<s> language=ar seconds=<s>``, and writes
bench/results/monitoring.json (monitoring-<scale>.json otherwise).

``build(factor)`` makes the data (factor 100 is the full size) and returns what it made, so that
the statistics pages and the report can be timed over the same data.
"""

from __future__ import annotations

import importlib.util
import os
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from bench import child
from bench.child import fresh_sqlite, in_child, write_results

ROOT = Path(__file__).resolve().parent.parent
WORK_DIR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results" / "monitoring.json"
# The full size is 100 units of 1,000 records, 10,000 views and 500 participants; quick is one.
SCALES = {"quick": 1, "full": 100}
RECORDS = 1000
VIEWS = 10_000
PARTICIPANTS = 500
VIEWS_PER_ROW = 5
FIRST_YEAR, LAST_YEAR = 2021, 2026
BATCH = 5000
# The share of records of each type: needs and offers mostly.
MIX = (("need", 0.45), ("offer", 0.3), ("opportunity", 0.1), ("resource", 0.1), ("request", 0.05))


@dataclass
class Built:
    records: int
    needs: int
    views: int
    participants: int
    cases: int
    matches: int


def _moment(rng: random.Random) -> datetime:
    start = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
    span = (datetime(LAST_YEAR, 12, 1, tzinfo=UTC) - start).total_seconds()
    return start + timedelta(seconds=rng.random() * span)


def build(factor: int, seed: int = 2026) -> Built:
    """The data, in bulk (bulk_create in batches; no services, no signals): reusable by every
    monitoring benchmark. Expects migrated tables and the reference data (countries, regions,
    vocabularies) loaded."""
    from django.contrib.contenttypes.models import ContentType

    from clearinghouse.events.models import (
        Event,
        Gender,
        Registration,
        RegistrationStatus,
        Sector,
        Survey,
        SurveyAnswer,
        SurveyQuestion,
        SurveyQuestionKind,
        SurveyResponse,
    )
    from clearinghouse.geo.models import Country
    from clearinghouse.matchmaking.models import (
        Case,
        CaseState,
        Contribution,
        Cooperation,
        Match,
        MatchState,
    )
    from clearinghouse.needs.models import Need, NeedStatus, NeedStatusChange, Request
    from clearinghouse.plan.models import Activity
    from clearinghouse.publishing.models import DailyUsage, State, Usage
    from clearinghouse.support.models import Offer, Opportunity, Resource
    from clearinghouse.vocabularies.models import Term

    rng = random.Random(seed)
    countries = list(Country.objects.filter(region__isnull=False).order_by("code"))
    terms = {
        name: list(Term.objects.filter(vocabulary__name=name).values_list("pk", flat=True))
        for name in ("gbf-targets", "subjects", "support-types")
    }
    total = RECORDS * factor
    models: dict[str, Any] = {
        "need": Need,
        "offer": Offer,
        "opportunity": Opportunity,
        "resource": Resource,
        "request": Request,
    }
    made: dict[str, list[Any]] = {}
    for name, share in MIX:
        model = models[name]
        rows = []
        for number in range(int(total * share)):
            country = countries[rng.randrange(len(countries))]
            published = _moment(rng)
            fields: dict[str, Any] = {
                "identifier": f"CB-{model.RECORD_TYPE}-{country.code}-{number + 1:06d}",
                "owner_country": country,
                "original_language": rng.choice(("ar", "zh", "en", "fr", "ru", "es")),
                "title": {"en": f"{name.title()} {number}"},
                "state": State.PUBLISHED,
                "live": True,
                "revision_number": 1,
                "live_revision_number": 1,
                "first_published_at": published,
                "last_published_at": published,
            }
            if name in ("need", "request"):
                fields["format_version"] = "1.0"
            rows.append(model(**fields))
        made[name] = model.objects.bulk_create(rows, batch_size=BATCH)
    # Terms: two targets, one or two subjects, one type of support each (resources have none).
    for name in ("need", "offer", "opportunity", "resource"):
        model = models[name]
        owner = f"{model._meta.model_name}_id"
        for field, vocabulary, count in (
            ("gbf_targets", "gbf-targets", 2),
            ("subjects", "subjects", 2),
            ("support_types", "support-types", 1),
        ):
            if not hasattr(model, field):
                continue
            through = getattr(model, field).through
            links = [
                through(**{owner: record.pk, "term_id": term})
                for record in made[name]
                for term in rng.sample(terms[vocabulary], count)
            ]
            through.objects.bulk_create(links, batch_size=BATCH)
    # Two records in five (and half the events) name one or two plan activities (when the plan
    # is imported), so that the indicators of one activity count real rows.
    activities = list(Activity.objects.values_list("pk", flat=True))
    if activities:
        for name, model in models.items():
            owner = f"{model._meta.model_name}_id"
            through = model.plan_activities.through
            links = [
                through(**{owner: record.pk, "activity_id": activity})
                for record in made[name]
                if rng.random() < 0.4
                for activity in rng.sample(activities, rng.randint(1, 2))
            ]
            through.objects.bulk_create(links, batch_size=BATCH)
    needs = made["need"]
    offers = made["offer"]
    # A third of the needs reach the help desk, half of those a match at some stage.
    offer_type = ContentType.objects.get_for_model(Offer)
    cases = [
        Case(
            need=need,
            state=CaseState.IN_MATCHMAKING,
            opened_at=need.first_published_at + timedelta(days=rng.randint(1, 60)),
        )
        for need in needs[::3]
    ]
    Case.objects.bulk_create(cases, batch_size=BATCH)
    matched_states = (MatchState.AGREED, MatchState.IN_PROGRESS, MatchState.COMPLETED, MatchState.PROPOSED)
    matches = []
    for case in cases[::2]:
        offer = offers[rng.randrange(len(offers))]
        matches.append(
            Match(
                case=case,
                support_type=offer_type,
                support_id=offer.pk,
                support_identifier=offer.identifier,
                support_owner_country_id=offer.owner_country_id,
                state=rng.choice(matched_states),
                created_at=case.opened_at + timedelta(days=rng.randint(1, 90)),
            )
        )
    Match.objects.bulk_create(matches, batch_size=BATCH)
    progress = {
        MatchState.PROPOSED: (NeedStatus.IN_MATCHMAKING,),
        MatchState.AGREED: (NeedStatus.IN_MATCHMAKING, NeedStatus.MATCHED),
        MatchState.IN_PROGRESS: (NeedStatus.IN_MATCHMAKING, NeedStatus.MATCHED, NeedStatus.SUPPORT_UNDER_WAY),
        MatchState.COMPLETED: (
            NeedStatus.IN_MATCHMAKING,
            NeedStatus.MATCHED,
            NeedStatus.SUPPORT_UNDER_WAY,
            NeedStatus.ADDRESSED,
        ),
    }
    changes = []
    statuses: dict[Any, str] = {}
    for match in matches:
        moment = match.case.opened_at
        for step in progress[MatchState(match.state)]:
            moment += timedelta(days=rng.randint(1, 45))
            changes.append(NeedStatusChange(need=match.case.need, status=step, changed_at=moment))
            statuses[match.case.need_id] = step
    NeedStatusChange.objects.bulk_create(changes, batch_size=BATCH)
    for reached in set(statuses.values()):
        Need.objects.filter(pk__in=[pk for pk, last in statuses.items() if last == reached]).update(
            status=reached
        )
    cooperations = Cooperation.objects.bulk_create(
        [
            Cooperation(
                match=match,
                kind="training",
                description="Training of trainers",
                language="en",
                start_date=(match.created_at + timedelta(days=10)).date(),
                created_at=match.created_at + timedelta(days=5),
            )
            for match in matches
            if match.state != MatchState.PROPOSED
        ],
        batch_size=BATCH,
    )
    Contribution.objects.bulk_create(
        [
            Contribution(
                cooperation=cooperation,
                contributor_country_id=cooperation.match.support_owner_country_id,
                amount=Decimal(rng.randint(1000, 50_000)),
                currency=rng.choice(("USD", "EUR", "USD", "CAD")),
                kind=rng.choice(("financial", "in_kind")),
            )
            for cooperation in cooperations
        ],
        batch_size=BATCH,
    )
    # Views: each row counts VIEWS_PER_ROW views of one record, from one country, on one day.
    views = VIEWS * factor
    viewed = [record for name in ("need", "offer", "opportunity", "resource") for record in made[name]]
    usage = []
    for number in range(views // VIEWS_PER_ROW):
        record = viewed[number % len(viewed)]
        # Each record's rows fall on distinct days (the row's unique key includes the day).
        day = record.first_published_at.date() + timedelta(days=1 + number // len(viewed))
        usage.append(
            DailyUsage(
                day=day,
                identifier=record.identifier,
                record_type=record.RECORD_TYPE,
                kind=Usage.VIEW,
                country=countries[number % len(countries)].code,
                count=VIEWS_PER_ROW,
            )
        )
    DailyUsage.objects.bulk_create(usage, batch_size=BATCH)
    # Participants: events of 50, each person checked in.
    participants = PARTICIPANTS * factor
    events = []
    for number in range(max(participants // 50, 1)):
        country = countries[number % len(countries)]
        starts = _moment(rng)
        events.append(
            Event(
                identifier=f"CB-EVENT-{country.code}-{number + 1:06d}",
                owner_country=country,
                original_language="en",
                title={"en": f"Workshop {number}"},
                state=State.PUBLISHED,
                live=True,
                revision_number=1,
                live_revision_number=1,
                first_published_at=starts - timedelta(days=30),
                kind=rng.choice(("workshop", "training", "webinar")),
                starts_at=starts,
                ends_at=starts + timedelta(days=2),
            )
        )
    Event.objects.bulk_create(events, batch_size=BATCH)
    if activities:
        Event.plan_activities.through.objects.bulk_create(
            [
                Event.plan_activities.through(event_id=event.pk, activity_id=rng.choice(activities))
                for event in events
                if rng.random() < 0.5
            ],
            batch_size=BATCH,
        )
    registrations = []
    for number in range(participants):
        event = events[number % len(events)]
        registrations.append(
            Registration(
                event=event,
                name=f"Participant {number}",
                email=f"participant{number}@example.org",
                status=RegistrationStatus.CONFIRMED,
                checked_in_at=event.starts_at,
                country=countries[rng.randrange(len(countries))],
                gender=rng.choice(list(Gender)),
                represents_iplc=rng.random() < 0.2,
                youth=rng.random() < 0.3,
                sector=rng.choice(list(Sector)),
            )
        )
    Registration.objects.bulk_create(registrations, batch_size=BATCH)
    # Half the participants rate their event from 1 to 5 in its evaluation survey.
    surveys = Survey.objects.bulk_create([Survey(event=event) for event in events], batch_size=BATCH)
    questions = SurveyQuestion.objects.bulk_create(
        [SurveyQuestion(survey=survey, kind=SurveyQuestionKind.RATING) for survey in surveys],
        batch_size=BATCH,
    )
    rated = [
        (questions[number % len(events)], events[number % len(events)])
        for number in range(participants)
        if rng.random() < 0.5
    ]
    responses = SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                survey=question.survey, language="en", submitted_on=cast(datetime, event.ends_at).date()
            )
            for question, event in rated
        ],
        batch_size=BATCH,
    )
    SurveyAnswer.objects.bulk_create(
        [
            SurveyAnswer(response=response, question=question, number=rng.choice((2, 3, 4, 4, 5, 5)))
            for response, (question, _event) in zip(responses, rated, strict=True)
        ],
        batch_size=BATCH,
    )
    return Built(
        records=sum(len(rows) for rows in made.values()),
        needs=len(needs),
        views=sum(row.count for row in usage),
        participants=participants,
        cases=len(cases),
        matches=len(matches),
    )


def indicators() -> int:
    """The plan's indicator catalogue when the project has one; else a representative set: for
    every measure a plain count with every disaggregation it has, a cumulative one and one of
    the activity only, and shares of one measure over another, up to about 60."""
    from django.core.management import call_command

    from clearinghouse.monitoring.models import Area, Indicator, Method, Unit
    from clearinghouse.plan.models import Activity, Section
    from clearinghouse.publishing.registry import measures

    if importlib.util.find_spec("clearinghouse.monitoring.catalogue") is not None:
        call_command("loadindicators", verbosity=0)
        return Indicator.objects.count()
    activity = Activity.objects.create(number=1, section=Section.CROSS_CUTTING, text_original="نشاط")
    found = sorted(measures().values(), key=lambda measure: measure.code)
    areas = set(Area.values)
    rows: list[Indicator] = []
    for variant in ("plain", "cumulative", "activity", "share"):
        for measure in found:
            if len(rows) >= 60:
                break
            unit = {"sum": Unit.AMOUNT, "median_days": Unit.MEDIAN_DAYS}.get(measure.aggregate, Unit.COUNT)
            share = variant == "share" and measure.aggregate in ("count", "distinct")
            if variant == "share" and not share:
                continue
            rows.append(
                Indicator(
                    code=f"B{len(rows) + 1:03d}",
                    activity=activity,
                    area=measure.area if measure.area in areas else Area.NEEDS,
                    names={"en": f"{measure.code} ({variant})"},
                    unit=Unit.SHARE if share else unit,
                    currency="USD" if unit == Unit.AMOUNT else "",
                    method=Method.COMPUTED,
                    numerator=measure.code,
                    denominator="need.published" if share else "",
                    factor=100 if share else 1,
                    cumulative=variant == "cumulative",
                    activity_only=variant == "activity",
                    disaggregations=list(measure.dimensions),
                )
            )
    Indicator.objects.bulk_create(rows)
    return len(rows)


def _child(factor: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clearinghouse.monitoring import compute, gaps
    from clearinghouse.monitoring.compute import Period
    from clearinghouse.monitoring.models import Value

    call_command("migrate", verbosity=0)
    call_command("loadreference", verbosity=0)
    if importlib.util.find_spec("clearinghouse.monitoring.catalogue") is not None:
        call_command("importplan", str(ROOT / "clearinghouse/plan/data/decision-XIII-23-ar.txt"), verbosity=0)
    began = time.perf_counter()
    built = build(factor)
    built_seconds = time.perf_counter() - began
    count = indicators()
    biennium = Period.years(2025, 2026)
    began = time.perf_counter()
    computation = compute.compute(biennium)
    compute_seconds = time.perf_counter() - began
    began = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        analysis = gaps.analyse(biennium, language="en")
    gaps_seconds = time.perf_counter() - began
    pages = _pages()
    report = _report(biennium)
    return {
        "records": built.records,
        "needs": built.needs,
        "views": built.views,
        "participants": built.participants,
        "cases": built.cases,
        "matches": built.matches,
        "build_seconds": round(built_seconds, 1),
        "indicators": count,
        "values": Value.objects.filter(computation=computation).count(),
        "compute_seconds": round(compute_seconds, 2),
        "gaps_seconds": round(gaps_seconds, 2),
        "gaps_queries": len(queries),
        "gaps_needs": analysis.needs,
        **pages,
        **report,
    }


# The public pages timed, each requested whole (middleware, view, templates), from snapshots.
PAGES = (
    "/en/statistics/",
    "/en/statistics/needs/",
    "/ar/statistics/events/",
    "/fr/statistics/indicators/1.1/",
)
PAGE_REQUESTS = 40


def _pages() -> dict[str, Any]:
    """Every statistics page of ``PAGES`` requested by an anonymous reader, in turn."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from bench.child import percentile

    setup_test_environment()
    client = Client()
    for path in PAGES:  # warm-up: templates and catalogues loaded
        assert client.get(path).status_code == 200, path
    timings: list[float] = []
    queries = 0
    for number in range(PAGE_REQUESTS):
        path = PAGES[number % len(PAGES)]
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, path
        queries = max(queries, len(captured))
    return {
        "page_requests": len(timings),
        "page_p50_ms": round(percentile(timings, 0.5), 1),
        "page_p95_ms": round(percentile(timings, 0.95), 1),
        "page_queries": queries,
    }


def _report(biennium: Any) -> dict[str, Any]:
    """The progress report of the biennium as PDF in one language: the whole call, from the
    report's data to the PDF's bytes (none when WeasyPrint's libraries are missing)."""
    from clearinghouse.monitoring import report_documents, reports

    report = reports.create(biennium.start.year, biennium.end.year)
    try:
        import weasyprint  # type: ignore[import-untyped]  # noqa: F401
    except (ImportError, OSError):
        return {"report_pdf_seconds": None}
    began = time.perf_counter()
    content = report_documents.pdf(report, "en")
    seconds = time.perf_counter() - began
    began = time.perf_counter()
    arabic = report_documents.pdf(report, "ar")
    arabic_seconds = time.perf_counter() - began
    return {
        "report_pdf_seconds": round(seconds, 1),
        "report_pdf_bytes": len(content),
        "report_pdf_ar_seconds": round(arabic_seconds, 1),
        "report_pdf_ar_bytes": len(arabic),
    }


def run(scale: str) -> list[str]:
    database, environment = fresh_sqlite(WORK_DIR, "monitoring")
    figures = in_child("bench.monitoring", SCALES[scale], environment, "monitoring")
    figures |= {"cores": os.cpu_count(), "load_average": round(os.getloadavg()[0], 2)}
    lines = [
        f"monitoring-compute records={figures['records']} views={figures['views']} "
        f"participants={figures['participants']} indicators={figures['indicators']} "
        f"values={figures['values']} seconds={figures['compute_seconds']:.2f}",
        f"monitoring-gaps records={figures['records']} needs={figures['gaps_needs']} "
        f"seconds={figures['gaps_seconds']:.2f} queries={figures['gaps_queries']}",
        f"monitoring-statistics-pages requests={figures['page_requests']} "
        f"p50_ms={figures['page_p50_ms']:.1f} p95_ms={figures['page_p95_ms']:.1f} "
        f"queries={figures['page_queries']}",
        f"monitoring-report-pdf language=en seconds={figures['report_pdf_seconds']} "
        f"language=ar seconds={figures.get('report_pdf_ar_seconds')}",
    ]
    for line in lines:
        print(line, flush=True)
    write_results(
        RESULTS if scale == "full" else RESULTS.with_name(f"monitoring-{scale}.json"), scale, [figures]
    )
    database.unlink(missing_ok=True)
    return lines


if __name__ == "__main__":
    child.main(__doc__ or "", SCALES, "quick", _child, run)
