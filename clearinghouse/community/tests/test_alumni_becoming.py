"""A person becomes an alumnus by taking part: checked in at an event, or a course completed;
once, whatever is saved again; consent is asked by e-mail in their language."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.utils import translation

from clearinghouse.community.models import Activity, Alumnus, Consent, Participation
from clearinghouse.core import mail as core_mail
from clearinghouse.core.testing import World
from clearinghouse.events import attendance
from clearinghouse.events.tests.attendance_factories import make_event, register
from clearinghouse.learning.tests.cert_factories import complete, enrol, make_course


def test_checking_in_makes_an_alumnus_once_and_asks_consent_in_their_language(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    event = make_event(world, past=True)
    registration = register(
        event,
        "Fatima Al-Amin",
        email="Fatima.AlAmin@example.org",
        language="ar",
        country=world.kenya,
        gender="woman",
        sector="government",
        organisation_name="KWS",
    )
    # The language the consent e-mail is written in.
    rendered: list[str] = []
    original = core_mail.compose

    def compose(*args: Any, **kwargs: Any) -> Any:
        rendered.append(translation.get_language() or "")
        return original(*args, **kwargs)

    monkeypatch.setattr(core_mail, "compose", compose)
    with django_capture_on_commit_callbacks(execute=True):
        attendance.check_in(registration, actor=world.focal_point)
    with django_capture_on_commit_callbacks(execute=True):
        attendance.check_in(registration, actor=world.focal_point)
        registration.refresh_from_db()
        registration.save()

    alumnus = Alumnus.objects.get()
    # Kept by the lower-cased address: a participants' list and an account find the same person.
    assert alumnus.email == "fatima.alamin@example.org"
    assert alumnus.person is None and alumnus.consent == Consent.ASKED and alumnus.consent_asked_at
    assert (alumnus.country, alumnus.gender, alumnus.sector, alumnus.organisation_name) == (
        world.kenya,
        "woman",
        "government",
        "KWS",
    )
    assert Participation.objects.get().activity == Activity.EVENT
    assert len(mail.outbox) == 1 and rendered == ["ar"]
    message = mail.outbox[0]
    assert message.to == ["fatima.alamin@example.org"]
    # Without an account the e-mail also carries the link to claim the record.
    assert "/community/alumni/consent/" in message.body and "/community/alumni/claim/" in message.body


def test_an_unconfirmed_or_absent_registration_makes_no_alumnus(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    event = make_event(world, past=True)
    with django_capture_on_commit_callbacks(execute=True):
        register(event, "Absent Person")
        register(event, "Pending Person", status="pending")
    assert not Alumnus.objects.exists()


def test_completing_a_course_makes_the_learner_an_alumnus_with_facts_only_by_consent(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    course = make_course(world, quiz=False)
    enrolment = enrol(
        course, world.learner, country=world.kenya, gender="woman", consents_to_statistics=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        complete(enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment.refresh_from_db()
        enrolment.save()
    alumnus = Alumnus.objects.get()
    assert alumnus.person == world.learner and alumnus.claimed_at is not None
    assert alumnus.participations.get().course == course
    # The learner did not agree to statistics: none of their facts are copied.
    assert alumnus.country is None and alumnus.gender == ""
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.learner.email]
    assert "/community/alumni/claim/" not in mail.outbox[0].body


def test_a_second_activity_joins_the_same_alumnus_and_asks_nothing_again(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    for _ in range(2):
        event = make_event(world, past=True)
        registration = register(
            event, world.outsider.get_full_name(), person=world.outsider, email="OTHER@example.org"
        )
        with django_capture_on_commit_callbacks(execute=True):
            attendance.check_in(registration, actor=world.focal_point)
    alumnus = Alumnus.objects.get()
    # Found by the account, kept under the account's own address.
    assert alumnus.person == world.outsider and alumnus.email == world.outsider.email
    assert alumnus.participations.count() == 2
    assert len(mail.outbox) == 1
