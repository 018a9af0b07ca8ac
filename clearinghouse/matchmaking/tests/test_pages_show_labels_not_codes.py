"""Request, need and case pages show what a reader understands, in the reader's language: the
format's labels for its choices, yes or no, the currency's name, dates and amounts as the
reader's locale writes them, whose record it is, and why the platform changed a need's status."""

from __future__ import annotations

import importlib
import re

from django.apps import apps
from django.test import Client
from django.utils import translation

from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.tests.conftest import Scene
from clearinghouse.matchmaking.tests.steps import agreed
from clearinghouse.needs.formats import CURRENT_VERSION
from clearinghouse.needs.models import NeedStatusChange, Request, StatusReason
from clearinghouse.publishing import workflow


def _request(scene: Scene) -> Request:
    world = scene.world
    request = workflow.create(
        Request,
        actor=world.authorised_user,
        owner=world.kenya,
        values={
            "original_language": "en",
            "format_version": CURRENT_VERSION,
            "needs": [scene.need],
            "title": {"en": "Identification training for border inspectors"},
            "asked": {"en": "A five-day training of trainers."},
            "deliverables": {"en": "25 trainers trained."},
            "modalities": ["training", "on_site"],
            "contribution_amount": "8000",
            "currency": "USD",
            "consent_to_share": True,
        },
    )
    workflow.submit(request, actor=world.authorised_user)
    with scene.commit(execute=True):
        return workflow.publish(request, actor=world.focal_point)


def test_the_request_page_shows_labels_in_the_readers_language(scene: Scene, client: Client) -> None:
    request = _request(scene)
    html = client.get(f"/fr/needs/requests/{request.identifier}/").content.decode()
    assert "Formation, Sur place" in html
    assert "on_site" not in html and ">True<" not in html
    assert re.search(r"<dd>\s*Oui\s*</dd>", html)
    assert "dollar des États-Unis (USD)" in html
    assert "8\u202f000,00\xa0$US" in html, "the amount as French writes it, with its currency"


def test_the_case_page_shows_labels_and_whose_request_it_is(scene: Scene, client: Client) -> None:
    request = _request(scene)
    case = services.open_case(request, actor=scene.world.helpdesk_agent)
    client.force_login(scene.world.helpdesk_agent)
    html = client.get(f"/es/matchmaking/cases/{case.pk}/").content.decode()
    assert "Capacitación, Presencial" in html and "on_site" not in html
    assert ">True<" not in html
    assert f'href="/es/needs/?party={scene.world.kenya.code}">{scene.world.kenya.name("es")}</a>' in html


def test_need_and_request_pages_name_their_party(scene: Scene, client: Client) -> None:
    request = _request(scene)
    kenya = scene.world.kenya
    for url in (f"/ru/needs/{scene.need.identifier}/", f"/ru/needs/requests/{request.identifier}/"):
        html = client.get(url).content.decode()
        assert f'<a href="/ru/needs/?party={kenya.code}">{kenya.name("ru")}</a>' in html, url


def test_the_status_note_of_the_help_desk_is_shown_in_the_readers_language(
    scene: Scene, client: Client
) -> None:
    case = services.open_case(scene.need, actor=scene.world.helpdesk_agent)
    services.send_to_matchmaking(case, actor=scene.world.helpdesk_agent)
    change = NeedStatusChange.objects.get(need=scene.need, reason=StatusReason.SENT_TO_MATCHMAKING)
    assert change.note == ""
    html = client.get(f"/ar/needs/{scene.need.identifier}/").content.decode()
    assert "أحاله مكتب المساعدة إلى التوفيق." in html
    assert "Sent to matchmaking by the help desk." not in html


def test_notes_stored_as_sentences_become_reasons(scene: Scene) -> None:
    # Rows saved before the reasons existed hold the sentence in the language of whoever acted.
    with translation.override("fr"):
        sentence = translation.gettext("A match was proposed: %(identifier)s.") % {
            "identifier": "CB-OFFER-KE-1"
        }
    old = NeedStatusChange.objects.create(need=scene.need, status=scene.need.status, note=sentence)
    person = NeedStatusChange.objects.create(
        need=scene.need, status=scene.need.status, note="Budget approved"
    )
    migration = importlib.import_module(
        "clearinghouse.needs.migrations.0002_status_changes_give_their_reason"
    )
    migration.store_reasons(apps, None)
    old.refresh_from_db()
    person.refresh_from_db()
    assert (old.reason, old.detail, old.note) == (StatusReason.MATCH_PROPOSED, "CB-OFFER-KE-1", "")
    with translation.override("es"):
        assert old.explanation == translation.gettext("A match was proposed: %(identifier)s.") % {
            "identifier": "CB-OFFER-KE-1"
        }
    assert (person.reason, person.note) == ("", "Budget approved"), "a person's own words stay as they are"


def test_the_cooperation_shows_amounts_as_the_locale_writes_them(scene: Scene, client: Client) -> None:
    match = agreed(scene.world, scene.need, scene.offer)
    client.force_login(scene.world.helpdesk_agent)
    html = client.get(f"/fr/matchmaking/matches/{match.pk}/cooperation/").content.decode()
    assert "12\u202f000,00\xa0$US" in html, "French puts the symbol after the amount"
    assert "dollar des États-Unis (USD)" in html
    english = client.get(f"/en/matchmaking/matches/{match.pk}/cooperation/").content.decode()
    assert "$12,000.00" in english and "KES500,000.00" in english
