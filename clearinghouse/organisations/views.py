from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from clearinghouse.core.auth import signed_in
from clearinghouse.organisations import services
from clearinghouse.organisations.forms import OrganisationFilterForm, OrganisationForm
from clearinghouse.organisations.models import Organisation


@require_safe
def organisation_list(request: HttpRequest) -> HttpResponse:
    filters = OrganisationFilterForm(request.GET or None)
    organisations = Organisation.objects.select_related("country")
    if filters.is_valid():
        query = filters.cleaned_data["q"].strip()
        if query:
            organisations = organisations.filter(Q(name__icontains=query) | Q(acronym__iexact=query))
        if filters.cleaned_data["type"]:
            organisations = organisations.filter(type=filters.cleaned_data["type"])
        if filters.cleaned_data["country"]:
            organisations = organisations.filter(country=filters.cleaned_data["country"])
    page = Paginator(organisations.order_by("name"), 25).get_page(request.GET.get("page"))
    can_add = request.user.has_perm("organisations.add_organisation")
    return render(request, "organisations/list.html", {"filters": filters, "page": page, "can_add": can_add})


@require_safe
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("country"), pk=pk)
    can_change = request.user.has_perm("organisations.change_organisation", organisation)
    return render(
        request, "organisations/detail.html", {"organisation": organisation, "can_change": can_change}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("organisations.add_organisation"):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.register(actor=signed_in(request), organisation=form.save(commit=False))
        messages.success(request, _("The organisation has been registered."))
        return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/form.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_update(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not request.user.has_perm("organisations.change_organisation", organisation):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.change(actor=signed_in(request), organisation=form.save(commit=False))
        messages.success(request, _("The organisation's record has been saved."))
        return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/form.html", {"form": form, "organisation": organisation})
