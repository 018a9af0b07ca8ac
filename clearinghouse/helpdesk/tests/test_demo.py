"""The help desk's demo: three desks with their agents and service levels, canned answers in the
six languages, tickets in several languages on every desk and in all six in all, the story of
the issue (a French e-mail to the Africa desk answered with a canned answer and rated; an
Arabic web question from Egypt's focal point about one of Egypt's needs), loaded once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from clearinghouse.accounts import demo as accounts_demo
from clearinghouse.accounts import mfa_policy
from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.helpdesk import demo, sla
from clearinghouse.helpdesk.models import (
    Article,
    CannedAnswer,
    Channel,
    Desk,
    EventKind,
    FaqEntry,
    HelpTopic,
    Kind,
    RecordLink,
    ServiceLevel,
    Status,
    Ticket,
    TicketEvent,
)
from clearinghouse.needs import demo as needs_demo
from clearinghouse.needs.models import Need
from clearinghouse.organisations import demo as organisations_demo
from clearinghouse.organisations.models import Organisation, OrganisationType


def _all_rows() -> list[dict]:
    content = demo.data()
    return [*content["tickets"], content["arabic_question"]]


def test_every_step_of_the_demo_tickets_happens_before_the_demo_is_loaded_and_in_order() -> None:
    rows = _all_rows()
    assert len({row["subject"] for row in rows}) == len(rows), "tickets are found again by subject"
    for row in rows:
        moments = [step["at"] for step in [*row.get("steps", []), *row.get("after_case", [])]]
        assert moments == sorted(moments), row["key"]
        assert all(0 < moment < row["opened"] for moment in moments), row["key"]
        assert row["language"] in CONTENT_LANGUAGES and row["channel"] in Channel.values


def test_the_canned_answers_are_written_in_the_six_languages_with_the_reference() -> None:
    for row in demo.data()["canned_answers"]:
        assert set(row["title"]) == set(row["body"]) == set(CONTENT_LANGUAGES), row["key"]
        assert all("{reference}" in text and "{name}" in text for text in row["body"].values()), row["key"]


@pytest.fixture(scope="module")
def _demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[str]]:
    """The demo loaded once for the module's tests, in a transaction undone after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        # Only what the help desk's demo builds on: people, organisations and Parties' needs
        # (the whole demo takes too long for a test; links to events and courses are left out).
        call_command("loadreference", stdout=StringIO())
        # The Secretariat's organisation, which `importplan` makes in the real demo: the FAQ
        # entries of the central desk belong to it.
        Organisation.objects.get_or_create(
            acronym="SCBD",
            defaults={
                "name": "Secretariat of the Convention on Biological Diversity",
                "name_language": "en",
                "type": OrganisationType.INTERGOVERNMENTAL,
            },
        )
        accounts_demo.load()
        organisations_demo.load()
        # Nor the needs' workbook imports, which no ticket links.
        with mock.patch.object(needs_demo, "_imports", return_value=[]):
            needs_demo.load()
        yield demo.load()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(_demo: list[str], db: None) -> list[str]:
    return _demo


def _counts() -> dict[str, int]:
    return {
        model.__name__: model._default_manager.count()
        for model in (HelpTopic, Desk, ServiceLevel, CannedAnswer, Ticket, Article, TicketEvent, RecordLink)
    }


def test_the_demo_loads_once(loaded: list[str]) -> None:
    before = _counts()
    again = demo.load()
    assert _counts() == before
    assert "(0 new" in again[0] and f"{len(_all_rows())} new" in loaded[0]
    assert before["Ticket"] == len(_all_rows()) >= 25


