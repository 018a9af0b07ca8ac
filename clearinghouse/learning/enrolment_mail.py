"""The invitation to a course, written in the invitee's language: their account's when the
address has one, else the language the trainer chose for it."""

from __future__ import annotations

from django.urls import reverse

from clearinghouse.accounts.models import User
from clearinghouse.core.languages import pick_label
from clearinghouse.core.mail import send_templated, site_url
from clearinghouse.learning.models import Invitation


def language_of(email: str, fallback: str) -> str:
    """The interface language to write to ``email`` in: its account's, else ``fallback`` (an
    interface or a content code: Chinese is ``zh-hans`` to the interface)."""
    person = User.objects.filter(email__iexact=email).exclude(preferred_language="").first()
    if person is not None:
        return str(person.preferred_language)
    return "zh-hans" if fallback == "zh" else fallback


def invited(invitation: Invitation, language: str) -> None:
    """Send the invitation with its link (accepting it asks the person to sign in)."""
    invitation = Invitation.objects.select_related("course", "cohort", "invited_by").get(pk=invitation.pk)
    course = invitation.course
    inviter = invitation.invited_by

    def built() -> dict[str, object]:
        return {
            "course_title": pick_label(course.title) or course.identifier,
            "cohort": invitation.cohort,
            "inviter": (inviter.get_full_name() or inviter.username) if inviter else "",
            # Reversed here, for the link to open in the recipient's language.
            "url": site_url(reverse("learning:invitation", args=[invitation.token])),
        }

    send_templated(
        "learning/mail/invitation",
        built,
        to=invitation.email,
        language=language_of(invitation.email, language),
    )
