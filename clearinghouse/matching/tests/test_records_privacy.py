"""An expert who did not consent to publishing their name, e-mail and biography: none of it
reaches the stored profile, the saved index or an explanation."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string

from clearinghouse.core.testing import World
from clearinghouse.matching import index
from clearinghouse.matching.index import Catalogue
from clearinghouse.matching.models import StoredEmbedding
from clearinghouse.matching.suggestions import support_for
from clearinghouse.support.models import Expert
from clearinghouse.support.tests.factories import terms

from .records import publish_need, publish_support

pytestmark = pytest.mark.usefixtures("vocabularies")

NAME = "Zawadi Mwangi"
EMAIL = "zawadi.private@example.org"
BIOGRAPHY = "Twenty years surveying coral reefs in Mombasa marine park."


def expert(world: World, capture: Any, *, consent: bool) -> Expert:
    return publish_support(
        capture,
        Expert,
        world,
        {
            "title": "Coral reef monitoring specialist",
            "name": NAME,
            "email": EMAIL,
            "biography": f"<p>{BIOGRAPHY}</p>",
            "consent_to_publish": consent,
            "subjects": terms("SUBJ-MARINE-COASTAL"),
            "support_types": terms("training", "expertise"),
            "gbf_targets": terms("GBF-T3"),
            "languages": ["en", "sw"],
        },
    )


def test_an_expert_without_consent_leaks_nothing_personal(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    record = expert(world, capture, consent=False)
    need = publish_need(
        capture,
        owner=world.kenya,
        language="en",
        title="Coral reef monitoring training",
        description="Rangers of Mombasa marine park need training in surveying coral reefs.",
        subjects=("SUBJ-MARINE-COASTAL",),
        targets=("GBF-T3",),
    )
    stored = str(StoredEmbedding.objects.get(identifier=record.identifier).profile)
    saved = "".join(
        path.read_text(errors="ignore") for path in index.catalogue_dir(Catalogue.SUPPORT).glob("*.json*")
    )
    suggestions = support_for(need)
    assert [s.record for s in suggestions] == [record]
    shown = str(suggestions[0].explanation) + render_to_string(
        "matching/includes/explanation.html", {"suggested": suggestions[0]}
    )
    for personal in (NAME, EMAIL, "Twenty years", "Zawadi"):
        assert personal not in stored
        assert personal not in saved
        assert personal not in shown


def test_an_expert_who_consented_is_matched_on_their_biography_too(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    record = expert(world, django_capture_on_commit_callbacks, consent=True)
    profile = StoredEmbedding.objects.get(identifier=record.identifier).profile
    assert profile["description"] == BIOGRAPHY
    assert profile["provider"] == NAME
    assert EMAIL not in str(profile)  # the e-mail says nothing of the expertise: never
