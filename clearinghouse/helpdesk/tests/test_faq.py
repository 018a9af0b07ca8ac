"""FAQ entries: an agent keeps a ticket's answer as a draft entry owned by the desk's host (or
the Secretariat's organisation), edits, translates and submits it; the owner's reviewers publish
it; the public reads the entries by topic in their language, the original marked where no
translation exists, right to left in Arabic."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clearinghouse.core.testing import World
from clearinghouse.helpdesk import faq, services
from clearinghouse.helpdesk.models import Desk, FaqEntry, Kind, Ticket
from clearinghouse.helpdesk.tests import factories
from clearinghouse.helpdesk.tests.factories_faq import (
    answered_ticket,
    published_entry,
    secretariat_organisation,
)
from clearinghouse.needs.models import Need
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def central(world: World) -> Desk:
    secretariat_organisation()
    return factories.desk("central", agents=[world.helpdesk_agent], opening_hours=factories.ALWAYS_OPEN)


@pytest.fixture
def africa(world: World, central: Desk) -> Desk:
    """A regional desk hosted by a partner institution, answering in French and English."""
    return factories.desk("africa", central=False, host=world.kenyan_ngo, agents=[world.helpdesk_agent])


@pytest.fixture
def ticket(world: World, africa: Desk) -> Ticket:
    topic = factories.topic("needs", name={"en": "Registering needs", "fr": "Enregistrer des besoins"})
    return answered_ticket(
        world,
        desk=africa,
        topic=topic,
        language="fr",
        subject="Formulaire des besoins",
        body="Où se trouve le formulaire d'évaluation des besoins ?",
        reply="Ouvrez « Mon travail », puis « Nouveau besoin ».",
    )


# --- keeping an answer -----------------------------------------------------------------------


def test_an_agent_keeps_the_latest_reply_as_a_draft_owned_by_the_desks_host(
    world: World, ticket: Ticket
) -> None:
    entry = faq.draft_from_ticket(ticket, actor=world.helpdesk_agent)
    assert entry.state == State.DRAFT and not entry.live
    assert entry.owner == world.kenyan_ngo and entry.identifier.startswith("CB-FAQ-")
    assert entry.original_language == "fr" and entry.topic == ticket.topic
    assert entry.question == {
        "fr": "Formulaire des besoins\n\nOù se trouve le formulaire d'évaluation des besoins ?"
    }
    assert entry.answer == {"fr": "Ouvrez « Mon travail », puis « Nouveau besoin »."}
    assert entry.source_ticket == ticket
    # A draft revision the agent can go on with, noted as kept from the ticket.
    latest = workflow.latest_revision(entry)
    assert latest is not None and ticket.reference in latest.note


def test_the_central_desks_answers_belong_to_the_secretariats_organisation(
    world: World, central: Desk
) -> None:
    ticket = answered_ticket(world, desk=central)
    entry = faq.draft_from_ticket(ticket, actor=world.helpdesk_agent)
    assert entry.owner == secretariat_organisation()


def test_the_agent_may_choose_an_earlier_reply(world: World, ticket: Ticket) -> None:
    services.reply(ticket, agent=world.helpdesk_agent, body="Autre chose ?")
    first = ticket.articles.filter(kind=Kind.REPLY).order_by("created_at", "pk").first()
    entry = faq.draft_from_ticket(ticket, actor=world.helpdesk_agent, article=first)
    assert entry.answer == {"fr": "Ouvrez « Mon travail », puis « Nouveau besoin »."}


def test_a_note_another_tickets_reply_or_no_reply_at_all_is_refused_and_nothing_is_left(
    world: World, ticket: Ticket, africa: Desk
) -> None:
    note = services.note(ticket, agent=world.helpdesk_agent, body="Internal: she called twice.")
    with pytest.raises(services.HelpdeskError):
        faq.draft_from_ticket(ticket, actor=world.helpdesk_agent, article=note)
    other = answered_ticket(world, desk=africa)
    with pytest.raises(services.HelpdeskError):
        faq.draft_from_ticket(ticket, actor=world.helpdesk_agent, article=other.articles.get(kind=Kind.REPLY))
    unanswered = factories.ticket(desk=africa)
    with pytest.raises(services.HelpdeskError) as refused:
        faq.draft_from_ticket(unanswered, actor=world.helpdesk_agent)
    assert "no reply" in str(refused.value)
    assert not FaqEntry.objects.exists()


@pytest.mark.parametrize("person", ["outsider", "focal_point", "partner_editor", "trainer"])
def test_only_the_desks_agents_keep_answers(world: World, ticket: Ticket, person: str) -> None:
    with pytest.raises(services.NotAllowed):
        faq.draft_from_ticket(ticket, actor=getattr(world, person))
    assert not FaqEntry.objects.exists()


def test_the_button_opens_the_drafts_edit_page_for_agents_only(
    world: World, ticket: Ticket, client: Client
) -> None:
    url = f"/en/helpdesk/tickets/{ticket.reference}/keep-as-faq/"
    assert client.post(url).status_code == 302 and not FaqEntry.objects.exists()  # to sign in
    client.force_login(world.outsider)
    assert client.post(url).status_code == 403
    client.force_login(world.helpdesk_agent)
    assert client.get(url).status_code == 405
    response = client.post(url)
    entry = FaqEntry.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/en/helpdesk/faq/{entry.identifier}/edit/"
    )
    assert client.post("/en/helpdesk/tickets/HD-2000-999999/keep-as-faq/").status_code == 404


def test_a_refused_draft_says_why_on_the_page_it_came_from(
    world: World, africa: Desk, client: Client
) -> None:
    unanswered = factories.ticket(desk=africa)
    client.force_login(world.helpdesk_agent)
    response = client.post(
        f"/en/helpdesk/tickets/{unanswered.reference}/keep-as-faq/",
        {"next": "/en/helpdesk/faq/"},
        follow=True,
    )
    assert "no reply yet" in response.content.decode()
    assert not FaqEntry.objects.exists()


# --- editing, translating, reviewing ------------------------------------------------------------


def test_the_agent_edits_translates_and_submits_and_the_owners_reviewer_publishes(
    world: World, ticket: Ticket, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    entry = faq.draft_from_ticket(ticket, actor=world.helpdesk_agent)
    client.force_login(world.helpdesk_agent)
    edit = f"/en/helpdesk/faq/{entry.identifier}/edit/"
    page = client.get(edit).content.decode()
    assert "Formulaire des besoins" in page and 'lang="fr"' in page
    response = client.post(
        edit,
        {
            "question": "Où trouver le formulaire des besoins ?",
            "answer": "Ouvrez « Mon travail », puis « Nouveau besoin ».",
            "topic": str(ticket.topic_id),
            "base_revision": str(entry.revision_number),
            "action": "save",
        },
    )
    assert response.status_code == 302
    translate = f"/en/helpdesk/faq/{entry.identifier}/translate/en/"
    entry.refresh_from_db()
    response = client.post(
        translate,
        {
            "question": "Where is the needs form?",
            "answer": "Open My work, then New need.",
            "base_revision": str(entry.revision_number),
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.question == {
        "fr": "Où trouver le formulaire des besoins ?",
        "en": "Where is the needs form?",
    }
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(entry, actor=world.helpdesk_agent)
    # The agent cannot publish; the host's Party's focal point reviews an organisation's records.
    with pytest.raises(Exception, match="reviewers"):
        workflow.publish(entry, actor=world.helpdesk_agent)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(entry, actor=world.focal_point)
    entry.refresh_from_db()
    assert entry.live
    # Submitted or published, the entry is changed through a new draft; waiting, not at all.
    assert client.get(edit).status_code == 200


def test_an_empty_question_is_refused_in_the_readers_language_and_nothing_saved(
    world: World, ticket: Ticket, client: Client
) -> None:
    entry = faq.draft_from_ticket(ticket, actor=world.helpdesk_agent)
    revisions = entry.revision_number
    client.force_login(world.helpdesk_agent)
    response = client.post(
        f"/fr/helpdesk/faq/{entry.identifier}/edit/",
        {"question": "   ", "answer": "Réponse", "base_revision": str(revisions), "action": "save"},
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    entry.refresh_from_db()
    assert entry.revision_number == revisions


def test_agents_draft_faq_entries_but_no_other_record_and_never_publish_them(
    world: World, ticket: Ticket
) -> None:
    entry = faq.draft_from_ticket(ticket, actor=world.helpdesk_agent)
    agent = world.helpdesk_agent
    assert agent.has_perm("records.draft", entry) and agent.has_perm("records.submit", entry)
    assert not agent.has_perm("records.publish", entry)
    assert not agent.has_perm("records.draft", Need(owner_country=world.kenya))
    assert not world.outsider.has_perm("records.draft", entry)


# --- the public pages --------------------------------------------------------------------------------


@pytest.fixture
def published(world: World, django_capture_on_commit_callbacks: Any) -> dict[str, FaqEntry]:
    topic = factories.topic("needs", name={"en": "Registering needs", "ar": "تسجيل الاحتياجات"})
    with django_capture_on_commit_callbacks(execute=True):
        return {
            "both": published_entry(
                world,
                question={"en": "Who reviews a need?", "ar": "من يراجع الاحتياج؟"},
                answer={"en": "The national focal point.", "ar": "جهة الاتصال الوطنية."},
                topic=topic,
            ),
            "english": published_entry(
                world, question={"en": "Are courses free?"}, answer={"en": "Yes, every course is free."}
            ),
        }


def test_the_faq_reads_by_topic_in_arabic_right_to_left_with_the_original_marked(
    published: dict[str, FaqEntry], client: Client
) -> None:
    page = client.get("/ar/helpdesk/faq/").content.decode()
    assert 'dir="rtl"' in page.split("<head", 1)[0]
    assert "تسجيل الاحتياجات" in page and "من يراجع الاحتياج؟" in page
    # Not translated yet: shown in English, said so, marked as English for screen readers.
    assert "Are courses free?" in page and 'lang="en" dir="ltr"' in page
    assert page.index("تسجيل الاحتياجات") < page.index("Are courses free?")  # topics first, then the rest
    entry = client.get(f"/ar/helpdesk/faq/{published['both'].identifier}/").content.decode()
    assert "جهة الاتصال الوطنية." in entry and "The national focal point." not in entry


def test_one_topic_can_be_read_alone_and_an_unknown_topic_is_not_found(
    published: dict[str, FaqEntry], client: Client
) -> None:
    page = client.get("/en/helpdesk/faq/", {"topic": "needs"}).content.decode()
    assert "Who reviews a need?" in page and "Are courses free?" not in page
    assert client.get("/en/helpdesk/faq/", {"topic": "nothing"}).status_code == 404


def test_drafts_stay_with_their_authors(world: World, ticket: Ticket, client: Client) -> None:
    entry = faq.draft_from_ticket(ticket, actor=world.helpdesk_agent)
    url = f"/en/helpdesk/faq/{entry.identifier}/"
    assert client.get(url).status_code == 404
    assert entry.identifier not in client.get("/en/helpdesk/faq/").content.decode()
    client.force_login(world.helpdesk_agent)
    page = client.get(url).content.decode()
    assert "Formulaire des besoins" in page and f"Kept from ticket {ticket.reference}" in page
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    assert client.get(f"/en/helpdesk/faq/{entry.identifier}/edit/").status_code == 403


def test_the_demo_entries_are_published_in_six_languages_once(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from clearinghouse.accounts.models import User
    from clearinghouse.helpdesk import demo_faq

    secretariat_organisation()
    User.objects.filter(pk=world.helpdesk_agent.pk).update(email="helpdesk@demo.clearinghouse.example")
    User.objects.filter(pk=world.secretariat.pk).update(email="secretariat@demo.clearinghouse.example")
    with django_capture_on_commit_callbacks(execute=True):
        entries = demo_faq.load_faq()
        again = demo_faq.load_faq()
    assert len(entries) == 8 and [entry.pk for entry in again] == [entry.pk for entry in entries]
    for entry in entries:
        assert entry.live
        assert set(entry.question) == set(entry.answer) == {"en", "fr", "es", "ar", "ru", "zh"}


def test_the_list_costs_the_same_queries_for_few_or_many_entries(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    topics = [factories.topic(code) for code in ("needs", "events", "courses")]

    def publish(number: int) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            published_entry(
                world,
                question={"en": f"Question {number}?"},
                answer={"en": f"Answer {number}."},
                topic=topics[number % 3],
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/en/helpdesk/faq/").status_code == 200
        return len(context.captured_queries)

    for number in range(3):
        publish(number)
    few = queries()
    for number in range(3, 9):
        publish(number)
    assert queries() == few
