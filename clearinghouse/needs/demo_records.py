"""The bulk of the demo's needs and requests for assistance (data/demo-needs.yaml): Parties and
organisations of every region, written in the six languages, at every step of review.
Registered through the same workflow people use; idempotent (a need is found again by its
import key, a request by its owner and original title)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from clearinghouse.accounts.demo import demo_owner
from clearinghouse.accounts.models import User
from clearinghouse.core.demo import demo_data
from clearinghouse.needs.formats import CURRENT_VERSION
from clearinghouse.needs.models import Need, Request
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import workflow
from clearinghouse.publishing.demo import known_titles, original_language, people, take_to
from clearinghouse.publishing.signals import batched_announcements
from clearinghouse.vocabularies.demo import Terms, topic

# Who answers for a need when no demo person writes it: the Party's biodiversity office.
CONTACTS = {
    "ar": "وحدة التنوع البيولوجي",
    "zh": "生物多样性保护处",
    "en": "Biodiversity unit",
    "fr": "Cellule biodiversité",
    "ru": "Отдел сохранения биоразнообразия",
    "es": "Unidad de biodiversidad",
}
CAPACITY_LEVELS = ("individual", "organisational", "enabling_environment")
NEED_PREFIX = "demo-need-"
# The action plan's activities the platform's own tools serve: registering needs in the common
# formats (1), and the help desk coordinating the matching of requests (4).
NEED_ACTIVITIES = (1,)
REQUEST_ACTIVITIES = (4,)


def plan_activities(numbers: tuple[int, ...]) -> list[Activity]:
    """The activities of these numbers (none before the action plan is imported)."""
    return list(Activity.objects.filter(number__in=numbers))


def _need_values(row: dict[str, Any], number: int, terms: Terms, author: User | None) -> dict[str, Any]:
    language = original_language(row)
    subject = topic(row["topic"])
    others = [code for code in row["title"] if code != language]
    values: dict[str, Any] = {
        "original_language": language,
        "format_version": CURRENT_VERSION,
        "title": dict(row["title"]),
        "description": {language: row["description"]},
        "priority": row["priority"],
        "subjects": terms(subject.subjects),
        "gbf_targets": terms(subject.gbf),
        "support_types": terms(subject.support),
        "target_groups": terms(subject.groups),
        "instruments": terms([subject.instrument]),
        "capacity_levels": terms([CAPACITY_LEVELS[number % 3], CAPACITY_LEVELS[(number + 1) % 3]]),
        "start_year": 2027 + number % 2,
        "end_year": 2028 + number % 3,
        "support_languages": [language, others[0]],
        "contact_name": f"{author.first_name} {author.last_name}" if author else CONTACTS[language],
        "contact_email": author.email if author else f"biodiversity.{row['owner'].lower()}@demo.example",
        "plan_activities": plan_activities(NEED_ACTIVITIES),
    }
    if "cost" in row:
        values["estimated_cost"] = Decimal(row["cost"])
        values["currency"] = row["currency"]
    return values


def _request_values(row: dict[str, Any], need: Need) -> dict[str, Any]:
    language = original_language(row)
    values: dict[str, Any] = {
        "original_language": language,
        "format_version": CURRENT_VERSION,
        "needs": [need],
        "title": dict(row["title"]),
        "asked": {language: row["asked"]},
        "deliverables": {language: row["deliverables"]},
        "duration_months": row["months"],
        "modalities": row["modalities"],
        "consent_to_share": True,
        "plan_activities": plan_activities(REQUEST_ACTIVITIES),
    }
    if "contribution" in row:
        values["contribution_amount"] = Decimal(row["contribution"])
        values["currency"] = row["currency"]
    return values


def load() -> list[str]:
    data = demo_data("clearinghouse.needs", "demo-needs.yaml")
    terms = Terms()
    known = set(Need.objects.filter(import_key__startswith=NEED_PREFIX).values_list("import_key", flat=True))
    created = 0
    rows = {row["key"]: row for row in data["needs"]}
    with batched_announcements():
        for number, row in enumerate(data["needs"]):
            key = NEED_PREFIX + row["key"]
            if key in known:
                continue
            author, reviewer = people(row)
            need = workflow.create(
                Need,
                actor=author,
                owner=demo_owner(row["owner"]),
                values=_need_values(row, number, terms, author),
            )
            Need.objects.filter(pk=need.pk).update(import_key=key)
            take_to(
                need,
                row.get("state", "published"),
                author=author,
                reviewer=reviewer,
                comment=row.get("comment", ""),
            )
            created += 1
        requests = known_titles(Request)
        for row in data["requests"]:
            need = Need.objects.get(import_key=NEED_PREFIX + row["need"])
            found = (need.owner_country_id, need.owner_organisation_id, row["title"][original_language(row)])
            if found in requests:
                continue
            author, reviewer = people(rows[row["need"]])
            request = workflow.create(
                Request, actor=author, owner=need.owner, values=_request_values(row, need)
            )
            take_to(request, row.get("state", "published"), author=author, reviewer=reviewer)
            created += 1
    total = len(data["needs"]) + len(data["requests"])
    return [f"{'Needs and requests (more)':32} {total} ({created} new)"]
