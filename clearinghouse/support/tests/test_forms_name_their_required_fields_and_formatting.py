"""The record forms of the support registry: the description's help names the tags it allows as
text (it once applied them and turned the rest of the page bold and italic), and the fields that
must be filled in before submission are marked from the start."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.support.models import Offer
from clearinghouse.support.tests.factories import published
from clearinghouse.support.tests.samples import sample

pytestmark = pytest.mark.usefixtures("vocabularies")


@pytest.mark.parametrize("slug", ["offers", "initiatives"])
def test_the_formatting_help_shows_the_tags_as_text(world: World, client: Client, slug: str) -> None:
    client.force_login(world.partner_editor)
    html = client.get(f"/en/support/{slug}/new/").content.decode()
    help_text = re.search(r'<div class="help" id="id_description_helptext">(.*?)</div>', html, re.S)
    assert help_text is not None
    assert help_text.group(1) == (
        "You may use simple formatting: &lt;p&gt;, &lt;strong&gt;, &lt;em&gt;, lists and links."
    )
    assert "<strong>" not in html and "<em>" not in html


def test_fields_needed_for_submission_are_marked_on_the_offer_form(world: World, client: Client) -> None:
    client.force_login(world.partner_editor)
    html = client.get("/es/support/offers/new/").content.decode()
    for name in ("title", "description"):
        label = re.search(rf'<label for="id_{name}"[^>]*>.*?</label>', html, re.S)
        assert label and "(obligatorio)" in label.group(0), name
    assert re.search(r'<legend>[^<]*<span class="required-mark">', html), "the types of support too"
    capacity = re.search(r'<label for="id_capacity"[^>]*>.*?</label>', html, re.S)
    assert capacity and "required-mark" not in capacity.group(0)


def test_the_expert_form_marks_the_experts_name(world: World, client: Client) -> None:
    client.force_login(world.partner_editor)
    html = client.get("/en/support/experts/new/").content.decode()
    label = re.search(r'<label for="id_name"[^>]*>.*?</label>', html, re.S)
    assert label and "(required)" in label.group(0)


def test_long_pick_lists_are_plain_selects_marked_for_filtering(world: World, client: Client) -> None:
    client.force_login(world.partner_editor)
    html = client.get("/fr/support/offers/new/").content.decode()
    for name in ("eligibility", "languages", "currency"):
        select = re.search(rf'<select[^>]*id="id_{name}"[^>]*>', html)
        assert select and "data-filterable" in select.group(0), name
        assert 'data-filter-label="Tapez pour filtrer la liste"' in select.group(0)
    assert html.count('src="/static/core/filter-select.js"') == 1, "the script comes once, as a file"


def test_pages_without_a_long_pick_list_load_no_filter_script(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    assert "filter-select.js" not in client.get("/en/needs/new/need/").content.decode()


def test_currencies_are_sorted_by_their_name_in_the_readers_language(world: World, client: Client) -> None:
    client.force_login(world.partner_editor)
    html = client.get("/fr/support/offers/new/").content.decode()
    select = re.search(r'<select[^>]*id="id_currency".*?</select>', html, re.S)
    assert select
    names = re.findall(r'<option value="[A-Z]{3}">([^<]*)</option>', select.group(0))
    assert "euro (EUR)" in names and "dollar des États-Unis (USD)" in names
    assert names.index("dollar des États-Unis (USD)") < names.index("euro (EUR)")


def test_a_support_record_page_names_its_organisation(world: World, client: Client) -> None:
    offer = published(
        Offer,
        world,
        sample(Offer, world),
        owner=world.kenyan_ngo,
        author=world.partner_editor,
        reviewer=world.focal_point,
    )
    html = client.get(offer.get_absolute_url()).content.decode()
    name = world.kenyan_ngo.display_name()
    assert f'<a href="/en/organisations/{world.kenyan_ngo.pk}/" dir="auto">{name}</a>' in html
