"""Each mentoring step e-mails the other side, in that person's language, with the relation's
link; nothing is sent to a third person or for a refused step."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test.signals import template_rendered
from django.utils import translation

from clearinghouse.community import mentoring
from clearinghouse.core.testing import World

from .mentoring_factories import alumnus_mentor, asked


@pytest.fixture
def rendered_in() -> Iterator[dict[str, str]]:
    """The language each mentoring e-mail's subject was rendered under, by template."""
    seen: dict[str, str] = {}

    def record(sender: Any, template: Any, context: Any, **kwargs: Any) -> None:
        name = str(getattr(template, "name", "") or "")
        if name.startswith("community/mail/mentoring_") and name.endswith("_subject.txt"):
            seen[name.removeprefix("community/mail/mentoring_").removesuffix("_subject.txt")] = str(
                translation.get_language()
            )

    template_rendered.connect(record)
    yield seen
    template_rendered.disconnect(record)


def _recipients() -> list[str]:
    return [address for message in mail.outbox for address in message.to]


def test_every_step_is_written_to_the_other_side_in_their_language(
    world: World, django_capture_on_commit_callbacks: Any, rendered_in: dict[str, str]
) -> None:
    mentor, mentee = world.trainer, world.learner
    mentor.preferred_language = "ru"
    mentor.save(update_fields=["preferred_language"])
    mentee.preferred_language = "fr"
    mentee.save(update_fields=["preferred_language"])
    alumnus_mentor(mentor)

    with django_capture_on_commit_callbacks(execute=True):
        relation = asked(mentee, mentor)
    assert _recipients() == [mentor.email]
    assert rendered_in == {"asked": "ru"}
    message = mail.outbox[0]
    # The link to the relation, reversed in the mentor's language; the HTML part says which.
    assert f"/ru/community/mentoring/{relation.pk}/" in str(message.body)
    html = str(message.alternatives[0][0])  # type: ignore[attr-defined]
    assert 'lang="ru"' in html

    steps = [
        ("accepted", lambda: mentoring.accept(relation, mentor), mentee),
        ("started", lambda: mentoring.start(relation, mentor, "Goals agreed."), mentee),
        ("noted", lambda: mentoring.note(relation, mentee, "My first draft."), mentor),
        ("completed", lambda: mentoring.complete(relation, mentee), mentor),
    ]
    for step, run, recipient in steps:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            run()
        assert _recipients() == [recipient.email], step
        assert rendered_in[step] == recipient.preferred_language, step


def test_declining_withdrawing_and_ending_tell_the_other_side(
    world: World, django_capture_on_commit_callbacks: Any, rendered_in: dict[str, str]
) -> None:
    mentor, mentee = world.trainer, world.learner
    mentee.preferred_language = "es"
    mentee.save(update_fields=["preferred_language"])
    alumnus_mentor(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        mentoring.decline(asked(mentee, mentor), mentor, "Not my field, sorry.")
    assert _recipients()[-1] == mentee.email and rendered_in["declined"] == "es"
    assert "Not my field, sorry." in str(mail.outbox[-1].body)

    with django_capture_on_commit_callbacks(execute=True):
        mentoring.withdraw(asked(mentee, mentor), mentee)
    assert _recipients()[-1] == mentor.email and rendered_in["withdrawn"] == mentor.preferred_language

    with django_capture_on_commit_callbacks(execute=True):
        relation = mentoring.accept(asked(mentee, mentor), mentor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mentoring.end(relation, mentee, "My post changed.")
    assert _recipients() == [mentor.email] and rendered_in["ended"] == mentor.preferred_language


def test_a_refused_step_sends_nothing(world: World, django_capture_on_commit_callbacks: Any) -> None:
    alumnus_mentor(world.trainer)
    with django_capture_on_commit_callbacks(execute=True):
        relation = asked(world.learner, world.trainer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        mentoring.accept(relation, world.outsider)
    assert mail.outbox == []
