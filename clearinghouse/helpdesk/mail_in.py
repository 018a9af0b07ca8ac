"""Mail the help desk receives: each message is kept as it came (InboundMail), then becomes a
new ticket, a message on the ticket it answers, an internal note, or nothing at all.

Whatever arrives is stored first, in its own transaction, so a message that cannot be read or
processed is never lost: it stays as REJECTED, with the error, for an agent to look at and
process again. Nothing automatic is ever answered (RFC 3834 and the usual vendor headers), our
own mail coming back is a loop, and one address cannot open more than a few tickets an hour.

Threading trusts what cannot be forged first: our Message-IDs are signed (mail_out.py), so
In-Reply-To or References naming one of them finds the ticket. A reference in the subject is
trusted only from an address the ticket knows (its requester, a follower, an agent of its
desk); from anyone else it opens a new ticket and an agent is told of the suspicious reference.
Mail from an agent's address becomes an internal note, never a reply: the From header is easy to
forge, and a note sends nothing to the requester.

Other parts of the platform receive mail through the same address (a reply to a community
digest): they register a route, asked after the duplicate, automatic and rate checks and before
the message is threaded into tickets. The help desk knows nothing of them but the route.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from typing import Any

import html2text
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clearinghouse.core.detection import detect_language
from clearinghouse.helpdesk import mail_out, routing, services
from clearinghouse.helpdesk.models import (
    LANGUAGE_CODES,
    REFERENCE,
    Article,
    Channel,
    Desk,
    InboundMail,
    Kind,
    MailOutcome,
    Ticket,
)
from clearinghouse.support import uploads

logger = logging.getLogger(__name__)

# Headers by which mail says it was written by a program (RFC 3834 and vendor variants).
_AUTOMATIC_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "List-Id")
_AUTOMATIC_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply"})
_DAEMONS = re.compile(r"^(mailer-daemon|postmaster)@", re.IGNORECASE)
# Where quoted history starts in a reply, in the usual mail programs and our six languages.
_QUOTE_STARTS = re.compile(
    r"^\s*(?:"
    r"On\s.{1,200}\swrote:"
    r"|Le\s.{1,200}\sa\sécrit\s?:"
    r"|El\s.{1,200}\sescribió:"
    r"|-{2,}\s*(?:Original Message|Message d'origine|Mensaje original|Исходное сообщение"
    r"|Пересылаемое сообщение|原始邮件|الرسالة الأصلية)\s*-{2,}"
    r")\s*$",
    re.IGNORECASE,
)
_MESSAGE_IDS = re.compile(r"<[^<>\s]{1,300}>")


# Outcomes of mail that was taken: what the duplicate check and the hourly limit count.
_TAKEN = (MailOutcome.NEW_TICKET, MailOutcome.REPLY, MailOutcome.ROUTED)


def max_bytes() -> int:
    return int(getattr(settings, "HELPDESK_MAIL_MAX_BYTES", 25 * 1024 * 1024))


@dataclass
class Refused:
    """An attachment not kept, and why (in the ticket's language)."""

    name: str
    reason: str


@dataclass
class Parsed:
    """What the desk needs of a message, read without ever raising on bad input."""

    address: str
    name: str
    subject: str
    message_id: str
    body: str
    recipients: list[str]
    thread_ids: list[str]
    automatic: str = ""
    automatic_detail: str = ""
    # (name, content) as attached: checked once the ticket's language is known.
    files: list[tuple[str, bytes]] = field(default_factory=list)


# A route: given a message read, (outcome, detail) when the mail is its own, else None.
Route = Callable[[Parsed], "tuple[str, str] | None"]
_routes: dict[str, Route] = {}


def register_route(name: str, handler: Route) -> None:
    """Let another part of the platform take the mail meant for it before it becomes a ticket.
    ``handler`` is given each message that is neither a duplicate, nor automatic, nor over the
    hourly limit, inside the transaction that records its outcome, in the platform's language;
    it returns (MailOutcome.ROUTED or REFUSED, detail for the agents) when the message is its
    own, None when not. Registered under a name, once (from an app's ready())."""
    _routes[name] = handler


def _route(parsed: Parsed) -> tuple[str, str] | None:
    for handler in list(_routes.values()):
        taken = handler(parsed)
        if taken is not None:
            return taken
    return None


# ---------------------------------------------------------------------------------------------
# Receiving


def receive(raw: bytes, *, recipient: str = "") -> InboundMail:
    """Keep the message, then turn it into a ticket or a message on one. Never raises for what
    the message holds: failures are recorded on the InboundMail (a database error does raise,
    so the sender's server keeps the message and tries again)."""
    mail = store(raw, recipient=recipient)
    if mail.outcome == MailOutcome.PENDING:
        process(mail)
    return mail


def store(raw: bytes, *, recipient: str = "") -> InboundMail:
    """The message as received, committed on its own: above the size limit it is kept
    (truncated to the limit) as REJECTED, to be seen but not processed."""
    too_big = len(raw) > max_bytes()
    headers = _headers(raw[: 256 * 1024])
    with transaction.atomic():
        return InboundMail.objects.create(
            sender=headers["sender"][:300],
            recipient=recipient[:300],
            subject=headers["subject"][:300],
            message_id=headers["message_id"][:300],
            raw=raw[: max_bytes()] if too_big else raw,
            size=len(raw),
            outcome=MailOutcome.REJECTED if too_big else MailOutcome.PENDING,
            detail=(
                _("Larger than the limit of %(limit)s: not processed.")
                % {"limit": filesizeformat(max_bytes())}
                if too_big
                else ""
            ),
        )


def process(mail: InboundMail) -> InboundMail:
    """Process a stored message (again, for one that was rejected): its outcome, detail and
    ticket are recorded whatever happens."""
    try:
        # What is recorded for agents (outcome detail, notes) is in the platform's language.
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            outcome, detail, ticket = _process(bytes(mail.raw), mail.recipient, exclude=mail.pk)
    except Exception as error:  # anything at all: the message stays, with the reason
        logger.exception("Help-desk mail %s could not be processed", mail.pk)
        outcome, detail, ticket = MailOutcome.REJECTED, f"{type(error).__name__}: {error}", None
    mail.outcome, mail.detail, mail.ticket = outcome, detail[:500], ticket
    InboundMail.objects.filter(pk=mail.pk).update(outcome=outcome, detail=mail.detail, ticket=ticket)
    return mail


# ---------------------------------------------------------------------------------------------
# Reading a message


def _parse(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw)


def _header(message: Message, name: str) -> str:
    """A header as text; a header too broken to decode is read as its raw bytes."""
    try:
        value = message.get(name)
        return str(value).strip() if value is not None else ""
    except Exception:  # the email package raises several kinds of errors on malformed headers
        # raw_items() gives the header as it came, without parsing it.
        raw_value = next(
            (str(value) for key, value in message.raw_items() if key.lower() == name.lower()), ""
        )
        return raw_value.encode("ascii", "replace").decode().strip()


def _headers(raw: bytes) -> dict[str, str]:
    """Sender, subject and Message-ID for the stored copy; empty where unreadable."""
    try:
        message = _parse(raw)
        address = parseaddr(_header(message, "From"))[1].lower()
        return {
            "sender": address,
            "subject": _header(message, "Subject").replace("\n", " "),
            "message_id": _header(message, "Message-ID"),
        }
    except Exception:
        return {"sender": "", "subject": "", "message_id": ""}


def _decode(part: Message) -> str:
    """A text part's words whatever its charset says; what cannot be decoded becomes U+FFFD."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        codecs.lookup(charset)
    except LookupError:
        charset = "utf-8"
    return payload.decode(charset, errors="replace")


def _html_to_text(html: str) -> str:
    converter = html2text.HTML2Text()
    converter.ignore_images = True
    converter.body_width = 0
    return converter.handle(html)


def _body_and_files(message: EmailMessage) -> tuple[str, list[tuple[str, bytes]]]:
    body_part = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if body_part is not None:
        text = _decode(body_part)
        if body_part.get_content_type() == "text/html":
            text = _html_to_text(text)
    files: list[tuple[str, bytes]] = []
    for part in message.walk():
        if part.is_multipart() or part is body_part:
            continue
        name = part.get_filename()
        if not name and part.get_content_disposition() != "attachment":
            continue  # the other form of the body (HTML beside the text), not a file
        content = part.get_payload(decode=True)
        files.append((_file_name(name or ""), content if isinstance(content, bytes) else b""))
    return text.replace("\x00", "").replace("\r\n", "\n"), files


def _file_name(name: str) -> str:
    name = os.path.basename(name.replace("\\", "/")).strip().replace("\x00", "")
    return name[:150] or "attachment"


def _automatic(message: EmailMessage, address: str) -> tuple[str, str]:
    """(outcome, why) when the message was written by a program or is our own mail coming
    back; ("", "") for a person's message."""
    own = _own_addresses()
    if address in own or message.get("X-Clearinghouse-Ticket") is not None:
        return MailOutcome.LOOP, _("Sent by the help desk itself.")
    if not address:
        return MailOutcome.AUTO_REPLY, _("No sender address.")
    if _DAEMONS.match(address):
        return MailOutcome.AUTO_REPLY, _("A delivery report (from a mail server).")
    if _header(message, "Return-Path") == "<>":
        return MailOutcome.AUTO_REPLY, _("A delivery report (from a mail server).")
    submitted = _header(message, "Auto-Submitted").lower()
    if submitted and submitted != "no":
        return MailOutcome.AUTO_REPLY, _("Marked as sent automatically (%(header)s).") % {
            "header": f"Auto-Submitted: {submitted[:40]}"
        }
    if _header(message, "Precedence").lower() in _AUTOMATIC_PRECEDENCE:
        return MailOutcome.AUTO_REPLY, _("Marked as sent automatically (%(header)s).") % {
            "header": f"Precedence: {_header(message, 'Precedence')[:40]}"
        }
    for name in _AUTOMATIC_HEADERS:
        if message.get(name) is not None:
            return MailOutcome.AUTO_REPLY, _("Marked as sent automatically (%(header)s).") % {"header": name}
    return "", ""


def _own_addresses() -> set[str]:
    addresses = {
        parseaddr(value)[1].lower()
        for value in (settings.HELPDESK_EMAIL, settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL)
    }
    addresses.update(
        email.lower() for email in Desk.objects.exclude(email="").values_list("email", flat=True)
    )
    return addresses - {""}


def _read(raw: bytes, recipient: str) -> Parsed:
    message = _parse(raw)
    name, address = parseaddr(_header(message, "From"))
    address = address.lower()
    recipients = [recipient.lower()] if recipient else []
    for header in ("Delivered-To", "X-Original-To", "To", "Cc"):
        values = [_header(message, header)] if message.get(header) is not None else []
        recipients += [found.lower() for _name, found in getaddresses(values) if found]
    thread_ids = _MESSAGE_IDS.findall(f"{_header(message, 'In-Reply-To')} {_header(message, 'References')}")
    body, files = _body_and_files(message)
    automatic, automatic_detail = _automatic(message, address)
    return Parsed(
        address=address,
        name=name.strip()[:200],
        subject=" ".join(_header(message, "Subject").split())[: services.SUBJECT_LENGTH],
        message_id=_header(message, "Message-ID")[:300],
        body=body,
        recipients=recipients,
        thread_ids=thread_ids,
        automatic=automatic,
        automatic_detail=automatic_detail,
        files=files,
    )


def _check_files(files: Iterable[tuple[str, bytes]]) -> tuple[list[services.File], list[Refused]]:
    """Attachments by the resources' rules; call in the ticket's language (the reasons are
    told to the requester)."""
    kept: list[services.File] = []
    refused: list[Refused] = []
    limit = int(settings.SUPPORT_UPLOAD_MAX_BYTES)
    most = int(getattr(settings, "HELPDESK_MAIL_MAX_ATTACHMENTS", 10))
    for name, content in files:
        if len(kept) >= most:
            refused.append(Refused(name, _("Only %(count)s files are kept per message.") % {"count": most}))
            continue
        if not content:
            refused.append(Refused(name, _("The file is empty.")))
            continue
        if len(content) > limit:
            refused.append(
                Refused(name, _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)})
            )
            continue
        try:
            checked = uploads.sniff(content)
        except ValidationError as error:
            refused.append(Refused(name, " ".join(error.messages)))
            continue
        stem = os.path.splitext(name)[0] or "attachment"
        # The name given is kept, with the extension of the type found in the content.
        kept.append(services.File(f"{stem}.{checked.extension}", checked.content, checked.media_type))
    return kept, refused


