"""Which desk a new ticket goes to: the desk that serves the requester's Party (or its region),
covers the topic and answers in the requester's language; the central desk when none does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from clearinghouse.helpdesk.models import Desk, HelpTopic

if TYPE_CHECKING:
    from clearinghouse.geo.models import Country


class NoDeskError(LookupError):
    pass


def _score(desk: Desk, topic: HelpTopic | None, country: Country | None, language: str) -> tuple[int, ...]:
    topics = {item.pk for item in desk.topics.all()}
    countries = {item.pk for item in desk.countries.all()}
    serves_party = country is not None and country.pk in countries
    serves_region = (
        country is not None and bool(country.regional_group) and country.regional_group in desk.regions
    )
    covers_topic = topic is not None and topic.pk in topics
    # A desk bound to Parties, regions or topics that the ticket does not fit is not a candidate.
    fits_place = serves_party or serves_region or not (countries or desk.regions)
    fits_topic = covers_topic or not topics
    if not desk.is_central and not (fits_place and fits_topic):
        return ()
    return (
        int(serves_party) * 4 + int(serves_region) * 2 + int(covers_topic) * 2,
        int(language in desk.languages),
        int(desk.is_central),
    )


def choose_desk(topic: HelpTopic | None, country: Country | None, language: str) -> Desk:
    """The active desk that fits best: the Party, region and topic it serves, then the
    language; where nothing sets desks apart, the central desk."""
    desks = Desk.objects.filter(active=True).prefetch_related("topics", "countries")
    scored = [(score, desk) for desk in desks if (score := _score(desk, topic, country, language))]
    if not scored:
        raise NoDeskError(_("No help desk is set up yet."))
    scored.sort(key=lambda pair: (pair[0], -pair[1].pk), reverse=True)
    return scored[0][1]
