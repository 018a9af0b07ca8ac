"""The Secretariat's monitoring console: computations of the indicators, values entered by hand
and their review, targets and baselines. The form to enter a value is open to the focal points
and partners' editors too. Views parse and render; services.py decides."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.monitoring import permissions, services
from clearinghouse.monitoring.compute import Period
from clearinghouse.monitoring.forms import (
    ApproveForm,
    BaselineForm,
    ComputeForm,
    ReturnForm,
    TargetForm,
    ValueForm,
)
from clearinghouse.monitoring.models import Computation, Indicator, ManualValue, Method, Target

# Computations listed, newest first; older ones stay in the database for history.
LISTED = 30
# How often a page with a computation under way asks for its state again (htmx).
POLL_SECONDS = 5


def _allowed(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _indicator(code: str, **filters: Any) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("item", "activity"), code=code, **filters)


def _refused(form: Form, error: ValidationError) -> None:
    """Put a service's refusal beside the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, problems in error.error_dict.items():
            # The services' "period" is the forms' "years".
            name = "years" if field == "period" else field
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error)


# --- computations ---------------------------------------------------------------------------------


def _computations(request: HttpRequest, form: ComputeForm | None = None, status: int = 200) -> HttpResponse:
    computations = list(Computation.objects.select_related("requested_by")[:LISTED])
    for computation in computations:
        computation.period = str(Period(computation.start, computation.end))  # type: ignore[attr-defined]
    under_way = any(c.state in (Computation.State.QUEUED, Computation.State.RUNNING) for c in computations)
    context = {
        "computations": computations,
        "under_way": under_way,
        "poll_seconds": POLL_SECONDS,
        "form": form or ComputeForm(),
        "waiting": ManualValue.objects.filter(state=ManualValue.State.SUBMITTED).count(),
    }
    if getattr(request, "htmx", False) and request.method != "POST":
        return render(request, "monitoring/console/computations_table.html", context)
    return render(request, "monitoring/console/index.html", context, status=status)


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    _allowed(request, permissions.COMPUTE)
    return _computations(request)


@login_required
@require_POST
def compute(request: HttpRequest) -> HttpResponse:
    _allowed(request, permissions.COMPUTE)
    form = ComputeForm(request.POST)
    if form.is_valid():
        period = form.cleaned_data["period"]
        try:
            services.request_computation(period, signed_in(request))
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("The indicators of %(period)s will be computed in a moment.") % {"period": period},
            )
            return redirect("monitoring_console:index")
    return _computations(request, form, status=400)


# --- review of the values entered by hand ---------------------------------------------------------


def _review_page(request: HttpRequest, forms: dict[int, tuple[Form, Form]] | None = None) -> HttpResponse:
    waiting = list(
        ManualValue.objects.filter(state=ManualValue.State.SUBMITTED)
        .select_related("indicator__item", "submitted_by")
        .order_by("submitted_at", "pk")
    )
    given = forms or {}
    rows = [
        (
            entered,
            *given.get(
                entered.pk,
                (
                    ApproveForm(auto_id=f"approve-{entered.pk}-%s"),
                    ReturnForm(auto_id=f"return-{entered.pk}-%s"),
                ),
            ),
        )
        for entered in waiting
    ]
    return render(request, "monitoring/console/review.html", {"rows": rows}, status=400 if forms else 200)


@login_required
@require_safe
def review(request: HttpRequest) -> HttpResponse:
    _allowed(request, permissions.REVIEW_VALUE)
    return _review_page(request)


