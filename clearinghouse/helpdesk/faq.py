"""FAQ entries: answers worth keeping, written from a ticket as a draft that the agent edits,
translates and submits through the publishing workflow like any record, and the published
entries the public reads by topic.

An entry belongs to the institution that hosts the desk the ticket is on; the central desk's
entries (and those of a desk without a host) belong to the Secretariat's organisation. The
owner's reviewers publish them, as for any organisation's record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from clearinghouse.core.multilingual import Shown, show
from clearinghouse.core.text import trimmed
from clearinghouse.helpdesk import services
from clearinghouse.helpdesk.models import Article, Desk, FaqEntry, HelpTopic, Kind, Ticket
from clearinghouse.organisations.models import Organisation
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import workflow

QUESTION_LENGTH = 1_000
ANSWER_LENGTH = 20_000


def secretariat_organisation() -> Organisation | None:
    """The Secretariat's organisation, known by its acronym (HELPDESK_SECRETARIAT_ACRONYM)."""
    return Organisation.objects.filter(acronym=settings.HELPDESK_SECRETARIAT_ACRONYM).order_by("pk").first()


def owner_for(desk: Desk) -> Organisation:
    """Who owns the FAQ entries kept from a desk's tickets: its host institution, else the
    Secretariat's organisation."""
    owner = desk.host or secretariat_organisation()
    if owner is None:
        raise services.HelpdeskError(
            _(
                "This desk has no host institution and the Secretariat's organisation is not "
                "registered: an FAQ entry needs an owner."
            ),
            code="no_owner",
        )
    return owner


def _cut(text: str, limit: int) -> str:
    """The text trimmed, shortened at a word boundary with an ellipsis when it is too long."""
    text = trimmed(text)
    if len(text) <= limit:
        return text
    shortened = text[: limit - 1].rsplit(None, 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return shortened.rstrip() + "…"


def _answer(ticket: Ticket, article: Article | None) -> Article:
    """The chosen reply of the ticket, else its latest public reply."""
    if article is not None:
        if article.ticket_id != ticket.pk or article.kind != Kind.REPLY:
            raise services.HelpdeskError(
                _("Choose one of this ticket's replies to keep as the answer."), code="not_a_reply"
            )
        return article
    latest = ticket.articles.filter(kind=Kind.REPLY).order_by("-created_at", "-pk").first()
    if latest is None:
        raise services.HelpdeskError(
            _("This ticket has no reply yet: answer it before keeping the answer as an FAQ entry."),
            code="no_reply",
        )
    return latest


@transaction.atomic
def draft_from_ticket(ticket: Ticket, *, actor: Any, article: Article | None = None) -> FaqEntry:
    """A draft FAQ entry from a ticket: its subject and first message as the question, the chosen
    reply (the latest by default) as the answer, in the ticket's language and topic. The agent
    then edits it (taking out what names the requester), translates it and submits it."""
    if not services.may_work_on(actor, ticket):
        raise services.NotAllowed(_("Only the agents of this ticket's desk can do this."))
    answer = _answer(ticket, article)
    first = ticket.articles.filter(kind=Kind.MESSAGE).order_by("created_at", "pk").first()
    question = trimmed(ticket.subject)
    if first is not None and trimmed(first.body) and trimmed(first.body) != question:
        question = f"{question}\n\n{trimmed(first.body)}"
    language = ticket.language
    entry = workflow.create(
        FaqEntry,
        actor=actor,
        owner=owner_for(ticket.desk),
        values={
            "original_language": language,
            "question": {language: _cut(question, QUESTION_LENGTH)},
            "answer": {language: _cut(answer.body, ANSWER_LENGTH)},
            "topic": ticket.topic,
        },
        note=_("Kept from ticket %(reference)s") % {"reference": ticket.reference},
    )
    # Not content: the ticket stays known to agents whatever revision is published.
    entry.source_ticket = ticket
    entry.save(update_fields=["source_ticket"])
    return entry


@transaction.atomic
def save(
    entry: FaqEntry,
    *,
    actor: Any,
    question: str,
    answer: str,
    topic: HelpTopic | None,
    base_revision: int | None,
    plan_activities: Iterable[Activity] | None = None,
) -> FaqEntry:
    """The entry's question and answer in its original language, its topic and the action-plan
    activities it serves (None keeps them), saved as a new draft revision (a published entry
    stays public as it was until the change is published)."""
    working, _many = workflow.working_copy(entry)
    language = entry.original_language
    question, answer = trimmed(question), trimmed(answer)
    problems = {}
    if not question:
        problems["question"] = _("Write the question.")
    if not answer:
        problems["answer"] = _("Write the answer.")
    if problems:
        raise services.HelpdeskError(problems, code="required")
    workflow.save_draft(
        entry,
        actor=actor,
        values={
            "question": dict(working.question or {}) | {language: question},
            "answer": dict(working.answer or {}) | {language: answer},
            "topic": topic,
        }
        | ({} if plan_activities is None else {"plan_activities": list(plan_activities)}),
        base_revision=base_revision,
    )
    entry.refresh_from_db()
    return entry


# --- what the public reads ------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownEntry:
    entry: FaqEntry
    question: Shown
    answer: Shown


@dataclass(frozen=True)
class TopicGroup:
    topic: HelpTopic | None
    label: str
    entries: tuple[ShownEntry, ...]


def published() -> QuerySet[FaqEntry]:
    return FaqEntry.objects.filter(live=True).select_related("topic")


def shown(entry: FaqEntry, language: str | None = None) -> ShownEntry:
    """The entry's question and answer in the reader's language, else its original (marked)."""
    return ShownEntry(
        entry,
        show(entry.question or {}, entry.original_language, language),
        show(entry.answer or {}, entry.original_language, language),
    )


def by_topic(entries: QuerySet[FaqEntry], language: str | None = None) -> list[TopicGroup]:
    """Published entries grouped by topic in the topics' order, those without a topic last."""
    groups: dict[int | None, list[FaqEntry]] = {}
    topics: dict[int | None, HelpTopic | None] = {None: None}
    for entry in entries.order_by("topic__position", "topic__code", "-first_published_at", "pk"):
        groups.setdefault(entry.topic_id, []).append(entry)
        topics[entry.topic_id] = entry.topic
    ordered = [key for key in groups if key is not None] + ([None] if None in groups else [])
    return [
        TopicGroup(
            topics[key],
            str(topics[key]) if topics[key] is not None else _("Other questions"),
            tuple(shown(entry, language) for entry in groups[key]),
        )
        for key in ordered
    ]


def texts_of(entry: FaqEntry) -> Mapping[str, Any]:
    """The working copy's question and answer in the original language, its topic and its
    action-plan activities (what the edit form starts from)."""
    working, many = workflow.working_copy(entry)
    language = entry.original_language
    return {
        "question": (working.question or {}).get(language, ""),
        "answer": (working.answer or {}).get(language, ""),
        "topic": working.topic,
        "plan_activities": many.get("plan_activities", []),
    }
