"""The record forms of the support registry: the description's help names the tags it allows as
text (it once applied them and turned the rest of the page bold and italic), and the fields that
must be filled in before submission are marked from the start."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from clearinghouse.core.testing import World

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
