"""The monitoring services: who may compute, enter, review and set targets; what a value may be;
approving a value computes its period again and tells its submitter in their language."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.monitoring import compute, services
from clearinghouse.monitoring.compute import Period
from clearinghouse.monitoring.models import (
    Computation,
    Indicator,
    ManualValue,
    Method,
    Target,
    Unit,
    Value,
)
from clearinghouse.plan.models import Activity, Section
from clearinghouse.plan.models import Period as Years

pytestmark = pytest.mark.django_db


def make_indicator(code: str, method: str = Method.MANUAL, **fields: Any) -> Indicator:
    activity, _created = Activity.objects.get_or_create(
        number=3, defaults={"section": Section.CROSS_CUTTING, "text_original": "نشاط"}
    )
    if method == Method.COMPUTED:
        fields.setdefault("numerator", "note.published")
    return Indicator.objects.create(
        code=code,
        activity=activity,
        area="plan",
        method=method,
        names={"en": "Parties with updated NBSAPs", "ar": "الأطراف التي حدثت استراتيجياتها"},
        **fields,
    )


def submit(world: World, indicator: Indicator, value: float = 12, **changes: Any) -> ManualValue:
    arguments: dict[str, Any] = {
        "value": value,
        "evidence": "Twelve NBSAPs submitted to the Secretariat in 2025.",
        "url": "https://www.cbd.int/nbsap/",
        "language": "en",
        "by": world.focal_point,
    }
    return services.submit_value(indicator, changes.pop("years", Years(2025, 2026)), **(arguments | changes))


# --- computations ---------------------------------------------------------------------------------


def test_the_secretariat_queues_a_computation_and_the_job_computes_it(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    make_indicator("3.1", Method.COMPUTED)
    with django_capture_on_commit_callbacks(execute=True):
        computation = services.request_computation(Period.years(2025, 2026), world.secretariat)
    assert computation.requested_by == world.secretariat
    computation.refresh_from_db()
    # The job ran once the request was saved: the values are there.
    assert computation.state == Computation.State.DONE
    assert Value.objects.filter(computation=computation, indicator__code="3.1").exists()


def test_only_the_secretariat_computes(world: World) -> None:
    for person in (world.focal_point, world.partner_editor, world.learner):
        with pytest.raises(PermissionDenied):
            services.request_computation(Period.years(2025), person)
    assert not Computation.objects.exists()


def test_a_second_computation_of_the_same_period_waits_for_the_first(world: World) -> None:
    first = services.request_computation(Period.years(2025, 2026), world.secretariat)
    with pytest.raises(ValidationError, match="already being computed"):
        services.request_computation(Period.years(2025, 2026), world.secretariat)
    # Another period is not held up.
    services.request_computation(Period.years(2025), world.secretariat)
    first.state = Computation.State.RUNNING
    first.started_at = timezone.now()
    first.save()
    with pytest.raises(ValidationError):
        services.request_computation(Period.years(2025, 2026), world.secretariat)
    # A computation lost by a stopped worker does not hold the period for ever.
    Computation.objects.filter(pk=first.pk).update(started_at=timezone.now() - timedelta(hours=3))
    services.request_computation(Period.years(2025, 2026), world.secretariat)
    assert Computation.objects.filter(start=date(2025, 1, 1), end=date(2026, 12, 31)).count() == 2


def test_a_period_still_to_come_is_not_computed(world: World) -> None:
    next_year = timezone.localdate().year + 1
    with pytest.raises(ValidationError, match="has not started"):
        services.request_computation(Period.years(next_year), world.secretariat)


# --- values entered by hand -----------------------------------------------------------------------


@pytest.mark.parametrize("person", ["secretariat", "focal_point", "other_focal_point", "partner_editor"])
def test_the_secretariat_focal_points_and_partners_editors_enter_values(world: World, person: str) -> None:
    entered = submit(world, make_indicator("3.1"), by=getattr(world, person))
    assert entered.state == ManualValue.State.SUBMITTED
    assert entered.submitted_by == getattr(world, person)
    assert (entered.period_start, entered.period_end, entered.value) == (2025, 2026, 12)


@pytest.mark.parametrize("person", ["authorised_user", "iplc_representative", "helpdesk_agent", "learner"])
def test_no_one_else_enters_values(world: World, person: str) -> None:
    with pytest.raises(PermissionDenied):
        submit(world, make_indicator("3.1"), by=getattr(world, person))
    assert not ManualValue.objects.exists()


def test_a_computed_indicator_takes_no_value_by_hand(world: World) -> None:
    with pytest.raises(ValidationError, match="computed from the platform's data"):
        submit(world, make_indicator("3.1", Method.COMPUTED))
    with pytest.raises(ValidationError, match="cannot be measured yet"):
        submit(world, make_indicator("3.2", Method.NOT_YET))
    assert not ManualValue.objects.exists()


@pytest.mark.parametrize(
    ("unit", "value", "field", "message"),
    [
        (Unit.COUNT, -1, "value", "cannot be negative"),
        (Unit.COUNT, float("nan"), "value", "as a number"),
        (Unit.SHARE, 100.5, "value", "between 0 and 100"),
    ],
)
def test_a_value_is_a_number_not_negative_and_a_share_at_most_100(
    world: World, unit: str, value: float, field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        submit(world, make_indicator("3.1", unit=unit), value=value)
    assert message in " ".join(refused.value.message_dict[field])
    assert not ManualValue.objects.exists()


def test_a_share_of_100_and_a_count_of_zero_are_values(world: World) -> None:
    assert submit(world, make_indicator("3.1", unit=Unit.SHARE), value=100).value == 100
    assert submit(world, make_indicator("3.2"), value=0).value == 0


def test_a_value_needs_its_evidence_a_language_and_a_year_or_biennium(world: World) -> None:
    indicator = make_indicator("3.1")
    with pytest.raises(ValidationError) as refused:
        submit(world, indicator, evidence="   ")
    assert "evidence" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        submit(world, indicator, language="de")
    assert "language" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        submit(world, indicator, years=Years(2025, 2027))
    assert "period" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        submit(world, indicator, url="not an address")
    assert "evidence_url" in refused.value.message_dict
    assert not ManualValue.objects.exists()


# --- review ---------------------------------------------------------------------------------------


def test_approving_a_value_computes_its_period_and_tells_the_submitter(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    indicator = make_indicator("3.1")
    entered = submit(world, indicator)
    with django_capture_on_commit_callbacks(execute=True):
        approved = services.approve(entered, world.secretariat, "Checked against the NBSAP register.")
    assert approved.state == ManualValue.State.APPROVED
    assert approved.reviewed_by == world.secretariat and approved.reviewed_at is not None
    # The biennium was computed again, with the value.
    latest = compute.current(Period.years(2025, 2026))
    assert latest is not None and latest.requested_by == world.secretariat
    assert Value.objects.get(computation=latest, indicator=indicator).value == 12
    [message] = mail.outbox
    assert message.to == [world.focal_point.email]
    assert "Value approved: indicator 3.1, 2025-2026" in message.subject
    assert "Checked against the NBSAP register." in message.body
    assert "/en/monitoring/console/values/" in message.body


def test_approving_while_a_computation_waits_queues_no_second_one(world: World) -> None:
    waiting = services.request_computation(Period.years(2025, 2026), world.secretariat)
    services.approve(submit(world, make_indicator("3.1")), world.secretariat)
    # The waiting computation has not read the values yet: it will read this one.
    assert list(Computation.objects.all()) == [waiting]


def test_returning_a_value_needs_a_note_and_tells_the_submitter_in_their_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    # The Secretariat's officer reads Arabic: the e-mail about their own value is in Arabic.
    entered = submit(world, make_indicator("3.1"), by=world.secretariat)
    with pytest.raises(ValidationError) as refused:
        services.return_value(entered, world.secretariat, "  ")
    assert "note" in refused.value.message_dict
    entered.refresh_from_db()
    assert entered.state == ManualValue.State.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        services.return_value(entered, world.secretariat, "أضيفوا رابط السجل.")
    entered.refresh_from_db()
    assert entered.state == ManualValue.State.RETURNED
    assert entered.review_note == "أضيفوا رابط السجل."
    # A returned value does not count, and nothing was computed for it.
    assert not Computation.objects.exists()
    [message] = mail.outbox
    assert "أعيدت القيمة" in message.subject
    assert "أضيفوا رابط السجل." in message.body
    assert "/ar/monitoring/console/values/" in message.body


def test_only_the_secretariat_reviews_and_only_once(world: World) -> None:
    entered = submit(world, make_indicator("3.1"))
    for person in (world.focal_point, world.partner_editor):
        with pytest.raises(PermissionDenied):
            services.approve(entered, person)
        with pytest.raises(PermissionDenied):
            services.return_value(entered, person, "No.")
    services.approve(entered, world.secretariat)
    with pytest.raises(ValidationError, match="already been reviewed"):
        services.return_value(entered, world.secretariat, "Changed my mind.")
    entered.refresh_from_db()
    assert entered.state == ManualValue.State.APPROVED


# --- targets and baselines ------------------------------------------------------------------------


def test_the_secretariat_sets_targets_and_a_new_one_replaces_the_old(world: World) -> None:
    indicator = make_indicator("3.1", Method.COMPUTED)
    services.set_target(indicator, Years(2025, 2026), 40, world.secretariat)
    services.set_target(indicator, Years(2025, 2026), 50, world.secretariat)
    services.set_target(indicator, Years(2027, 2028), 60, world.secretariat)
    assert [(t.period_start, t.period_end, t.value) for t in Target.objects.all()] == [
        (2025, 2026, 50),
        (2027, 2028, 60),
    ]
    with pytest.raises(PermissionDenied):
        services.set_target(indicator, Years(2025, 2026), 1, world.focal_point)
    with pytest.raises(ValidationError) as refused:
        services.set_target(indicator, Years(2025, 2026), -5, world.secretariat)
    assert "value" in refused.value.message_dict
    assert Target.objects.get(period_start=2025).value == 50


def test_the_secretariat_sets_a_baseline_of_a_past_year(world: World) -> None:
    indicator = make_indicator("3.1", Method.COMPUTED, unit=Unit.SHARE)
    services.set_baseline(indicator, 2020, 35.5, world.secretariat)
    indicator.refresh_from_db()
    assert (indicator.baseline_year, indicator.baseline_value) == (2020, 35.5)
    with pytest.raises(ValidationError) as refused:
        services.set_baseline(indicator, timezone.localdate().year + 1, 10, world.secretariat)
    assert "year" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.set_baseline(indicator, 2021, 120, world.secretariat)
    assert "value" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.set_baseline(indicator, 2021, 10, world.partner_editor)
    indicator.refresh_from_db()
    assert (indicator.baseline_year, indicator.baseline_value) == (2020, 35.5)
