"""The worker's monitoring jobs and the computeindicators command: a queued computation runs once,
the current year and biennium are computed again when facts change (and every night), and the
command computes a year, a biennium or a range of days at once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.monitoring import services, tasks
from clearinghouse.monitoring.compute import Period
from clearinghouse.monitoring.models import Computation, Indicator, ManualValue, Method, Value
from clearinghouse.monitoring.tests.test_console_services import make_indicator
from clearinghouse.publishing.tests.testapp.models import Note

pytestmark = pytest.mark.django_db


def _note(world: World, when: datetime, *, live: bool = True) -> Note:
    """A note published at ``when`` and not touched since."""
    note = Note.objects.create(
        identifier=f"CB-NOTE-KE-{Note.objects.count() + 1:06d}",
        owner_country=world.kenya,
        original_language="en",
        title={"en": "A note"},
        live=live,
        first_published_at=when,
        last_published_at=when,
    )
    Note.objects.filter(pk=note.pk).update(updated_at=when)
    return note


def test_the_job_computes_a_queued_computation_once(world: World) -> None:
    make_indicator("3.1", Method.COMPUTED)
    _note(world, datetime(2025, 5, 1, tzinfo=UTC))
    computation = services.queue(Period.years(2025))
    tasks.run_computation.call_local(computation.pk)
    computation.refresh_from_db()
    assert computation.state == Computation.State.DONE
    assert Value.objects.get(computation=computation).value == 1
    # Delivered twice (a crash, two workers): the second run finds it done and does nothing.
    tasks.run_computation.call_local(computation.pk)
    assert Value.objects.filter(computation=computation).count() == 1


def test_a_failing_computation_keeps_its_error_and_is_not_retried(world: World) -> None:
    make_indicator("3.1", Method.COMPUTED, numerator="no.such.measure")
    computation = services.queue(Period.years(2025))
    tasks.run_computation.call_local(computation.pk)
    computation.refresh_from_db()
    assert computation.state == Computation.State.FAILED
    assert "no.such.measure" in computation.error


def test_the_current_year_and_biennium_start_in_odd_years() -> None:
    assert tasks.reporting_periods(date(2026, 3, 1)) == [Period.years(2026), Period.years(2025, 2026)]
    assert tasks.reporting_periods(date(2027, 3, 1)) == [Period.years(2027), Period.years(2027, 2028)]


def _finished(period: Period, started: datetime) -> Computation:
    return Computation.objects.create(
        start=period.start,
        end=period.end,
        state=Computation.State.DONE,
        started_at=started,
        finished_at=started + timedelta(seconds=30),
    )


def test_the_worker_computes_again_only_what_changed_since_the_last_computation(world: World) -> None:
    now = timezone.now()
    year, biennium = tasks.reporting_periods(timezone.localdate(now))
    # Never computed: both are.
    assert {(c.start, c.end) for c in tasks.refresh(now)} == {
        (year.start, year.end),
        (biennium.start, biennium.end),
    }
    Computation.objects.all().delete()
    hour_ago = now - timedelta(hours=1)
    _note(world, now - timedelta(days=3))
    _finished(year, hour_ago)
    _finished(biennium, hour_ago)
    # Nothing happened since: nothing to do.
    assert tasks.refresh(now) == []
    assert not tasks.facts_changed_since(hour_ago)
    # A record published since: both periods are computed again.
    _note(world, now - timedelta(minutes=5))
    assert tasks.facts_changed_since(hour_ago)
    queued = tasks.refresh(now)
    assert len(queued) == 2 and all(c.state == Computation.State.QUEUED for c in queued)
    # While they wait, no second one is queued.
    assert tasks.refresh(now) == []


def test_a_record_taken_out_of_the_counts_is_a_change(world: World) -> None:
    now = timezone.now()
    note = _note(world, now - timedelta(days=30))
    assert not tasks.facts_changed_since(now - timedelta(minutes=1))
    # Archived: no longer public, so no longer among the rows counted; its own stamps tell.
    Note.objects.filter(pk=note.pk).update(live=False, archived_at=now)
    assert tasks.facts_changed_since(now - timedelta(minutes=1))


def test_the_nightly_run_computes_whatever_changed(world: World) -> None:
    now = timezone.now()
    for period in tasks.reporting_periods(timezone.localdate(now)):
        _finished(period, now - timedelta(hours=1))
    assert tasks.refresh(now) == []
    assert len(tasks.refresh(now, always=True)) == 2


def test_the_command_computes_a_biennium_and_prints_a_summary(world: World) -> None:
    make_indicator("3.1", Method.COMPUTED)
    entered = make_indicator("3.2")
    make_indicator("3.3", Method.NOT_YET)
    _note(world, datetime(2025, 5, 1, tzinfo=UTC))
    ManualValue.objects.create(
        indicator=entered,
        period_start=2025,
        period_end=2026,
        value=7,
        evidence="Reports",
        language="en",
        state=ManualValue.State.APPROVED,
        reviewed_at=timezone.now(),
    )
    out = StringIO()
    call_command("computeindicators", "2025-2026", stdout=out)
    computation = Computation.objects.get()
    assert (computation.start, computation.end) == (date(2025, 1, 1), date(2026, 12, 31))
    summary = out.getvalue()
    assert f"2025-2026: computation {computation.pk} done" in summary
    assert "1 computed indicators (1 with a value)" in summary
    assert "1 entered by hand (1 with an approved value)" in summary
    assert "1 not yet possible; 2 values stored." in summary


def test_the_command_computes_a_year_or_a_range_of_days(world: World) -> None:
    make_indicator("3.1", Method.COMPUTED)
    _note(world, datetime(2025, 5, 1, tzinfo=UTC))
    call_command("computeindicators", "2025", stdout=StringIO())
    out = StringIO()
    call_command("computeindicators", "--from", "2025-03-01", "--to", "2025-04-30", stdout=out)
    assert "2025-03-01/2025-04-30" in out.getvalue()
    spring = Computation.objects.get(start=date(2025, 3, 1))
    assert Value.objects.get(computation=spring).value == 0
    year = Computation.objects.get(start=date(2025, 1, 1))
    assert Value.objects.get(computation=year).value == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "Give a year"),
        (["2025-2027"], "biennium of two consecutive years"),
        (["2025", "--from", "2025-01-01", "--to", "2025-02-01"], "not both"),
        (["--from", "2025-03-01"], "both --from and --to"),
        (["--from", "2025-03-01", "--to", "2025-02-01"], "ends before it starts"),
    ],
)
def test_the_command_refuses_an_unclear_period(world: World, arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("computeindicators", *arguments, stdout=StringIO())
    assert not Computation.objects.exists()


def test_the_command_reports_a_failure(world: World) -> None:
    Indicator.objects.all().delete()
    make_indicator("3.1", Method.COMPUTED, numerator="no.such.measure")
    with pytest.raises(CommandError, match="failed"):
        call_command("computeindicators", "2025", stdout=StringIO())
    assert Computation.objects.get().state == Computation.State.FAILED
