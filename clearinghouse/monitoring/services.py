"""Running the monitoring: computations as jobs, values entered by hand and their review, targets
and baselines.

Each function checks its permission (monitoring/permissions.py), validates its input and saves
atomically; errors name the field at fault, in the person's language. Forms and the command hand
over plain values. Approving a value queues the computation of its period, and its submitter is
told by e-mail, in their language, once the review is saved.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.core.languages import CONTENT_LANGUAGES, pick_label
from clearinghouse.core.mail import send_templated, site_url
from clearinghouse.monitoring import permissions, tasks
from clearinghouse.monitoring.compute import Period
from clearinghouse.monitoring.models import Computation, Indicator, ManualValue, Method, Target, Unit
from clearinghouse.plan.models import FIRST_YEAR, LAST_YEAR
from clearinghouse.plan.models import Period as Years

# A computation queued or running for longer than this is taken for lost (a worker stopped in the
# middle): it no longer stops the period from being computed again. A biennium takes about a
# minute.
STALE_AFTER = timedelta(hours=2)


def _check(by: User, permission: str, message: str) -> None:
    if not by.has_perm(permission):
        raise PermissionDenied(message)


# --- computations ---------------------------------------------------------------------------------


def busy(period: Period) -> QuerySet[Computation]:
    """The computations of exactly this period that are queued or running, and not lost."""
    since = timezone.now() - STALE_AFTER
    return Computation.objects.filter(
        Q(state=Computation.State.QUEUED, requested_at__gte=since)
        | Q(state=Computation.State.RUNNING, started_at__gte=since),
        start=period.start,
        end=period.end,
    )


def queue(period: Period, *, by: User | None = None) -> Computation:
    """A queued computation of the period, its job sent to the worker once the transaction
    commits. Asks no permission: for the services below and the worker's own schedule."""
    computation = Computation.objects.create(start=period.start, end=period.end, requested_by=by)
    transaction.on_commit(lambda: tasks.run_computation(computation.pk))
    return computation


@transaction.atomic
def request_computation(period: Period, by: User) -> Computation:
    """Queue the computation of every indicator for ``period`` (a year, a biennium or any range
    of days). Refused while one of the same period is queued or running: it would count the
    same facts twice over."""
    _check(by, permissions.COMPUTE, _("Only the Secretariat computes the indicators."))
    if period.start > timezone.localdate():
        raise ValidationError(_("The period has not started yet: there is nothing to count."))
    if busy(period).exists():
        raise ValidationError(
            _("The indicators of %(period)s are already being computed; wait until that computation ends.")
            % {"period": period}
        )
    return queue(period, by=by)


# --- values entered by hand -----------------------------------------------------------------------


def _checked_value(indicator: Indicator, value: float) -> float:
    """A value the indicator can take: a finite number, not negative, a percentage at most 100."""
    if not math.isfinite(value):
        raise ValidationError({"value": _("Give the value as a number.")})
    if value < 0:
        raise ValidationError({"value": _("The value cannot be negative.")})
    if indicator.unit == Unit.SHARE and value > 100:
        raise ValidationError({"value": _("A percentage is between 0 and 100.")})
    return float(value)


def _checked_years(years: Years) -> Years:
    if not FIRST_YEAR <= years.start <= LAST_YEAR or years.end not in (years.start, years.start + 1):
        raise ValidationError(
            {
                "period": _(
                    "Give the reporting period as a year (2019) or a biennium of two consecutive "
                    "years (2019-2020)."
                )
            }
        )
    return years


