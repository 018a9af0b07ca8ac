"""Alerts announce what the public can see: a record once it is published, never a draft, and
not a record archived before the digest; records go through the real workflow and indexing jobs."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.http import QueryDict
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.publishing import workflow
from clearinghouse.search import alerts, saved
from clearinghouse.search.models import Frequency, SavedSearch
from clearinghouse.support import services
from clearinghouse.support.models import Offer
from clearinghouse.support.tests.factories import draft, published
from clearinghouse.support.tests.samples import sample
from clearinghouse.vocabularies.services import data_files, load_vocabularies

Capture = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def vocabularies(db: None) -> None:
    load_vocabularies(data_files())


@pytest.mark.usefixtures("vocabularies")
def test_a_record_is_announced_once_published_and_not_once_archived(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    search, _created = saved.save_search(
        world.learner,
        saved.normalise(QueryDict("record_type=offer")),
        name="Offers",
        frequency=Frequency.DAILY,
    )
    SavedSearch.objects.filter(pk=search.pk).update(
        created_at=timezone.now() - timedelta(days=30), checked_through=timezone.now() - timedelta(days=1)
    )
    # Indexing runs as a job once the change commits: run those callbacks.
    with django_capture_on_commit_callbacks(execute=True):
        waiting = draft(Offer, world, sample(Offer, world) | {"title": "Waiting for review"})
        services.submit(waiting, actor=world.authorised_user)
        public = published(Offer, world, sample(Offer, world) | {"title": "Public offer"})
        withdrawn = published(Offer, world, sample(Offer, world) | {"title": "Withdrawn offer"})
        workflow.archive(withdrawn, actor=world.focal_point)

    mail.outbox.clear()
    assert alerts.send_digests(Frequency.DAILY, timezone.now()) == 1
    body = mail.outbox[0].body
    assert public.identifier in body
    assert waiting.identifier not in body, "submitted is not published"
    assert withdrawn.identifier not in body, "archived before the digest"

    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(waiting, actor=world.focal_point)
    mail.outbox.clear()
    assert alerts.send_digests(Frequency.DAILY, timezone.now() + timedelta(days=1)) == 1
    body = mail.outbox[0].body
    assert waiting.identifier in body and public.identifier not in body