def test_every_desk_has_tickets_in_several_languages_and_all_six_are_there(loaded: list[str]) -> None:
    desks = {desk.code: desk for desk in Desk.objects.all()}
    assert set(desks) == {"central", "africa", "lac"}
    assert desks["central"].is_central and desks["central"].time_zone == "America/Toronto"
    assert desks["africa"].host is not None and desks["africa"].host.acronym == "KWS"
    assert desks["lac"].regions == ["Latin America and Caribbean"]
    for desk in desks.values():
        languages = set(desk.tickets.values_list("language", flat=True))
        # The regional desks also hold tickets in languages they were not routed by.
        assert len(languages) >= 5, (desk.code, languages)
        assert ServiceLevel.objects.filter(desk=desk, topic__code="technical").exists()
        assert desk.agents.exists() and desk.leads.exists()
    assert set(Ticket.objects.values_list("language", flat=True)) == set(CONTENT_LANGUAGES)
    assert set(Ticket.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert set(Ticket.objects.values_list("status", flat=True)) == set(Status.values)
    assert Ticket.objects.filter(satisfaction__isnull=False).exclude(satisfaction_comment="").exists()
    assert TicketEvent.objects.filter(kind=EventKind.TRANSFERRED).count() >= 2
    # Nothing happened after the demo was loaded, and every message follows its ticket's opening.
    now = timezone.now()
    assert not Article.objects.filter(created_at__gt=now).exists()
    for ticket in Ticket.objects.exclude(status=Status.MERGED):
        assert all(article.created_at >= ticket.created_at for article in ticket.articles.all())


def test_the_service_levels_show_missed_due_soon_and_paused_targets(loaded: list[str]) -> None:
    states = Counter()
    now = timezone.now()
    for ticket in Ticket.objects.select_related("desk", "topic"):
        for target in sla.targets(ticket, now):
            states[target.state] += 1
        if ticket.first_response_at is not None:
            assert ticket.first_response_at >= ticket.created_at
    assert {sla.MISSED, sla.DUE_SOON, sla.PAUSED, sla.MET, sla.ON_TRACK} <= set(states), states
    # The Moroccan e-mail has had no answer for 20 business hours: the 4-hour target is missed.
    moroccan = Ticket.objects.get(requester_email__startswith="youssef.alaoui")
    assert moroccan.status == Status.NEW
    assert sla.targets(moroccan, now)[0].state == sla.MISSED


def test_the_french_email_is_acknowledged_answered_with_a_canned_answer_and_rated(
    loaded: list[str],
) -> None:
    ticket = Ticket.objects.get(desk__code="africa", channel=Channel.EMAIL, language="fr", satisfaction=5)
    assert ticket.requester_email.endswith(demo.REQUESTERS_DOMAIN)
    reply = ticket.articles.get(kind=Kind.REPLY)
    assert reply.canned_answer is not None and reply.language == "fr"
    # The answer is the canned one in French, with the person's name and the reference.
    assert ticket.reference in reply.body and "Mariama Sow" in reply.body and "Votre référence" in reply.body
    assert ticket.status == Status.CLOSED and ticket.satisfaction_comment
    assert ticket.created_at < ticket.first_response_at <= ticket.closed_at < ticket.rated_at
    assert ticket.first_response_at <= ticket.first_response_due


def test_the_arabic_question_links_one_of_egypts_published_needs(loaded: list[str]) -> None:
    focal_point = accounts_demo.demo_person("focalpoint.eg")
    ticket = Ticket.objects.get(requester=focal_point, language="ar", channel=Channel.WEB)
    (link,) = ticket.record_links.all()
    need = Need.objects.get(identifier=link.identifier)
    assert need.live and need.owner_country is not None and need.owner_country.code == "EG"
    assert ticket.desk.code == "africa" and ticket.topic is not None and ticket.topic.leads_to_matchmaking
    assert ticket.articles.filter(kind=Kind.NOTE).exists()
    # After the case is opened, the desk says so in Arabic with the canned answer.
    reply = ticket.articles.get(kind=Kind.REPLY)
    assert reply.canned_answer is not None and reply.canned_answer.title["en"].startswith("We passed")
    assert ticket.reference in reply.body and "مواءمة" in reply.body
    # The question became the need's matchmaking case, with the requester's words on it.
    assert ticket.case is not None and ticket.case.need == need
    assert ticket.case.request_note == ticket.articles.filter(kind=Kind.MESSAGE).first().body
    assert ticket.events.filter(kind=EventKind.CASE).exists()


def test_answers_worth_keeping_are_published_as_faq_entries_in_six_languages(loaded: list[str]) -> None:
    entries = list(FaqEntry.objects.filter(live=True))
    assert len(entries) >= 6
    assert all(set(entry.question) >= set(CONTENT_LANGUAGES) for entry in entries)


def test_the_regional_agents_are_demo_people_with_their_second_factor(loaded: list[str]) -> None:
    for name in ("helpdesk.africa", "helpdesk.lac"):
        agent = accounts_demo.demo_person(name)
        assert agent.check_password(accounts_demo.DEMO_PASSWORD)
        assert mfa_policy.requires_second_factor(agent) and mfa_policy.has_second_factor(agent)
        assert accounts_demo.demo_totp_secret(agent.email) in "\n".join(loaded)
