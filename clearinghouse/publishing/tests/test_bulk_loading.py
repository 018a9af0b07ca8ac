"""Records loaded in bulk by the platform (the demo data): their changes are announced once per
record type, and a quiet load e-mails nobody, while a load that is not quiet still does."""

from __future__ import annotations

from typing import Any

from django.core import mail

from clearinghouse.core.testing import World
from clearinghouse.publishing import notifications, workflow
from clearinghouse.publishing.models import State
from clearinghouse.publishing.signals import batched_announcements, record_changed
from clearinghouse.publishing.tests.testapp.models import Note


def _published(world: World, title: str) -> Note:
    note = workflow.create(
        Note, actor=None, owner=world.kenya, values={"original_language": "en", "title": {"en": title}}
    )
    workflow.submit(note, actor=None)
    return workflow.publish(note, actor=world.focal_point)


def _announcements(capture: Any, load: Any) -> list[list[str]]:
    heard: list[list[str]] = []

    def listen(sender: Any, identifiers: list[str], **kwargs: Any) -> None:
        heard.append(list(identifiers))

    record_changed.connect(listen, dispatch_uid="test-bulk-loading")
    try:
        with capture(execute=True):
            load()
    finally:
        record_changed.disconnect(dispatch_uid="test-bulk-loading")
    return heard


def test_a_batch_announces_its_records_once_together(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    def load() -> None:
        with batched_announcements():
            for number in range(3):
                _published(world, f"Note {number}")

    heard = _announcements(django_capture_on_commit_callbacks, load)
    assert len(heard) == 1
    assert sorted(heard[0]) == sorted(Note.objects.values_list("identifier", flat=True))
    assert len(heard[0]) == 3


def test_without_a_batch_each_publication_is_announced(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    heard = _announcements(
        django_capture_on_commit_callbacks, lambda: [_published(world, f"Note {n}") for n in range(2)]
    )
    assert len(heard) == 2


def test_a_quiet_load_emails_nobody_but_publishes(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), notifications.quiet():
        note = _published(world, "Quiet")
    assert note.state == State.PUBLISHED and note.live
    assert mail.outbox == []


def test_the_same_steps_outside_a_quiet_load_tell_the_reviewers(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _published(world, "Loud")
    # Kenya's focal point was told a record waits for review.
    assert world.focal_point.email in {address for message in mail.outbox for address in message.to}
