"""Production mail by IMAP: the desk's mailbox is read every minute (mail_tasks.py) or by
``clearinghouse pollmail``; each unseen message is stored and processed (mail_in.py), then
marked as seen or moved to a folder. A message is marked only after it is stored, so a
database failure leaves it unseen for the next round.

HELPDESK_IMAP_URL: ``imaps://user:password@host[:993]/INBOX`` (``imap://`` for a server on the
same machine only: the password would cross the network in clear).
"""

from __future__ import annotations

import imaplib
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from clearinghouse.helpdesk import mail_in


@dataclass(frozen=True)
class Mailbox:
    secure: bool
    host: str
    port: int
    user: str
    password: str
    folder: str


def mailbox(url: str) -> Mailbox:
    parts = urlsplit(url)
    if parts.scheme not in {"imap", "imaps"} or not parts.hostname or not parts.username:
        raise ImproperlyConfigured("HELPDESK_IMAP_URL is like imaps://user:password@host/INBOX")
    secure = parts.scheme == "imaps"
    return Mailbox(
        secure=secure,
        host=parts.hostname,
        port=parts.port or (993 if secure else 143),
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
    )


def connect(box: Mailbox) -> imaplib.IMAP4:
    if box.secure:
        return imaplib.IMAP4_SSL(box.host, box.port, timeout=60)
    return imaplib.IMAP4(box.host, box.port, timeout=60)


def poll(url: str = "", *, move_to: str | None = None) -> list[int]:
    """Store and process every unseen message of the mailbox; the stored mail's ids."""
    box = mailbox(url or settings.HELPDESK_IMAP_URL)
    move_to = settings.HELPDESK_IMAP_MOVE_TO if move_to is None else move_to
    stored: list[int] = []
    with connect(box) as imap:
        imap.login(box.user, box.password)
        imap.select(f'"{box.folder}"')
        _status, found = imap.uid("SEARCH", "UNSEEN")
        for uid in (found[0] or b"").split():
            _status, data = imap.uid("FETCH", uid, "(BODY.PEEK[])")  # type: ignore[arg-type]
            raw = next((item[1] for item in data if isinstance(item, tuple)), None)
            if raw is None:
                continue
            stored.append(mail_in.receive(bytes(raw)).pk)
            if move_to:
                imap.uid("COPY", uid, f'"{move_to}"')  # type: ignore[arg-type]
                imap.uid("STORE", uid, "+FLAGS", r"(\Deleted \Seen)")  # type: ignore[arg-type]
            else:
                imap.uid("STORE", uid, "+FLAGS", r"(\Seen)")  # type: ignore[arg-type]
        if move_to:
            imap.expunge()
    return stored
