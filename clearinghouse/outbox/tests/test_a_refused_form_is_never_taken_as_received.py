"""Every form the outbox may queue (``data-outbox`` in its template) answers a refusal with a
4xx status, so that a replay of an invalid form comes back "invalid", with the page's errors,
and is never counted as received: a page that shows its errors with 200 would be taken as sent,
and what the person wrote would be lost without a word."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import clearinghouse
from clearinghouse.community import discussions, follow_up
from clearinghouse.community.models import FollowUpRequest
from clearinghouse.community.tests.factories_discussions import community, member
from clearinghouse.community.tests.follow_up_helpers import alumnus, took_part
from clearinghouse.core.testing import World, invasive_species_need_values
from clearinghouse.events import surveys
from clearinghouse.events.tests import factories as event_factories
from clearinghouse.events.tests.survey_helpers import answers, open_survey, register
from clearinghouse.events.tests.test_registration import make_event
from clearinghouse.helpdesk.tests import factories as helpdesk_factories
from clearinghouse.helpdesk.tests.factories_public import question
from clearinghouse.needs.models import Need
from clearinghouse.outbox.models import Submission
from clearinghouse.publishing import workflow
from clearinghouse.quality.tests.rating_factories import (
    _offline,  # noqa: F401  (fixture: uploads and the matcher kept in the test's directory)
    completed_cooperation,
    followed_course,
)
from clearinghouse.quality.tests.review_factories import under_review

pytestmark = pytest.mark.usefixtures("vocabularies")

REPLAY = {"X-Outbox": "1"}
# A form the outbox may queue: the attribute on a <form> tag of a template.
OUTBOX_FORM = re.compile(r"<form\b[^>]*\sdata-outbox[\s>]")


@dataclass(frozen=True)
class Refused:
    """An invalid submission of one of the outbox's forms: who sends it, where, and what."""

    client: Client
    url: str
    data: dict[str, Any]


def _as(person: Any) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def _need_started(world: World, request: pytest.FixtureRequest) -> Refused:
    # "Save and continue" without the step's required description.
    data = {"owner": f"country:{world.kenya.pk}", "original_language": "en", "action": "next", "title": "T"}
    return Refused(_as(world.authorised_user), "/en/needs/new/need/", data)


def _need_step(world: World, request: pytest.FixtureRequest) -> Refused:
    values = invasive_species_need_values("en", "Customs officers and invasive species", "Training.")
    need = workflow.create(Need, actor=world.authorised_user, owner=world.kenya, values=values)
    data = {"action": "next", "base_revision": need.revision_number, "title": "", "description": ""}
    return Refused(_as(world.authorised_user), f"/en/needs/edit/{need.identifier}/describe/", data)


def _event_registration(world: World, request: pytest.FixtureRequest) -> Refused:
    event = make_event(world)
    data = {"name": "Awa", "email": "not-an-address", "gender": "woman", "sector": "ngo"}
    return Refused(_as(None), f"/en/events/{event.identifier}/register/", data)


def _survey_answer(world: World, request: pytest.FixtureRequest) -> Refused:
    survey = open_survey(world)
    register(survey.event, "Amani Otieno")
    surveys.send_invitations(survey)
    url = reverse("events:survey_answer", args=[survey.invitations.get().token])
    return Refused(_as(None), url, answers(survey, rating="9"))


def _question(world: World, request: pytest.FixtureRequest) -> Refused:
    helpdesk_factories.desk("central", opening_hours=helpdesk_factories.ALWAYS_OPEN)
    return Refused(_as(None), "/en/helpdesk/ask/", question(email=""))


def _message_on_a_ticket(world: World, request: pytest.FixtureRequest) -> Refused:
    helpdesk_factories.desk("central", opening_hours=helpdesk_factories.ALWAYS_OPEN)
    ticket = helpdesk_factories.ticket(requester=world.focal_point, requester_email="")
    url = f"/en/helpdesk/mine/{ticket.reference}/"
    return Refused(_as(world.focal_point), url, {"action": "message", "body": "   "})


