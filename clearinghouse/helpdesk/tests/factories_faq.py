"""FAQ entries and answered tickets for the FAQ and statistics tests."""

from __future__ import annotations

from typing import Any

from clearinghouse.core.testing import World
from clearinghouse.helpdesk import services
from clearinghouse.helpdesk.models import FaqEntry, HelpTopic, Ticket
from clearinghouse.helpdesk.tests import factories
from clearinghouse.organisations.models import Organisation, OrganisationType
from clearinghouse.publishing import workflow


def secretariat_organisation() -> Organisation:
    """The Secretariat's organisation, known by its acronym as in the reference data."""
    return Organisation.objects.get_or_create(
        acronym="SCBD",
        defaults={
            "name": "Secretariat of the Convention on Biological Diversity",
            "name_language": "en",
            "type": OrganisationType.UN_BODY,
        },
    )[0]


def answered_ticket(world: World, *, reply: str = "Open My work, then New need.", **fields: Any) -> Ticket:
    """A ticket the world's help-desk agent has answered once."""
    ticket = factories.ticket(**fields)
    services.reply(ticket, agent=world.helpdesk_agent, body=reply)
    ticket.refresh_from_db()
    return ticket


def published_entry(
    world: World,
    *,
    question: dict[str, str],
    answer: dict[str, str],
    topic: HelpTopic | None = None,
    owner: Organisation | None = None,
) -> FaqEntry:
    """An entry written by the help-desk agent and published by the Secretariat."""
    language = next(iter(question))
    entry = workflow.create(
        FaqEntry,
        actor=world.helpdesk_agent,
        owner=owner or secretariat_organisation(),
        values={"original_language": language, "question": question, "answer": answer, "topic": topic},
    )
    workflow.submit(entry, actor=world.helpdesk_agent)
    return workflow.publish(entry, actor=world.secretariat)
