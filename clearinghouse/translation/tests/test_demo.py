"""The demo: a Chinese reader's request for the Spanish guide, translated by the demo translator,
reviewed by the Secretariat and published with its unofficial mark; other requests waiting in
other languages; loaded once however often it runs."""

from __future__ import annotations

from typing import Any

import pytest

from clearinghouse.accounts import services as accounts
from clearinghouse.accounts.demo import DEMO_DOMAIN
from clearinghouse.accounts.models import Role
from clearinghouse.core.testing import make_user
from clearinghouse.support.models import Resource
from clearinghouse.support.tests.factories import published
from clearinghouse.support.tests.samples import sample
from clearinghouse.translation import demo
from clearinghouse.translation.models import RequestState, TranslationRequest, UnofficialTranslation

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_the_chinese_guide_and_fills_the_queue_once(
    world: Any, vocabularies: None
) -> None:
    # The demo's people, as the accounts demo names them.
    for person, name in (
        (world.learner, "learner"),
        (world.secretariat, "secretariat"),
        (world.trainer, "trainer"),
    ):
        person.email = f"{name}{DEMO_DOMAIN}"
        person.save(update_fields=["email"])
    for name in ("focalpoint.eg", "partner.ifdd"):
        user = make_user(name.replace(".", "-"), "Demo", name)
        user.email = f"{name}{DEMO_DOMAIN}"
        user.save(update_fields=["email"])
    translator = make_user("translator", "Lina", "Zhou", "zh-hans")
    translator.email = f"translator{DEMO_DOMAIN}"
    translator.save(update_fields=["email"])
    accounts.appoint(actor=None, user=translator, role=Role.TRANSLATOR)
    guide = published(
        Resource,
        world,
        {**sample(Resource, world), "title": demo.GUIDE_TITLE, "description": "<p>Cómo.</p>"},
        language="es",
    )
    published(Resource, world, {**sample(Resource, world), "title": "Field guide"}, language="en")

    demo.load()
    counts = (TranslationRequest.objects.count(), UnofficialTranslation.objects.count())
    demo.load()
    assert (TranslationRequest.objects.count(), UnofficialTranslation.objects.count()) == counts

    guide.refresh_from_db()
    assert guide.title["zh"] == demo.GUIDE_ZH["title"]
    done = TranslationRequest.objects.get(identifier=guide.identifier, language="zh")
    assert done.state == RequestState.PUBLISHED and done.submitted_by == translator
    assert done.reviewed_by == world.secretariat and done.requesters.get().person == world.learner
    assert UnofficialTranslation.objects.filter(identifier=guide.identifier, language="zh").exists()
    assert translator.translator_profile.languages == ["ar", "zh"]
    waiting = TranslationRequest.objects.exclude(state=RequestState.PUBLISHED)
    assert {row.language for row in waiting} == {"ar"}
    assert waiting.filter(state=RequestState.CLAIMED, translator=translator).count() == 1
