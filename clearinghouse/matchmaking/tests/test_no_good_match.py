"""When nothing reaches the good band: the pages say so plainly, show the weak suggestions only
on request, and offer the next steps, each real and allowed only to whom it belongs: the help desk
circulates the need to providers, the requester asks the help desk, providers say "I can help"
on "Needs seeking support"."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from clearinghouse.accounts.personal_data import gather
from clearinghouse.matching import bands
from clearinghouse.matching.bands import Thresholds
from clearinghouse.matchmaking import ranking, services
from clearinghouse.matchmaking.models import Case, CaseState
from clearinghouse.matchmaking.tests.conftest import Scene
from clearinghouse.needs.models import NeedStatus

# Scores of the word-hashing stand-in are not the real model's: the bands are set around them.
NOTHING_GOOD = Thresholds(good=1000.0, fair=999.0)
EVERYTHING_GOOD = Thresholds(good=-1000.0, fair=-1001.0)


@pytest.fixture
def nothing_good(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bands, "THRESHOLDS", NOTHING_GOOD)


def test_weak_suggestions_are_kept_apart_and_a_lack_of_good_ones_is_said(
    scene: Scene, nothing_good: None
) -> None:
    ranked = ranking.support_for(scene.need)
    assert ranked.items and not ranked.shown
    assert ranked.weaker == ranked.items
    assert ranked.no_good_match


def test_good_suggestions_are_shown(scene: Scene, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bands, "THRESHOLDS", EVERYTHING_GOOD)
    ranked = ranking.support_for(scene.need)
    assert ranked.shown == ranked.items and not ranked.weaker
    assert not ranked.no_good_match
    # A matcher's refusal says why; it is not "no good match".
    assert not ranking.Ranked(error="No records are indexed yet.").no_good_match


def test_the_why_line_of_a_weak_suggestion_never_says_close_in_meaning(scene: Scene) -> None:
    explanation = ranking.support_for(scene.need).items[0].explanation
    bare = type(explanation)(
        shared_targets=(),
        shared_subjects=(),
        support_type_fit=type(explanation.support_type_fit)("unknown"),
        eligibility_reason=explanation.eligibility_reason,
        common_languages=(),
        passages=explanation.passages,
    )
    assert bare.passages  # the stand-in finds shared words
    assert ranking.why(bare, THRESHOLDS_GOOD) == "Close in meaning"
    assert ranking.why(bare, -2.0) == "Eligible; little evidence in common"


THRESHOLDS_GOOD = bands.THRESHOLDS.good + 1


def test_the_case_page_hides_weak_suggestions_and_offers_to_circulate(
    scene: Scene, client: Client, nothing_good: None
) -> None:
    case = services.open_case(scene.need, actor=scene.world.helpdesk_agent)
    client.force_login(scene.world.helpdesk_agent)
    page = client.get(f"/en/matchmaking/cases/{case.pk}/").content.decode()
    assert "No good match yet" in page
    assert "<summary>Show weaker suggestions (1)</summary>" in page
    # The weak suggestion is there, behind the summary (no JavaScript needed), without a score.
    details = page[page.index('<details class="weaker">') :]
    assert scene.offer.identifier in details
    assert "Weak match" in details
    assert f'action="/en/matchmaking/circulate/{scene.need.identifier}/"' in page


def test_the_console_says_no_good_match_yet(scene: Scene, client: Client, nothing_good: None) -> None:
    services.open_case(scene.need, actor=scene.world.helpdesk_agent)
    client.force_login(scene.world.helpdesk_agent)
    page = client.get("/en/matchmaking/").content.decode()
    assert "No good match yet." in page
    assert "<summary>Show weaker suggestions (1)</summary>" in page


def test_good_suggestions_are_shown_without_the_notice(
    scene: Scene, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bands, "THRESHOLDS", EVERYTHING_GOOD)
    client.force_login(scene.world.authorised_user)
    page = client.get(f"/en/matchmaking/for/{scene.need.identifier}/").content.decode()
    assert "No good match yet" not in page and "Show weaker suggestions" not in page
    assert "Good match" in page and scene.offer.identifier in page


# --- the requester asks the help desk -------------------------------------------------------


def test_the_requester_asks_the_help_desk_and_the_agents_are_told(
    scene: Scene, client: Client, nothing_good: None
) -> None:
    world = scene.world
    client.force_login(world.authorised_user)
    page = client.get(f"/en/matchmaking/for/{scene.need.identifier}/").content.decode()
    assert "No good match yet" in page
    assert f'action="/en/matchmaking/ask/{scene.need.identifier}/"' in page
    # Circulating is the help desk's: the requester is not offered it.
    assert "/matchmaking/circulate/" not in page
    mail.outbox.clear()
    with scene.commit(execute=True):
        response = client.post(
            f"/en/matchmaking/ask/{scene.need.identifier}/", {"message": "Trainers for 40 customs officers."}
        )
    assert response.status_code == 302
    case = Case.objects.get(need=scene.need)
    assert case.state == CaseState.OPEN
    assert case.request_note == "Trainers for 40 customs officers."
    assert case.opened_by == world.authorised_user
    told = [message for message in mail.outbox if message.to == [world.helpdesk_agent.email]]
    assert len(told) == 1 and "Trainers for 40 customs officers." in told[0].body
    # The agent reads it in the console and on the case page; the requester sees the help desk has it.
    client.force_login(world.helpdesk_agent)
    assert "asked by the requester" in client.get("/en/matchmaking/").content.decode()
    assert "Trainers for 40 customs officers." in client.get(case.get_absolute_url()).content.decode()
    client.force_login(world.authorised_user)
    page = client.get(f"/en/matchmaking/for/{scene.need.identifier}/").content.decode()
    assert "The help desk has it" in page


def test_only_the_requester_may_ask_and_only_once_with_words(scene: Scene) -> None:
    world = scene.world
    for person in (world.partner_editor, world.other_focal_point, world.outsider):
        with pytest.raises(services.NotAllowedError):
            services.ask_help_desk(scene.need, actor=person, message="Please help.")
    with pytest.raises(services.MatchmakingError, match=r"Say what you are looking for\."):
        services.ask_help_desk(scene.need, actor=world.authorised_user, message="   ")
    assert not Case.objects.exists()  # nothing half-made
    services.ask_help_desk(scene.need, actor=world.authorised_user, message="Please help.")
    # The words are the person's: they are in the data they can download.
    (case,) = gather(world.authorised_user)["matchmaking"]["cases"]
    assert case["your_request_to_the_help_desk"] == "Please help."
    with pytest.raises(services.MatchmakingError, match="already has this need"):
        services.ask_help_desk(scene.need, actor=world.focal_point, message="Again.")


def test_asking_for_someone_elses_need_is_forbidden_on_the_web(scene: Scene, client: Client) -> None:
    client.force_login(scene.world.partner_editor)
    response = client.post(f"/en/matchmaking/ask/{scene.need.identifier}/", {"message": "Please."})
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_an_empty_question_comes_back_with_a_message(scene: Scene, client: Client) -> None:
    client.force_login(scene.world.authorised_user)
    response = client.post(f"/es/matchmaking/ask/{scene.need.identifier}/", {"message": ""}, follow=True)
    assert "Diga qué está buscando." in response.content.decode()
    assert not Case.objects.exists()


# --- the help desk circulates; providers say "I can help" -----------------------------------


def test_the_help_desk_circulates_a_need_and_providers_find_it(
    scene: Scene, client: Client, nothing_good: None
) -> None:
    world = scene.world
    client.force_login(world.helpdesk_agent)
    response = client.post(
        f"/en/matchmaking/circulate/{scene.need.identifier}/", {"next": "/en/matchmaking/"}
    )
    assert response.status_code == 302
    case = Case.objects.get(need=scene.need)
    assert case.state == CaseState.IN_MATCHMAKING and case.circulated_by == world.helpdesk_agent
    scene.need.refresh_from_db()
    assert scene.need.status == NeedStatus.IN_MATCHMAKING
    # Circulating again changes nothing.
    first = case.circulated_at
    assert services.circulate(scene.need, actor=world.helpdesk_agent).circulated_at == first
    # The provider finds it, with "I can help"; the requester finds it too, but cannot offer.
    client.force_login(world.partner_editor)
    page = client.get("/en/matchmaking/seeking/").content.decode()
    assert scene.need.identifier in page
    assert f'href="/en/matchmaking/offer/{scene.need.identifier}/"' in page
    assert 'href="/en/matchmaking/seeking/"' in page  # in the provider's menu
    client.force_login(world.authorised_user)
    page = client.get("/en/matchmaking/seeking/").content.decode()
    assert scene.need.identifier in page and "/matchmaking/offer/" not in page
    # A visitor is asked to sign in first.
    client.logout()
    page = client.get("/en/matchmaking/seeking/").content.decode()
    assert "Sign in to offer help" in page


def test_only_the_help_desk_circulates(scene: Scene, client: Client) -> None:
    for person in (scene.world.authorised_user, scene.world.partner_editor):
        with pytest.raises(services.NotAllowedError):
            services.circulate(scene.need, actor=person)
        client.force_login(person)
        assert client.post(f"/en/matchmaking/circulate/{scene.need.identifier}/").status_code == 403
    assert not Case.objects.exists()


def test_a_need_that_takes_no_more_offers_leaves_the_list(scene: Scene, client: Client) -> None:
    world = scene.world
    case = services.circulate(scene.need, actor=world.helpdesk_agent)
    assert services.seeking_support() == [case]
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED)
    assert services.seeking_support() == []
    with pytest.raises(services.MatchmakingError):
        services.circulate(scene.need, actor=world.helpdesk_agent)
    assert client.head("/en/matchmaking/seeking/").status_code == 200


def test_circulating_tells_the_providers_of_the_nearest_support_once(scene: Scene) -> None:
    world = scene.world
    world.partner_editor.preferred_language = "fr"
    world.partner_editor.save()
    mail.outbox.clear()
    with scene.commit(execute=True):
        services.circulate(scene.need, actor=world.helpdesk_agent)
    told = {message.to[0]: message for message in mail.outbox}
    # Nature Kenya's offer is suggested: its partner editor is told, in French, with the way to
    # say "I can help"; the requester's own people are not.
    assert set(told) == {world.partner_editor.email}
    assert f"/fr/matchmaking/offer/{scene.need.identifier}/" in told[world.partner_editor.email].body
    assert scene.need.identifier in told[world.partner_editor.email].subject
    mail.outbox.clear()
    with scene.commit(execute=True):
        services.circulate(scene.need, actor=world.helpdesk_agent)
    assert mail.outbox == []
