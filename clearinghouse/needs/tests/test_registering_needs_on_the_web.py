"""A need registered on the web, step by step, in Arabic; saved as a draft at any step;
submitted, reviewed and published; its contact details kept confidential."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clearinghouse.accounts import services as appointments
from clearinghouse.accounts.models import Role
from clearinghouse.core.testing import World
from clearinghouse.needs import services
from clearinghouse.needs.formats import definition
from clearinghouse.needs.models import Need, NeedStatus, Request
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import State
from clearinghouse.vocabularies.models import Term

pytestmark = pytest.mark.usefixtures("vocabularies")


def _ids(*codes: str) -> list[int]:
    return list(Term.objects.filter(code__in=codes).values_list("pk", flat=True))


STEP_DATA: dict[str, dict[str, Any]] = {
    "describe": {
        "title": "تعزيز قدرات حراس المحميات البحرية",
        "description": "يحتاج حراس المحميات إلى تدريب على رصد الشعاب المرجانية.",
        "priority": "high",
    },
    "classify": {},  # filled in the test: term ids need the database
    "support": {"support_languages": ["ar", "fr"], "estimated_cost": "25000", "currency": "USD"},
    "contact": {"contact_name": "سلمى", "contact_email": "salma@example.org"},
}


def _classify() -> dict[str, Any]:
    return {
        "subjects": _ids("SUBJ-MARINE-COASTAL", "SUBJ-PROTECTED-AREAS"),
        "instruments": _ids("CBD"),
        "capacity_levels": _ids("individual"),
    }


def test_an_arabic_need_is_registered_step_by_step_and_published(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    response = client.post(
        "/ar/needs/new/need/",
        {
            "owner": f"country:{world.kenya.pk}",
            "original_language": "ar",
            "action": "next",
            **STEP_DATA["describe"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    need = Need.objects.get()
    assert response["Location"] == f"/ar/needs/edit/{need.identifier}/classify/"
    assert need.title == {"ar": STEP_DATA["describe"]["title"]}
    assert need.format_version == definition().version

    for step, data in [
        ("classify", _classify()),
        ("targets", {"gbf_targets": _ids("GBF-T3")}),
        ("support", STEP_DATA["support"] | {"support_types": _ids("training")}),
        ("contact", STEP_DATA["contact"]),
    ]:
        need.refresh_from_db()
        action = "submit" if step == "contact" else "next"
        response = client.post(
            f"/ar/needs/edit/{need.identifier}/{step}/",
            {"action": action, "base_revision": need.revision_number, **data},
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    need.refresh_from_db()
    assert need.state == State.SUBMITTED
    assert set(need.subjects.values_list("code", flat=True)) == {
        "SUBJ-MARINE-COASTAL",
        "SUBJ-PROTECTED-AREAS",
    }
    assert list(need.gbf_targets.values_list("code", flat=True)) == ["GBF-T3"]

    client.force_login(world.focal_point)
    client.post(f"/en/records/{need.identifier}/publish/")
    need.refresh_from_db()
    assert need.live and need.status == NeedStatus.OPEN

    client.logout()
    public = client.get(f"/en/needs/{need.identifier}/").content.decode()
    assert STEP_DATA["describe"]["title"] in public
    assert "salma@example.org" not in public, "contact details are confidential"
    client.force_login(world.helpdesk_agent)
    assert "salma@example.org" in client.get(f"/en/needs/{need.identifier}/").content.decode()


def test_a_draft_can_be_saved_at_any_step_with_required_fields_empty(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    response = client.post(
        "/fr/needs/new/need/",
        {
            "owner": f"country:{world.kenya.pk}",
            "original_language": "fr",
            "action": "save",
            "title": "Formation",
        },
    )
    assert response.status_code == 302
    need = Need.objects.get()
    assert need.state == State.DRAFT and need.priority == ""
    # Submitting it says what is missing, in the reader's language, and changes nothing.
    # The French page left French active: the message is in the reader's language.
    with pytest.raises(Exception, match="À remplir avant la soumission"):
        workflow.submit(need, actor=world.authorised_user)
    need.refresh_from_db()
    assert need.state == State.DRAFT


def test_next_requires_the_steps_required_fields(world: World, client: Client) -> None:
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
    # 400, not 200: the outbox and any other client read a refusal, not a form received.
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Need.objects.exists()


def test_a_submission_the_workflow_refuses_is_answered_400_with_its_reasons(
    world: World, client: Client
) -> None:
    need = services.start(
        "need",
        actor=world.authorised_user,
        owner=world.kenya,
        language="en",
        step=definition().form("need").steps[0],
        cleaned={"title": "Training"},
    )
    client.force_login(world.authorised_user)
    response = client.post(
        f"/en/needs/edit/{need.identifier}/contact/",
        {"action": "submit", "base_revision": need.revision_number, **STEP_DATA["contact"]},
    )
    # The last step is complete, the earlier ones are not: the workflow refuses to submit. 400,
    # not 200, or the outbox would take the refusal for a form received.
    assert response.status_code == 400
    assert "Fill in before submitting" in response.content.decode()
    need.refresh_from_db()
    assert need.state == State.DRAFT


def test_people_without_a_role_cannot_register_needs(world: World, client: Client) -> None:
    client.force_login(world.learner)
    assert client.get("/en/needs/new/need/").status_code == 403


def test_another_partys_focal_point_cannot_edit_a_kenyan_need(world: World, client: Client) -> None:
    need = services.start(
        "need",
        actor=world.authorised_user,
        owner=world.kenya,
        language="en",
        step=definition().form("need").steps[0],
        cleaned={"title": "x", "description": "", "gap": "", "outcome": "", "priority": ""},
    )
    client.force_login(world.other_focal_point)
    assert client.get(f"/en/needs/edit/{need.identifier}/describe/").status_code == 403


def test_a_stale_form_is_told_to_reload(world: World, client: Client) -> None:
    need = services.start(
        "need",
        actor=world.authorised_user,
        owner=world.kenya,
        language="en",
        step=definition().form("need").steps[0],
        cleaned={"title": "x"},
    )
    client.force_login(world.authorised_user)
    client.post(
        f"/en/needs/edit/{need.identifier}/describe/",
        {"action": "save", "base_revision": 1, "title": "first"},
    )
    response = client.post(
        f"/en/needs/edit/{need.identifier}/describe/",
        {"action": "save", "base_revision": 1, "title": "second"},
    )
    # Refused on the form itself, with the person's text still in it (no redirect to lose it).
    assert response.status_code == 409
    assert "open the record again to see theirs" in response.content.decode()
    assert 'value="second"' in response.content.decode()
    need.refresh_from_db()
    assert need.title == {"en": "first"}


def test_a_translation_is_added_and_shown_to_readers_of_that_language(world: World, client: Client) -> None:
    need = services.start(
        "need",
        actor=world.authorised_user,
        owner=world.kenya,
        language="ar",
        step=definition().form("need").steps[0],
        cleaned={"title": "تدريب الحراس"},
    )
    client.force_login(world.authorised_user)
    client.post(
        f"/en/needs/translate/{need.identifier}/es/", {"base_revision": 1, "title": "Formación de guardas"}
    )
    need.refresh_from_db()
    assert need.title == {"ar": "تدريب الحراس", "es": "Formación de guardas"}


def test_need_status_moves_forward_and_every_change_is_dated(world: World) -> None:
    need = services.start(
        "need",
        actor=world.authorised_user,
        owner=world.kenya,
        language="en",
        step=definition().form("need").steps[0],
        cleaned={"title": "x"},
    )
    Need.objects.filter(pk=need.pk).update(live=True)
    services.change_status(need, actor=world.helpdesk_agent, status=NeedStatus.IN_MATCHMAKING)
    services.change_status(need, actor=world.authorised_user, status=NeedStatus.MATCHED)
    with pytest.raises(Exception, match="cannot go back"):
        services.change_status(need, actor=world.authorised_user, status=NeedStatus.OPEN)
    with pytest.raises(Exception, match="Only the need's owners"):
        services.change_status(need, actor=world.other_focal_point, status=NeedStatus.ADDRESSED)
    assert list(need.status_changes.values_list("status", flat=True)) == ["in_matchmaking", "matched"]


def _kenyan_need(world: World) -> Need:
    return workflow.create(
        Need,
        actor=world.authorised_user,
        owner=world.kenya,
        values={
            "original_language": "en",
            "format_version": definition().version,
            "title": {"en": "Rangers trained in reef monitoring"},
        },
    )


REQUEST_START = {
    "original_language": "en",
    "title": "Reef monitoring course",
    "asked": "A two-week course for 20 rangers.",
    "deliverables": "20 rangers trained.",
    "modalities": ["training"],
}


def test_a_request_names_its_needs_on_its_first_page_and_goes_on(world: World, client: Client) -> None:
    need = _kenyan_need(world)
    client.force_login(world.authorised_user)
    page = client.get("/en/needs/new/request/").content.decode()
    assert "Needs this request is for" in page and need.identifier in page
    response = client.post(
        "/en/needs/new/request/",
        {"owner": f"country:{world.kenya.pk}", "action": "next", "needs": [need.pk], **REQUEST_START},
    )
    request = Request.objects.get()
    assert response["Location"] == f"/en/needs/edit/{request.identifier}/contribution/"
    assert list(request.needs.all()) == [need]


def test_a_request_cannot_be_for_another_owners_needs(world: World, client: Client) -> None:
    need = _kenyan_need(world)
    appointments.appoint(
        actor=None, user=world.authorised_user, role=Role.PARTNER_EDITOR, organisation=world.kenyan_ngo
    )
    client.force_login(world.authorised_user)
    response = client.post(
        "/en/needs/new/request/",
        {
            "owner": f"organisation:{world.kenyan_ngo.pk}",
            "action": "next",
            "needs": [need.pk],
            **REQUEST_START,
        },
    )
    assert response.status_code == 400
    assert "A request can only be for needs of Nature Kenya." in response.content.decode()
    assert not Request.objects.exists()
