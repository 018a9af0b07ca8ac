"""E-mails at each step of the workflow, in each recipient's own language. Sent through the
job queue (the platform's e-mail backend queues every message)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from clearinghouse.accounts.models import Appointment, Role, User
from clearinghouse.core.mail import send_templated, site_url
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing.models import Record, Revision

# Set while records are taken through the workflow in bulk by the platform itself.
_quiet: ContextVar[bool] = ContextVar("quiet_workflow", default=False)


@contextmanager
def quiet() -> Iterator[None]:
    """Send no workflow e-mail inside the block: records the platform loads and publishes in
    bulk itself (the demo data) are news to nobody, and their reviewers' queues stay as they
    were."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def is_quiet() -> bool:
    """Whether workflow e-mail is held back (inside ``quiet()``): apps with mail of their own
    about records follow the same switch."""
    return _quiet.get()


def after_commit(send: Callable[[Record, Revision], None], record: Record, revision: Revision) -> None:
    """Send ``send``'s e-mails about this step once the transaction commits (none in quiet())."""
    if not _quiet.get():
        transaction.on_commit(lambda: send(record, revision))


def reviewers(record: Record) -> list[User]:
    """Who reviews the record: its Party's focal points, or the Secretariat."""
    owner = record.owner
    party: Country | None = owner if isinstance(owner, Country) else None
    if isinstance(owner, Organisation) and settings.ORGANISATION_RECORDS_REVIEWER == "focal_point":
        party = owner.country
    appointments = Appointment.objects.filter(ended_at__isnull=True)
    if party is not None:
        people = appointments.filter(role=Role.FOCAL_POINT, country=party)
        if people.exists():
            return [appointment.user for appointment in people.select_related("user")]
    # No focal point (or an international organisation): the Secretariat reviews.
    return [
        appointment.user for appointment in appointments.filter(role=Role.SECRETARIAT).select_related("user")
    ]


def _send(people: Iterable[User | None], template: str, record: Record, revision: Revision) -> None:
    url = site_url(reverse("resolve", args=[record.identifier]))
    for person in {person for person in people if person is not None and person.email}:
        send_templated(
            f"publishing/email/{template}",
            {"record": record, "revision": revision, "url": url, "person": person},
            to=person.email,
            language=person.preferred_language,
        )


def submitted(record: Record, revision: Revision) -> None:
    _send(reviewers(record), "submitted", record, revision)
    _send([revision.submitted_by], "received", record, revision)


def published(record: Record, revision: Revision) -> None:
    _send([revision.submitted_by, revision.created_by], "published", record, revision)


def returned(record: Record, revision: Revision) -> None:
    _send([revision.submitted_by, revision.created_by], "returned", record, revision)
