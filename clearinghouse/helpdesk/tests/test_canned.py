"""Canned answers (canned.py and their pages): written by agents in the six languages, inserted
in the requester's language with the placeholders filled, refused with a hole in them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from clearinghouse.helpdesk import canned
from clearinghouse.helpdesk.models import CannedAnswer
from clearinghouse.helpdesk.tests import factories

pytestmark = pytest.mark.django_db

TITLE = {"en": "Where is the needs form", "fr": "Où est le formulaire des besoins"}
BODY = {
    "en": "Dear {name}, the form is under My work ({reference}). {desk}",
    "fr": "Bonjour {name}, le formulaire est sous Mon travail ({reference}). {desk}",
}


@pytest.fixture
def central(world):  # type: ignore[no-untyped-def]
    return factories.desk(
        "central",
        name={"en": "Central help desk", "fr": "Service d'assistance central"},
        agents=[world.helpdesk_agent],
        opening_hours=factories.ALWAYS_OPEN,
    )


def test_an_answer_is_inserted_in_the_requesters_language_with_its_placeholders_filled(
    world, central
) -> None:  # type: ignore[no-untyped-def]
    answer = canned.create(author=world.helpdesk_agent, title=TITLE, body=BODY)
    ticket = factories.ticket(language="fr", requester_name="Amélie")
    text, language = canned.render(answer, ticket)
    assert language == "fr"
    expected = f"Bonjour Amélie, le formulaire est sous Mon travail ({ticket.reference})."
    assert text == f"{expected} Service d'assistance central"


def test_an_answer_missing_the_requesters_language_falls_back_to_english(world, central) -> None:  # type: ignore[no-untyped-def]
    answer = canned.create(author=world.helpdesk_agent, title=TITLE, body=BODY)
    ticket = factories.ticket(language="ar")
    text, language = canned.render(answer, ticket)
    assert language == "en" and text.startswith("Dear Ada Asker,")
    assert canned.missing_languages(answer) == ["ar", "zh", "ru", "es"]


def test_an_unknown_placeholder_is_refused_and_nothing_is_saved(world, central) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(canned.CannedAnswerError) as refused:
        canned.create(author=world.helpdesk_agent, title=TITLE, body={**BODY, "fr": "Bonjour {nom}"})
    [message] = refused.value.message_dict["body"]
    assert "{nom}" in message and "French" in message
    assert not CannedAnswer.objects.exists()


def test_a_title_without_its_text_is_refused(world, central) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(canned.CannedAnswerError) as refused:
        canned.create(author=world.helpdesk_agent, title={**TITLE, "es": "Formulario"}, body=BODY)
    assert "Spanish" in refused.value.message_dict["body"][0]


def test_only_agents_write_answers_and_only_author_leads_and_secretariat_change_them(world, central) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        canned.create(author=world.outsider, title=TITLE, body=BODY)
    answer = canned.create(author=world.helpdesk_agent, title=TITLE, body=BODY, desk=central)
    central.agents.add(world.trainer)
    with pytest.raises(PermissionDenied):
        canned.update(answer, actor=world.trainer, title=TITLE, body=BODY, topic=None, desk=central)
    central.leads.add(world.trainer)
    canned.update(
        answer,
        actor=world.trainer,
        title={"en": TITLE["en"]},
        body={"en": "Hello {name}"},
        topic=None,
        desk=central,
    )
    canned.set_active(answer, actor=world.secretariat, active=False)
    answer.refresh_from_db()
    assert answer.body == {"en": "Hello {name}"} and answer.title == {"en": TITLE["en"]} and not answer.active


def test_a_ticket_offers_shared_answers_and_its_own_desks_not_another_desks(world, central) -> None:  # type: ignore[no-untyped-def]
    other = factories.desk("eastern-africa", central=False)
    shared = canned.create(author=world.helpdesk_agent, title=TITLE, body=BODY)
    own = canned.create(author=world.helpdesk_agent, title=TITLE, body=BODY, desk=central)
    canned.create(author=world.helpdesk_agent, title=TITLE, body=BODY, desk=other)
    ticket = factories.ticket()
    assert set(canned.usable_for(ticket)) == {shared, own}


def test_the_answers_page_lists_missing_languages_and_documents_placeholders(world, central, client) -> None:  # type: ignore[no-untyped-def]
    canned.create(author=world.helpdesk_agent, title=TITLE, body=BODY)
    client.force_login(world.helpdesk_agent)
    page = client.get(reverse("helpdesk:canned"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Where is the needs form" in content and "{reference}" in content
    assert "Missing" in content


def test_an_agent_writes_an_answer_on_the_page_and_a_bad_placeholder_gets_an_error(
    world, central, client
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.helpdesk_agent)
    url = reverse("helpdesk:canned_new")
    data = {"title_en": "Thanks", "body_en": "Thank you {nam}", "body_ar": "", "title_ar": ""}
    refused = client.post(url, data)
    assert refused.status_code == 200 and "{nam}" in refused.content.decode()
    assert not CannedAnswer.objects.exists()
    data["body_en"] = "Thank you {name}"
    data["body_ar"] = "شكرا {name}"
    data["title_ar"] = "شكرا"
    saved = client.post(url, data)
    assert saved.status_code == 302
    answer = CannedAnswer.objects.get()
    assert answer.body["ar"] == "شكرا {name}" and answer.created_by == world.helpdesk_agent


def test_people_who_are_not_agents_cannot_see_the_answers(world, central, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.outsider)
    assert client.get(reverse("helpdesk:canned")).status_code == 403