def strip_quoted(text: str) -> str:
    """The new part of a reply: what comes before the quoted history ("On ... wrote:",
    "-----Original Message-----", lines quoted with ">"). The whole text if nothing is left."""
    kept: list[str] = []
    for line in text.splitlines():
        if _QUOTE_STARTS.match(line):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    stripped = "\n".join(kept).strip()
    return stripped or text.strip()


# ---------------------------------------------------------------------------------------------
# Deciding what a message becomes


def _process(raw: bytes, recipient: str, *, exclude: int) -> tuple[str, str, Ticket | None]:
    parsed = _read(raw, recipient)
    earlier = _earlier_copy(parsed, exclude)
    if earlier is not None:
        # The same message again (a server retrying after a lost answer, a mailbox read twice).
        return MailOutcome.LOOP, _("Received before: not added again."), earlier.ticket
    ticket, how = _thread(parsed)
    if parsed.automatic:
        if ticket is not None and how != "forged":
            _system_note(
                ticket,
                _("Automatic message received from %(address)s (not answered):")
                % {"address": parsed.address or "?"}
                + "\n\n"
                + (strip_quoted(parsed.body) or parsed.subject),
            )
            return parsed.automatic, parsed.automatic_detail, ticket
        return parsed.automatic, parsed.automatic_detail, None
    if _too_many(parsed.address, exclude):
        return (
            MailOutcome.RATE_LIMITED,
            _("More than %(count)s messages in an hour from this address.") % {"count": _per_hour()},
            None,
        )
    routed = _route(parsed)
    if routed is not None:
        return routed[0], routed[1], None
    if ticket is None:
        return _open(parsed)
    if how == "forged":
        return _open(parsed, forged=ticket)
    added = _add_to(ticket, parsed)
    return added if added is not None else _open(parsed, previous=ticket)


