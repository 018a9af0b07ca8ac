"""Background jobs of events: offered places that lapse go to the next person waiting."""
"""Background jobs of events."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from clearinghouse.events import registration


@db_periodic_task(crontab(minute="*/10"))
def lapse_offers() -> int:
    """Every ten minutes: lapse the offers past their time and offer those places to the next on
    each waiting list (pages also do it when read). Idempotent; returns how many were offered."""
    return registration.expire_all()
from clearinghouse.events import surveys


@db_periodic_task(crontab(minute="15"))
def send_survey_invitations_and_reminders() -> tuple[int, int]:
    """Every hour: invite those who attended to the surveys that have opened, and remind once,
    a week before a survey closes, those who have not answered (``surveys.send_due``)."""
    return surveys.send_due()
