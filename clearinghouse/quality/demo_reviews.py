"""Demo peer reviews: the GEF course "Developing a national biodiversity finance plan" reviewed
against the courses standard by Kenya's focal point (in English) and IFDD's editor (in French):
judged "needs changes" (a glossary), revised and published again by its author, then judged
"meets the standard" in a second round, so its page shows the quality mark; and the OSS
manual on monitoring desertification and biodiversity in the Sahel under review against the
guidance-materials standard, Egypt's focal point's review (in Arabic) submitted and AIDESEP's
representative's still awaited.

Made through the services quality staff and reviewers use, against the standards in force
(quality.demo_standards loads them first); the rounds are then moved back in time. Idempotent:
a round is found again by its item and standard, and each step is taken only once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from clearinghouse.accounts.demo import demo_person
from clearinghouse.accounts.models import User
from clearinghouse.learning.models import Course
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import Record
from clearinghouse.quality import review_services as reviews
from clearinghouse.quality.models import (
    AppliesTo,
    Assignment,
    AssignmentStatus,
    Judgment,
    Review,
    ReviewStatus,
    Standard,
    VersionStatus,
)
from clearinghouse.support.models import Resource

COURSE_TITLE = "Developing a national biodiversity finance plan"
MATERIAL_TITLE = "Manuel de suivi de la désertification et de la biodiversité au Sahel"

# What reviewers write under criteria, in their own language: praise where the answer is the
# scale's best, a precise request where it is not.
PRAISE = {
    "en": [
        "Clearly met: the module on expenditure reviews shows it well.",
        "Yes, and the examples come from several regions.",
        "Well done; the quiz checks exactly what the objectives promise.",
    ],
    "fr": [
        "Pleinement satisfait : les objectifs sont énoncés dès la première page.",
        "Oui, avec des exemples d'Afrique francophone utiles aux apprenants.",
        "Bien conçu ; la progression d'un module à l'autre est claire.",
    ],
    "ar": [
        "متحقق بوضوح: المنهجية موصوفة خطوة بخطوة.",
        "نعم، والأمثلة من منطقة الساحل مناسبة للمستخدمين.",
        "جيد؛ المصطلحات معرّفة في المسرد.",
    ],
}
ASK = {
    "en": "Mostly there; a short glossary of budget terms would help non-specialists.",
    "fr": "Presque : ajouter une synthèse d'une page à la fin de chaque module.",
    "ar": "جزئيًا: ينبغي إضافة ملخص باللغة العربية لكل فصل حتى يستفيد منه المستخدمون في المنطقة.",
}
OVERALL = {
    "en": (
        "A well-built course that answers a real need of finance and environment ministries. The "
        "objectives are clear, the modules follow the steps of a finance plan, and the quiz tests "
        "what was taught. Adding a glossary would make it easier for newcomers; this does not "
        "prevent it from meeting the standard."
    ),
    "fr": (
        "Cours solide et bien structuré, utile aux ministères des finances comme de "
        "l'environnement. Je recommande de le reconnaître conforme à la norme ; une courte "
        "synthèse par module le rendrait encore plus accessible aux apprenants francophones."
    ),
    "ar": (
        "دليل عملي ومفيد لرصد التصحر والتنوع البيولوجي في منطقة الساحل، والمنهجية واضحة وقابلة "
        "للتطبيق. غير أن الدليل متاح بالفرنسية فقط، وبعض البروتوكولات الميدانية تحتاج إلى أمثلة من "
        "مواقع مختلفة. أوصي بإجراء تعديلات قبل منحه علامة الجودة."
    ),
}
CHANGES_NOTE = (
    "Both reviewers found the course clear and useful to the ministries it is written for. Before "
    "it can meet the standard, please add a short glossary of budget terms for non-specialists, as "
    "the first reviewer asks."
)
JUDGMENT_NOTE = (
    "The new version adds the glossary of budget terms the reviewers asked for; both find the "
    "course now meets the standard."
)
GLOSSARY = (
    "A glossary of budget terms (expenditure review, finance gap, finance solution) opens the "
    "course, for readers who are not budget specialists."
)
# The demo trainer writes the demo courses (learning.demo).
AUTHOR = "trainer"


def _standard(applies_to: str) -> Standard:
    found = (
        Standard.objects.filter(applies_to=applies_to, status=VersionStatus.IN_FORCE).order_by("code").first()
    )
    if found is None:
        raise CommandError(
            f"No quality standard for {applies_to} is in force: the standards' demo "
            "(clearinghouse.quality.demo_standards) must load first."
        )
    return found


def _course() -> Course:
    found = Course.objects.filter(live=True, title__en=COURSE_TITLE).first()
    if found is None:
        raise CommandError(f"The demo course “{COURSE_TITLE}” is missing: the learning demo must load first.")
    return found


def _material() -> Resource:
    found = Resource.objects.filter(live=True, title__fr=MATERIAL_TITLE).first()
    if found is None:
        raise CommandError(
            f"The demo resource “{MATERIAL_TITLE}” is missing: the support demo must load first."
        )
    return found


def _round(record: Record, standard: Standard, secretariat: User, *, due_in: int) -> Review:
    found = (
        Review.objects.filter(identifier=record.identifier, standard__code=standard.code)
        .order_by("-round")
        .first()
    )
    if found is not None:
        return found
    return reviews.open_round(
        secretariat, record.identifier, standard, due_on=timezone.localdate() + timedelta(days=due_in)
    )


def _assigned(review: Review, secretariat: User, reviewer: User) -> Assignment:
    found = review.assignments.filter(reviewer=reviewer).first()
    return found if found is not None else reviews.assign(secretariat, review, reviewer)


def _answers(review: Review, language: str, *, perfect: bool) -> dict[int, tuple[Any, str]]:
    """The scale's best value with praise on each criterion; a reviewer who asks for changes
    gives the next value, and says what is missing, on every other criterion."""
    answers: dict[int, tuple[Any, str]] = {}
    for index, criterion in enumerate(review.standard.criteria.all()):
        values = reviews.SCALE_VALUES[criterion.scale]
        if not perfect and index % 2 == 1:
            answers[criterion.pk] = (values[1], ASK[language])
        else:
            answers[criterion.pk] = (values[0], PRAISE[language][index % len(PRAISE[language])])
    return answers


def _submitted(assignment: Assignment, language: str, recommendation: str) -> Assignment:
    if assignment.status != AssignmentStatus.ASSIGNED or assignment.review.status != ReviewStatus.OPEN:
        return assignment
    return reviews.submit(
        assignment,
        assignment.reviewer,
        answers=_answers(assignment.review, language, perfect=recommendation == Judgment.MEETS),
        recommendation=recommendation,
        comment=OVERALL[language],
        language=language,
    )


def _back_in_time(review: Review, days: int) -> None:
    """Moves a round made today to have opened ``days`` ago, its steps spread since."""
    now = timezone.now()
    opened = now - timedelta(days=days)
    Review.objects.filter(pk=review.pk).update(
        opened_at=opened,
        due_on=(opened + timedelta(days=21)).date(),
        # Four weeks after it opened, or two days ago for a recent round.
        judged_at=min(opened + timedelta(days=28), now - timedelta(days=2)) if review.judged_at else None,
    )
    Assignment.objects.filter(review=review).update(assigned_at=opened + timedelta(hours=2))
    for step, assignment in enumerate(
        review.assignments.filter(status=AssignmentStatus.SUBMITTED).order_by("pk")
    ):
        Assignment.objects.filter(pk=assignment.pk).update(
            submitted_at=opened + timedelta(days=10 + 5 * step)
        )


def _reviewed_by_two(review: Review, secretariat: User, recommendations: tuple[str, str]) -> None:
    """Kenya's focal point (in English) and IFDD's editor (in French) review the round."""
    for (person, language), recommendation in zip(
        (("focalpoint.ke", "en"), ("partner.ifdd", "fr")), recommendations, strict=True
    ):
        _submitted(_assigned(review, secretariat, demo_person(person)), language, recommendation)
    needed = (
        review.standard.min_reviews - review.assignments.filter(status=AssignmentStatus.SUBMITTED).count()
    )
    if needed > 0:
        raise CommandError(
            f"The courses standard asks {review.standard.min_reviews} reviews; the demo gives 2."
        )


def _revised(course: Course, since: int) -> None:
    """The course's author adds the glossary the reviewers asked for, and the Secretariat
    publishes the new version (unless a version newer than ``since`` is published already)."""
    if reviews.published_version(course) > since:
        return
    author, reviewer = demo_person(AUTHOR), demo_person("secretariat")
    description = dict(course.description)
    description["en"] = f"{description.get('en', '')}\n\n{GLOSSARY}".strip()
    workflow.save_draft(
        course,
        actor=author,
        values={"description": description},
        base_revision=course.revision_number,
        note="A glossary of budget terms, as the peer reviewers asked",
    )
    workflow.submit(course, actor=author)
    workflow.publish(course, actor=reviewer)


def _judged_course(secretariat: User, standard: Standard) -> Review:
    """Round 1 asks for changes (a glossary); the author adds it and publishes a new version;
    round 2 finds the course meets the standard: the quality mark, after an improvement."""
    course = _course()
    rounds = Review.objects.filter(identifier=course.identifier, standard__code=standard.code)
    first = rounds.filter(round=1).first()
    if first is None:
        first = _round(course, standard, secretariat, due_in=21)
    if first.status == ReviewStatus.OPEN:
        _reviewed_by_two(first, secretariat, (Judgment.NEEDS_CHANGES, Judgment.MEETS))
        first = reviews.judge(secretariat, first, Judgment.NEEDS_CHANGES, CHANGES_NOTE)
        _back_in_time(first, 75)
    second = Review.objects.filter(
        identifier=course.identifier, standard__code=standard.code, round=2
    ).first()
    if second is None:
        _revised(course, first.record_version)
        second = reviews.open_round(
            secretariat, course.identifier, standard, due_on=timezone.localdate() + timedelta(days=21)
        )
    if second.status == ReviewStatus.OPEN:
        _reviewed_by_two(second, secretariat, (Judgment.MEETS, Judgment.MEETS))
        second = reviews.judge(secretariat, second, Judgment.MEETS, JUDGMENT_NOTE)
        _back_in_time(second, 30)
    return second


def _material_under_review(secretariat: User, standard: Standard) -> Review:
    review = _round(_material(), standard, secretariat, due_in=21)
    if review.status != ReviewStatus.OPEN or review.assignments.exists():
        return review
    _submitted(_assigned(review, secretariat, demo_person("focalpoint.eg")), "ar", Judgment.NEEDS_CHANGES)
    _assigned(review, secretariat, demo_person("iplc.pe"))
    _back_in_time(review, 12)
    return review


def load() -> list[str]:
    # The standards first: without them, say so before anything else is looked for.
    course_standard, material_standard = _standard(AppliesTo.COURSE), _standard(AppliesTo.MATERIAL)
    secretariat = demo_person("secretariat")
    judged = _judged_course(secretariat, course_standard)
    open_round = _material_under_review(secretariat, material_standard)
    pending = open_round.assignments.filter(status=AssignmentStatus.ASSIGNED).count()
    return [
        f"{'Peer reviews (/quality/reviews/)':32} {judged.identifier} {judged.get_judgment_display()}; "
        f"{open_round.identifier} under review ({pending} review awaited)",
        f"{'  sign in as iplc.pe':32} has a review to write (My reviews)",
    ]
