"""Desks, topics and tickets for the help desk's tests, built on the shared test world."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from clearinghouse.helpdesk import services
from clearinghouse.helpdesk.models import Channel, Desk, HelpTopic, ServiceLevel, Ticket

ALWAYS_OPEN = {str(day): [["00:00", "23:59"]] for day in range(7)}


def topic(code: str = "question", **fields: Any) -> HelpTopic:
    fields.setdefault("name", {"en": code.replace("-", " ").capitalize()})
    return HelpTopic.objects.get_or_create(code=code, defaults=fields)[0]


def desk(code: str = "central", *, central: bool | None = None, **fields: Any) -> Desk:
    """A desk open Monday to Friday 09:00–17:00 UTC, with a 4-hour first response and a
    16-hour resolution target, unless told otherwise."""
    countries = fields.pop("countries", ())
    topics = fields.pop("topics", ())
    agents = fields.pop("agents", ())
    fields.setdefault("name", {"en": code.capitalize()})
    fields.setdefault("languages", ["en", "fr", "es", "ar", "ru", "zh"])
    made = Desk.objects.create(
        code=code, is_central=code == "central" if central is None else central, **fields
    )
    made.countries.add(*countries)
    made.topics.add(*topics)
    made.agents.add(*agents)
    ServiceLevel.objects.create(
        desk=made, first_response_hours=Decimal("4"), resolution_hours=Decimal("16"), warn_at_percent=75
    )
    return made


def ticket(**fields: Any) -> Ticket:
    """A ticket asked by web in English by someone without an account, unless told otherwise."""
    question = services.Question(
        subject=fields.pop("subject", "How do I register a need?"),
        body=fields.pop("body", "I cannot find the form for our national needs assessment."),
        language=fields.pop("language", "en"),
        channel=fields.pop("channel", Channel.WEB),
        requester_email=fields.pop("requester_email", "asker@example.org"),
        requester_name=fields.pop("requester_name", "Ada Asker"),
        **fields,
    )
    return services.open_ticket(question)