def _earlier_copy(parsed: Parsed, exclude: int) -> InboundMail | None:
    """The same message (sender and Message-ID) received and processed before, if any."""
    if not parsed.message_id or not parsed.address:
        return None
    return (
        InboundMail.objects.filter(
            message_id=parsed.message_id,
            sender__iexact=parsed.address,
            outcome__in=[*_TAKEN, MailOutcome.REFUSED],
        )
        .exclude(pk=exclude)
        .select_related("ticket")
        .first()
    )


def _thread(parsed: Parsed) -> tuple[Ticket | None, str]:
    """The ticket the message answers and how it was found: "header" (a signed Message-ID),
    "subject" (a reference from one of the ticket's people), "forged" (a reference from
    someone else), or (None, "")."""
    for value in reversed(parsed.thread_ids):
        found = mail_out.ticket_of_message_id(value)
        if found is not None:
            ticket = Ticket.objects.filter(reference=found[0]).first()
            if ticket is not None:
                return ticket, "header"
    match = REFERENCE.search(parsed.subject)
    if match is None:
        return None, ""
    ticket = Ticket.objects.filter(reference__iexact=match.group(0)).first()
    if ticket is None:
        return None, ""
    trusted = parsed.address in _people(ticket) or _agent(ticket, parsed.address) is not None
    return ticket, "subject" if trusted else "forged"


