"""The printable view keeps its page styles under the Content-Security-Policy: its inline style
(it carries the record's identifier into the page footer) is marked with the response's nonce."""

from __future__ import annotations

import re

from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.publishing import workflow
from clearinghouse.publishing.tests.testapp.models import Note


def test_the_printable_views_inline_style_carries_the_policys_nonce(world: World, client: Client) -> None:
    note = workflow.create(
        Note,
        actor=world.authorised_user,
        owner=world.kenya,
        values={"original_language": "en", "title": {"en": "Seed banks"}, "year": 2026},
    )
    workflow.submit(note, actor=world.authorised_user)
    workflow.publish(note, actor=world.focal_point)
    note.refresh_from_db()

    response = client.get(f"/en/records/{note.identifier}/print/")
    assert response.status_code == 200
    style_tags = re.findall(r"<style[^>]*>", response.content.decode())
    assert len(style_tags) == 1
    nonce = re.fullmatch(r'<style nonce="([^"]+)">', style_tags[0])
    assert nonce, style_tags
    policy = response["Content-Security-Policy"]
    style_src = next(part for part in policy.split(";") if part.split()[0] == "style-src")
    assert f"'nonce-{nonce.group(1)}'" in style_src.split()
    assert "'unsafe-inline'" not in policy
