"""Studying online, as a learner does it in the browser: enrol, open the course, read lessons,
answer a quiz through its plain HTML form, see the result, find it all on "My learning"."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.learning import enrolment as services
from clearinghouse.learning.models import Activity, Enrolment, EnrolmentStatus, QuizAttempt
from clearinghouse.learning.tests import factories

pytestmark = pytest.mark.django_db


def signed_in(client: Client, person: object) -> Client:
    client.force_login(person)  # type: ignore[arg-type]
    return client


def test_the_catalogues_button_leads_to_the_enrolment_form_then_the_course(
    world: World, client: Client
) -> None:
    course = factories.course(world)
    signed_in(client, world.learner)
    url = reverse("learning:enrol", args=[course.identifier])
    # The catalogue posts its button (perhaps with a language): the form asks first, nothing is
    # enrolled yet.
    page = client.post(url, {"language": "fr"})
    assert page.status_code == 200
    assert not Enrolment.objects.exists()
    assert 'name="language"' in page.content.decode()
    answer = client.post(
        url,
        {
            "step": "details",
            "language": "fr",
            "consents_to_statistics": "on",
            "country": world.kenya.pk,
            "sector": "ngo",
        },
    )
    assert answer.status_code == 302 and answer["Location"].endswith(f"/learning/study/{course.identifier}/")
    enrolment = Enrolment.objects.get()
    assert (enrolment.language, enrolment.country, enrolment.sector) == ("fr", world.kenya, "ngo")


def test_enrolling_asks_to_sign_in_first(world: World, client: Client) -> None:
    course = factories.course(world)
    answer = client.post(reverse("learning:enrol", args=[course.identifier]))
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_an_invitation_only_course_says_so_and_offers_no_form(world: World, client: Client) -> None:
    course = factories.course(world, self_enrolment=False)
    page = signed_in(client, world.learner).get(reverse("learning:enrol", args=[course.identifier]))
    text = page.content.decode()
    assert "invitation only" in text and 'name="language"' not in text
    answer = client.post(
        reverse("learning:enrol", args=[course.identifier]), {"step": "details", "language": "en"}
    )
    assert answer.status_code == 200 and not Enrolment.objects.exists()


def test_an_unpublished_course_is_not_found(world: World, client: Client) -> None:
    course = factories.course(world, publish=False)
    answer = signed_in(client, world.learner).get(reverse("learning:enrol", args=[course.identifier]))
    assert answer.status_code == 404


def test_studying_without_an_enrolment_leads_to_the_enrolment_page(world: World, client: Client) -> None:
    course = factories.course(world)
    answer = signed_in(client, world.outsider).get(reverse("learning:lesson", args=[course.identifier, "l1"]))
    assert answer.status_code == 302 and "/enrol/" in answer["Location"]


def test_the_course_home_shows_modules_marks_percent_and_where_to_resume(
    world: World, client: Client
) -> None:
    course = factories.course(world)
    factories.enrolled(course, world.learner, language="en")
    signed_in(client, world.learner)
    home = reverse("learning:study", args=[course.identifier])
    text = client.get(home).content.decode()
    assert "Basics" in text and "Assessment" in text and "Pathways" in text
    assert 'value="0"' in text
    # The course can be taken offline, its size said before the download.
    assert reverse("learning:offline_package", args=[course.identifier]) in text
    client.get(reverse("learning:lesson", args=[course.identifier, "l1"]))
    text = client.get(home).content.decode()
    # One of two lessons and one quiz: a third done; the next lesson is where to resume.
    assert 'value="33"' in text
    resume = re.search(r'class="button" href="([^"]+)"', text)
    assert resume is not None and resume.group(1).endswith("/lesson/l2/")


def test_a_lesson_shows_its_body_video_transcript_files_and_neighbours(world: World, client: Client) -> None:
    course = factories.course(world)
    enrolment = factories.enrolled(course, world.learner, language="en")
    text = (
        signed_in(client, world.learner)
        .get(reverse("learning:lesson", args=[course.identifier, "l1"]))
        .content.decode()
    )
    assert "what invasive species are" in text
    assert 'href="https://video.example.org/l1"' in text and "Transcript one." in text
    assert 'href="https://files.example.org/slides.pdf"' in text
    assert f'href="{reverse("learning:lesson", args=[course.identifier, "l2"])}" rel="next"' in text
    # Opening it is viewing it, once, with its xAPI "experienced".
    assert enrolment.progress.get(item_key="l1").completed_at is not None
    client.get(reverse("learning:lesson", args=[course.identifier, "l1"]))
    assert Activity.objects.filter(enrolment=enrolment, verb="experienced", object_key="l1").count() == 1


def test_a_lesson_never_carries_a_script_whatever_the_outline_holds(world: World, client: Client) -> None:
    outline = factories.outline()
    outline["modules"][0]["items"][0]["body"]["en"] = (
        '<p onclick="x()">Hi</p><script>alert(1)</script><img src="https://i.example.org/a.png" alt="A map">'
    )
    course = factories.course(world, outline_value=outline)
    factories.enrolled(course, world.learner, language="en")
    text = (
        signed_in(client, world.learner)
        .get(reverse("learning:lesson", args=[course.identifier, "l1"]))
        .content.decode()
    )
    assert "<script>alert" not in text and "onclick" not in text
    assert '<img src="https://i.example.org/a.png" alt="A map">' in text


def _quiz_page(client: Client, identifier: str) -> str:
    return client.get(reverse("learning:quiz", args=[identifier, "q1"])).content.decode()


def _start(client: Client, identifier: str) -> QuizAttempt:
    client.post(reverse("learning:quiz", args=[identifier, "q1"]), {"action": "start"})
    return QuizAttempt.objects.filter(submitted_at__isnull=True).get()


def right_answers(attempt: QuizAttempt) -> dict[str, object]:
    """The form's fields filled in right."""
    return {
        "action": "submit",
        "attempt": attempt.pk,
        "answer_single1": "a",
        "answer_multiple1": ["a", "b"],
        "answer_truefalse1": "true",
        "answer_short1": "  CORAL reef ",
        "answer_match1__p1": "p1",
        "answer_match1__p2": "p2",
    }