def _reply_in_a_discussion(world: World, request: pytest.FixtureRequest) -> Refused:
    public = community(world)
    member(world.learner, public)
    topic = discussions.start_topic(author=world.partner_editor, community=public, title="T", body="First.")
    return Refused(_as(world.learner), str(topic.get_absolute_url()), {"body": ""})


def _follow_up_answer(world: World, request: pytest.FixtureRequest) -> Refused:
    event = event_factories.published(world)
    took_part(alumnus("Amani Otieno"), event, timezone.localdate() - timedelta(days=400))
    follow_up.set_follow_up(event, actor=world.authorised_user, months=6)
    follow_up.run()
    token = follow_up.token_for(FollowUpRequest.objects.get())
    # How much of it was applied is required.
    return Refused(_as(None), reverse("community:follow_up_answer", args=[token]), {"applied_how": "x"})


def _rating(world: World, request: pytest.FixtureRequest) -> Refused:
    course = followed_course(world, world.learner)
    url = reverse("quality:ratings", args=[course.identifier])
    return Refused(_as(world.learner), url, {"stars": "9", "comment": "x"})


def _cooperation_rating(world: World, request: pytest.FixtureRequest) -> Refused:
    commit = request.getfixturevalue("django_capture_on_commit_callbacks")
    _offer, cooperation = completed_cooperation(world, commit)
    url = reverse("quality:rate_cooperation", args=[cooperation.match_id])
    return Refused(_as(world.partner_editor), url, {"stars": "9", "comment": "x"})


def _review(world: World, request: pytest.FixtureRequest) -> Refused:
    _item, _review_round, (assignment, _other) = under_review(world)
    # No answer to any criterion, no recommendation.
    return Refused(_as(world.learner), reverse("quality:assignment", args=[assignment.pk]), {"comment": "x"})


# Each form the outbox may queue, by the template that marks it, with an invalid submission.
CASES: dict[str, tuple[str, Callable[[World, pytest.FixtureRequest], Refused]]] = {
    "need started": ("needs/step.html", _need_started),
    "need step": ("needs/step.html", _need_step),
    "event registration": ("events/registration/register.html", _event_registration),
    "survey answer": ("events/survey/answer.html", _survey_answer),
    "question to the help desk": ("helpdesk/ask.html", _question),
    "message on a ticket": ("helpdesk/my_ticket.html", _message_on_a_ticket),
    "reply in a discussion": ("community/communities/topic.html", _reply_in_a_discussion),
    "follow-up answer": ("community/follow_up/answer.html", _follow_up_answer),
    "rating": ("quality/ratings/item.html", _rating),
    "cooperation rating": ("quality/ratings/cooperation.html", _cooperation_rating),
    "review": ("quality/reviews/assignment.html", _review),
}


def _outbox_templates() -> set[str]:
    """The templates with a form the outbox may queue, named as views render them."""
    found = set()
    for path in Path(clearinghouse.__file__).parent.glob("**/templates/**/*.html"):
        if OUTBOX_FORM.search(path.read_text(encoding="utf-8")):
            found.add(path.as_posix().split("/templates/", 1)[1])
    return found


def test_every_form_the_outbox_may_queue_is_tried_here() -> None:
    # A form newly marked data-outbox must join CASES, so that its refusals are checked too.
    assert {template for template, _prepare in CASES.values()} == _outbox_templates()


@pytest.mark.parametrize("case", CASES)
def test_an_invalid_replay_comes_back_invalid_with_the_pages_errors(
    world: World, request: pytest.FixtureRequest, case: str
) -> None:
    _template, prepare = CASES[case]
    refused = prepare(world, request)
    response = refused.client.post(
        refused.url, refused.data | {"submission_id": str(uuid.uuid4())}, headers=REPLAY
    )
    body = response.json()
    assert (response.status_code, body["outcome"]) == (400, "invalid"), body
    assert body["errors"], "the person reads why, in the outbox"
    assert not Submission.objects.exists(), "refused, so the corrected form may be sent again"
