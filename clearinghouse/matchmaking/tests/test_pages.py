"""The pages: the console (help desk only, oldest case first), a case, my matches, a match with
its history, the agreement form and the cooperation page; in English and in Arabic (right to
left); every form works without JavaScript and bad input comes back with its errors."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.models import Case, Contribution, Cooperation, Match, MatchState
from clearinghouse.matchmaking.tests.conftest import Scene, publish_need, publish_request
from clearinghouse.matchmaking.tests.steps import agreed, confirmed, proposed


def test_the_console_lists_open_cases_oldest_first_with_suggestions(scene: Scene, client: Client) -> None:
    world = scene.world
    newer = publish_need(world, scene.commit, title="Training of park rangers in reef monitoring")
    older_case = services.open_case(scene.need, actor=world.helpdesk_agent)
    newer_case = services.open_case(newer, actor=world.helpdesk_agent)
    Case.objects.filter(pk=older_case.pk).update(opened_at=timezone.now() - timedelta(days=12))
    client.force_login(world.helpdesk_agent)
    page = client.get("/en/matchmaking/").content.decode()
    assert page.index(scene.need.identifier) < page.index(newer.identifier)
    assert "opened 12 days ago" in page
    # The best suggestions, each with a one-line reason.
    assert scene.offer.identifier in page or "Training of trainers" in page
    assert "Shares GBF targets: Reduce the introduction of invasive alien species" in page
    # People read the target's label, never its code, nor a score (which may be negative).
    assert "GBF-T6" not in page
    Case.objects.filter(pk=newer_case.pk).update(opened_at=timezone.now() - timedelta(days=30))
    page = client.get("/en/matchmaking/").content.decode()
    assert page.index(newer.identifier) < page.index(scene.need.identifier)


def test_the_console_filters_by_state(scene: Scene, client: Client) -> None:
    world = scene.world
    case = services.open_case(scene.need, actor=world.helpdesk_agent)
    client.force_login(world.helpdesk_agent)
    assert scene.need.identifier not in client.get("/en/matchmaking/?state=in_matchmaking").content.decode()
    services.send_to_matchmaking(case, actor=world.helpdesk_agent)
    assert scene.need.identifier in client.get("/en/matchmaking/?state=in_matchmaking").content.decode()


@pytest.mark.parametrize("person", ["focal_point", "partner_editor", "learner", "trainer"])
def test_the_console_is_forbidden_to_others(scene: Scene, client: Client, person: str) -> None:
    client.force_login(getattr(scene.world, person))
    assert client.get("/en/matchmaking/").status_code == 403
    services.open_case(scene.need, actor=scene.world.helpdesk_agent)
    case = Case.objects.get()
    assert client.get(f"/en/matchmaking/cases/{case.pk}/").status_code == 403
    assert client.post(f"/en/matchmaking/cases/{case.pk}/send/").status_code == 403


def test_the_console_asks_to_sign_in(client: Client, db: None) -> None:
    response = client.get("/en/matchmaking/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_main_pages_in_english_and_arabic(
    scene: Scene, client: Client, language: str, direction: str
) -> None:
    world = scene.world
    match = agreed(world, scene.need, scene.offer)
    pages = {
        world.helpdesk_agent: ["", f"cases/{match.case_id}/", f"matches/{match.pk}/"],
        world.partner_editor: ["mine/", f"matches/{match.pk}/", f"matches/{match.pk}/cooperation/"],
        world.authorised_user: ["mine/", f"for/{scene.need.identifier}/"],
    }
    for person, paths in pages.items():
        client.force_login(person)
        for path in paths:
            response = client.get(f"/{language}/matchmaking/{path}")
            assert response.status_code == 200, path
            assert f'<html lang="{language}" dir="{direction}">' in response.content.decode(), path


def test_triage_on_the_case_page(scene: Scene, client: Client) -> None:
    world = scene.world
    request = publish_request(world, scene.commit, [scene.need])
    case = Case.objects.get(request=request)
    client.force_login(world.helpdesk_agent)
    page = client.get(f"/en/matchmaking/cases/{case.pk}/").content.decode()
    assert "Answer directly" in page and "Send to matchmaking" in page
    # An empty answer comes back with its error, nothing changed.
    response = client.post(f"/en/matchmaking/cases/{case.pk}/answer/", {"text": "", "language": "en"})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    response = client.post(
        f"/en/matchmaking/cases/{case.pk}/answer/",
        {"text": "See.", "language": "en", "resources": "CB-RES-KE-999999"},
    )
    assert response.status_code == 400 and "not published resources" in response.content.decode()
    client.post(f"/en/matchmaking/cases/{case.pk}/send/")
    client.post(f"/en/matchmaking/cases/{case.pk}/shortlist/", {"identifier": scene.offer.identifier})
    match = Match.objects.get()
    assert match.state == MatchState.SUGGESTED and match.score is not None and match.explanation
    response = client.post(f"/en/matchmaking/matches/{match.pk}/propose/", {"message": ""})
    assert response.status_code == 400
    client.post(f"/en/matchmaking/matches/{match.pk}/propose/", {"message": "Please consider this request."})
    match.refresh_from_db()
    assert match.state == MatchState.PROPOSED
    page = client.get(f"/en/matchmaking/cases/{case.pk}/").content.decode()
    assert "Waiting for the provider for 0 days" in page


def test_the_sides_act_from_my_matches(scene: Scene, client: Client) -> None:
    world = scene.world
    match = proposed(world, scene.need, scene.offer)
    client.force_login(world.partner_editor)
    page = client.get("/en/matchmaking/mine/").content.decode()
    assert "accept" in page and "decline" in page
    response = client.post(f"/en/matchmaking/matches/{match.pk}/decline/", {"reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    # The requester's page offers no accept button, and posting one is refused.
    client.force_login(world.authorised_user)
    assert 'id="accept"' not in client.get(f"/en/matchmaking/matches/{match.pk}/").content.decode()
    assert client.post(f"/en/matchmaking/matches/{match.pk}/accept/", {}).status_code == 403
    client.force_login(world.partner_editor)
    client.post(f"/en/matchmaking/matches/{match.pk}/accept/", {"note": "Gladly."})
    client.force_login(world.authorised_user)
    client.post(f"/en/matchmaking/matches/{match.pk}/confirm/", {})
    match.refresh_from_db()
    assert match.state == MatchState.CONFIRMED
    # A stranger does not even see it.
    client.force_login(world.outsider)
    assert client.get(f"/en/matchmaking/matches/{match.pk}/").status_code == 404


def test_the_agreement_form_refuses_bad_contributions_and_saves_good_ones(
    scene: Scene, client: Client
) -> None:
    world = scene.world
    match = confirmed(world, scene.need, scene.offer)
    client.force_login(world.helpdesk_agent)
    assert client.get(f"/en/matchmaking/matches/{match.pk}/agree/").status_code == 200
    data = {
        "kind": "training",
        "description": "Training of trainers.",
        "language": "en",
        "start_date": "2026-09-01",
        "end_date": "",
        "other_parties": "",
        "contributions-TOTAL_FORMS": "3",
        "contributions-INITIAL_FORMS": "0",
        "contributions-MIN_NUM_FORMS": "0",
        "contributions-MAX_NUM_FORMS": "20",
        "contributions-0-contributor": f"organisation:{world.kenyan_ngo.pk}",
        "contributions-0-amount": "-5",
        "contributions-0-currency": "ZZZ",
        "contributions-0-kind": "financial",
        "contributions-1-kind": "financial",
        "contributions-2-kind": "financial",
    }
    response = client.post(f"/en/matchmaking/matches/{match.pk}/agree/", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "ZZZ is not an ISO 4217 currency code" in body
    assert "greater than or equal to 0" in body
    assert not Cooperation.objects.exists()
    data |= {"contributions-0-amount": "15000", "contributions-0-currency": "eur"}
    data |= {
        "contributions-1-contributor": f"country:{world.kenya.pk}",
        "contributions-1-amount": "3000",
        "contributions-1-currency": "USD",
        "contributions-1-kind": "in_kind",
    }
    response = client.post(f"/en/matchmaking/matches/{match.pk}/agree/", data)
    assert response.status_code == 302
    assert sorted(Contribution.objects.values_list("currency", "amount")) == [
        ("EUR", Decimal("15000.00")),
        ("USD", Decimal("3000.00")),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Totals per currency" in page and "Nature Kenya" in page


def test_the_need_page_links_to_its_matches(scene: Scene, client: Client) -> None:
    client.force_login(scene.world.authorised_user)
    page = client.get(f"/en/needs/{scene.need.identifier}/").content.decode()
    assert f"/en/matchmaking/for/{scene.need.identifier}/" in page
    client.force_login(scene.world.partner_editor)
    page = client.get(scene.offer.get_absolute_url()).content.decode()
    assert f"/en/matchmaking/for/{scene.offer.identifier}/" in page
