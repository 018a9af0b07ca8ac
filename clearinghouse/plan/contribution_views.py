"""The pages of partners' contributions: stating interest and reporting from an activity's page,
"My contributions" for the partners, and the review queue of the Secretariat. The rules are in
``contributions.py``; these parse and render."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.forms import add_service_errors
from clearinghouse.organisations.models import Organisation
from clearinghouse.plan import contributions
from clearinghouse.plan.forms import DeclineForm, InterestForm, ReportForm
from clearinghouse.plan.models import Contribution, ContributionState
from clearinghouse.plan.views import _activity, _detail, activity_url


def _organisations(request: HttpRequest) -> list[Organisation]:
    organisations = contributions.organisations_for(signed_in(request))
    if not organisations:
        raise PermissionDenied
    return organisations


def _submit(
    request: HttpRequest,
    number: int,
    form_class: type[InterestForm] | type[ReportForm],
    service: Callable[..., Contribution],
    done: str,
    form_name: str,
) -> HttpResponse:
    """A partner's statement or report from the activity's page: saved and back to the page,
    or the page again with the form and its refusals."""
    organisations = _organisations(request)
    activity = _activity(number)
    form = form_class(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            service(signed_in(request), activity, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(f"{activity_url(activity)}#contributions")
    return _detail(request, activity, **{form_name: form})


@login_required
@require_POST
def state_interest(request: HttpRequest, number: int) -> HttpResponse:
    return _submit(
        request,
        number,
        InterestForm,
        contributions.state_interest,
        _("Your statement of interest waits for the Secretariat's review."),
        "interest_form",
    )


@login_required
@require_POST
def report_contribution(request: HttpRequest, number: int) -> HttpResponse:
    return _submit(
        request,
        number,
        ReportForm,
        contributions.report_contribution,
        _("Your report waits for the Secretariat's review."),
        "report_form",
    )


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request)
    rows = (
        Contribution.objects.filter(organisation__in=organisations)
        .select_related("activity", "organisation")
        .prefetch_related("countries")
        .order_by("-submitted_at", "-pk")
    )
    return render(request, "plan/contributions_mine.html", {"contributions": rows})


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_object_or_404(Contribution, pk=pk)
    try:
        contributions.withdraw(signed_in(request), contribution)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The contribution has been withdrawn."))
    return redirect("plan:my_contributions")


def _may_review(request: HttpRequest) -> None:
    if not contributions.may_review(signed_in(request)):
        raise PermissionDenied


def _queue(request: HttpRequest, decline_form: DeclineForm | None = None, failed: int = 0) -> HttpResponse:
    waiting = (
        Contribution.objects.filter(state=ContributionState.WAITING)
        .select_related("activity", "organisation", "submitted_by")
        .prefetch_related("countries")
        .order_by("submitted_at", "pk")
    )
    context = {"contributions": waiting, "decline_form": decline_form, "failed": failed}
    return render(request, "plan/contributions_review.html", context)


@login_required
@require_safe
def review(request: HttpRequest) -> HttpResponse:
    _may_review(request)
    return _queue(request)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    _may_review(request)
    contribution = get_object_or_404(Contribution, pk=pk)
    try:
        contributions.accept(signed_in(request), contribution)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The contribution has been accepted."))
    return redirect("plan:review_contributions")


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    _may_review(request)
    contribution = get_object_or_404(Contribution, pk=pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            contributions.decline(signed_in(request), contribution, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contribution has been declined."))
            return redirect("plan:review_contributions")
    return _queue(request, decline_form=form, failed=contribution.pk)
