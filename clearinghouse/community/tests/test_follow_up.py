"""Organisers of an event or course set a follow-up; each consenting alumnus is asked once, when
the months have passed, in their language, with a link bound to their own request."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clearinghouse.community import follow_up
from clearinghouse.community.follow_up_tasks import send_follow_up_requests
from clearinghouse.community.models import Consent, FollowUpRequest
from clearinghouse.community.tests.follow_up_helpers import alumnus, took_part
from clearinghouse.events.tests.factories import published
from clearinghouse.learning.tests.factories import course

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def test_months_are_added_to_the_day_and_clamped_to_the_months_end() -> None:
    assert follow_up.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert follow_up.add_months(date(2027, 11, 15), 3) == date(2028, 2, 15)
    assert follow_up.add_months(date(2026, 6, 30), 24) == date(2028, 6, 30)


def test_due_dates_follow_the_months_and_move_only_for_requests_not_sent(world: Any) -> None:
    the_course = course(world)
    early = took_part(alumnus("Amani Otieno"), the_course, date(2026, 1, 31))
    later = took_part(alumnus("Layla Haddad"), the_course, date(2026, 3, 10))
    the_follow_up = follow_up.set_follow_up(the_course, actor=world.authorised_user, months=1)
    due = dict(the_follow_up.requests.values_list("participation_id", "due_on"))
    assert due == {early.pk: date(2026, 2, 28), later.pk: date(2026, 4, 10)}

    FollowUpRequest.objects.filter(participation=early).update(sent_at=timezone.now())
    follow_up.set_follow_up(the_course, actor=world.authorised_user, months=6)
    due = dict(the_follow_up.requests.values_list("participation_id", "due_on"))
    # The one already sent keeps its date; the other moves.
    assert due == {early.pk: date(2026, 2, 28), later.pk: date(2026, 9, 10)}


@pytest.mark.parametrize("months", [0, 25])
def test_months_outside_one_to_twenty_four_are_refused(world: Any, months: int) -> None:
    with pytest.raises(ValidationError):
        follow_up.set_follow_up(course(world), actor=world.authorised_user, months=months)


def test_only_the_organisers_set_a_follow_up(world: Any) -> None:
    event = published(world)
    with pytest.raises(PermissionDenied):
        follow_up.set_follow_up(event, actor=world.outsider, months=6)
    assert follow_up.set_follow_up(event, actor=world.authorised_user, months=6).event == event


def test_only_alumni_who_consent_are_asked(world: Any, django_capture_on_commit_callbacks: Capture) -> None:
    event = published(world)
    long_ago = timezone.localdate() - timedelta(days=400)
    for name, consent in [
        ("Asked Only", Consent.ASKED),
        ("Refused", Consent.REFUSED),
        ("Withdrawn", Consent.WITHDRAWN),
        ("Given", Consent.GIVEN),
        ("Given Then Withdrawn", Consent.GIVEN),
    ]:
        took_part(alumnus(name, consent=consent), event, long_ago)
    the_follow_up = follow_up.set_follow_up(event, actor=world.authorised_user, months=3)
    assert the_follow_up.requests.count() == 2
    alumnus_who_withdrew = the_follow_up.requests.get(participation__alumnus__name="Given Then Withdrawn")
    alumnus_who_withdrew.participation.alumnus.__class__.objects.filter(name="Given Then Withdrawn").update(
        consent=Consent.WITHDRAWN
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_follow_up_requests.call_local() == (0, 1)
    assert [message.to for message in mail.outbox] == [["given@example.org"]]
    alumnus_who_withdrew.refresh_from_db()
    assert alumnus_who_withdrew.sent_at is None


def test_the_job_sends_each_due_request_once_in_the_alumnus_language(
    world: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    the_course = course(world)
    today = timezone.localdate()
    took_part(alumnus("Amani Otieno", language="fr"), the_course, today - timedelta(days=200))
    # Her account's language (Chinese) wins over the one kept with the alumnus.
    took_part(
        alumnus("Mei Wang", person=world.learner, language="es"), the_course, today - timedelta(days=200)
    )
    took_part(alumnus("Recent Learner"), the_course, today - timedelta(days=10))
    follow_up.set_follow_up(the_course, actor=world.authorised_user, months=6)

    with django_capture_on_commit_callbacks(execute=True):
        assert send_follow_up_requests.call_local() == (0, 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_follow_up_requests.call_local() == (0, 0)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"amani.otieno@example.org", world.learner.email}
    assert "/fr/community/follow-up/answer/" in by_address["amani.otieno@example.org"].body
    assert "/zh/community/follow-up/answer/" in by_address[world.learner.email].body
    assert (
        FollowUpRequest.objects.filter(sent_at__isnull=True).get().participation.alumnus.name
        == "Recent Learner"
    )


def test_participations_recorded_later_get_their_request_from_the_job(world: Any) -> None:
    event = published(world)
    the_follow_up = follow_up.set_follow_up(event, actor=world.authorised_user, months=2)
    yesterday = timezone.localdate() - timedelta(days=1)
    took_part(alumnus("Late Check-in"), event, yesterday)
    assert follow_up.run() == (1, 0)
    assert the_follow_up.requests.get().due_on == follow_up.add_months(yesterday, 2)
    assert follow_up.run() == (0, 0)


def _sent(world: Any, **who: Any) -> FollowUpRequest:
    event = published(world)
    took_part(
        alumnus(who.pop("name", "Amani Otieno"), **who), event, timezone.localdate() - timedelta(days=400)
    )
    follow_up.set_follow_up(event, actor=world.authorised_user, months=6)
    follow_up.run()
    return FollowUpRequest.objects.get()


def test_a_forged_expired_or_unsent_link_is_refused(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    request = _sent(world)
    token = follow_up.token_for(request)
    for bad in [token[:-2] + "xx", signing.dumps(request.pk, salt="events.registration"), "nonsense"]:
        with pytest.raises(ValidationError) as refused:
            follow_up.request_from_token(bad)
        assert refused.value.code == "token"
    FollowUpRequest.objects.filter(pk=request.pk).update(sent_at=None)
    with pytest.raises(ValidationError):
        follow_up.request_from_token(token)
    FollowUpRequest.objects.filter(pk=request.pk).update(sent_at=timezone.now())
    monkeypatch.setattr(follow_up, "LINK_VALID_FOR", timedelta(seconds=-1))
    with pytest.raises(ValidationError) as refused:
        follow_up.request_from_token(token)
    assert refused.value.code == "expired"


def test_an_answer_is_given_once_and_marks_the_alumnus_active(world: Any) -> None:
    request = _sent(world, person=world.learner)
    token = follow_up.token_for(request)
    follow_up.answer(
        token, follow_up.Answer("some", applied_how="A national list of invasive species."), language="en"
    )
    with pytest.raises(ValidationError) as refused:
        follow_up.answer(token, follow_up.Answer("much", applied_how="Changed"), language="en")
    assert refused.value.code == "answered"
    request.refresh_from_db()
    assert (request.applied, request.applied_how) == ("some", "A national list of invasive species.")
    assert request.participation.alumnus.last_active_at is not None
