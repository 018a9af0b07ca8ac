"""The checklists' pages: the organiser starts one from the event's page, ticks its steps one
form at a time, and its completion shows on the event's page to them, to quality staff and to
the event's reviewers — and to nobody else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from clearinghouse.events.tests.factories import published
from clearinghouse.quality import checklists
from clearinghouse.quality.models import (
    AppliesTo,
    Assignment,
    Checklist,
    ChecklistStep,
    Review,
    Standard,
    StepState,
)
from clearinghouse.quality.tests.checklist_factories import template

pytestmark = pytest.mark.django_db


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _step_url(identifier: str, step: ChecklistStep, action: str) -> str:
    return reverse("quality:checklist_step", args=[identifier, step.pk, action])


def _steps(identifier: str) -> list[ChecklistStep]:
    return list(ChecklistStep.objects.filter(checklist__identifier=identifier).order_by("position"))


def test_the_organiser_starts_the_checklist_from_the_event_page_and_ticks_it(world: Any) -> None:
    event = published(world)
    sop = template()
    organiser = _signed_in(world.authorised_user)
    page = organiser.get(event.get_absolute_url()).content.decode()
    assert "Follow the checklist “Organising a training event”" in page
    start = reverse("quality:checklist_start", args=[event.identifier])
    assert start in page

    response = organiser.post(start, {"template": sop.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("quality:checklist_item", args=[event.identifier])
    first, second, third = _steps(event.identifier)

    page = organiser.get(response["Location"]).content.decode()
    assert "Needs assessment done" in page and "0 of 3 steps done or set aside (0%)" in page
    assert _step_url(event.identifier, first, "done") in page

    # The step that needs evidence is refused without it, and the form says why.
    refused = organiser.post(
        _step_url(event.identifier, first, "done"), {f"step-{first.pk}-done-seen": "open"}
    )
    assert refused.status_code == 400
    assert "This step needs evidence" in refused.content.decode()
    assert ChecklistStep.objects.get(pk=first.pk).state == StepState.OPEN

    done = organiser.post(
        _step_url(event.identifier, first, "done"),
        {
            f"step-{first.pk}-done-seen": "open",
            f"step-{first.pk}-done-evidence": "Survey of 40 applicants, March",
            f"step-{first.pk}-done-evidence_url": "example.org/needs.pdf",
        },
    )
    assert done.status_code == 302 and done["Location"].endswith(f"#step-{first.pk}")
    ticked = ChecklistStep.objects.get(pk=first.pk)
    assert ticked.state == StepState.DONE and ticked.evidence_url == "https://example.org/needs.pdf"

    aside = organiser.post(
        _step_url(event.identifier, third, "not-applicable"),
        {f"step-{third.pk}-na-seen": "open", f"step-{third.pk}-na-reason": ""},
    )
    assert aside.status_code == 400 and "This field is required" in aside.content.decode()
    organiser.post(
        _step_url(event.identifier, third, "not-applicable"),
        {f"step-{third.pk}-na-seen": "open", f"step-{third.pk}-na-reason": "Everyone reads English."},
    )
    organiser.post(_step_url(event.identifier, second, "done"), {f"step-{second.pk}-done-seen": "open"})
    page = organiser.get(event.get_absolute_url()).content.decode()
    assert "3 of 3 steps done or set aside (100%)" in page and "Completed on" in page

    # Opened again: the checklist is no longer complete.
    organiser.post(_step_url(event.identifier, second, "reopen"), {f"step-{second.pk}-reopen-seen": "done"})
    assert Checklist.objects.get().completed_at is None
    assert "2 of 3 steps done or set aside (66%)" in organiser.get(event.get_absolute_url()).content.decode()


def test_a_step_changed_meanwhile_by_someone_else_is_not_overwritten(world: Any) -> None:
    event = published(world)
    checklists.start(event, template(), actor=world.authorised_user)
    step = _steps(event.identifier)[1]
    checklists.set_aside(step, actor=world.secretariat, reason="Men only in this ranger unit.")
    # The organiser's page was read before: it still showed the step open.
    response = _signed_in(world.authorised_user).post(
        _step_url(event.identifier, step, "done"), {f"step-{step.pk}-done-seen": "open"}
    )
    assert response.status_code == 409
    assert "Someone else changed this step meanwhile" in response.content.decode()
    assert "Men only in this ranger unit." in response.content.decode()
    assert ChecklistStep.objects.get(pk=step.pk).state == StepState.NOT_APPLICABLE


def test_reviewers_read_the_completion_and_others_see_nothing(world: Any) -> None:
    event = published(world)
    checklists.start(event, template(), actor=world.authorised_user)
    step = _steps(event.identifier)[1]
    standard = Standard.objects.create(code="training-events", applies_to=AppliesTo.EVENT, status="in_force")
    review = Review.objects.create(identifier=event.identifier, record_type="EVENT", standard=standard)
    Assignment.objects.create(review=review, reviewer=world.learner)
    item_url = reverse("quality:checklist_item", args=[event.identifier])

    reviewer = _signed_in(world.learner)
    event_page = reviewer.get(event.get_absolute_url()).content.decode()
    assert "0 of 3 steps done or set aside" in event_page and "Read the checklists" in event_page
    page = reviewer.get(item_url).content.decode()
    assert "Needs assessment done" in page
    # A reviewer reads; the forms are not theirs, nor the changes.
    assert _step_url(event.identifier, step, "done") not in page
    assert (
        reviewer.post(
            _step_url(event.identifier, step, "done"), {f"step-{step.pk}-done-seen": "open"}
        ).status_code
        == 403
    )
    assert reviewer.post(reverse("quality:checklist_start", args=[event.identifier]), {}).status_code == 403

    # Quality staff keep it.
    assert (
        _step_url(event.identifier, step, "done")
        in _signed_in(world.helpdesk_agent).get(item_url).content.decode()
    )

    outsider = _signed_in(world.outsider)
    assert "steps done or set aside" not in outsider.get(event.get_absolute_url()).content.decode()
    assert outsider.get(item_url).status_code == 403
    assert outsider.post(_step_url(event.identifier, step, "done"), {}).status_code == 403
    assert Client().get(item_url).status_code == 302  # to sign in
    assert "steps done or set aside" not in Client().get(event.get_absolute_url()).content.decode()
    assert ChecklistStep.objects.get(pk=step.pk).state == StepState.OPEN


def test_unknown_items_steps_and_actions_are_not_found(world: Any) -> None:
    event = published(world)
    sop = template()
    checklists.start(event, sop, actor=world.authorised_user)
    other = published(world, {"title": "Another training"})
    checklists.start(other, sop, actor=world.authorised_user)
    step = _steps(other.identifier)[0]
    organiser = _signed_in(world.authorised_user)
    assert organiser.get(reverse("quality:checklist_item", args=["CB-EVENT-KE-999999"])).status_code == 404
    # A step of another item's checklist, through this item's address.
    assert organiser.post(_step_url(event.identifier, step, "done"), {}).status_code == 404
    assert organiser.post(_step_url(other.identifier, step, "finish"), {}).status_code == 404
    assert organiser.get(_step_url(other.identifier, step, "done")).status_code == 405


def test_starting_twice_from_two_open_pages_is_refused_with_a_message(world: Any) -> None:
    event = published(world)
    sop = template()
    organiser = _signed_in(world.authorised_user)
    start = reverse("quality:checklist_start", args=[event.identifier])
    assert organiser.post(start, {"template": sop.pk}).status_code == 302
    again = _signed_in(world.secretariat).post(start, {"template": sop.pk})
    assert again.status_code == 400
    assert Checklist.objects.filter(identifier=event.identifier).count() == 1


def test_the_checklist_page_in_arabic_is_right_to_left_with_the_steps_in_arabic(world: Any) -> None:
    event = published(world)
    checklists.start(event, template(), actor=world.authorised_user)
    response = _signed_in(world.secretariat).get(
        reverse("quality:checklist_item", args=[event.identifier]).replace("/en/", "/ar/", 1)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    # The step and the checklist's title in Arabic, marked as such for the browser.
    assert '<span lang="ar" dir="rtl">تم تقييم الاحتياجات</span>' in page
    assert '<span lang="ar" dir="rtl">تنظيم حدث تدريبي</span>' in page


def test_the_checklist_page_costs_the_same_queries_however_many_steps(world: Any) -> None:
    """The steps, their authors and the completion come in a fixed number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    short, long = published(world), published(world, {"title": "A longer training"})
    checklists.start(short, template(), actor=world.authorised_user)
    many = [({"en": f"Step {number}"}, False) for number in range(12)]
    checklists.start(long, template(code="long", steps=many), actor=world.authorised_user)
    # Steps changed by people in both (their names are read in one query however many).
    checklists.tick(_steps(short.identifier)[1], actor=world.focal_point)
    for step in _steps(long.identifier)[:6]:
        checklists.tick(step, actor=world.focal_point if step.position % 2 else world.secretariat)
    organiser = _signed_in(world.authorised_user)
    counts = []
    for item in (short, long):
        url = reverse("quality:checklist_item", args=[item.identifier])
        organiser.get(url)  # once before counting: the session and caches settle
        with CaptureQueriesContext(connection) as queries:
            assert organiser.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
