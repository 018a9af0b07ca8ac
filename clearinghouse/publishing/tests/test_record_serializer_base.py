"""Every registry's API serializer starts from one base: the owner, the record's link, and one
rule for confidential fields."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIRequestFactory

from clearinghouse.core.testing import World
from clearinghouse.publishing import workflow
from clearinghouse.publishing.api.serializers import RecordSerializer
from clearinghouse.publishing.tests.testapp.models import Note


class _NoteSerializer(RecordSerializer):
    class Meta:
        model = Note
        fields = ["identifier", "url", "owner", "title", "summary"]


@pytest.fixture
def note(world: World, monkeypatch: pytest.MonkeyPatch) -> Note:
    """A published note whose summary its record type declares confidential."""
    monkeypatch.setattr(Note, "CONFIDENTIAL_FIELDS", ("summary",))
    record = workflow.create(
        Note,
        actor=world.authorised_user,
        owner=world.kenya,
        values={"original_language": "en", "title": {"en": "Customs"}, "summary": {"en": "Call Awa"}},
    )
    workflow.submit(record, actor=world.authorised_user)
    return workflow.publish(record, actor=world.focal_point)


def _as(user: Any, note: Note) -> dict[str, Any]:
    request = APIRequestFactory().get("/api/v1/")
    request.user = user
    return dict(_NoteSerializer(note, context={"request": request}).data)


def test_an_outsider_reads_the_record_without_its_confidential_fields(world: World, note: Note) -> None:
    data = _as(world.outsider, note)
    assert data["title"] == {"en": "Customs"}
    assert "summary" not in data


def test_the_owners_read_the_confidential_fields(world: World, note: Note) -> None:
    assert _as(world.authorised_user, note)["summary"] == {"en": "Call Awa"}


def test_a_record_that_discloses_its_confidential_fields_shows_them_to_everyone(
    world: World, note: Note, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A provider or an expert may make their contact details public.
    monkeypatch.setattr(Note, "discloses_confidential", lambda self: True, raising=False)
    assert _as(world.outsider, note)["summary"] == {"en": "Call Awa"}


def test_the_link_is_the_absolute_stable_address_and_the_owner_its_code(world: World, note: Note) -> None:
    data = _as(world.outsider, note)
    # /r/<identifier> has no language prefix: it resolves in the reader's language.
    assert data["url"] == f"http://testserver/r/{note.identifier}"
    assert data["owner"] == "KE"