def test_a_quiz_round_trip_through_its_form(world: World, client: Client) -> None:
    course = factories.course(world)
    enrolment = factories.enrolled(course, world.learner, language="en")
    signed_in(client, world.learner)
    assert "Start the quiz" in _quiz_page(client, course.identifier)
    attempt = _start(client, course.identifier)
    form = _quiz_page(client, course.identifier)
    # Every kind of question as a plain control: radios, check boxes, a text box, selects.
    assert 'type="radio" name="answer_single1"' in form
    assert 'type="checkbox" name="answer_multiple1"' in form
    assert 'name="answer_short1"' in form
    assert '<select name="answer_match1__p1"' in form
    assert "Which is an invasive species?" in form

    wrong = right_answers(attempt) | {"answer_single1": "b", "answer_short1": "forest"}
    result = client.post(reverse("learning:quiz", args=[course.identifier, "q1"]), wrong, follow=True)
    text = result.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.score is not None
    assert float(attempt.score) == 0.6 and attempt.passed  # 3 of 5 against a pass mark of 60
    assert "You passed, with 60%." in text
    assert "3 of 5 questions answered right." in text
    # Right or wrong per question, the feedback, never the right answer to a missed one.
    assert text.count("<strong>Wrong</strong>") == 2
    assert "Water hyacinth spreads fast." in text
    assert "récif" not in text and "coral reef" not in text.lower()
    assert "1 of 2 left" in text
    assert enrolment.progress.get(item_key="q1").passed is True


def test_the_quiz_in_the_language_of_study_and_the_page_in_arabic(world: World, client: Client) -> None:
    course = factories.course(world)
    factories.enrolled(course, world.learner, language="ar")
    signed_in(client, world.learner)
    _start(client, course.identifier)
    page = client.get(f"/ar/learning/study/{course.identifier}/quiz/q1/")
    text = page.content.decode()
    assert 'dir="rtl"' in text and 'lang="ar"' in text
    assert "أيها نوع غازٍ؟" in text and "Which is an invasive species?" not in text


def test_the_course_home_in_french_with_the_content_in_arabic(world: World, client: Client) -> None:
    course = factories.course(world)
    factories.enrolled(course, world.learner, language="ar")
    text = signed_in(client, world.learner).get(f"/fr/learning/study/{course.identifier}/").content.decode()
    assert '<html lang="fr"' in text and "الأساسيات" in text
    assert 'lang="ar" dir="rtl"' in text


def test_answers_beyond_the_attempts_are_refused_and_nothing_is_saved(world: World, client: Client) -> None:
    course = factories.course(world, outline_value=factories.outline(quiz_settings={"max_attempts": 1}))
    factories.enrolled(course, world.learner, language="en")
    signed_in(client, world.learner)
    attempt = _start(client, course.identifier)
    client.post(reverse("learning:quiz", args=[course.identifier, "q1"]), right_answers(attempt))
    page = client.post(
        reverse("learning:quiz", args=[course.identifier, "q1"]), {"action": "start"}, follow=True
    )
    assert "You have used all 1 attempts at this quiz." in page.content.decode()
    assert QuizAttempt.objects.count() == 1


