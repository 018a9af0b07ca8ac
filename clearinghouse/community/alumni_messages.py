"""Messages between alumni, "by message only": stored on the platform and sent by e-mail from
the platform's address, in the recipient's language, with the sender's name and a link to answer
on the platform. Neither address is ever shown to the other side.

One may write to an alumnus who consented and accepts messages, or answer someone who wrote to
you. A sender writes at most ``COMMUNITY_MESSAGES_PER_HOUR`` messages an hour (counted in the
cache, as the help desk's form is).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.community.models import Alumnus, Consent, DirectMessage
from clearinghouse.core.mail import send_templated, site_url

MAX_LENGTH = 5000
WINDOW = 3600


def _limit() -> int:
    return int(getattr(settings, "COMMUNITY_MESSAGES_PER_HOUR", 10))


def _key(sender: User) -> str:
    return f"community:messages:{sender.pk}:{int(time.time()) // WINDOW}"


def accepts_messages(recipient: User) -> bool:
    """Whether the person, as an alumnus who consented, lets other members write to them."""
    return Alumnus.objects.filter(
        person=recipient, consent=Consent.GIVEN, accepts_messages=True, person__is_active=True
    ).exists()


def wrote_to(sender: User, recipient: Any) -> bool:
    return DirectMessage.objects.filter(sender=sender, recipient=recipient).exists()


def may_write(sender: Any, recipient: User) -> bool:
    """Whether ``sender`` may write to ``recipient``: they accept messages, or wrote to the
    sender first (an answer is always allowed while the account is open)."""
    if not getattr(sender, "is_authenticated", False) or sender.pk == recipient.pk:
        return False
    if not recipient.is_active:
        return False
    return accepts_messages(recipient) or wrote_to(recipient, sender)


def send(sender: Any, recipient: User, body: str) -> DirectMessage:
    """Store the message and e-mail it to the recipient; ValidationError or PermissionDenied
    saying why when it is refused (nothing is stored or sent then)."""
    if not getattr(sender, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to write to a member."))
    if sender.pk == recipient.pk:
        raise ValidationError(_("You cannot write to yourself."), code="self")
    if not may_write(sender, recipient):
        raise PermissionDenied(_("This member does not receive messages."))
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a message."), code="empty")
    if len(body) > MAX_LENGTH:
        raise ValidationError(
            _("A message has at most %(count)d characters.") % {"count": MAX_LENGTH}, code="too_long"
        )
    key = _key(sender)
    if int(cache.get(key, 0)) >= _limit():
        raise ValidationError(
            _("You have sent many messages in the last hour: wait a while before writing again."),
            code="rate_limited",
        )
    with transaction.atomic():
        message = DirectMessage.objects.create(sender=sender, recipient=recipient, body=body)
        transaction.on_commit(lambda: _mail(message.pk))
    if not cache.add(key, 1, timeout=WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=WINDOW)
    return message


def _mail(pk: int) -> None:
    message = DirectMessage.objects.select_related("sender", "recipient").get(pk=pk)
    recipient = message.recipient
    alumnus = Alumnus.objects.filter(person=recipient).only("language").first()
    language = recipient.preferred_language or (alumnus.language if alumnus else "") or "en"

    def built() -> dict[str, Any]:
        return {
            "sender_name": message.sender.get_full_name() or message.sender.username,
            "recipient_name": recipient.get_full_name() or recipient.username,
            "body": message.body,
            "url": site_url(reverse("community:messages")),
            "answer_url": site_url(reverse("community:write", args=[message.sender_id])),
        }

    send_templated("community/mail/alumni_message", built, to=recipient.email, language=language)


def received(person: User) -> QuerySet[DirectMessage]:
    return DirectMessage.objects.filter(recipient=person).select_related("sender")


def sent(person: User) -> QuerySet[DirectMessage]:
    return DirectMessage.objects.filter(sender=person).select_related("recipient")


def mark_read(person: User) -> int:
    """The person opened their messages: what they received is read."""
    return DirectMessage.objects.filter(recipient=person, read_at__isnull=True).update(read_at=timezone.now())
