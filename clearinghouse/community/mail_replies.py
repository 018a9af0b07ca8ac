"""Replies to community digests by e-mail, received through the help desk's mail receiver.

Each topic in a digest carries its own reply address, the help desk's address plus a tag that
names the topic and the membership it was sent to, signed: ``helpdesk+c.12.34.<signature>@…``.
A digest that covers several topics is answered through ``+d.<membership>.<signature>`` instead,
which posts nothing and tells the member to use a topic's address. The digest's Message-ID is
signed the same way, for mail programs that answer the From address and keep only In-Reply-To.

The route registered with the help desk (``mail_in.register_route``) takes a message addressed
so, after the help desk has kept it and ruled out duplicates, automatic replies and floods: the
signature must be right, the sender must be the member the address was given to, and the reply
is posted through ``discussions.post_reply`` (membership, ban, closed topic, length, files and
flood are checked there). A refused reply from the member gets one short answer saying why, in
their language and a few an hour at most; anyone else gets nothing, so that forged mail draws no
backscatter and nothing is learnt from it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from clearinghouse.community.models import Membership, Topic
from clearinghouse.core.mail import compose, site_host, site_url
from clearinghouse.core.multilingual import show
from clearinghouse.helpdesk import mail_in
from clearinghouse.helpdesk.models import MailOutcome

SALT = "clearinghouse.community.reply"
# The tag after "+": c.<topic>.<membership>.<signature> or d.<membership>.<signature>.
_TAG = re.compile(r"^(?:c\.(?P<topic>\d{1,12})\.|d\.)(?P<membership>\d{1,12})\.(?P<signature>[0-9a-f]{16})$")
_MESSAGE_ID = re.compile(
    r"^<digest\.\d{1,12}\.(?P<membership>\d{1,12})\.(?P<topic>\d{1,12})\.(?P<signature>[0-9a-f]{16})@"
)
# Answers to refused replies, per sender and hour: one says why; a loop must not follow.
ANSWERS_PER_HOUR = 3


@dataclass(frozen=True)
class Target:
    """What a reply address names: a topic (None for a digest of several) and a membership."""

    membership_id: int
    topic_id: int | None


class ForgedAddressError(Exception):
    """An address in our form whose signature is wrong."""


def _signature(membership_id: int, topic_id: int | None) -> str:
    value = f"{topic_id or 0}.{membership_id}"
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:16]


def _base() -> tuple[str, str]:
    """The help desk's address, split: the local part the tags are added to, and the domain."""
    address = parseaddr(settings.HELPDESK_EMAIL)[1] or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    local, _at, domain = address.rpartition("@")
    return local, domain


def reply_address(topic_id: int, membership_id: int) -> str:
    """The address that posts a reply in the topic, for this membership only."""
    local, domain = _base()
    return f"{local}+c.{topic_id}.{membership_id}.{_signature(membership_id, topic_id)}@{domain}"


def digest_address(membership_id: int) -> str:
    """The Reply-To of a digest of several topics: answered with where to write instead."""
    local, domain = _base()
    return f"{local}+d.{membership_id}.{_signature(membership_id, None)}@{domain}"


def digest_message_id(delivery_id: int, membership_id: int, topic_id: int | None) -> str:
    """Our Message-ID for a digest: unique, and naming its topic (when it has one) and membership."""
    signature = _signature(membership_id, topic_id)
    return f"<digest.{delivery_id}.{membership_id}.{topic_id or 0}.{signature}@{site_host()}>"


def _target(topic: str | None, membership: str, signature: str) -> Target:
    target = Target(int(membership), int(topic) if topic and int(topic) else None)
    if not constant_time_compare(signature, _signature(target.membership_id, target.topic_id)):
        raise ForgedAddressError
    return target


