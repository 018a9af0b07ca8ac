"""Demo partner, research and indigenous peoples' organisations for `clearinghouse loaddemo`,
each named in its own language (data/demo-organisations.yaml). Idempotent: an organisation is
found again by its acronym and refreshed."""

from __future__ import annotations

from django.core.management.base import CommandError

from clearinghouse.core import demo_pictures
from clearinghouse.core.demo import demo_data
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation


def load() -> list[str]:
    rows = demo_data("clearinghouse.organisations", "demo-organisations.yaml")
    countries = {
        country.code: country for country in Country.objects.filter(code__in={r["country"] for r in rows})
    }
    created = 0
    for row in rows:
        if row["country"] not in countries:
            raise CommandError("Reference data is missing: run `clearinghouse loadreference` first.")
        existing = Organisation.objects.filter(acronym=row["acronym"]).first()
        organisation = existing or Organisation(acronym=row["acronym"])
        organisation.name = row["name"]
        organisation.name_language = row["language"]
        organisation.name_translations = row["translations"]
        organisation.type = row["type"]
        organisation.country = countries[row["country"]]
        organisation.website = row["website"]
        if not organisation.logo:
            # Drawn here (an emblem with the acronym), so that lists and pages show logos.
            drawn = demo_pictures.emblem(row["acronym"], row["acronym"])
            organisation.logo.save(drawn.name or "emblem.png", drawn, save=False)
        organisation.full_clean(exclude=["code"])
        organisation.save()
        created += existing is None
    return [f"{'Organisations (demo partners)':32} {len(rows)} ({created} new, each with a logo)"]
