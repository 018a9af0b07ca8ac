"""Events made the way organisers make them: through the events services and the workflow.
Times are given as wall-clock times where the event takes place, as the form gives them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from clearinghouse.accounts.models import User
from clearinghouse.core.testing import World
from clearinghouse.events import services
from clearinghouse.events.models import Event
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import workflow
from clearinghouse.vocabularies.models import Term


def terms(*codes: str) -> list[Term]:
    return list(Term.objects.filter(code__in=codes))


def values(**overrides: Any) -> dict[str, Any]:
    """A training in Nairobi in two years' time, as its form would give it."""
    year = datetime.now().year + 2  # noqa: DTZ005  # a wall-clock time, read in the event's zone
    return {
        "title": "Training on invasive alien species",
        "kind": "training",
        "description": "<p>Five days on identifying invasive species.</p>",
        "starts_at": datetime(year, 5, 12, 9, 0),  # noqa: DTZ001
        "ends_at": datetime(year, 5, 16, 17, 0),  # noqa: DTZ001
        "time_zone": "Africa/Nairobi",
        "attendance": "in_person",
        "venue": "UN Gigiri",
        "city": "Nairobi",
        "languages": ["en", "fr"],
        "invited": ["Africa"],
        "contact_email": "training@example.org",
    } | overrides


def draft(
    world: World,
    overrides: dict[str, Any] | None = None,
    *,
    owner: Country | Organisation | None = None,
    author: User | None = None,
    language: str = "en",
) -> Event:
    return services.create(
        actor=author or world.authorised_user,
        owner=owner or world.kenya,
        language=language,
        cleaned=values(**(overrides or {})),
    )


def published(
    world: World,
    overrides: dict[str, Any] | None = None,
    *,
    owner: Country | Organisation | None = None,
    author: User | None = None,
    reviewer: User | None = None,
    language: str = "en",
) -> Event:
    event = draft(world, overrides, owner=owner, author=author, language=language)
    services.submit(event, actor=author or world.authorised_user)
    return workflow.publish(event, actor=reviewer or world.focal_point)