def test_answers_after_the_closing_date_are_refused_and_nothing_is_saved(
    world: World, client: Client
) -> None:
    course = factories.course(world)
    enrolment = factories.enrolled(course, world.learner, language="en")
    signed_in(client, world.learner)
    attempt = _start(client, course.identifier)
    # The trainer's quiz closed while the learner was answering.
    outline = course.outline
    outline["modules"][1]["items"][0]["closes_at"] = (timezone.now() - timedelta(minutes=1)).isoformat()
    course.outline = outline
    course.save()
    page = client.post(
        reverse("learning:quiz", args=[course.identifier, "q1"]), right_answers(attempt), follow=True
    )
    assert "This quiz closed on" in page.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not enrolment.progress.filter(item_key="q1").exists()


def test_a_cohort_not_started_shows_when_it_opens_and_an_ended_one_is_read_only(
    world: World, client: Client
) -> None:
    course = factories.course(world)
    later = factories.cohort(course, days_before=-5, days_after=20)
    enrolment = factories.enrolled(course, world.learner, language="en", cohort_=later)
    signed_in(client, world.learner)
    home = client.get(reverse("learning:study", args=[course.identifier])).content.decode()
    assert "Your cohort starts studying on" in home
    assert client.get(reverse("learning:lesson", args=[course.identifier, "l1"])).status_code == 302
    assert not enrolment.progress.exists()

    ended = factories.cohort(course, name="Old", days_before=30, days_after=-2)
    Enrolment.objects.filter(pk=enrolment.pk).update(cohort=ended)
    lesson = client.get(reverse("learning:lesson", args=[course.identifier, "l1"]))
    assert lesson.status_code == 200 and "no longer answer or progress" in lesson.content.decode()
    assert not enrolment.progress.exists()
    client.post(reverse("learning:quiz", args=[course.identifier, "q1"]), {"action": "start"})
    assert not QuizAttempt.objects.exists()


def test_completing_the_course_shows_on_my_learning(world: World, client: Client) -> None:
    course = factories.course(world)
    other = factories.course(world)
    factories.enrolled(course, world.learner, language="en")
    factories.enrolled(other, world.learner, language="fr")
    invited = factories.course(world, self_enrolment=False)
    services.invite(invited, actor=world.secretariat, emails=[world.learner.email], language="en")
    signed_in(client, world.learner)
    client.get(reverse("learning:lesson", args=[course.identifier, "l1"]))
    client.get(reverse("learning:lesson", args=[course.identifier, "l2"]))
    attempt = _start(client, course.identifier)
    done = client.post(
        reverse("learning:quiz", args=[course.identifier, "q1"]), right_answers(attempt), follow=True
    )
    assert "You completed the course. Congratulations!" in done.content.decode()
    assert Enrolment.objects.get(course=course).status == EnrolmentStatus.COMPLETED

    mine = client.get(reverse("learning:mine")).content.decode()
    in_progress, completed = mine.split("<h2>Completed</h2>")
    assert other.identifier in in_progress and "Espèces envahissantes" in in_progress
    assert course.identifier in completed
    # Completing it issued the certificate, linked from the page.
    assert reverse("learning:certificate", args=[course.identifier]) in completed
    assert "Invitations waiting for you" in mine and "/learning/invitation/" in mine
    # The header offers the page to people who study.
    assert f'href="{reverse("learning:mine")}"' in mine


def test_withdrawing_from_the_course_page(world: World, client: Client) -> None:
    course = factories.course(world)
    enrolment = factories.enrolled(course, world.learner, language="en")
    signed_in(client, world.learner)
    client.post(reverse("learning:withdraw", args=[course.identifier]))
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN
    assert client.get(reverse("learning:study", args=[course.identifier])).status_code == 302


def test_accepting_an_invitation_asks_to_sign_in_and_works_once(world: World, client: Client) -> None:
    course = factories.course(world, self_enrolment=False)
    [invitation] = services.invite(
        course, actor=world.secretariat, emails=["someone@example.org"], language="en"
    )
    url = reverse("learning:invitation", args=[invitation.token])
    anonymous = client.get(url).content.decode()
    assert "Sign in to accept the invitation" in anonymous and "/accounts/login/?next=" in anonymous
    signed_in(client, world.outsider)
    accepted = client.post(url, {"language": "ar"})
    assert accepted.status_code == 302
    assert Enrolment.objects.get().person == world.outsider
    again = client.get(url)
    assert again.status_code == 404 and "This invitation was already used." in again.content.decode()
    forged = client.get(reverse("learning:invitation", args=["forged-token"]))
    assert forged.status_code == 404 and "not valid" in forged.content.decode()


