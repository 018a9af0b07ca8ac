"""Each day's views and downloads of records, by the reader's country: the dated facts monitoring
draws the trends of use from (``DailyUsage``; see docs/monitoring-facts.md).

Nothing personal is kept: no account, address, session or agent, only the day, the record, the
kind of use and the country the reader acts for when they are signed in with a role. Requests
whose user agent says it is a robot (crawlers, link previews, command-line fetchers) are not
counted; an agent that hides what it is counts like a person, as nothing else tells them apart.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from clearinghouse.accounts.roles import active_appointments
from clearinghouse.publishing import registry
from clearinghouse.publishing.models import DailyUsage, Record, Usage
from clearinghouse.publishing.signals import record_downloaded

# Words robots put in their user agents; people's browsers never do.
_ROBOT = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|scrap|archiver|facebookexternalhit|embedly|preview|"
    r"headless|lighthouse|pingdom|uptime|monitor|curl/|wget/|python-requests|python-urllib|"
    r"httpx|aiohttp|go-http-client|java/|okhttp|libwww|feedfetcher",
    re.IGNORECASE,
)


def is_robot(request: HttpRequest) -> bool:
    """Whether the request's user agent says it is a robot."""
    return bool(_ROBOT.search(request.META.get("HTTP_USER_AGENT", "")))


def reader_country(request: HttpRequest) -> str:
    """The country the signed-in reader acts for: the Party of their Party role, else the country
    of the organisation of their organisation role; "" for anyone else. Read from the roles the
    request reads once for its permissions, never from the person's own profile or address."""
    appointments = active_appointments(getattr(request, "user", None))
    parties = sorted(
        appointment.country.code for appointment in appointments if appointment.country is not None
    )
    if parties:
        return parties[0]
    countries = sorted(
        appointment.organisation.country.code
        for appointment in appointments
        if appointment.organisation is not None and appointment.organisation.country is not None
    )
    return countries[0] if countries else ""


def count_use(identifier: str, kind: Usage, country: str = "") -> None:
    """One more view or download of the record today (the site's day) from the country.

    One UPDATE when today's row exists. The first use of the day creates the row; if another
    request created it in between, the create fails on the unique constraint and the update is
    tried again."""
    record_type = registry.for_identifier(identifier)
    if record_type is None:
        raise ValueError(f"{identifier!r} is not the identifier of a record")
    row = {"day": timezone.localdate(), "identifier": identifier, "kind": kind, "country": country}
    if DailyUsage.objects.filter(**row).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            DailyUsage.objects.create(**row, record_type=record_type.code, count=1)
    except IntegrityError:
        DailyUsage.objects.filter(**row).update(count=F("count") + 1)


def record_used(request: HttpRequest, record: Record, kind: Usage) -> None:
    """Count a reader's view of a public record's page, or a download of it: on GET only (HEAD
    only asks whether the page is there), never for a robot or an unpublished record."""
    if request.method != "GET" or not record.live or is_robot(request):
        return
    count_use(record.identifier, kind, reader_country(request))
    person = getattr(request, "user", None)
    if kind == Usage.DOWNLOAD and person is not None and person.is_authenticated:
        # Who downloaded what is not counted here; an app above may keep it (quality: who may
        # rate a resource), each with its own rule for keeping and erasing it.
        record_downloaded.send(type(record), record=record, person=person)
