"""Records fetched by identifier across record types, one query per type."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from clearinghouse.core.testing import World
from clearinghouse.publishing import registry, workflow
from clearinghouse.publishing.tests.testapp.models import Case, Note


def _note(world: World, *, published: bool) -> Note:
    note = workflow.create(
        Note,
        actor=world.focal_point,
        owner=world.kenya,
        values={"original_language": "en", "title": {"en": "Note"}},
    )
    if published:
        workflow.submit(note, actor=world.authorised_user)
        workflow.publish(note, actor=world.focal_point)
    return note


def test_records_of_several_types_come_in_one_query_per_type(world: World, db: Any) -> None:
    public, draft = _note(world, published=True), _note(world, published=False)
    case = workflow.create(
        Case,
        actor=world.focal_point,
        owner=world.kenya,
        values={"original_language": "fr", "title": {"fr": "Cas"}},
    )
    wanted = [
        public.identifier,
        draft.identifier.lower(),
        case.identifier,
        "CB-NOTE-KE-999999",
        "NOT-AN-ID",
        "",
    ]
    with CaptureQueriesContext(connection) as queries:
        found = registry.find_many(wanted)
    assert len(queries) == 2
    assert found == {public.identifier: public, draft.identifier: draft, case.identifier: case}
    # Only what the public may see.
    assert registry.find_many(wanted, live=True) == {public.identifier: public}
