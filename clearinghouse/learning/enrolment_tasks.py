"""Enrolment's background job: cohorts tied to an event take in its newly confirmed participants."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from clearinghouse.learning import enrolment


@db_periodic_task(crontab(hour="4", minute="20"))
def enrol_event_cohorts() -> int:
    """Every night: enrol in each running cohort tied to an event the event's confirmed
    participants who have an account and are not enrolled yet (idempotent)."""
    return sum(enrolment.enrol_event_participants(cohort) for cohort in enrolment.event_cohorts_to_fill())
