"""The issue's walk, through the services people's pages call: a learner rates the course they
follow; a reviewer reviews a guidance material against the standard in force; the Secretariat
judges it and sees both on the dashboard, and monitoring counts them. The bad input of the
issue is refused on the way: rating what one did not take part in, rating twice, reviewing
one's own material, a review after the judgment."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.learning.tests.cert_factories import enrol, make_course
from clearinghouse.monitoring.compute import Period, measure_values
from clearinghouse.publishing.registry import measures
from clearinghouse.quality import ratings, standards
from clearinghouse.quality import review_services as reviews
from clearinghouse.quality.models import AppliesTo, Judgment, Scale
from clearinghouse.support.models import Resource
from clearinghouse.support.tests.factories import published
from clearinghouse.support.tests.samples import sample
from clearinghouse.vocabularies.services import data_files, load_vocabularies

pytestmark = pytest.mark.django_db

# A good answer on each scale: 4 out of 5, met, yes.
GOOD = {Scale.RATING: 4, Scale.MET: 2, Scale.YES_NO: 1}


def test_a_learner_rates_a_course_a_reviewer_reviews_a_material_and_the_secretariat_sees_it(
    world: World, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    standards.load()
    load_vocabularies(data_files())
    today = timezone.localdate()

    # The learner follows a course and rates it; the outsider, who never enrolled, cannot.
    course = make_course(world)
    enrol(course, world.learner)
    with django_capture_on_commit_callbacks(execute=True):
        rating = ratings.rate_record(course, person=world.learner, stars=4, comment="Clear and practical.")
    assert (rating.identifier, rating.record_type, rating.stars) == (course.identifier, "COURSE", 4)
    with pytest.raises(PermissionDenied):
        ratings.rate_record(course, person=world.outsider, stars=1)
    with pytest.raises(ValidationError):
        ratings.rate_record(course, person=world.learner, stars=5)  # twice: change it instead

    # Kenya publishes a guidance material; the Secretariat opens a round against the standard
    # for guidance materials in force, and asks the trainer to review it.
    guide = published(Resource, world, sample(Resource, world))
    standard = standards.standards_in_force(AppliesTo.MATERIAL).get()
    review = reviews.open_round(
        world.secretariat, guide.identifier, standard, due_on=today + timedelta(days=14)
    )
    with pytest.raises(ValidationError, match="reviewing one's own material"):
        reviews.assign(world.secretariat, review, world.authorised_user)  # its author
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assignment = reviews.assign(world.secretariat, review, world.trainer)
    # The reviewer is told by e-mail.
    assert [sent.to for sent in mail.outbox] == [[world.trainer.email]]

    # The dashboard shows the round under review, the trainer's review pending.
    client.force_login(world.secretariat)
    url = reverse("quality:dashboard")
    (line,) = client.get(url).context["dashboard"].rounds
    assert (line.item.key, line.submitted, line.pending, line.overdue) == (guide.identifier, 0, 1, False)

    # The trainer answers every criterion on its scale, recommends, and submits once.
    criteria = list(standard.criteria.all())
    answers = {criterion.pk: (GOOD[criterion.scale], "Well sourced.") for criterion in criteria}
    reviews.submit(
        assignment, world.trainer, answers=answers, recommendation=Judgment.MEETS, comment="A useful guide."
    )
    (line,) = client.get(url).context["dashboard"].rounds
    assert (line.submitted, line.pending, line.ready) == (1, 0, standard.min_reviews <= 1)

    # The Secretariat judges; the guide carries the quality mark; nothing is reviewed after.
    for number in range(standard.min_reviews - 1):
        helper = reviews.assign(
            world.secretariat, review, world.helpdesk_agent if number == 0 else world.learner
        )
        reviewer = helper.reviewer
        reviews.submit(helper, reviewer, answers=answers, recommendation=Judgment.MEETS, comment="Agreed.")
    reviews.judge(world.secretariat, review, Judgment.MEETS)
    assert reviews.quality_mark(guide.identifier) == review
    with pytest.raises(ValidationError):
        reviews.assign(world.secretariat, review, world.other_focal_point)  # a review after the judgment

    found = client.get(url).context["dashboard"]
    assert found.rounds == () and found.rounds_total == 0
    kinds = {kind.key: kind for kind in found.kinds}
    assert (kinds["material"].judged, kinds["material"].meets) == (1, 1)
    (quarter,) = found.quarters
    assert (quarter.judged, quarter.meets, quarter.ratings, quarter.average) == (1, 1, 1, 4.0)
    csv = client.get(url, {"format": "csv"}).content.decode()
    assert "Reviews judged" in csv

    # Monitoring counts the material reviewed and the rating (7.1 and the ratings' measures).
    year = Period.years(today.year)
    assert measure_values(measures()["quality.reviewed"], year, dimension="kind") == {"material": 1.0}
    assert measure_values(measures()["quality.ratings"], year, dimension="record_type") == {"COURSE": 1.0}
    # And the public statistics show the course's rating (one rating: its average is not shown).
    statistics = client.get(reverse("quality:statistics")).context["report"]
    assert [(line.key, line.count, line.average) for line in statistics.by_type] == [("COURSE", 1, None)]
