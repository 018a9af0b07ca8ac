"""Mail the help desk sends: the acknowledgement with the reference, agents' replies, the
request for a rating on close, and word to the agents of a requester's new message.

Everything to a requester is written in the ticket's language, carries the reference in the
subject ("[HD-2026-000123] ...") and a Message-ID that names the ticket and is signed, so a reply
finds its ticket by either (mail_in.py) and a forged reference finds nothing. What we send
automatically says so (Auto-Submitted, RFC 3834), so that well-behaved responders stay quiet.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from email.utils import formataddr

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from clearinghouse.core.mail import compose, site_host, site_url
from clearinghouse.helpdesk.models import Article, Kind, Ticket

RATING_SALT = "helpdesk.rating"


def interface_language(language: str) -> str:
    """The catalogue to write in for a ticket's language (tickets keep ISO codes: "zh")."""
    return {"zh": "zh-hans"}.get(language, language)


def _signature(reference: str, article_id: int) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{reference}.{article_id}".encode(), hashlib.sha256).hexdigest()[:16]


def message_id(ticket: Ticket, article_id: int) -> str:
    """Our Message-ID for a message about the ticket: the reference, the message and a signature."""
    return f"<{ticket.reference}.{article_id}.{_signature(ticket.reference, article_id)}@{site_host()}>"


def ticket_of_message_id(value: str) -> tuple[str, int] | None:
    """(reference, article id) named by one of our Message-IDs, if its signature is right."""
    local = value.strip().strip("<>").split("@", 1)[0]
    parts = local.split(".")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    reference, article_id, signature = parts[0].upper(), int(parts[1]), parts[2]
    return (
        (reference, article_id) if hmac.compare_digest(signature, _signature(reference, article_id)) else None
    )


def rating_token(ticket: Ticket) -> str:
    return signing.dumps(ticket.reference, salt=RATING_SALT)


def reference_of_rating_token(token: str) -> str | None:
    """The ticket a rating link names, if the link is ours and less than 90 days old."""
    try:
        return str(signing.loads(token, salt=RATING_SALT, max_age=90 * 24 * 3600))
    except signing.BadSignature:
        return None


def _desk_sender(ticket: Ticket) -> str:
    from clearinghouse.core.mail import sender

    if ticket.desk.email:
        return formataddr((str(ticket.desk), ticket.desk.email))
    return sender()


def _send(
    ticket: Ticket, article_id: int, template: str, context: dict[str, object], *, automatic: bool
) -> None:
    address = ticket.address
    if not address:
        return
    with translation.override(interface_language(ticket.language)):
        my_url = (
            site_url(reverse("helpdesk:my_ticket", args=[ticket.reference])) if ticket.requester_id else ""
        )
        values = {"ticket": ticket, "my_url": my_url, **context}
        subject = render_to_string(f"helpdesk/email/{template}_subject.txt", values).strip()
        body = render_to_string(f"helpdesk/email/{template}_message.txt", values)
        message = compose(f"[{ticket.reference}] {subject}", body, [address])
    message.from_email = _desk_sender(ticket)
    own = message_id(ticket, article_id)
    first = ticket.articles.filter(kind=Kind.MESSAGE).exclude(message_id="").first()
    message.extra_headers.update(
        {
            "Message-ID": own,
            "Reply-To": ticket.desk.email or settings.HELPDESK_EMAIL,
            "X-Clearinghouse-Ticket": ticket.reference,
        }
    )
    if first is not None:
        message.extra_headers["In-Reply-To"] = first.message_id
        message.extra_headers["References"] = first.message_id
    if automatic:
        message.extra_headers["Auto-Submitted"] = "auto-replied"
        message.extra_headers["X-Auto-Response-Suppress"] = "All"
    message.send()


def _ticket(pk: int) -> Ticket | None:
    return Ticket.objects.select_related("desk", "requester").filter(pk=pk).first()


def acknowledge(ticket_pk: int, *, refused: Sequence[tuple[str, str]] = ()) -> None:
    """The requester learns that the desk has their question, under which reference, and which
    of the files they sent were not accepted and why (``refused``: name and reason, already in
    the ticket's language)."""
    ticket = _ticket(ticket_pk)
    if ticket is None:
        return
    first = ticket.articles.order_by("pk").first()
    _send(ticket, first.pk if first else 0, "acknowledgement", {"refused": list(refused)}, automatic=True)


def files_refused(ticket_pk: int, refused: Sequence[tuple[str, str]]) -> None:
    """The requester wrote again with files that were not accepted: which, and why."""
    ticket = _ticket(ticket_pk)
    if ticket is None or not refused:
        return
    last = ticket.articles.filter(kind=Kind.MESSAGE).order_by("-pk").first()
    _send(ticket, last.pk if last else 0, "files_refused", {"refused": list(refused)}, automatic=True)


def send_reply(article_pk: int, *, closing: bool = False) -> None:
    """An agent's reply, to the requester (and, closing, with the rating links)."""
    article = (
        Article.objects.select_related("ticket__desk", "ticket__requester", "author")
        .filter(pk=article_pk)
        .first()
    )
    if article is None or article.kind != Kind.REPLY:
        return
    ticket = article.ticket
    context = {"article": article, "closing": closing, "rating": _rating_links(ticket) if closing else []}
    _send(ticket, article.pk, "reply", context, automatic=False)
    Article.objects.filter(pk=article.pk).update(message_id=message_id(ticket, article.pk))


def ask_rating(ticket_pk: int) -> None:
    """Closed without a closing reply: the requester is asked how well they were helped."""
    ticket = _ticket(ticket_pk)
    if ticket is None or ticket.rated_at is not None:
        return
    last = ticket.articles.order_by("-pk").first()
    _send(ticket, last.pk if last else 0, "closed", {"rating": _rating_links(ticket)}, automatic=True)


def _rating_links(ticket: Ticket) -> list[tuple[int, str]]:
    token = rating_token(ticket)
    with translation.override(interface_language(ticket.language)):
        return [(score, site_url(reverse("helpdesk:rate", args=[token, score]))) for score in range(1, 6)]


def tell_agents(article_pk: int) -> None:
    """The assigned agent and the followers learn of the requester's new message."""
    article = (
        Article.objects.select_related("ticket__desk", "ticket__assigned_to").filter(pk=article_pk).first()
    )
    if article is None:
        return
    ticket = article.ticket
    people = {person.pk: person for person in ticket.followers.all()}
    if ticket.assigned_to is not None:
        people[ticket.assigned_to.pk] = ticket.assigned_to
    for person in people.values():
        if not person.email:
            continue
        language = getattr(person, "preferred_language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            values = {"ticket": ticket, "article": article, "url": site_url(ticket.get_absolute_url())}
            subject = render_to_string("helpdesk/email/new_message_subject.txt", values).strip()
            body = render_to_string("helpdesk/email/new_message_message.txt", values)
            message = compose(f"[{ticket.reference}] {subject}", body, [person.email])
        message.extra_headers["Auto-Submitted"] = "auto-generated"
        transaction.on_commit(message.send)
