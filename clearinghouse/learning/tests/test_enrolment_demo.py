"""The demo's learners: Mei studies one course, completed another, is invited to a third; a
dozen consenting people give statistics something to count; loading twice changes nothing."""

from __future__ import annotations

import pytest

from clearinghouse.accounts import services as appointments
from clearinghouse.accounts.models import Role, User
from clearinghouse.core.testing import World, make_country
from clearinghouse.learning import demo_learners
from clearinghouse.learning.models import Activity, Enrolment, EnrolmentStatus, Invitation
from clearinghouse.learning.tests import factories

pytestmark = pytest.mark.django_db


def demo_people() -> None:
    """The two demo accounts the loader looks for, and the demo learners' countries."""
    User.objects.create_user(
        "demo-learner", email="learner@demo.clearinghouse.example", preferred_language="zh-hans"
    )
    secretariat = User.objects.create_user("demo-secretariat", email="secretariat@demo.clearinghouse.example")
    appointments.appoint(actor=None, user=secretariat, role=Role.SECRETARIAT)
    for row in demo_learners._OTHERS:
        make_country(row[4], f"X{row[4]}", {"en": row[4]})


def test_without_demo_courses_the_demo_learners_do_nothing(world: World) -> None:
    demo_people()
    assert demo_learners.load() == []
    assert not Enrolment.objects.exists()


def test_the_demo_learners_study_through_the_services_and_load_once(world: World) -> None:
    demo_people()
    courses = [factories.course(world) for _ in range(3)]
    demo_learners.load()
    mei = User.objects.get(email="learner@demo.clearinghouse.example")
    mine = {e.course_id: e for e in Enrolment.objects.filter(person=mei)}
    assert mine[courses[1].pk].status == EnrolmentStatus.COMPLETED and mine[courses[1].pk].passed
    assert mine[courses[0].pk].status == EnrolmentStatus.ACTIVE
    assert mine[courses[0].pk].progress.exists()
    assert Invitation.objects.filter(course=courses[2], email=mei.email, accepted_at__isnull=True).exists()
    others = Enrolment.objects.exclude(person=mei)
    assert others.filter(consents_to_statistics=True).count() == 24
    assert len(set(others.values_list("country", flat=True))) == 12
    assert set(others.values_list("gender", flat=True)) == {"woman", "man", "another"}
    assert others.filter(status=EnrolmentStatus.COMPLETED).exists()
    assert Activity.objects.filter(verb="passed").exists() and Activity.objects.filter(verb="failed").exists()

    counts = (Enrolment.objects.count(), Activity.objects.count(), Invitation.objects.count())
    demo_learners.load()
    assert (Enrolment.objects.count(), Activity.objects.count(), Invitation.objects.count()) == counts
