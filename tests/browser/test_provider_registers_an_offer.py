"""A partner organisation registers an offer of support in a real browser, as a person would:
Nature Kenya's editor signs in, fills in the offer form, saves the draft and submits it for
review; Kenya's focal point (who reviews the organisations based in Kenya, docs/permissions.md)
publishes it from the record page; the editor then finds the offer in the public list, at its
permanent address /r/<identifier> and with the site search."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from clearinghouse.core.testing import World
from clearinghouse.publishing.models import State
from clearinghouse.support.models import Offer
from clearinghouse.vocabularies.services import data_files, load_vocabularies
from tests.browser.pages import field, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Training of customs officers in invasive species identification"


@pytest.fixture
def vocabularies(world: World) -> None:
    """The form's types of support come from the controlled vocabularies."""
    load_vocabularies(data_files())


def test_a_partner_registers_an_offer_that_the_focal_point_publishes(
    chromium: Any, live_server: Any, world: World, vocabularies: None
) -> None:
    provider = chromium.new_context()
    page = provider.new_page()
    sign_in(page, live_server, world.partner_editor.email, "akinyi-passphrase-2026")

    page.goto(f"{live_server.url}/en/support/")
    page.get_by_role("link", name=re.compile("offers of support", re.IGNORECASE)).first.click()
    page.get_by_role("link", name="Register one").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("New offer of support")
    field(page, "For").select_option(label=world.kenyan_ngo.display_name())
    # The six languages in a list, another one named beside it (core.forms.ContentLanguageField).
    page.get_by_role("group", name=re.compile("Language you write in")).get_by_label(
        "Language", exact=True
    ).select_option("en")
    field(page, "Title").fill(TITLE)
    field(page, "Description").fill("<p>Five days in Mombasa, with field practice.</p>")
    field(page, "Provider").select_option(label=str(world.kenyan_ngo))
    page.get_by_role("checkbox", name="Training", exact=True).check()
    field(page, "Who may ask").select_option(["Africa", "TZ"])
    field(page, "Requests it can take").fill("4")
    field(page, "Available until").fill("2099-12-31")
    field(page, "Kind of value").select_option("in_kind")
    field(page, "Contact e-mail").fill("offers@naturekenya.example")
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()

    offer = Offer.objects.get()
    assert page.url.endswith(f"/en/support/offers/{offer.identifier}/")
    expect(page.get_by_role("status").first).to_contain_text(offer.identifier)
    assert (offer.state, offer.owner, offer.eligibility) == (State.DRAFT, world.kenyan_ngo, ["Africa", "TZ"])

    with page.expect_navigation():
        page.get_by_role("button", name="Submit for review").click()
    offer.refresh_from_db()
    assert offer.state == State.SUBMITTED
    # Not public until reviewed: the list shows published offers only.
    assert offer.identifier not in page.request.get(f"{live_server.url}/en/support/offers/").text()

    reviewer = chromium.new_context()
    review = reviewer.new_page()
    sign_in(review, live_server, world.focal_point.email, "wanjiru-passphrase-2026")
    review.goto(f"{live_server.url}/en/support/offers/{offer.identifier}/")
    with review.expect_navigation():
        review.get_by_role("button", name="Publish", exact=True).click()
    reviewer.close()
    offer.refresh_from_db()
    assert offer.live and offer.state == State.PUBLISHED

    page.goto(f"{live_server.url}/en/support/offers/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    page.goto(f"{live_server.url}/r/{offer.identifier}")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert offer.identifier in page.url

    page.goto(f"{live_server.url}/en/search/")
    field(page, "Search for").fill("customs officers invasive")
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    provider.close()
