"""The alumni directory: who is listed (consent given, chose to be listed, account open) and,
for each, only what they chose to show. Pages build their cards here, so a hidden fact never
reaches a template."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clearinghouse.accounts.forms import spoken_language_choices
from clearinghouse.community.alumni import activity_title
from clearinghouse.community.models import Alumnus, Consent, Participation


def listed() -> QuerySet[Alumnus]:
    """The alumni others may see, with what their cards need in a fixed number of queries."""
    return (
        Alumnus.objects.filter(
            consent=Consent.GIVEN, in_directory=True, person__isnull=False, person__is_active=True
        )
        .select_related("person", "person__country", "person__organisation", "country")
        .prefetch_related(
            "person__expertise",
            Prefetch("participations", queryset=Participation.objects.select_related("event", "course")),
        )
    )


@dataclass(frozen=True)
class Card:
    """One alumnus as others see them: a field left empty was not chosen to be shown."""

    alumnus: Alumnus
    name: str
    shows_name: bool
    country: str
    organisation: str
    expertise: list[str]
    languages: list[str]
    activities: list[str]
    about: str
    accepts_messages: bool

    @property
    def pk(self) -> int:
        return self.alumnus.pk

    @property
    def person_id(self) -> int | None:
        return self.alumnus.person_id


def card(alumnus: Alumnus, language_names: dict[str, str] | None = None) -> Card:
    person: Any = alumnus.person
    language = get_language()
    if language_names is None:
        language_names = dict(spoken_language_choices())
    country = (person.country if person else None) or alumnus.country
    organisation = ""
    if alumnus.shows_organisation:
        organisation = (
            person.organisation.display_name(language)
            if person is not None and person.organisation is not None
            else alumnus.organisation_name
        )
    return Card(
        alumnus=alumnus,
        name=(person.get_full_name() if person else "") or alumnus.name
        if alumnus.shows_name
        else _("A member who keeps their name private"),
        shows_name=alumnus.shows_name,
        country=country.name(language) if alumnus.shows_country and country is not None else "",
        organisation=organisation,
        expertise=[term.label(language) for term in person.expertise.all()]
        if alumnus.shows_expertise and person is not None
        else [],
        languages=[language_names.get(code, code) for code in person.languages_spoken or []]
        if alumnus.shows_languages and person is not None
        else [],
        activities=[activity_title(item, language) for item in alumnus.participations.all()]
        if alumnus.shows_activities
        else [],
        about=alumnus.about,
        accepts_messages=alumnus.accepts_messages,
    )


def cards(alumni: Any) -> list[Card]:
    names = dict(spoken_language_choices())
    return [card(alumnus, names) for alumnus in alumni]
