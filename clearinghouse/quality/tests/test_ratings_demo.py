"""The demo's ratings: participants of a past event, learners of a course, readers of a material
and both sides of a completed cooperation rate them, in their own languages, through the
services (no one who did not take part); loading twice changes nothing."""

from __future__ import annotations

import pytest

from clearinghouse.accounts.models import User
from clearinghouse.core.testing import World
from clearinghouse.quality import demo_ratings, ratings
from clearinghouse.quality.models import Rating, Use
from clearinghouse.quality.tests.rating_factories import (
    Commit,
    _offline,  # noqa: F401  (fixture)
    attended_event,
    completed_cooperation,
    followed_course,
    resource,
    vocabularies,  # noqa: F401  (fixture)
)

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_the_demo_rates_what_people_took_part_in_and_loads_once(
    world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    reader = User.objects.create_user(
        "demo-learner", email="learner@demo.clearinghouse.example", preferred_language="ar"
    )
    event = attended_event(world, world.learner)
    attended_event(world, world.outsider, checked_in=False)
    course = followed_course(world, world.trainer)
    material = resource(world)
    offer, cooperation = completed_cooperation(world, django_capture_on_commit_callbacks)

    said = demo_ratings.load()
    # Event, course, material and offer, and the cooperation by both its sides.
    assert "6 ratings of 4 events, courses, materials and offers and 1 cooperation(s)" in said[0]

    assert ratings.summary(event.identifier).count == 1
    assert ratings.summary(course.identifier).count == 1
    assert Rating.objects.get(identifier=material.identifier).person == reader
    assert Use.objects.filter(identifier=material.identifier, person=reader).exists()
    assert ratings.cooperation_summary(cooperation).count == 2
    assert ratings.summary(offer.identifier).count == 1
    # Registered but never checked in: no rating.
    assert not Rating.objects.filter(person=world.outsider).exists()
    # In the raters' own languages.
    languages = set(Rating.objects.exclude(comment="").values_list("language", flat=True))
    assert {"zh", "fr", "ar"} <= languages | set(Rating.objects.values_list("language", flat=True))

    count = Rating.objects.count()
    demo_ratings.load()
    assert Rating.objects.count() == count
