"""The e-mails of mentoring: each step tells the other side, in their own language, with the
link to the relation's page (community/mail/mentoring_<step>_subject.txt and _message.txt)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from clearinghouse.accounts.models import User
from clearinghouse.community.models import Mentorship
from clearinghouse.core.mail import send_templated, site_url

STEPS = frozenset({"asked", "accepted", "declined", "withdrawn", "started", "noted", "completed", "ended"})


def language_of(person: User) -> str:
    return str(person.preferred_language or settings.LANGUAGE_CODE)


def send(step: str, mentorship_pk: int, to_pk: int, extra: dict[str, Any] | None = None) -> None:
    """Write to ``to`` (one side of the relation) that ``step`` happened. Called once the step's
    transaction committed; the relation is read again, so the e-mail says what was saved."""
    from clearinghouse.community.mentoring import name_for

    if step not in STEPS:
        raise ValueError(f"No mentoring e-mail for {step!r}")
    mentorship = Mentorship.objects.select_related("mentee", "mentor", "subject").get(pk=mentorship_pk)
    recipient = mentorship.mentee if to_pk == mentorship.mentee_id else mentorship.mentor
    other = mentorship.mentor if recipient.pk == mentorship.mentee_id else mentorship.mentee

    def built() -> dict[str, Any]:
        return {
            "mentorship": mentorship,
            "other": name_for(mentorship, recipient, other),
            "as_mentor": recipient.pk == mentorship.mentor_id,
            "subject": mentorship.subject.label() if mentorship.subject else "",
            # Reversed here, for the link to open in the recipient's language.
            "url": site_url(reverse("community:mentorship", args=[mentorship.pk])),
            **(extra or {}),
        }

    send_templated(
        f"community/mail/mentoring_{step}", built, to=recipient.email, language=language_of(recipient)
    )