def _decide(request: HttpRequest, pk: int, approving: bool) -> HttpResponse:
    _allowed(request, permissions.REVIEW_VALUE)
    entered = get_object_or_404(ManualValue, pk=pk)
    approve_form = ApproveForm(request.POST if approving else None, auto_id=f"approve-{pk}-%s")
    return_form = ReturnForm(None if approving else request.POST, auto_id=f"return-{pk}-%s")
    form: Form = approve_form if approving else return_form
    if form.is_valid():
        try:
            if approving:
                services.approve(entered, signed_in(request), form.cleaned_data["note"])
            else:
                services.return_value(entered, signed_in(request), form.cleaned_data["note"])
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("The value has been approved; its period is being computed again.")
                if approving
                else _("The value has been returned to the person who entered it."),
            )
            return redirect("monitoring_console:review")
    return _review_page(request, {pk: (approve_form, return_form)})


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approving=True)


@login_required
@require_POST
def return_value(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approving=False)


# --- entering values ------------------------------------------------------------------------------


@login_required
@require_safe
def values(request: HttpRequest) -> HttpResponse:
    """The indicators entered by hand, and the values this person entered, with their review."""
    _allowed(request, permissions.SUBMIT_VALUE)
    indicators = Indicator.objects.filter(method=Method.MANUAL).select_related("item", "activity")
    mine = ManualValue.objects.filter(submitted_by=signed_in(request)).select_related("indicator__item")
    return render(
        request,
        "monitoring/console/values.html",
        {"indicators": list(indicators), "mine": list(mine.order_by("-submitted_at", "-pk")[:LISTED])},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def submit_value(request: HttpRequest, code: str) -> HttpResponse:
    _allowed(request, permissions.SUBMIT_VALUE)
    indicator = _indicator(code, method=Method.MANUAL)
    form = ValueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_value(
                indicator,
                data["years"],
                value=data["value"],
                evidence=data["evidence"],
                url=data["evidence_url"],
                language=data["language"],
                by=signed_in(request),
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The value has been submitted to the Secretariat for review."))
            return redirect("monitoring_console:values")
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "monitoring/console/submit_value.html", {"indicator": indicator, "form": form}, status=status
    )


# --- targets and baselines ------------------------------------------------------------------------


@login_required
@require_safe
def indicators(request: HttpRequest) -> HttpResponse:
    _allowed(request, permissions.SET_TARGETS)
    found = Indicator.objects.select_related("item", "activity").prefetch_related(
        Prefetch("targets", queryset=Target.objects.order_by("period_start", "period_end"))
    )
    return render(request, "monitoring/console/indicators.html", {"indicators": list(found)})


def _indicator_page(
    request: HttpRequest,
    indicator: Indicator,
    target_form: Form | None = None,
    baseline_form: Form | None = None,
) -> HttpResponse:
    context = {
        "indicator": indicator,
        "targets": list(indicator.targets.order_by("period_start", "period_end")),
        "target_form": target_form or TargetForm(),
        "baseline_form": baseline_form
        or BaselineForm(initial={"year": indicator.baseline_year, "value": indicator.baseline_value}),
    }
    status = 400 if (target_form or baseline_form) else 200
    return render(request, "monitoring/console/indicator.html", context, status=status)


@login_required
@require_safe
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    _allowed(request, permissions.SET_TARGETS)
    return _indicator_page(request, _indicator(code))


def _indicator_url(found: Indicator) -> str:
    return reverse("monitoring_console:indicator", args=[found.code])


@login_required
@require_POST
def set_target(request: HttpRequest, code: str) -> HttpResponse:
    _allowed(request, permissions.SET_TARGETS)
    found = _indicator(code)
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            services.set_target(
                found, form.cleaned_data["years"], form.cleaned_data["value"], signed_in(request)
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The target has been saved."))
            return redirect(_indicator_url(found))
    return _indicator_page(request, found, target_form=form)


@login_required
@require_POST
def set_baseline(request: HttpRequest, code: str) -> HttpResponse:
    _allowed(request, permissions.SET_TARGETS)
    found = _indicator(code)
    form = BaselineForm(request.POST)
    if form.is_valid():
        try:
            services.set_baseline(
                found, form.cleaned_data["year"], form.cleaned_data["value"], signed_in(request)
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The baseline has been saved."))
            return redirect(_indicator_url(found))
    return _indicator_page(request, found, baseline_form=form)