def _people(ticket: Ticket) -> set[str]:
    """The addresses of the ticket's requester and followers."""
    addresses = {ticket.requester_email.lower(), ticket.address.lower()}
    addresses.update(email.lower() for email in ticket.followers.values_list("email", flat=True))
    return addresses - {""}


def _agent(ticket: Ticket, address: str) -> Any:
    """The agent of the ticket's desk who has this address, if one has."""
    if not address:
        return None
    for user in get_user_model().objects.filter(email__iexact=address, is_active=True):
        if services.may_work_on(user, ticket):
            return user
    return None


def _too_many(address: str, exclude: int) -> bool:
    since = timezone.now() - timedelta(hours=1)
    accepted = (
        InboundMail.objects.filter(
            sender__iexact=address,
            received_at__gte=since,
            outcome__in=_TAKEN,
        )
        .exclude(pk=exclude)
        .count()
    )
    return accepted >= _per_hour()


def _per_hour() -> int:
    return int(getattr(settings, "HELPDESK_MAIL_PER_HOUR", 10))


def _add_to(ticket: Ticket, parsed: Parsed) -> tuple[str, str, Ticket] | None:
    """The message on its ticket: the requester's message, or an agent's internal note. None
    when the ticket was closed too long ago (the message then opens a new ticket)."""
    with translation.override(mail_out.interface_language(ticket.language)):
        files, refused = _check_files(parsed.files)
    body = (strip_quoted(parsed.body) or _("(The message had no text.)"))[: services.BODY_LENGTH]
    agent = _agent(ticket, parsed.address)
    if agent is not None:
        article = Article.objects.create(
            ticket=ticket,
            kind=Kind.NOTE,
            channel=Channel.EMAIL,
            author=agent,
            sender=parsed.address,
            body=body,
            message_id=parsed.message_id,
        )
        services._attach(article, files)
        _tell_refused(ticket, refused, requester=False)
        return MailOutcome.REPLY, _("From an agent: kept as an internal note."), ticket
    try:
        with transaction.atomic():
            article = services.add_message(
                ticket,
                body=body,
                channel=Channel.EMAIL,
                author=_account(parsed.address),
                sender=parsed.address,
                files=files,
                message_id=parsed.message_id,
            )
    except services.TicketClosedError:
        return None
    _tell_refused(article.ticket, refused, requester=True)
    return MailOutcome.REPLY, "", article.ticket


