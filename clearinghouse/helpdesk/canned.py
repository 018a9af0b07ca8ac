"""Canned answers: prepared answers in the six languages, shared by every desk or kept to one,
written by any agent and inserted into a reply in the requester's language.

A text may name ``{name}`` (the requester), ``{reference}`` (the ticket) and ``{desk}`` (the
ticket's desk, in the ticket's language); any other word in braces is refused when the answer is
saved, so that nobody receives a reply with a hole in it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from clearinghouse.accounts.roles import is_secretariat
from clearinghouse.core.languages import CONTENT_LANGUAGES, LANGUAGE_CHOICES, pick_label
from clearinghouse.helpdesk import services
from clearinghouse.helpdesk.models import CannedAnswer, Desk, HelpTopic, Ticket, validate_texts

PLACEHOLDERS = ("name", "reference", "desk")
# A word in single braces; doubled braces are not special (texts are not format strings).
_PLACEHOLDER = re.compile(r"\{([^{}\s]{0,40})\}")
TITLE_LENGTH = 200
BODY_LENGTH = 20_000


class CannedAnswerError(ValidationError):
    """A canned answer refused for a reason its author can act on."""


def unknown_placeholders(text: str) -> list[str]:
    """The words in braces that are not one of the placeholders, in order, once each."""
    return list(dict.fromkeys(word for word in _PLACEHOLDER.findall(text) if word not in PLACEHOLDERS))


def missing_languages(answer: CannedAnswer) -> list[str]:
    """Codes of the languages the answer's text is not written in yet."""
    written = set(answer.languages)
    return [code for code, _label in LANGUAGE_CHOICES if code not in written]


# ---------------------------------------------------------------------------------------------
# Who may do what


def is_agent(user: Any) -> bool:
    """Help-desk agents and the Secretariat write canned answers."""
    return services.is_agent(user)


