"""The need form marks its required fields before anything is submitted, sums up its problems
at the top of the page with links to each field, and keeps the long lists of targets on a step
of their own; drafts saved before the targets had their own step still open with their values."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.needs import services
from clearinghouse.needs.formats import definition
from clearinghouse.publishing import workflow
from clearinghouse.vocabularies.models import Term

pytestmark = pytest.mark.usefixtures("vocabularies")


def _summary(html: str) -> str:
    found = re.search(r'<div class="error-summary"[^>]*>.*?</div>', html, re.S)
    assert found, "the page has no error summary"
    return found.group(0)


def test_required_fields_are_marked_before_anything_is_submitted(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    html = client.get("/fr/needs/new/need/").content.decode()
    title = re.search(r'<label for="id_title"[^>]*>.*?</label>', html, re.S)
    assert title and 'aria-hidden="true">*</span>' in title.group(0)
    assert "(obligatoire)" in title.group(0), "the mark is spoken, in the reader's language"
    # A draft may be saved without it, so the browser is not told to block: it is announced.
    assert re.search(r'<input[^>]*aria-required="true"[^>]*id="id_title"', html)
    outcome = re.search(r'<label for="id_outcome"[^>]*>.*?</label>', html, re.S)
    assert outcome and "required-mark" not in outcome.group(0), "an optional field carries no mark"
    assert "error-summary" not in html, "no summary before there is a problem"


def test_a_failed_step_sums_up_its_problems_at_the_top(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    response = client.post(
        "/en/needs/new/need/",
        {
            "owner": f"country:{world.kenya.pk}",
            "original_language": "en",
            "action": "next",
            "title": "Training",
        },
    )
    html = response.content.decode()
    summary = _summary(html)
    assert html.index("error-summary") < html.index("<h1>"), "the summary comes before everything"
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary and "autofocus" in summary
    assert "There is a problem" in summary
    assert '<a href="#id_description">Description: This field is required.</a>' in summary
    assert re.search(r'<textarea[^>]*aria-describedby="[^"]*id_description_error', html)
    assert '<ul class="errorlist" id="id_description_error">' in html


def test_a_group_of_boxes_is_linked_by_its_first_box(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    need = services.start(
        "need",
        actor=world.authorised_user,
        owner=world.kenya,
        language="en",
        step=definition().form("need").steps[0],
        cleaned={"title": "Training"},
    )
    response = client.post(
        f"/en/needs/edit/{need.identifier}/classify/",
        {"action": "next", "base_revision": need.revision_number},
    )
    html = response.content.decode()
    assert 'href="#id_subjects_0"' in _summary(html)
    assert 'id="id_subjects_0"' in html
    assert re.search(r'<fieldset aria-describedby="[^"]*id_subjects_error"', html)


def test_the_targets_have_a_step_of_their_own() -> None:
    steps = {step.name: [field.name for field in step.fields] for step in definition().form("need").steps}
    assert steps["classify"] == ["subjects", "instruments", "capacity_levels"]
    assert steps["targets"] == ["gbf_targets", "aichi_targets"]
    assert list(steps).index("targets") == list(steps).index("classify") + 1


def test_a_draft_saved_with_targets_on_the_themes_step_still_opens_with_them(
    world: World, client: Client
) -> None:
    # Such a draft holds its values by field, not by step: the same values appear on both steps.
    need = services.start(
        "need",
        actor=world.authorised_user,
        owner=world.kenya,
        language="en",
        step=definition().form("need").steps[0],
        cleaned={"title": "Coral reef monitoring"},
    )
    subject = Term.objects.get(code="SUBJ-MARINE-COASTAL")
    target = Term.objects.get(code="GBF-T3")
    workflow.save_draft(
        need,
        actor=world.authorised_user,
        values={"subjects": [subject.pk], "gbf_targets": [target.pk]},
        base_revision=need.revision_number,
    )
    client.force_login(world.authorised_user)
    themes = client.get(f"/en/needs/edit/{need.identifier}/classify/")
    assert themes.status_code == 200
    assert re.search(rf'value="{subject.pk}"[^>]*checked', themes.content.decode())
    targets = client.get(f"/en/needs/edit/{need.identifier}/targets/")
    assert targets.status_code == 200
    assert re.search(rf'value="{target.pk}"[^>]*checked', targets.content.decode())
