"""Two people ticking the last two steps of a checklist at the same moment, each in their own
transaction on PostgreSQL: both steps are kept, and the checklist is completed — the second
change waits for the first on the checklist's lock and counts its step, instead of each
counting the other's step as still open."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from clearinghouse.events.tests.factories import published
from clearinghouse.quality import checklists
from clearinghouse.quality.models import Checklist, ChecklistStep, StepState
from clearinghouse.quality.tests.checklist_factories import template

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer in at a time"),
]


def _in_thread(work: Callable[[], None], failures: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        except BaseException as error:  # reported by the test
            failures.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_the_last_two_steps_ticked_at_once_complete_the_checklist(world: Any) -> None:
    checklist = checklists.start(published(world), template(), actor=world.authorised_user)
    first, second, third = checklist.steps.order_by("position")
    checklists.tick(first, actor=world.authorised_user, evidence="Survey of 40 applicants")
    second_may_go = threading.Event()
    failures: list[BaseException] = []

    def organiser() -> None:
        with transaction.atomic():
            checklists.tick(second, actor=world.authorised_user, seen=StepState.OPEN)
            second_may_go.set()
            # The other change starts while this one has not committed yet.
            time.sleep(0.5)

    def secretariat() -> None:
        second_may_go.wait(timeout=10)
        checklists.set_aside(third, actor=world.secretariat, reason="One language only.", seen=StepState.OPEN)

    threads = [_in_thread(organiser, failures), _in_thread(secretariat, failures)]
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    assert list(
        ChecklistStep.objects.filter(checklist=checklist).order_by("position").values_list("state", flat=True)
    ) == [
        StepState.DONE,
        StepState.DONE,
        StepState.NOT_APPLICABLE,
    ]
    assert Checklist.objects.get(pk=checklist.pk).completed_at is not None