def may_edit(user: Any, answer: CannedAnswer) -> bool:
    """Its author, the leads of its desk, and the Secretariat."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_secretariat(user) or (answer.created_by_id is not None and answer.created_by_id == user.pk):
        return True
    return (
        answer.desk_id is not None
        and answer.desk is not None
        and answer.desk.leads.filter(pk=user.pk).exists()
    )


def usable_for(ticket: Ticket) -> QuerySet[CannedAnswer]:
    """The answers an agent may insert on the ticket: active, shared or of its desk; those of its
    topic first."""
    answers = CannedAnswer.objects.filter(active=True).filter(
        Q(desk__isnull=True) | Q(desk_id=ticket.desk_id)
    )
    if ticket.topic_id is not None:
        answers = answers.filter(Q(topic__isnull=True) | Q(topic_id=ticket.topic_id))
    return answers.select_related("topic", "desk").order_by("-topic_id", "pk")


# ---------------------------------------------------------------------------------------------
# Writing


def _clean_texts(values: Mapping[str, str] | None, limit: int, field: str) -> dict[str, str]:
    texts = {
        code: (values or {}).get(code, "").replace("\x00", "").strip()
        for code in CONTENT_LANGUAGES
        if ((values or {}).get(code) or "").strip()
    }
    errors: list[str] = []
    for code, text in texts.items():
        if len(text) > limit:
            errors.append(
                _("The %(language)s text is too long: keep it under %(limit)s characters.")
                % {"language": _language_name(code), "limit": f"{limit:,}"}
            )
        unknown = unknown_placeholders(text)
        if unknown:
            errors.append(
                _(
                    "The %(language)s text names %(unknown)s: "
                    "only {name}, {reference} and {desk} are filled in."
                )
                % {"language": _language_name(code), "unknown": ", ".join(f"{{{word}}}" for word in unknown)}
            )
    if errors:
        raise CannedAnswerError({field: errors}, code="texts")
    return texts


def _language_name(code: str) -> str:
    return str(dict(LANGUAGE_CHOICES).get(code, code))


def _fill(
    answer: CannedAnswer,
    *,
    title: Mapping[str, str],
    body: Mapping[str, str],
    topic: HelpTopic | None,
    desk: Desk | None,
    active: bool,
) -> None:
    errors: dict[str, Any] = {}
    for field, values, limit in (("title", title, TITLE_LENGTH), ("body", body, BODY_LENGTH)):
        try:
            setattr(answer, field, _clean_texts(values, limit, field))
        except CannedAnswerError as refused:
            errors.update(refused.message_dict)
    if not errors:
        if not answer.title:
            errors["title"] = [_("Give the answer a title in at least one language.")]
        if not answer.body:
            errors["body"] = [_("Write the answer in at least one language.")]
        # A title for a language with no text (or the reverse) would list an answer that is empty.
        for code in set(answer.title) ^ set(answer.body):
            errors.setdefault("body", []).append(
                _("Give both a title and a text in %(language)s, or neither.")
                % {"language": _language_name(code)}
            )
    if errors:
        raise CannedAnswerError(errors, code="texts")
    validate_texts(answer.title)
    validate_texts(answer.body)
    answer.topic = topic
    answer.desk = desk
    answer.active = active


@transaction.atomic
def create(
    *,
    author: Any,
    title: Mapping[str, str],
    body: Mapping[str, str],
    topic: HelpTopic | None = None,
    desk: Desk | None = None,
) -> CannedAnswer:
    """A new canned answer, by an agent; shared by every desk unless ``desk`` is given."""
    if not is_agent(author):
        raise PermissionDenied(_("Only help-desk agents write canned answers."))
    answer = CannedAnswer(created_by=author)
    _fill(answer, title=title, body=body, topic=topic, desk=desk, active=True)
    answer.save()
    return answer


@transaction.atomic
def update(
    answer: CannedAnswer,
    *,
    actor: Any,
    title: Mapping[str, str],
    body: Mapping[str, str],
    topic: HelpTopic | None,
    desk: Desk | None,
    active: bool = True,
) -> CannedAnswer:
    """Change a canned answer (its author, its desk's leads, the Secretariat)."""
    if not may_edit(actor, answer):
        raise PermissionDenied(_("Only its author, the desk's leads and the Secretariat change this answer."))
    answer = CannedAnswer.objects.select_for_update().get(pk=answer.pk)
    _fill(answer, title=title, body=body, topic=topic, desk=desk, active=active)
    answer.save()
    return answer


@transaction.atomic
def set_active(answer: CannedAnswer, *, actor: Any, active: bool) -> CannedAnswer:
    """Take an answer out of use (kept for the replies that used it) or back into use."""
    if not may_edit(actor, answer):
        raise PermissionDenied(_("Only its author, the desk's leads and the Secretariat change this answer."))
    CannedAnswer.objects.filter(pk=answer.pk).update(active=active)
    answer.active = active
    return answer


# ---------------------------------------------------------------------------------------------
# Inserting


def language_for(answer: CannedAnswer, wanted: str) -> str:
    """The ticket's language if the answer is written in it, else English, else the first there is."""
    written = answer.languages
    for code in (wanted, "en", *written):
        if code in written:
            return code
    return ""


def render(answer: CannedAnswer, ticket: Ticket) -> tuple[str, str]:
    """The answer's text for the ticket, in the ticket's language when it is written in it (else
    English, else another), with {name}, {reference} and {desk} filled in: (text, language used)."""
    language = language_for(answer, ticket.language)
    if not language:
        return "", ""
    values = {
        "name": ticket.display_name,
        "reference": ticket.reference,
        "desk": pick_label(ticket.desk.name, language) or ticket.desk.code,
    }
    text = _PLACEHOLDER.sub(lambda found: values.get(found.group(1), found.group(0)), answer.body[language])
    return text, language


def usable_one(ticket: Ticket, answer_id: Any) -> CannedAnswer:
    """One of the answers this ticket may use, by its id; a clear error otherwise."""
    answer = usable_for(ticket).filter(pk=answer_id).first() if str(answer_id).isdigit() else None
    if answer is None:
        raise CannedAnswerError(
            {"canned_answer": _("Choose one of the canned answers offered.")}, code="canned"
        )
    return answer
