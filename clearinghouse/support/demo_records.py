"""The bulk of the demo's support records (data/demo-support.yaml): offers, opportunities,
initiatives, resources, providers, partnerships and experts of Parties and organisations of
every region, written in the six languages, most published, some waiting for review.
Registered through the same workflow people use; idempotent (a record is found again by its
type, owner and original title)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from django.core.management.base import CommandError

from clearinghouse.accounts.demo import demo_owner
from clearinghouse.core.demo import days_from_today, demo_data
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import workflow
from clearinghouse.publishing.demo import known_titles, original_language, owner_filter, people, take_to
from clearinghouse.publishing.signals import batched_announcements
from clearinghouse.support import services
from clearinghouse.support.models import (
    Expert,
    Initiative,
    Offer,
    Opportunity,
    Partnership,
    Provider,
    Resource,
    SupportRecord,
)
from clearinghouse.vocabularies.demo import Terms, topic

MODELS: dict[str, type[SupportRecord]] = {
    "offers": Offer,
    "opportunities": Opportunity,
    "initiatives": Initiative,
    "resources": Resource,
    "providers": Provider,
    "partnerships": Partnership,
    "experts": Expert,
}
# The action plan's activities the demo records serve, as the plan's text puts them: offers are
# what the matchmaking round tables connect Parties with (5); partnerships and experts are the
# training institutions and networks of activity 6. Resources are the materials and tools that
# the plan's activities of their topic develop; initiatives the work those activities do. Topics
# no activity speaks of serve none: not every record serves the plan.
TYPE_ACTIVITIES: dict[str, tuple[int, ...]] = {"offers": (5,), "partnerships": (6,), "experts": (6,)}
TOPIC_ACTIVITIES: dict[str, dict[str, tuple[int, ...]]] = {
    "resources": {
        "ias": (49,),
        "biosafety": (107,),
        "pame": (54,),
        "tk": (69,),
        "cepa": (13,),
        "business": (23,),
        "finance": (75,),
        "pollinators": (46,),
    },
    "initiatives": {
        "ias": (47,),
        "abs": (89,),
        "restoration": (35,),
        "pame": (56,),
        "msp": (38,),
        "tk": (68,),
        "forests": (36,),
        "nbsap": (63,),
        "business": (24,),
        "pollinators": (45,),
        "wildlife-trade": (37,),
        "taxonomy": (80,),
    },
}
# A Party's page on the Convention's website: where its records link when it has no other.
PARTY_PAGE = "https://www.cbd.int/countries/profile?country={code}"


def _organisation(acronym: str) -> Organisation:
    found = demo_owner(acronym)
    if not isinstance(found, Organisation):
        raise CommandError(f"{acronym} is not an organisation.")
    return found


def _website(owner: Country | Organisation) -> str:
    if isinstance(owner, Organisation) and owner.website:
        return owner.website
    code = owner.code if isinstance(owner, Country) else owner.country.code if owner.country else "int"
    return PARTY_PAGE.format(code=code.lower())


def _owner_name(owner: Country | Organisation, language: str) -> str:
    return owner.name(language) if isinstance(owner, Country) else owner.display_name(language)


def _amount(row: dict[str, Any], name: str = "amount") -> dict[str, Any]:
    if name not in row:
        return {}
    return {"value_amount" if name == "amount" else name: Decimal(row[name]), "currency": row["currency"]}


def _specific(kind: str, row: dict[str, Any], owner: Country | Organisation, language: str) -> dict[str, Any]:
    """The fields of one record type, from the row and sensible defaults."""
    organisation = owner if isinstance(owner, Organisation) else None
    paragraph = f"<p>{row['description']}</p>"
    languages = list(dict.fromkeys([language, *row.get("languages", []), *list(row["title"])[1:2]]))
    if kind == "offers":
        return {
            "description": {language: paragraph},
            "provider": organisation,
            "eligibility": row.get("eligibility", []),
            "capacity": row.get("capacity"),
            "languages": languages,
            "period_start": days_from_today(-30),
            "period_end": days_from_today(365),
            "value_kind": row["value"],
            **_amount(row),
        }
    if kind == "opportunities":
        return {
            "description": {language: paragraph},
            "kind": row["kind"],
            "provider": organisation,
            "deadline": days_from_today(row["deadline"]),
            "apply_url": _website(owner),
            **_amount(row),
        }
    if kind == "initiatives":
        values = {
            "description": {language: paragraph},
            "lead_organisation": organisation,
            "countries": list(Country.objects.filter(code__in=row["countries"])),
            "status": row["status"],
            "start_date": date(row["start"], 1, 1),
            "end_date": date(row["end"], 12, 31),
            "funding_source": str(row.get("source", "")),
        }
        if "amount" in row:
            values |= {"funding_amount": Decimal(row["amount"]), "currency": row["currency"]}
        if "results" in row:
            values["results"] = {language: f"<p>{row['results']}</p>"}
        return values
    if kind == "resources":
        return {
            "description": {language: paragraph},
            "kind": row["kind"],
            "publisher": _owner_name(owner, language),
            "year": row["year"],
            "licence": "CC BY 4.0",
        }
    if kind == "providers":
        return {
            "organisation": organisation,
            "description": {language: paragraph},
            "regions_served": row["regions"],
            "languages": languages,
            "website": _website(owner),
            "contact_public": False,
        }
    if kind == "partnerships":
        return {
            "counterpart": row["counterpart"],
            "institution": _organisation(row["institution"]),
            "kind": row["kind"],
            "start_date": date(row["start"], 1, 1),
            "end_date": date(row["end"], 12, 31),
            "scope": {language: paragraph},
        }
    return {
        "name": row["name"],
        "biography": {language: paragraph},
        "consent_to_publish": row.get("consent", True),
        "languages": languages,
        "countries": list(Country.objects.filter(code__in=row["countries"])),
        "availability": row.get("availability", "available"),
    }


def _values(kind: str, row: dict[str, Any], owner: Country | Organisation, terms: Terms) -> dict[str, Any]:
    model = MODELS[kind]
    language = original_language(row)
    subject = topic(row["topic"])
    values: dict[str, Any] = {"original_language": language, "title": dict(row["title"])}
    for name, codes in (
        ("subjects", subject.subjects),
        ("gbf_targets", subject.gbf),
        ("support_types", subject.support),
        ("target_groups", subject.groups),
    ):
        if name in model.CONTENT_FIELDS:
            values[name] = terms(codes)
    numbers = TYPE_ACTIVITIES.get(kind, ()) + TOPIC_ACTIVITIES.get(kind, {}).get(row["topic"], ())
    if numbers:
        values["plan_activities"] = list(Activity.objects.filter(number__in=numbers))
    return values | _specific(kind, row, owner, language)


def load() -> list[str]:
    data = demo_data("clearinghouse.support", "demo-support.yaml")
    terms = Terms()
    created = 0
    with batched_announcements():
        for kind, rows in data.items():
            model = MODELS[kind]
            known = known_titles(model)
            for row in rows:
                owner = demo_owner(row["owner"])
                language = original_language(row)
                found = (
                    owner.pk if isinstance(owner, Country) else None,
                    owner.pk if isinstance(owner, Organisation) else None,
                    row["title"][language],
                )
                if found in known:
                    continue
                author, reviewer = people(row)
                record = workflow.create(
                    model, actor=author, owner=owner, values=_values(kind, row, owner, terms)
                )
                if isinstance(record, Resource):
                    # Its first language version, reviewed with it.
                    services.add_version(record, actor=author, language=language, link=_website(owner))
                take_to(
                    record,
                    row.get("state", "published"),
                    author=author,
                    reviewer=reviewer,
                    comment=row.get("comment", ""),
                )
                created += 1
    total = sum(len(rows) for rows in data.values())
    return [f"{'Support records (more)':32} {total} ({created} new)"]


@cache
def _keyed_rows() -> dict[str, tuple[str, dict[str, Any]]]:
    """The rows of the data file that have a key, by key, with their record type."""
    data = demo_data("clearinghouse.support", "demo-support.yaml")
    return {row["key"]: (kind, row) for kind, rows in data.items() for row in rows if "key" in row}


def demo_support(key: str) -> SupportRecord:
    """The published demo support record the data file names ``key`` (for the matchmaking demo)."""
    if key not in _keyed_rows():
        raise CommandError(f"No demo support record is called {key}.")
    kind, row = _keyed_rows()[key]
    owner = demo_owner(row["owner"])
    language = original_language(row)
    for record in MODELS[kind].objects.filter(live=True, original_language=language, **owner_filter(owner)):
        if record.title.get(language) == row["title"][language]:
            return record
    raise CommandError(f"Demo support record {key} is missing: the support demo data must load first.")