def _open(
    parsed: Parsed, *, previous: Ticket | None = None, forged: Ticket | None = None
) -> tuple[str, str, Ticket]:
    """A new ticket from the message, in the language it is written in, at the desk it was
    sent to (else the desk routing chooses), acknowledged with the files not kept."""
    desk = _desk_of(parsed.recipients)
    fallback = desk or Desk.objects.filter(is_central=True, active=True).first()
    language = detect_language(f"{parsed.subject}\n{parsed.body}") or ""
    if language not in LANGUAGE_CODES:
        language = fallback.languages[0] if fallback is not None and fallback.languages else "en"
    with translation.override(mail_out.interface_language(language)):
        files, refused = _check_files(parsed.files)
        question = services.Question(
            subject=parsed.subject or _("(no subject)"),
            body=(parsed.body.strip() or _("(The message had no text.)"))[: services.BODY_LENGTH],
            language=language,
            channel=Channel.EMAIL,
            requester=_account(parsed.address),
            requester_name=parsed.name,
            requester_email=parsed.address,
            files=files,
            message_id=parsed.message_id,
            desk=desk or routing.choose_desk(None, None, language),
        )
        ticket = services.open_ticket(question, acknowledge=False)
    notes: list[str] = []
    if previous is not None:
        notes.append(
            _("This message answers ticket %(reference)s, closed too long ago to reopen.")
            % {"reference": previous.reference}
        )
    if forged is not None:
        notes.append(
            _(
                "The subject names ticket %(reference)s, but %(address)s is neither its requester nor one "
                "of its people: opened as a new ticket. Check before linking them."
            )
            % {"reference": forged.reference, "address": parsed.address}
        )
    if notes:
        _system_note(ticket, "\n\n".join(notes))
    _tell_refused(ticket, refused, requester=False)
    pairs = [(item.name, item.reason) for item in refused]
    transaction.on_commit(lambda: mail_out.acknowledge(ticket.pk, refused=pairs))
    return MailOutcome.NEW_TICKET, " ".join(notes), ticket


def _desk_of(recipients: list[str]) -> Desk | None:
    for address in recipients:
        desk = Desk.objects.filter(email__iexact=address, active=True).first()
        if desk is not None:
            return desk
    return None


def _account(address: str) -> Any:
    """The account whose verified address this is, if any."""
    from allauth.account.models import EmailAddress

    found = EmailAddress.objects.filter(email__iexact=address, verified=True).select_related("user").first()
    return found.user if found is not None and found.user.is_active else None


def _system_note(ticket: Ticket, body: str) -> Article:
    """An internal note written by the help desk itself (no agent acted)."""
    return Article.objects.create(
        ticket=ticket, kind=Kind.NOTE, channel=Channel.EMAIL, body=body[: services.BODY_LENGTH]
    )


def _tell_refused(ticket: Ticket, refused: list[Refused], *, requester: bool) -> None:
    """Agents see the files not kept in a note; a requester writing again is told by mail
    (a new ticket's acknowledgement tells them instead)."""
    if not refused:
        return
    with translation.override(mail_out.interface_language(ticket.language)):
        lines = [_("Files not kept from this message:")]
        lines += [f"- {item.name}: {item.reason}" for item in refused]
        _system_note(ticket, "\n".join(lines))
    if requester:
        pairs = [(item.name, item.reason) for item in refused]
        transaction.on_commit(lambda: mail_out.files_refused(ticket.pk, pairs))


# ---------------------------------------------------------------------------------------------
# Agents looking at the mail received


def may_see_mail(user: Any) -> bool:
    """The mail received is read by the Secretariat and the central desk's agents."""
    from clearinghouse.accounts.permissions import is_secretariat

    if not getattr(user, "is_authenticated", False):
        return False
    return bool(is_secretariat(user)) or Desk.objects.filter(is_central=True, agents=user).exists()


def process_again(mail: InboundMail, *, actor: Any) -> InboundMail:
    """An agent asks for a message that could not be processed to be processed again (after a
    fix, or once the desk it was meant for exists)."""
    if not may_see_mail(actor):
        raise services.NotAllowed(_("Only the central desk's agents and the Secretariat do this."))
    if mail.outcome not in {MailOutcome.REJECTED, MailOutcome.PENDING}:
        raise services.HelpdeskError(_("Only mail that could not be processed is processed again."))
    if mail.size > max_bytes():
        raise services.HelpdeskError(_("This message is larger than the limit: it cannot be processed."))
    return process(mail)