def test_the_trainer_follows_learners_makes_cohorts_and_invites(world: World, client: Client) -> None:
    course = factories.course(world, created_by=world.trainer)
    enrolment = factories.enrolled(course, world.learner, language="en")
    factories.enrolled(course, world.outsider, language="fr")
    services.withdraw(Enrolment.objects.get(person=world.outsider))
    signed_in(client, world.trainer)
    from clearinghouse.learning import progress

    progress.record(enrolment, "l1", completed=True)
    text = client.get(reverse("learning:learners", args=[course.identifier])).content.decode()
    assert "Mei Wang" in text and "1 of 2" in text
    assert re.search(r"<dt>Withdrawn</dt><dd>1</dd>", text)

    today = timezone.localdate()
    made = client.post(
        reverse("learning:cohorts", args=[course.identifier]),
        {"name": "July", "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=9)).isoformat()},
    )
    assert made.status_code == 302
    cohort = course.cohorts.get()
    bad = client.post(
        reverse("learning:cohorts", args=[course.identifier]),
        {"name": "July", "starts_on": today.isoformat(), "ends_on": today.isoformat()},
    )
    assert "This course already has a cohort of that name." in bad.content.decode()

    sent = client.post(
        reverse("learning:invitations", args=[course.identifier]),
        {"emails": "a@example.org\nb@example.org", "cohort": cohort.pk, "language": "ru"},
        follow=True,
    )
    assert "2 invitations were sent." in sent.content.decode()
    refused = client.post(
        reverse("learning:invitations", args=[course.identifier]), {"emails": "nonsense", "language": "ru"}
    )
    assert "These are not e-mail addresses: nonsense" in refused.content.decode()
    assert course.invitations.count() == 2


def test_the_trainer_pages_are_closed_to_learners(world: World, client: Client) -> None:
    course = factories.course(world)
    signed_in(client, world.learner)
    for name in ("learning:learners", "learning:cohorts", "learning:invitations"):
        assert client.get(reverse(name, args=[course.identifier])).status_code == 403


def test_the_trainer_enrols_an_events_confirmed_participants_from_the_cohort_page(
    world: World, client: Client
) -> None:
    from clearinghouse.events.models import Registration, RegistrationStatus
    from clearinghouse.events.tests import factories as event_factories
    from clearinghouse.vocabularies.services import data_files, load_vocabularies

    load_vocabularies(data_files())
    event = event_factories.published(world)
    Registration.objects.create(
        event=event,
        person=world.learner,
        name="Mei Wang",
        email=world.learner.email,
        status=RegistrationStatus.CONFIRMED,
    )
    course = factories.course(world, created_by=world.trainer)
    signed_in(client, world.trainer)
    today = timezone.localdate()
    made = client.post(
        reverse("learning:cohorts", args=[course.identifier]),
        {"name": "Nairobi", "starts_on": today.isoformat(), "ends_on": today.isoformat(), "event": event.pk},
    )
    cohort = course.cohorts.get()
    assert made["Location"].endswith(reverse("learning:cohort", args=[course.identifier, cohort.pk]))
    page = client.post(
        reverse("learning:cohort_enrol_event", args=[course.identifier, cohort.pk]), follow=True
    )
    text = page.content.decode()
    assert "1 participant of the event was enrolled." in text and "Mei Wang" in text
    again = client.post(
        reverse("learning:cohort_enrol_event", args=[course.identifier, cohort.pk]), follow=True
    )
    assert "0 participants of the event were enrolled." in again.content.decode()
    assert Enrolment.objects.get().cohort == cohort


def test_my_learning_and_the_learners_page_read_a_handful_of_queries(
    world: World, client: Client, django_assert_max_num_queries: object
) -> None:
    from clearinghouse.learning import progress

    courses = [factories.course(world, created_by=world.trainer) for _ in range(6)]
    for course in courses:
        enrolment = factories.enrolled(course, world.learner, language="en")
        progress.record(enrolment, "l1", completed=True)
        for person in (world.outsider, world.focal_point, world.helpdesk_agent):
            factories.enrolled(courses[0], person, language="fr")
    signed_in(client, world.learner)
    # Session, person, the header's questions (one is whether they have reviews to write), the
    # enrolments with their progress, the invitations: not one more per course.
    with django_assert_max_num_queries(13):  # type: ignore[operator]
        assert client.get(reverse("learning:mine")).status_code == 200
    signed_in(client, world.trainer)
    with django_assert_max_num_queries(15):  # type: ignore[operator]
        assert client.get(reverse("learning:learners", args=[courses[0].identifier])).status_code == 200
