"""Enrolling in a course: by oneself, by invitation, in a cohort, through an event; withdrawing;
the language of study and the facts given with consent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.learning import enrolment as services
from clearinghouse.learning.models import Enrolment, EnrolmentMethod, EnrolmentStatus, Invitation
from clearinghouse.learning.tests import factories

pytestmark = pytest.mark.django_db


def test_a_learner_enrols_in_a_published_course_in_a_language_it_has(world: World) -> None:
    course = factories.course(world)
    assert set(course.languages) == {"ar", "en", "fr"}
    enrolment = services.enrol(course, world.learner, language="fr")
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert enrolment.method == EnrolmentMethod.SELF
    assert enrolment.language == "fr"


def test_the_language_of_study_defaults_to_the_learners_own_when_the_course_has_it(world: World) -> None:
    course = factories.course(world)
    # Mei reads Chinese, which this course lacks: its first complete language instead.
    assert services.language_for(course, world.learner.preferred_language) == "ar"
    assert services.language_for(course, "zh-hans", "fr") == "fr"
    assert services.enrol(course, world.trainer).language == "fr"


def test_a_course_cannot_be_studied_in_a_language_it_is_incomplete_in(world: World) -> None:
    course = factories.course(world)
    with pytest.raises(ValidationError) as error:
        services.enrol(course, world.learner, language="zh")
    assert "language" in error.value.message_dict
    assert not course.enrolments.exists()


def test_nobody_enrols_in_an_unpublished_course(world: World) -> None:
    course = factories.course(world, publish=False)
    with pytest.raises(ValidationError, match="not published"):
        services.enrol(course, world.learner, language="en")
    assert not course.enrolments.exists()


def test_a_course_open_by_invitation_refuses_self_enrolment(world: World) -> None:
    course = factories.course(world, self_enrolment=False)
    with pytest.raises(ValidationError, match="invitation only"):
        services.enrol(course, world.learner, language="en")


def test_enrolling_twice_keeps_the_first_enrolment(world: World) -> None:
    course = factories.course(world)
    first = services.enrol(course, world.learner, language="en")
    second = services.enrol(course, world.learner, language="fr")
    assert first.pk == second.pk
    assert second.language == "en"
    assert course.enrolments.count() == 1


def test_facts_are_kept_only_with_consent_and_prefill_the_next_enrolment(world: World) -> None:
    first = factories.course(world)
    second = factories.course(world)
    refused = services.Profile(consents=False, country=world.kenya, gender="woman", sector="ngo")
    enrolment = services.enrol(first, world.learner, language="en", profile=refused)
    # No consent: nothing is kept, whatever the form carried.
    assert (enrolment.country, enrolment.gender, enrolment.sector) == (None, "", "")
    assert services.previous_profile(world.learner) == services.Profile()

    given = services.Profile(
        consents=True,
        country=world.kenya,
        gender="woman",
        represents_iplc=True,
        sector="iplc",
        job_role="Ranger",
    )
    services.withdraw(enrolment)
    services.enrol(first, world.learner, language="en", profile=given)
    assert services.previous_profile(world.learner) == given
    # A later enrolment without a profile of its own starts from the facts given before.
    later = services.enrol(second, world.learner, language="en")
    assert later.consents_to_statistics and later.country == world.kenya and later.job_role == "Ranger"


def test_withdrawing_keeps_progress_and_enrolling_again_goes_on(world: World) -> None:
    from clearinghouse.learning import progress

    course = factories.course(world)
    enrolment = services.enrol(course, world.learner, language="en")
    progress.record(enrolment, "l1", completed=True)
    services.withdraw(enrolment)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="already withdrew"):
        services.withdraw(enrolment)
    again = services.enrol(course, world.learner, language="ar")
    assert again.pk == enrolment.pk
    assert again.status == EnrolmentStatus.ACTIVE and again.language == "ar"
    assert again.progress.get(item_key="l1").completed_at is not None


def test_a_completed_course_cannot_be_withdrawn_from(world: World) -> None:
    from clearinghouse.learning import progress

    course = factories.course(world, outline_value=factories.outline(with_quiz=False), rule="completed")
    enrolment = services.enrol(course, world.learner, language="en")
    progress.record(enrolment, "l1", completed=True)
    progress.record(enrolment, "l2", completed=True)
    with pytest.raises(ValidationError, match="completed"):
        services.withdraw(enrolment)


# --- invitations --------------------------------------------------------------------------------


def test_a_trainer_invites_people_who_accept_by_signing_in(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    course = factories.course(world, self_enrolment=False, created_by=world.trainer)
    cohort = factories.cohort(course)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.invite(
            course,
            actor=world.trainer,
            emails=["Mei@Example.org", "new.person@example.net"],
            cohort=cohort,
            language="es",
        )
    assert len(sent) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    # Mei has an account in Chinese: her invitation is in Chinese; the stranger's in Spanish.
    assert "邀请" in by_address["mei@example.org"].subject
    assert "curso" in by_address["new.person@example.net"].subject.lower()
    invitation = Invitation.objects.get(email="mei@example.org")
    assert f"/invitation/{invitation.token}/" in by_address["mei@example.org"].body

    enrolment = services.accept(invitation, world.learner, language="en")
    assert enrolment.method == EnrolmentMethod.INVITATION and enrolment.cohort == cohort
    # A link works once.
    with pytest.raises(ValidationError, match="already used"):
        services.invitation_from_token(invitation.token)
    with pytest.raises(ValidationError, match="already used"):
        services.accept(invitation, world.outsider, language="en")


def test_a_stranger_invited_in_chinese_reads_it_in_chinese(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    course = factories.course(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(course, actor=world.secretariat, emails=["li@example.cn"], language="zh")
        services.invite(course, actor=world.secretariat, emails=["ali@example.eg"], language="ar")
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["li@example.cn"].startswith("课程")
    assert subjects["ali@example.eg"].startswith("دعوة")


def test_a_forged_invitation_link_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="not valid"):
        services.invitation_from_token("not-a-real-token")


def test_pending_invitations_are_not_sent_twice(world: World) -> None:
    course = factories.course(world)
    services.invite(course, actor=world.secretariat, emails=["a@example.org"], language="en")
    again = services.invite(
        course, actor=world.secretariat, emails=["a@example.org", "b@example.org"], language="en"
    )
    assert [invitation.email for invitation in again] == ["b@example.org"]


def test_only_the_courses_trainers_invite(world: World) -> None:
    course = factories.course(world)
    with pytest.raises(PermissionDenied):
        services.invite(course, actor=world.outsider, emails=["a@example.org"], language="en")
    # Another Party's focal point reviews that Party's records, not Kenya's course.
    with pytest.raises(PermissionDenied):
        services.invite(course, actor=world.other_focal_point, emails=["a@example.org"], language="en")
    assert not Invitation.objects.exists()


def test_addresses_are_read_from_free_text_and_bad_ones_named(world: World) -> None:
    assert services.parse_addresses("a@example.org, B@example.org;\na@example.org") == [
        "a@example.org",
        "b@example.org",
    ]
    with pytest.raises(ValidationError, match="not-an-address"):
        services.parse_addresses("a@example.org not-an-address")
    with pytest.raises(ValidationError):
        services.parse_addresses("  ")


def test_an_invitation_waits_on_the_invitees_learning_page_until_accepted(world: World) -> None:
    course = factories.course(world)
    services.invite(course, actor=world.secretariat, emails=[world.learner.email], language="en")
    assert [i.course for i in services.pending_invitations(world.learner)] == [course]
    assert services.has_enrolments(world.learner)
    services.accept(services.pending_invitations(world.learner).get(), world.learner)
    assert not services.pending_invitations(world.learner).exists()


# --- cohorts and their dates --------------------------------------------------------------------


def test_a_cohort_studies_only_between_its_dates(world: World) -> None:
    course = factories.course(world)
    cohort = factories.cohort(course, days_before=-3, days_after=10)
    enrolment = factories.enrolled(course, world.learner, cohort_=cohort)
    today = timezone.localdate()
    before = services.window(enrolment, today)
    assert not before.open and before.opens_on == cohort.starts_on
    assert services.window(enrolment, cohort.starts_on).open
    after = services.window(enrolment, cohort.ends_on + timedelta(days=1))
    assert not after.open and after.read_only
    with pytest.raises(ValidationError):
        services.check_may_study(enrolment, today)


def test_cohorts_need_a_name_of_their_own_and_dates_in_order(world: World) -> None:
    course = factories.course(world)
    today = timezone.localdate()
    services.create_cohort(course, actor=world.secretariat, name="June", starts_on=today, ends_on=today)
    with pytest.raises(ValidationError) as error:
        services.create_cohort(
            course, actor=world.secretariat, name="june", starts_on=today, ends_on=today - timedelta(days=1)
        )
    assert set(error.value.message_dict) == {"name", "ends_on"}
    with pytest.raises(PermissionDenied):
        services.create_cohort(course, actor=world.learner, name="Mine", starts_on=today, ends_on=today)


def test_a_cohort_tied_to_an_event_enrols_its_confirmed_participants_once(world: World) -> None:
    from clearinghouse.events.models import Registration, RegistrationStatus
    from clearinghouse.events.tests import factories as event_factories
    from clearinghouse.learning.enrolment_tasks import enrol_event_cohorts
    from clearinghouse.vocabularies.services import data_files, load_vocabularies

    load_vocabularies(data_files())
    event = event_factories.published(world)
    course = factories.course(world, self_enrolment=False)
    cohort = services.create_cohort(
        course,
        actor=world.secretariat,
        name="Nairobi training",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=30),
        event=event,
    )

    def registration(person: object, status: str, email: str) -> Registration:
        return Registration.objects.create(
            event=event, person=person, name="Someone", email=email, status=status, language="fr"
        )

    registration(world.learner, RegistrationStatus.CONFIRMED, world.learner.email)
    registration(world.trainer, RegistrationStatus.CONFIRMED, world.trainer.email)
    registration(world.outsider, RegistrationStatus.WAITLISTED, world.outsider.email)
    registration(None, RegistrationStatus.CONFIRMED, "no-account@example.org")

    assert services.enrol_event_participants(cohort) == 2
    enrolled = {e.person: e for e in course.enrolments.all()}
    assert set(enrolled) == {world.learner, world.trainer}
    assert all(e.method == EnrolmentMethod.EVENT and e.cohort == cohort for e in enrolled.values())
    # Pierre reads French, which the course has.
    assert enrolled[world.trainer].language == "fr"

    # The nightly job enrols nobody twice, nor someone who withdrew.
    services.withdraw(enrolled[world.learner])
    assert enrol_event_cohorts.call_local() == 0
    assert course.enrolments.count() == 2
    assert course.enrolments.get(person=world.learner).status == EnrolmentStatus.WITHDRAWN


def test_the_header_asks_in_one_query_whether_the_person_studies(
    world: World, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    course = factories.course(world)
    services.invite(course, actor=world.secretariat, emails=[world.learner.email], language="en")
    factories.enrolled(course, world.trainer)
    for person, expected in ((world.learner, True), (world.trainer, True), (world.outsider, False)):
        with django_assert_num_queries(1):
            assert services.has_enrolments(person) is expected
            # Asked again in the same request: not asked of the database again.
            assert services.has_enrolments(person) is expected


def test_someone_who_withdrew_comes_back_to_an_invitation_only_course_in_their_cohort(world: World) -> None:
    course = factories.course(world, self_enrolment=False)
    cohort = factories.cohort(course)
    [invitation] = services.invite(
        course, actor=world.secretariat, emails=[world.learner.email], cohort=cohort, language="en"
    )
    enrolment = services.accept(invitation, world.learner, language="en")
    services.withdraw(enrolment)
    again = services.enrol(course, world.learner, language="fr")
    assert again.pk == enrolment.pk and again.status == EnrolmentStatus.ACTIVE
    assert (again.method, again.cohort, again.language) == (EnrolmentMethod.INVITATION, cohort, "fr")


def test_coming_back_with_the_course_finished_meanwhile_completes_it(world: World) -> None:
    from clearinghouse.learning import progress

    course = factories.course(world, outline_value=factories.outline(with_quiz=False), rule="completed")
    enrolment = services.enrol(course, world.learner, language="en")
    progress.record(enrolment, "l1", completed=True)
    stale = Enrolment.objects.get(pk=enrolment.pk)
    services.withdraw(enrolment)
    # An offline package uploaded while withdrawn records the last lesson, completing nothing,
    # even through an object read before the learner withdrew.
    progress.record(stale, "l2", completed=True)
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.WITHDRAWN
    again = services.enrol(course, world.learner, language="en")
    again.refresh_from_db()
    assert again.status == EnrolmentStatus.COMPLETED and again.completed_at is not None
