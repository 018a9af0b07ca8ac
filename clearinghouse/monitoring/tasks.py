"""The worker's monitoring jobs: a queued computation, and keeping the current year and biennium
up to date.

"Facts changed" is decided cheaply, one EXISTS query per measure, against the moment the period's
last computation started: a record of a counted type created, edited, published or archived
since (``updated_at``, ``last_published_at``, ``archived_at``: every record, public or not, as
archiving takes one out of the counts), or a counted row dated since (a status change, a
check-in, a contribution...; rows dated by day, as daily views, count from the next day, when
the day is whole). What escapes it (a fact entered late with an earlier date, a row deleted) is
caught by the nightly computation, which runs whatever changed.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from clearinghouse.monitoring import compute, values
from clearinghouse.monitoring.compute import Period
from clearinghouse.monitoring.models import Computation
from clearinghouse.publishing.models import Record
from clearinghouse.publishing.registry import measures

logger = logging.getLogger(__name__)


@db_task()
def run_computation(computation_id: int) -> None:
    """Compute a queued computation. Claimed by one update, so a job delivered twice (after a
    crash, or to two workers) runs once; a failure is kept on the computation, not retried."""
    claimed = Computation.objects.filter(pk=computation_id, state=Computation.State.QUEUED).update(
        state=Computation.State.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    computation = Computation.objects.get(pk=computation_id)
    try:
        compute.run(computation)
    except Exception:
        logger.exception("The computation of %s to %s failed", computation.start, computation.end)


def reporting_periods(today: date) -> list[Period]:
    """The current year and the current biennium. The Convention's bienniums start in odd years
    (2025-2026 ends with the Conference of 2026)."""
    return [Period.years(today.year), values.biennium(today)]


def facts_changed_since(moment: datetime) -> bool:
    """Whether any fact a measure counts may have changed after ``moment`` (see above)."""
    seen: set[type[models.Model]] = set()
    for measure in measures().values():
        rows = measure.rows()
        model = rows.model
        if issubclass(model, Record) and model not in seen:
            seen.add(model)
            touched = Q(updated_at__gt=moment) | Q(last_published_at__gt=moment) | Q(archived_at__gt=moment)
            if model._default_manager.filter(touched).exists():
                return True
        since: date | datetime = moment.date() if compute.is_date_only(model, measure.date) else moment
        if rows.filter(**{f"{measure.date}__gt": since}).exists():
            return True
    return False


def refresh(now: datetime, *, always: bool = False) -> list[Computation]:
    """Queue the current year and biennium where their facts changed since their last
    computation (every time with ``always``), unless one is already queued or running."""
    # Imported here: the services send this module's job.
    from clearinghouse.monitoring import services

    queued = []
    for period in reporting_periods(timezone.localdate(now)):
        if services.busy(period).exists():
            continue
        # The last finished one, failed or not: a failure is retried when the facts change, or
        # at night, not every quarter of an hour.
        last = (
            Computation.objects.filter(
                start=period.start,
                end=period.end,
                state__in=[Computation.State.DONE, Computation.State.FAILED],
            )
            .order_by("-started_at", "-pk")
            .first()
        )
        since = last.started_at if last is not None else None
        if always or since is None or facts_changed_since(since):
            queued.append(services.queue(period))
    return queued


@db_periodic_task(crontab(minute="*/15"))
def recompute_changed() -> None:
    refresh(timezone.now())


@db_periodic_task(crontab(hour=2, minute=40))
def recompute_nightly() -> None:
    refresh(timezone.now(), always=True)
