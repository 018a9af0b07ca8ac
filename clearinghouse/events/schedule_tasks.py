"""The round table's scheduler runs as a job: it may search for tens of seconds, longer than a
page should wait."""

from __future__ import annotations

from django.utils import translation
from huey.contrib.djhuey import db_task

from clearinghouse.accounts.models import User
from clearinghouse.events import schedules
from clearinghouse.events.models import Event


@db_task()
def make_schedule(event_id: int, actor_id: int, language: str) -> int:
    """Run the scheduler for the round table and record how it ended, in the organiser's
    language. Returns how many meetings are scheduled (0 when it was refused)."""
    event = Event.objects.filter(pk=event_id).first()
    actor = User.objects.filter(pk=actor_id).first()
    if event is None or actor is None:
        return 0
    with translation.override(language):
        outcome = schedules.run_and_record(event, actor)
    return outcome.scheduled if outcome else 0
