"""Demo learners, after the demo courses (learning.demo) and the events' registrations: the demo
learner, Mei Wang, studies one course, completed and passed another, and has an invitation to a
third; a cohort is tied to a demo event; a dozen other people, who consented to statistics, are
enrolled with their countries, genders and sectors, some half-way, some done. Everything goes
through the enrolment, progress and quiz services, so the activity log is the real one.
Idempotent: people already enrolled are left as they are; nothing happens without demo courses."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone

from clearinghouse.accounts.models import User
from clearinghouse.events.models import Event, RegistrationStatus
from clearinghouse.geo.models import Country
from clearinghouse.learning import enrolment as enrolments
from clearinghouse.learning import outline as outlines
from clearinghouse.learning import progress, quizzes
from clearinghouse.learning.models import Course, Enrolment

_DOMAIN = "demo.clearinghouse.example"
COHORT_NAME = "Demo cohort"

# (local part, first name, last name, interface language, country, gender, sector, IPLC, role)
_OTHERS = [
    ("learner.ar", "Layla", "Hassan", "ar", "EG", "woman", "government", False, "Environmental inspector"),
    ("learner.ma", "Youssef", "Benali", "fr", "MA", "man", "academia", False, "Lecturer"),
    ("learner.sn", "Aminata", "Diallo", "fr", "SN", "woman", "ngo", False, "Project officer"),
    ("learner.br", "João", "Silva", "es", "BR", "man", "government", False, "Park ranger"),
    ("learner.bo", "Nina", "Condori", "es", "BO", "woman", "iplc", True, "Community leader"),
    ("learner.pe", "Wilmer", "Huaman", "es", "PE", "man", "iplc", True, "Territorial monitor"),
    ("learner.ru", "Anna", "Smirnova", "ru", "RU", "woman", "academia", False, "Researcher"),
    ("learner.kz", "Daniyar", "Abenov", "ru", "KZ", "man", "government", False, "Customs officer"),
    ("learner.cn", "Li", "Na", "zh-hans", "CN", "woman", "private", False, "Sustainability manager"),
    ("learner.ke", "Peter", "Mwangi", "en", "KE", "man", "ngo", False, "Field coordinator"),
    ("learner.in", "Priya", "Sharma", "en", "IN", "woman", "intergovernmental", False, "Programme analyst"),
    ("learner.fj", "Mere", "Tuilagi", "en", "FJ", "another", "iplc", True, "Youth representative"),
]


def right_answer(question: Mapping[str, Any]) -> Any:
    """The answer a learner who studied well gives (for the demo's passed quizzes)."""
    kind = question.get("kind")
    choices = question.get("choices") or []
    if kind == "single":
        return next(str(c["key"]) for c in choices if c.get("correct") is True)
    if kind == "multiple":
        return [str(c["key"]) for c in choices if c.get("correct") is True]
    if kind == "true_false":
        return bool(question.get("answer"))
    if kind == "short":
        return next(a for answers in (question.get("accepted") or {}).values() for a in answers if a)
    return {str(p["key"]): str(p["key"]) for p in question.get("pairs") or []}


def _person(local: str, first: str, last: str, language: str) -> User:
    email = f"{local}@{_DOMAIN}"
    person = User.objects.filter(email=email).first()
    if person is None:
        # Counted in statistics only: no password to sign in with.
        person = User.objects.create_user(
            local, email=email, password=None, first_name=first, last_name=last, preferred_language=language
        )
        EmailAddress.objects.get_or_create(
            user=person, email=email, defaults={"verified": True, "primary": True}
        )
    return person


def _study(enrolment: Enrolment, *, share: float, pass_quizzes: bool, at: Any) -> None:
    """Work through the first ``share`` of the course's items: lessons and SCORM modules
    viewed, quizzes answered (right when ``pass_quizzes``, else with nothing right)."""
    located = list(outlines.items(enrolment.course.outline))
    for index, entry in enumerate(located[: max(1, round(len(located) * share))]):
        item = entry.item
        moment = at + timedelta(hours=index)
        if item.get("type") == "quiz":
            key = str(item["key"])
            try:
                attempt = quizzes.start(enrolment, key, at=moment)
                bank = {str(q["key"]): q for q in item.get("questions") or []}
                answers = {k: right_answer(bank[k]) for k in attempt.questions} if pass_quizzes else {}
                quizzes.submit(enrolment, key, answers, attempt=attempt, at=moment)
            except ValidationError:
                continue  # closed, or no attempts left: the demo leaves the quiz as it is
        else:
            progress.record(enrolment, str(item["key"]), completed=True, at=moment)


def _courses() -> list[Course]:
    """Published courses that can be studied: in Chinese first (Mei's language), then in English."""
    found = [course for course in Course.objects.filter(live=True).order_by("identifier") if course.languages]
    return sorted(found, key=lambda course: ("zh" not in course.languages, "en" not in course.languages))


def load() -> list[str]:
    courses = _courses()
    secretariat = User.objects.filter(email=f"secretariat@{_DOMAIN}").first()
    mei = User.objects.filter(email=f"learner@{_DOMAIN}").first()
    if not courses or mei is None:
        return []
    now = timezone.now()
    studying = courses[0]
    done = courses[1] if len(courses) > 1 else None
    invited = courses[2] if len(courses) > 2 else None

    if not Enrolment.objects.filter(person=mei).exists():
        if done is not None:
            enrolment = enrolments.enrol(
                done,
                mei,
                language=enrolments.language_for(done, mei.preferred_language, "en"),
                at=now - timedelta(days=40),
            )
            _study(enrolment, share=1.0, pass_quizzes=True, at=now - timedelta(days=30))
        enrolment = enrolments.enrol(
            studying,
            mei,
            language=enrolments.language_for(studying, mei.preferred_language, "en"),
            at=now - timedelta(days=5),
        )
        _study(enrolment, share=0.4, pass_quizzes=False, at=now - timedelta(days=3))
    if (
        invited is not None
        and secretariat is not None
        and not invited.invitations.filter(email=mei.email).exists()
    ):
        enrolments.invite(invited, actor=secretariat, emails=[mei.email], language="zh-hans")

    countries = {
        country.code: country for country in Country.objects.filter(code__in={o[4] for o in _OTHERS})
    }
    for number, (local, first, last, language, code, gender, sector, iplc, role) in enumerate(_OTHERS):
        person = _person(local, first, last, language)
        for offset, course in enumerate(courses[:2]):
            if Enrolment.objects.filter(course=course, person=person).exists():
                continue
            profile = enrolments.Profile(
                consents=True,
                country=countries.get(code),
                gender=gender,
                represents_iplc=iplc,
                sector=sector,
                job_role=role,
            )
            enrolment = enrolments.enrol(
                course,
                person,
                language=enrolments.language_for(course, language, "en"),
                profile=profile,
                at=now - timedelta(days=60 - number),
            )
            # A spread: some finish and pass, some stop half-way, some fail the quiz.
            stage = (number + offset) % 4
            if stage:
                _study(
                    enrolment,
                    share={1: 1.0, 2: 0.5, 3: 1.0}[stage],
                    pass_quizzes=stage == 1,
                    at=now - timedelta(days=50 - number),
                )

    _event_cohort(studying, secretariat)
    return []


def _event_cohort(course: Course, actor: User | None) -> None:
    """A cohort of the course tied to a demo event with confirmed participants."""
    if actor is None or course.cohorts.filter(name=COHORT_NAME).exists():
        return
    # The event with the most confirmed participants who have an account, the soonest first.
    confirmed = Q(registrations__status=RegistrationStatus.CONFIRMED, registrations__person__isnull=False)
    event = (
        Event.objects.filter(live=True)
        .annotate(people=Count("registrations", filter=confirmed))
        .filter(people__gt=0)
        .order_by("-people", "starts_at")
        .first()
    )
    if event is None:
        return
    today = timezone.localdate()
    cohort = enrolments.create_cohort(
        course,
        actor=actor,
        name=COHORT_NAME,
        starts_on=today - timedelta(days=7),
        ends_on=today + timedelta(days=90),
        event=event,
    )
    enrolments.enrol_event_participants(cohort)
