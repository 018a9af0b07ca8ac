"""Participants rate what they took part in, once each, and change or remove their rating;
everyone else is refused with a message that says why."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clearinghouse.core.testing import World
from clearinghouse.events.tests.attendance_factories import register
from clearinghouse.learning import enrolment
from clearinghouse.learning.models import Enrolment, EnrolmentStatus
from clearinghouse.quality import ratings
from clearinghouse.quality.models import Rating, Use
from clearinghouse.quality.tests.rating_factories import (
    Commit,
    _offline,  # noqa: F401  (fixture)
    attended_event,
    completed_cooperation,
    cooperation_under_way,
    download,
    followed_course,
    resource,
    vocabularies,  # noqa: F401  (fixture)
)

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_a_participant_checked_in_at_an_event_rates_it(world: World) -> None:
    event = attended_event(world, world.learner)
    rating = ratings.rate_record(event, person=world.learner, stars=5, comment="Très utile.", language="fr")
    assert (rating.identifier, rating.record_type, rating.stars, rating.language) == (
        event.identifier,
        "EVENT",
        5,
        "fr",
    )
    assert ratings.summary(event.identifier).count == 1


def test_registering_without_being_checked_in_is_not_taking_part(world: World) -> None:
    event = attended_event(world, world.learner, checked_in=False)
    with pytest.raises(PermissionDenied, match="checked in at this event"):
        ratings.rate_record(event, person=world.learner, stars=4)
    assert not Rating.objects.exists()


def test_someone_who_was_not_there_cannot_rate_the_event(world: World) -> None:
    event = attended_event(world, world.learner)
    with pytest.raises(PermissionDenied):
        ratings.rate_record(event, person=world.outsider, stars=1, comment="Never went.")


def test_a_learner_rates_a_course_and_a_withdrawn_one_may_not(world: World) -> None:
    course = followed_course(world, world.learner)
    ratings.rate_record(course, person=world.learner, stars=4)
    other = followed_course(world, world.outsider)
    Enrolment.objects.filter(course=other, person=world.outsider).update(status=EnrolmentStatus.WITHDRAWN)
    with pytest.raises(PermissionDenied, match="enrolled in this course"):
        ratings.rate_record(other, person=world.outsider, stars=2)
    # Enrolling again makes them a learner once more.
    enrolment.enrol(other, world.outsider)
    assert ratings.rate_record(other, person=world.outsider, stars=2).stars == 2


def test_a_resource_is_rated_by_those_who_downloaded_it(world: World) -> None:
    material = resource(world)
    with pytest.raises(PermissionDenied, match="downloaded this resource"):
        ratings.rate_record(material, person=world.learner, stars=3)
    download(material, world.learner)
    download(material, world.learner)  # kept once: the first time
    assert Use.objects.filter(identifier=material.identifier, person=world.learner).count() == 1
    assert ratings.rate_record(material, person=world.learner, stars=3).stars == 3


def test_rating_twice_is_refused_and_the_first_rating_stays(world: World) -> None:
    event = attended_event(world, world.learner)
    ratings.rate_record(event, person=world.learner, stars=5)
    with pytest.raises(ValidationError, match="already rated this"):
        ratings.rate_record(event, person=world.learner, stars=1)
    assert list(Rating.objects.values_list("stars", flat=True)) == [5]


@pytest.mark.parametrize("stars", [0, 6, -1, "5", None, True])
def test_stars_out_of_range_are_refused(world: World, stars: object) -> None:
    event = attended_event(world, world.learner)
    with pytest.raises(ValidationError) as refused:
        ratings.rate_record(event, person=world.learner, stars=stars)  # type: ignore[arg-type]
    assert refused.value.message_dict["stars"] == ["Give from 1 to 5 stars."]
    assert not Rating.objects.exists()


def test_a_comment_longer_than_2000_characters_is_refused(world: World) -> None:
    event = attended_event(world, world.learner)
    with pytest.raises(ValidationError) as refused:
        ratings.rate_record(event, person=world.learner, stars=3, comment="x" * 2001)
    assert "comment" in refused.value.message_dict
    assert ratings.rate_record(event, person=world.learner, stars=3, comment="x" * 2000).comment


def test_the_rater_changes_and_removes_their_rating_and_no_one_else_can(world: World) -> None:
    event = attended_event(world, world.learner)
    rating = ratings.rate_record(event, person=world.learner, stars=2, comment="Too short.")
    with pytest.raises(PermissionDenied):
        ratings.change(rating, person=world.outsider, stars=1)
    with pytest.raises(PermissionDenied):
        ratings.remove(rating, person=world.secretariat)
    changed = ratings.change(rating, person=world.learner, stars=4, comment="Better on second thought.")
    assert (changed.stars, changed.comment) == (4, "Better on second thought.")
    assert ratings.summary(event.identifier).average == 4
    ratings.remove(rating, person=world.learner)
    assert ratings.summary(event.identifier).count == 0
    # Removed, it may be given again.
    assert ratings.rate_record(event, person=world.learner, stars=3).stars == 3


def test_averages_count_every_rating(world: World) -> None:
    event = attended_event(world, world.learner)
    for person, stars in ((world.learner, 5), (world.outsider, 4), (world.trainer, 2)):
        if person is not world.learner:
            register(event, person.username, email=person.email, person=person, checked_in_at=event.starts_at)
        ratings.rate_record(event, person=person, stars=stars)
    found = ratings.summary(event.identifier)
    assert (found.count, found.rounded, dict(found.by_stars)) == (3, 3.7, {5: 1, 4: 1, 2: 1})
    assert [bar[:2] for bar in found.bars] == [(5, 1), (4, 1), (3, 0), (2, 1), (1, 0)]


def test_the_raters_party_is_kept(world: World) -> None:
    event = attended_event(world, world.authorised_user)
    rating = ratings.rate_record(event, person=world.authorised_user, stars=4)
    # Kenya's authorised user rates for Kenya (their appointment's Party).
    assert rating.country == world.kenya


def test_both_sides_of_a_completed_cooperation_rate_it(
    world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    offer, cooperation = completed_cooperation(world, django_capture_on_commit_callbacks)
    ratings.rate_cooperation(
        cooperation, person=world.authorised_user, stars=5, comment="Excellent trainers."
    )
    ratings.rate_cooperation(cooperation, person=world.partner_editor, stars=4, comment="Motivated officers.")
    assert ratings.cooperation_summary(cooperation).count == 2
    with pytest.raises(ValidationError, match="already rated"):
        ratings.rate_cooperation(cooperation, person=world.partner_editor, stars=1)
    with pytest.raises(PermissionDenied, match="requester or the provider"):
        ratings.rate_cooperation(cooperation, person=world.outsider, stars=1)
    # The requester's people rate the offer it received; the provider does not rate its own.
    assert ratings.rate_record(offer, person=world.focal_point, stars=5).record_type == "OFFER"
    with pytest.raises(PermissionDenied, match="requesters of a completed cooperation"):
        ratings.rate_record(offer, person=world.partner_editor, stars=5)


def test_a_cooperation_under_way_cannot_be_rated_yet(
    world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    offer, cooperation = cooperation_under_way(world, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="once it is completed"):
        ratings.rate_cooperation(cooperation, person=world.authorised_user, stars=5)
    with pytest.raises(PermissionDenied):
        ratings.rate_record(offer, person=world.authorised_user, stars=5)


def test_a_providers_ratings_gather_its_offers_and_cooperations(
    world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    offer, cooperation = completed_cooperation(world, django_capture_on_commit_callbacks)
    ratings.rate_cooperation(cooperation, person=world.authorised_user, stars=3)
    ratings.rate_record(offer, person=world.authorised_user, stars=5)
    found = ratings.overall(ratings.of_provider(world.kenyan_ngo.pk))
    assert (found.count, found.average) == (2, 4)
    assert ratings.overall(ratings.of_provider(world.tanzanian_ngo.pk)).count == 0
    assert [c.pk for c in ratings.cooperations_to_rate(world.authorised_user)] == [cooperation.pk]
    assert ratings.cooperations_to_rate(world.outsider) == []