def target_of(recipients: list[str], thread_ids: list[str]) -> Target | None:
    """The target a message is addressed to (by a recipient, else by the digest it answers),
    None when it is not a reply to a digest. Raises ForgedAddressError for a recipient address of ours
    whose signature is wrong."""
    local, domain = _base()
    for recipient in recipients:
        name, _at, host = recipient.lower().rpartition("@")
        base, plus, tag = name.partition("+")
        if not plus or base != local.lower() or host != domain.lower():
            continue
        if not tag.startswith(("c.", "d.")):
            continue
        match = _TAG.match(tag)
        if match is None:
            raise ForgedAddressError
        return _target(match["topic"], match["membership"], match["signature"])
    for value in reversed(thread_ids):
        match = _MESSAGE_ID.match(value.strip().lower())
        if match is not None:
            try:
                return _target(match["topic"], match["membership"], match["signature"])
            except ForgedAddressError:
                continue  # a reference proves nothing: the message goes on to the help desk
    return None


# ---------------------------------------------------------------------------------------------
# The route


def _is_theirs(person: Any, address: str) -> bool:
    """Whether the sender's address is the member's account address (or another they verified)."""
    if not address or not person.is_active:
        return False
    if (person.email or "").lower() == address:
        return True
    return bool(EmailAddress.objects.filter(user=person, email__iexact=address, verified=True).exists())


def handle(parsed: mail_in.Parsed) -> tuple[str, str] | None:
    """The help desk's route for replies to digests (see the module's docstring)."""
    try:
        target = target_of(parsed.recipients, parsed.thread_ids)
    except ForgedAddressError:
        return MailOutcome.REFUSED, _("A reply address of a digest with a wrong signature: nothing posted.")
    if target is None:
        return None
    membership = (
        Membership.objects.select_related("person", "community").filter(pk=target.membership_id).first()
    )
    person = membership.person if membership is not None else None
    if membership is None or person is None or not _is_theirs(person, parsed.address):
        # Not answered: the sender is not who the address was given to.
        return MailOutcome.REFUSED, _("Not from the member the reply address was given to: nothing posted.")
    topic = (
        Topic.objects.filter(pk=target.topic_id, community_id=membership.community_id).first()
        if target.topic_id is not None
        else None
    )
    language = person.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        if topic is None:
            reason = (
                _(
                    "This digest covers several topics: write to the reply address given under "
                    "the topic you answer."
                )
                if target.topic_id is None
                else _("This topic is no longer there.")
            )
        else:
            reason = _post(person, topic, parsed)
    if not reason:
        return MailOutcome.ROUTED, _("Posted as a reply in topic %(topic)s of %(community)s.") % {
            "topic": target.topic_id,
            "community": membership.community.identifier,
        }
    _answer(person, membership, topic, reason, parsed.subject)
    return MailOutcome.REFUSED, reason


def _post(person: Any, topic: Topic, parsed: mail_in.Parsed) -> str:
    """Post the reply; the reason it was refused (in the active language), or ""."""
    from clearinghouse.community import discussions

    body = mail_in.strip_quoted(parsed.body)
    try:
        with transaction.atomic():
            # The attachments as (name, content): post_reply checks them by the upload rules.
            discussions.post_reply(author=person, topic=topic, body=body, files=parsed.files, by_email=True)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def _may_answer(address: str) -> bool:
    """At most ANSWERS_PER_HOUR answers to one address an hour (counted in the cache)."""
    key = "community:reply-answer:" + hashlib.sha256(address.encode()).hexdigest()[:32]
    if cache.add(key, 1, timeout=3600):
        return True
    try:
        return int(cache.incr(key)) <= ANSWERS_PER_HOUR
    except ValueError:  # expired between add() and incr()
        return bool(cache.add(key, 1, timeout=3600))


def _answer(person: Any, membership: Membership, topic: Topic | None, reason: str, subject: str) -> None:
    """One short answer to the member: their reply was not posted, and why. Sent once the
    outcome is recorded, marked as automatic so that their mail program does not answer it."""
    if not _may_answer(person.email.lower()):
        return
    community = membership.community
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        values = {
            "person": person,
            "community_name": show(community.name, community.original_language).text or community.identifier,
            "topic": topic,
            "reason": reason,
            "subject": subject,
            "url": site_url(topic.get_absolute_url() if topic is not None else community.get_absolute_url()),
        }
        message = compose(
            render_to_string("community/mail/digest_reply_refused_subject.txt", values).strip(),
            render_to_string("community/mail/digest_reply_refused_message.txt", values),
            [person.email],
        )
    message.extra_headers.update({"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"})
    transaction.on_commit(message.send)


mail_in.register_route("community", handle)
