"""Minimal complete content of each record type, as a form would give it."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from pypdf import PdfWriter

from clearinghouse.core.testing import World
from clearinghouse.geo.models import Region
from clearinghouse.plan.models import Activity
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
from clearinghouse.support.tests.factories import terms


def sample(model: type[SupportRecord], world: World) -> dict[str, Any]:
    today = timezone.localdate()
    if model is Offer:
        return {
            "title": "Training of trainers on invasive species identification",
            "description": "<p>Five days, in <strong>Nairobi</strong>.</p>",
            "provider": world.kenyan_ngo,
            "support_types": terms("training"),
            "subjects": terms("SUBJ-INVASIVE-ALIEN-SPECIES"),
            "gbf_targets": terms("GBF-T6"),
            "eligibility": ["Africa", "LDC"],
            "capacity": 3,
            "languages": ["en", "sw"],
            "period_start": today,
            "period_end": today + timedelta(days=365),
            "value_kind": "in_kind",
            "contact_email": "offers@naturekenya.example",
        }
    if model is Opportunity:
        return {
            "title": "Small grants for wetland restoration",
            "kind": "grant",
            "deadline": today + timedelta(days=30),
            "provider": world.international,
            "eligibility": ["KE", "TZ"],
            "subjects": terms("SUBJ-RESTORATION"),
            "gbf_targets": terms("GBF-T2"),
            "support_types": terms("funding"),
            "value_amount": "25000",
            "currency": "USD",
            "how_to_apply": "Send the form.",
            "apply_url": "https://grants.example.org/apply",
        }
    if model is Initiative:
        return {
            "title": "East African border biosecurity programme",
            "description": "Training customs officers.",
            "status": "ongoing",
            "lead_organisation": world.kenyan_ngo,
            "partners": [world.tanzanian_ngo],
            "countries": [world.kenya, world.tanzania],
            "gbf_targets": terms("GBF-T6"),
            "subjects": terms("SUBJ-INVASIVE-ALIEN-SPECIES"),
            "support_types": terms("training"),
            "event_links": ["https://events.example.org/border-2026"],
        }
    if model is Resource:
        return {
            "title": "Field guide to invasive plants of East Africa",
            "kind": "guide",
            "authors": "W. Kamau; O. Odhiambo",
            "publisher": "Nature Kenya",
            "year": 2026,
            "licence": "CC BY 4.0",
            "subjects": terms("SUBJ-INVASIVE-ALIEN-SPECIES"),
            "gbf_targets": terms("GBF-T6"),
        }
    if model is Provider:
        return {
            "title": "Kenya Wildlife Training Institute",
            "organisation": world.kenyan_ngo,
            "description": "Courses for rangers.",
            "subjects": terms("SUBJ-PROTECTED-AREAS"),
            "support_types": terms("training"),
            "regions_served": ["Africa"],
            "languages": ["en", "sw"],
            "contact_name": "Akinyi Njeri",
            "contact_email": "training@naturekenya.example",
        }
    if model is Partnership:
        return {
            "title": "Kenya and Nature Kenya: citizen science",
            "counterpart": "party",
            "institution": world.kenyan_ngo,
            "kind": "agreement",
            "scope": "Bird monitoring.",
            "material_links": ["https://naturekenya.example/manual.pdf"],
        }
    if model is Expert:
        return {
            "title": "Marine spatial planning specialist",
            "name": "Otieno Odhiambo",
            "email": "otieno@example.org",
            "biography": "Twenty years at sea.",
            "subjects": terms("SUBJ-MARINE-COASTAL"),
            "languages": ["en", "fr"],
            "countries": [world.kenya, world.tanzania],
            "availability": "available",
        }
    if model.RECORD_TYPE == "EVENT":
        # Events are records of this registry too (clearinghouse.events): a training to come.
        year = timezone.now().year + 2
        return {
            "title": "Training on seagrass monitoring",
            "kind": "training",
            "description": "<p>Five days in Mombasa.</p>",
            "starts_at": datetime(year, 5, 12, 6, 0, tzinfo=UTC),
            "ends_at": datetime(year, 5, 16, 14, 0, tzinfo=UTC),
            "time_zone": "Africa/Nairobi",
            "city": "Mombasa",
            "languages": ["en", "sw"],
            "invited": ["Africa"],
            "subjects": terms("SUBJ-MARINE-COASTAL"),
            "cofunding": "Nature Kenya: the venue.",
        }
    if model.RECORD_TYPE == "COURSE":
        # Courses are records of this registry too (clearinghouse.learning): one lesson, one quiz.
        return {
            "title": "Seagrass monitoring for beginners",
            "summary": "How to survey a seagrass meadow.",
            "description": "<p>Two modules for coastal rangers.</p>",
            "level": "introductory",
            "subjects": terms("SUBJ-MARINE-COASTAL"),
            "gbf_targets": terms("GBF-T6"),
            "contact_email": "courses@naturekenya.example",
            "outline": {
                "modules": [
                    {
                        "key": "m1",
                        "title": {"en": "Meadows"},
                        "items": [
                            {
                                "key": "l1",
                                "type": "lesson",
                                "title": {"en": "Quadrats"},
                                "body": {"en": "<p>Lay the quadrat every ten metres.</p>"},
                            },
                            {
                                "key": "q1",
                                "type": "quiz",
                                "title": {"en": "Check"},
                                "pass_mark": 50,
                                "questions": [
                                    {
                                        "key": "x1",
                                        "kind": "true_false",
                                        "text": {"en": "Seagrass is a plant."},
                                        "answer": True,
                                    }
                                ],
                            },
                        ],
                    }
                ]
            },
        }
    raise ValueError(model)


def activities(*numbers: int) -> list[Activity]:
    """Activities of the action plan by number (the tests import no plan: made once here)."""
    return [
        Activity.objects.get_or_create(
            number=number, defaults={"section": "A", "text_original": f"نشاط {number}"}
        )[0]
        for number in numbers
    ]


def complete(model: type[SupportRecord], world: World, **links: Any) -> dict[str, Any]:
    """Every content field of the type filled (``links`` gives records to link to, such as an
    initiative's ``resources``): what a round trip through a file must keep."""
    today = timezone.localdate()
    # Two numbers that sort differently as text and as numbers.
    served = {"plan_activities": activities(5, 46)}
    if model is Offer:
        return (
            sample(Offer, world)
            | served
            | {
                "support_types": terms("training", "expertise"),
                "aichi_targets": terms("AICHI-T9"),
                "target_groups": terms("iplc", "women"),
                "eligibility": ["Africa", "LDC", "TZ"],
                "value_kind": "financial",
                "value_amount": Decimal("1500.50"),
                "currency": "EUR",
                "how_to_request": "<p>Write to us with <em>your needs</em>.</p>",
            }
        )
    if model is Opportunity:
        return (
            sample(Opportunity, world)
            | served
            | {
                "description": "<p>Up to <strong>25 000 USD</strong> a project.</p>",
                "target_groups": terms("iplc", "youth"),
                "support_types": terms("funding"),
                "value_amount": Decimal("25000.00"),
            }
        )
    if model is Initiative:
        return (
            sample(Initiative, world)
            | served
            | {
                "partners": [world.tanzanian_ngo, world.international],
                "regions": [Region.objects.get_or_create(code="014", defaults={"level": "subregion"})[0]],
                "aichi_targets": terms("AICHI-T9"),
                "target_groups": terms("government", "iplc"),
                "start_date": today - timedelta(days=400),
                "end_date": today + timedelta(days=700),
                "funding_amount": Decimal("120000.00"),
                "currency": "USD",
                "funding_source": "Global Environment Facility",
                "results": "<ul><li>120 officers trained</li></ul>",
                "lessons": "Train the trainers first.",
                "resources": links["resources"],
                "event_links": [
                    "https://events.example.org/border-2026",
                    "https://events.example.org/border-2027",
                ],
                "course_links": ["https://learn.example.org/biosecurity"],
            }
        )
    if model is Resource:
        return (
            sample(Resource, world)
            | served
            | {
                "description": "<p>Two hundred species, with maps.</p>",
                "aichi_targets": terms("AICHI-T9"),
            }
        )
    if model is Provider:
        return (
            sample(Provider, world)
            | served
            | {
                "website": "https://naturekenya.example",
                # A telephone number starts like a formula: the export must keep it as text.
                "contact_phone": "+254 20 2537421",
                "contact_public": True,
            }
        )
    if model is Partnership:
        return (
            sample(Partnership, world)
            | served
            | {
                "start_date": today - timedelta(days=30),
                "end_date": today + timedelta(days=1000),
                "materials": "<p>A field manual.</p>",
                "subjects": terms("SUBJ-PROTECTED-AREAS"),
            }
        )
    if model is Expert:
        return (
            sample(Expert, world)
            | served
            | {
                "consent_to_publish": True,
                "support_types": terms("expertise"),
                "gbf_targets": terms("GBF-T1"),
                "availability_note": "From March.",
            }
        )
    raise ValueError(model)


def blank_pdf() -> bytes:
    """A one-page PDF that a PDF reader opens (the upload check parses every PDF)."""
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