@transaction.atomic
def submit_value(
    indicator: Indicator,
    years: Years,
    *,
    value: float,
    evidence: str,
    url: str = "",
    language: str,
    by: User,
) -> ManualValue:
    """Submit a value the platform cannot compute, with its evidence, for the Secretariat's
    review; it counts once approved."""
    _check(
        by,
        permissions.SUBMIT_VALUE,
        _("Only the Secretariat, the national focal points and partners' editors enter values."),
    )
    if indicator.method == Method.COMPUTED:
        raise ValidationError(
            _("This indicator is computed from the platform's data: it takes no value entered by hand.")
        )
    if indicator.method != Method.MANUAL:
        raise ValidationError(_("This indicator cannot be measured yet: it takes no value entered by hand."))
    entered = ManualValue(
        indicator=indicator,
        period_start=_checked_years(years).start,
        period_end=years.end,
        value=_checked_value(indicator, value),
        evidence=evidence.strip(),
        evidence_url=url.strip(),
        language=language,
        submitted_by=by,
    )
    if not entered.evidence:
        raise ValidationError({"evidence": _("Say where the value comes from.")})
    if language not in CONTENT_LANGUAGES:
        raise ValidationError({"language": _("Choose one of the six languages.")})
    entered.full_clean(exclude=["submitted_by", "reviewed_by"])
    entered.save()
    return entered


def _review(entered: ManualValue, by: User, state: str, note: str) -> ManualValue:
    _check(by, permissions.REVIEW_VALUE, _("Only the Secretariat reviews the values entered by hand."))
    # Locked: two reviewers deciding at once must not both win.
    locked = ManualValue.objects.select_for_update().select_related("indicator").get(pk=entered.pk)
    if locked.state != ManualValue.State.SUBMITTED:
        raise ValidationError(_("This value has already been reviewed."))
    locked.state = state
    locked.reviewed_by = by
    locked.reviewed_at = timezone.now()
    locked.review_note = note.strip()
    locked.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
    return locked


@transaction.atomic
def approve(entered: ManualValue, by: User, note: str = "") -> ManualValue:
    """Accept the value: it counts from the next computation of its period, which is queued now
    (unless one is already waiting, which will read it)."""
    approved = _review(entered, by, ManualValue.State.APPROVED, note)
    period = Period.years(approved.period_start, approved.period_end)
    if not busy(period).filter(state=Computation.State.QUEUED).exists():
        queue(period, by=by)
    transaction.on_commit(lambda: _tell_submitter(approved, "value_approved"))
    return approved


@transaction.atomic
def return_value(entered: ManualValue, by: User, note: str) -> ManualValue:
    """Send the value back to its submitter with the reason; it does not count."""
    if not note.strip():
        raise ValidationError(
            {"note": _("Say what should change: the note goes to the person who entered the value.")}
        )
    returned = _review(entered, by, ManualValue.State.RETURNED, note)
    transaction.on_commit(lambda: _tell_submitter(returned, "value_returned"))
    return returned


def _tell_submitter(entered: ManualValue, template: str) -> None:
    person = entered.submitted_by
    if person is None or not person.email:
        return
    indicator = entered.indicator
    send_templated(
        f"monitoring/email/{template}",
        # Built in the person's language: the indicator's name and the link are theirs.
        lambda: {
            "person": person,
            "entered": entered,
            "indicator": indicator,
            "name": pick_label(indicator.texts) or indicator.code,
            "period": str(Years(entered.period_start, entered.period_end)),
            "url": site_url(reverse("monitoring_console:values")),
        },
        to=person.email,
        language=person.preferred_language,
    )


# --- targets and baselines ------------------------------------------------------------------------


@transaction.atomic
def set_target(indicator: Indicator, years: Years, value: float, by: User) -> Target:
    """What the indicator should reach in a year or a biennium; a new value replaces the old."""
    _check(by, permissions.SET_TARGETS, _("Only the Secretariat sets the indicators' targets."))
    checked = _checked_value(indicator, value)
    _checked_years(years)
    target, _created = Target.objects.update_or_create(
        indicator=indicator, period_start=years.start, period_end=years.end, defaults={"value": checked}
    )
    return target


@transaction.atomic
def set_baseline(indicator: Indicator, year: int, value: float, by: User) -> Indicator:
    """Where the indicator started from: its value in ``year``."""
    _check(by, permissions.SET_TARGETS, _("Only the Secretariat sets the indicators' baselines."))
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationError(
            {"year": _("The baseline year is between %(first)s and this year.") % {"first": FIRST_YEAR}}
        )
    indicator.baseline_value = _checked_value(indicator, value)
    indicator.baseline_year = year
    indicator.save(update_fields=["baseline_year", "baseline_value"])
    return indicator
