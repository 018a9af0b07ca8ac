"""From an Arabic request to a completed cooperation, in a real browser, with the platform's own
matching model: Egypt asks (in Arabic) for training in coral reef monitoring; the request finds a
Spanish offer among offers in other languages and offers Egypt may not ask for, with an
explanation; the help desk sends the case to matchmaking and proposes the offer; the provider
accepts; Egypt confirms; the agreement records a cooperation with co-funding from both sides;
the support is given and its outcome report closes the need. The requester registers the need
and the request step by step in the Arabic interface."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from clearinghouse.accounts import services as appointments
from clearinghouse.accounts.models import Role
from clearinghouse.core.testing import World, give_second_factor, make_country, make_user
from clearinghouse.geo.models import RegionalGroup
from clearinghouse.matching import conf, index
from clearinghouse.matchmaking.models import Case, CaseState, Match, MatchState
from clearinghouse.needs.models import Need, NeedStatus, Request
from clearinghouse.publishing.models import State
from clearinghouse.support.models import Offer
from clearinghouse.support.tests.factories import published, terms
from clearinghouse.vocabularies.models import Term
from clearinghouse.vocabularies.services import data_files, load_vocabularies
from tests.browser.pages import field, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPANISH_OFFER = "Formación en monitoreo de arrecifes de coral"


@pytest.fixture
def platform_model() -> Any:
    """The platform's default embedding model, not the suite's word-hashing stand-in."""
    index.forget()
    with override_settings(MATCHING_EMBEDDER=conf.DEFAULT_EMBEDDER):
        yield
    index.forget()


def _click(page: Any, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def _step(page: Any, action: str) -> None:
    """A step form's button, whatever the interface's language: save, next or submit."""
    with page.expect_navigation():
        page.locator(f"main button[name=action][value={action}]").click()


def _tick(page: Any, name: str, value: int) -> None:
    page.check(f"main [name={name}][value='{value}']")


def _term(code: str) -> int:
    return int(Term.objects.values_list("pk", flat=True).get(code=code))


def _offers(world: World, provider_editor: Any) -> Offer:
    """The Spanish offer that answers the request, and offers that should not come first."""
    network = world.international
    register = {"owner": network, "author": provider_editor, "reviewer": world.secretariat}
    answer = published(
        Offer,
        world,
        {
            "title": SPANISH_OFFER,
            "description": (
                "<p>Curso práctico de dos semanas para guardaparques y biólogos marinos: métodos de "
                "monitoreo de arrecifes de coral, transectos, fotocuadrantes y blanqueamiento.</p>"
            ),
            "provider": network,
            "support_types": terms("training"),
            "subjects": terms("SUBJ-MARINE-COASTAL"),
            "gbf_targets": terms("GBF-T3"),
            "eligibility": ["Arab States", "SIDS"],
            "languages": ["es", "ar", "en"],
        },
        language="es",
        **register,
    )
    published(
        Offer,
        world,
        {
            "title": "Financiamiento para la gestión de incendios forestales",
            "description": "<p>Subvenciones para brigadas comunitarias contra incendios forestales.</p>",
            "provider": network,
            "support_types": terms("funding"),
            "subjects": terms("SUBJ-FORESTS"),
            "eligibility": ["global"],
        },
        language="es",
        **register,
    )
    published(
        Offer,
        world,
        {
            "title": "Coral reef monitoring training for Pacific island rangers",
            "description": "<p>Reef survey methods, bleaching assessment and transects.</p>",
            "provider": network,
            "support_types": terms("training"),
            "subjects": terms("SUBJ-MARINE-COASTAL"),
            "eligibility": ["Asia-Pacific"],
        },
        **register,
    )
    published(
        Offer,
        world,
        {
            "title": "Outils de données sur les pollinisateurs",
            "description": "<p>Bases de données et applications mobiles pour le suivi des abeilles.</p>",
            "provider": network,
            "support_types": terms("data_tools"),
            "subjects": terms("SUBJ-DATA-INFORMATION"),
            "eligibility": [],
        },
        language="fr",
        **register,
    )
    return answer


def test_an_arabic_request_finds_a_spanish_offer_and_ends_in_a_completed_cooperation(
    chromium: Any, live_server: Any, world: World, platform_model: None
) -> None:
    load_vocabularies(data_files())
    egypt = make_country(
        "EG",
        "EGY",
        {"ar": "مصر", "zh": "埃及", "en": "Egypt", "fr": "Égypte", "ru": "Египет", "es": "Egipto"},
        regional_group=RegionalGroup.AFRICA,
        arab_league=True,
        developing=True,
    )
    nour = make_user("nour", "Nour", "Hassan", "ar")
    egypt_focal_point = make_user("karim", "Karim", "Mansour", "ar")
    carmen = make_user("carmen", "Carmen", "Ruiz", "es")
    appointments.appoint(actor=None, user=egypt_focal_point, role=Role.FOCAL_POINT, country=egypt)
    give_second_factor(egypt_focal_point)
    appointments.appoint(actor=None, user=nour, role=Role.AUTHORISED_USER, country=egypt)
    appointments.appoint(actor=None, user=carmen, role=Role.PARTNER_EDITOR, organisation=world.international)
    spanish_offer = _offers(world, carmen)

    # Egypt's officer registers the need and the request for assistance in the Arabic interface,
    # step by step; Egypt's focal point publishes both.
    requester = chromium.new_context()
    page = requester.new_page()
    sign_in(page, live_server, nour.email, "nour-passphrase-2026")
    page.goto(f"{live_server.url}/ar/needs/new/need/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.select_option("main [name=original_language_0]", "ar")
    page.fill("main [name=title]", "تدريب على رصد الشعاب المرجانية")
    page.fill(
        "main [name=description]",
        "يحتاج حراس المحميات البحرية في البحر الأحمر إلى تدريب على طرق رصد الشعاب المرجانية "
        "وتقييم ابيضاض المرجان.",
    )
    page.check("main [name=priority][value=high]")
    _step(page, "next")
    _tick(page, "subjects", _term("SUBJ-MARINE-COASTAL"))
    _tick(page, "instruments", _term("CBD"))
    _tick(page, "capacity_levels", _term("individual"))
    _step(page, "next")
    # The targets have their own step, after the themes.
    _tick(page, "gbf_targets", _term("GBF-T3"))
    _step(page, "next")
    _tick(page, "support_types", _term("training"))
    page.select_option("main [name=support_languages]", ["ar", "en"])
    _step(page, "next")
    page.fill("main [name=contact_name]", "نور حسن")
    page.fill("main [name=contact_email]", "nour.hassan@eeaa.example")
    _step(page, "submit")
    need = Need.objects.get(owner_country=egypt)
    assert (need.original_language, need.state) == ("ar", State.SUBMITTED)

    page.goto(f"{live_server.url}/ar/needs/new/request/")
    page.select_option("main [name=original_language_0]", "ar")
    page.fill("main [name=title]", "طلب تدريب على رصد الشعاب المرجانية في البحر الأحمر")
    page.fill("main [name=asked]", "دورة تدريبية عملية لعشرين من حراس المحميات على رصد الشعاب المرجانية.")
    page.fill("main [name=deliverables]", "عشرون حارسا مدربا وبروتوكول رصد وطني.")
    page.check("main [name=modalities][value=training]")
    _tick(page, "needs", need.pk)
    _step(page, "next")
    page.check("main [name=consent_to_share][value=no]")
    _step(page, "submit")
    request = Request.objects.get(owner_country=egypt)
    assert list(request.needs.all()) == [need] and request.state == State.SUBMITTED

    reviewer = chromium.new_context()
    review = reviewer.new_page()
    sign_in(review, live_server, egypt_focal_point.email, "karim-passphrase-2026")
    for record in (need, request):
        review.goto(f"{live_server.url}/r/{record.identifier}")
        with review.expect_navigation():
            review.locator("form[action$='/publish/'] button").click()
    reviewer.close()
    case = Case.objects.get(request=request)

    # The requester, in Arabic, sees the Spanish offer suggested first, with why. Its score is
    # in the weak band among this small world's few offers: it sits behind "Show weaker
    # suggestions", which the requester opens.
    page.goto(f"{live_server.url}/ar/matchmaking/for/{request.identifier}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    weaker = page.locator("details.weaker")
    if weaker.count():
        weaker.locator("summary").click()
    first = page.locator("ol.results > li").first
    expect(first).to_contain_text(SPANISH_OFFER)
    expect(first.locator("dl.match-explanation")).to_be_visible()

    # The help desk sends the case to matchmaking and proposes the offer to its provider.
    helpdesk = chromium.new_context()
    desk = helpdesk.new_page()
    sign_in(desk, live_server, world.helpdesk_agent.email, "lucia-passphrase-2026")
    desk.goto(f"{live_server.url}/en/matchmaking/")
    with desk.expect_navigation():
        desk.get_by_role("link", name=re.compile("رصد الشعاب المرجانية في البحر الأحمر")).first.click()
    assert desk.url.endswith(f"/en/matchmaking/cases/{case.pk}/")
    _click(desk, "Send to matchmaking")
    if desk.locator("details.weaker").count():
        desk.locator("details.weaker summary").click()
    suggestion = desk.locator("ol.results > li", has_text=SPANISH_OFFER)
    expect(desk.locator("ol.results > li", has_text="Shortlist").first).to_contain_text(SPANISH_OFFER)
    with desk.expect_navigation():
        suggestion.get_by_role("button", name="Shortlist", exact=True).click()
    field(desk, "Message to the provider").fill(
        "Egypt asks for reef monitoring training for Red Sea rangers; your course fits."
    )
    _click(desk, "Propose to the provider")
    match = Match.objects.get(case=case)
    assert (match.support_identifier, match.state) == (spanish_offer.identifier, MatchState.PROPOSED)
    need.refresh_from_db()
    assert need.status == NeedStatus.IN_MATCHMAKING

    # The provider sees the proposal (without the requester's contact details) and accepts it.
    provider = chromium.new_context()
    offer_page = provider.new_page()
    sign_in(offer_page, live_server, carmen.email, "carmen-passphrase-2026")
    offer_page.goto(f"{live_server.url}/en/matchmaking/mine/")
    with offer_page.expect_navigation():
        offer_page.get_by_role("link", name=re.compile("رصد الشعاب")).first.click()
    expect(offer_page.locator("main")).not_to_contain_text("nour.hassan@eeaa.example")
    _click(offer_page, "Accept")

    # The requester confirms: from now on the provider may see who to contact.
    page.goto(f"{live_server.url}{match.get_absolute_url()}")
    _click(page, "Confirm")
    offer_page.reload()
    expect(offer_page.locator("main")).to_contain_text("nour.hassan@eeaa.example")

    # The provider records the agreement: a training cooperation co-funded by both sides.
    with offer_page.expect_navigation():
        offer_page.get_by_role("link", name="Record the agreement").click()
    field(offer_page, "Type of cooperation").select_option(index=1)
    field(offer_page, "Description").fill("Two-week reef monitoring course in Hurghada, Arabic and Spanish.")
    field(offer_page, "Start").fill("2027-03-01")
    rows = offer_page.locator("fieldset.card")
    rows.nth(0).get_by_label("Contributor").select_option(label=world.international.display_name())
    rows.nth(0).get_by_label("Amount").fill("18000")
    rows.nth(0).get_by_label("Currency").fill("USD")
    rows.nth(1).get_by_label("Contributor").select_option(label="Egypt")
    rows.nth(1).get_by_label("Amount").fill("150000")
    rows.nth(1).get_by_label("Currency").fill("EGP")
    _click(offer_page, "Agree")
    expect(offer_page.locator("main")).to_contain_text("18,000")
    match.refresh_from_db()
    cooperation = match.cooperation
    assert match.state == MatchState.AGREED
    assert {(item.currency, item.amount) for item in cooperation.contributions.all()} == {
        ("USD", Decimal("18000")),
        ("EGP", Decimal("150000")),
    }
    need.refresh_from_db()
    assert need.status == NeedStatus.MATCHED

    # The support is given; Egypt reports the outcome, which closes the need and the case.
    page.goto(f"{live_server.url}{match.get_absolute_url()}")
    _click(page, "Mark as under way")
    need.refresh_from_db()
    assert need.status == NeedStatus.SUPPORT_UNDER_WAY
    field(page, "Results").fill("20 rangers trained; a national reef monitoring protocol adopted.")
    field(page, "Lessons learned").fill("Field days at sea need a calm-weather reserve day.")
    field(page, "Your satisfaction (1 to 5)").select_option("5")
    _click(page, "Complete")
    match.refresh_from_db()
    need.refresh_from_db()
    case.refresh_from_db()
    assert match.state == MatchState.COMPLETED
    assert need.status == NeedStatus.ADDRESSED
    assert case.state == CaseState.CLOSED
    assert match.outcome.requester_satisfaction == 5
    # Every step is dated and attributed.
    steps = list(match.events.order_by("at").values_list("state", "by__username"))
    assert steps == [
        (MatchState.SUGGESTED, "lucia"),
        (MatchState.PROPOSED, "lucia"),
        (MatchState.ACCEPTED, "carmen"),
        (MatchState.CONFIRMED, "nour"),
        (MatchState.AGREED, "carmen"),
        (MatchState.IN_PROGRESS, "nour"),
        (MatchState.COMPLETED, "nour"),
    ]
    for context in (requester, helpdesk, provider):
        context.close()
