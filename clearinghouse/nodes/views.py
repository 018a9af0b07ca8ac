"""The country pages and the register of national clearing-house mechanisms: public pages, and
the forms the Party's focal point and the Secretariat keep its national CHM with."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.forms import add_service_errors, form_status
from clearinghouse.core.text import sort_key
from clearinghouse.geo.models import Country
from clearinghouse.nodes import countries as country_pages
from clearinghouse.nodes import permissions, services
from clearinghouse.nodes.forms import CHMForm, RegisterForm, StatusForm, SupportRequestForm
from clearinghouse.nodes.models import NationalCHM, Status


def _party(code: str) -> Country:
    return get_object_or_404(Country, code=code.upper(), cbd_party=True)


def _keeps(request: HttpRequest, party: Country) -> bool:
    return request.user.has_perm("nodes.keep_chm", party)


def _keeper(request: HttpRequest, party: Country) -> None:
    services.check_keeper(signed_in(request), party)


def _parties() -> list[Country]:
    return list(Country.objects.filter(cbd_party=True).select_related("region", "national_chm"))


@require_safe
def countries(request: HttpRequest) -> HttpResponse:
    """Every Party, by region, with the status of its national CHM."""
    parties = sorted(
        _parties(),
        key=lambda party: (
            sort_key(party.region.name()) if party.region else ("\uffff", ""),
            sort_key(party.name()),
        ),
    )
    regions = [
        (region.name() if region else _("Other"), list(members))
        for region, members in groupby(parties, key=lambda party: party.region)
    ]
    return render(request, "nodes/countries.html", {"regions": regions})


@require_safe
def register(request: HttpRequest) -> HttpResponse:
    """The register of national clearing-house mechanisms, with a count by status."""
    chms = sorted(NationalCHM.objects.select_related("party"), key=lambda chm: sort_key(chm.party.name()))
    counts = {status: sum(chm.status == status for chm in chms) for status in Status}
    return render(
        request,
        "nodes/register.html",
        {"chms": chms, "counts": [(status.label, counts[status]) for status in Status]},
    )


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """A focal point's way to their Party's national CHM: its country page, where the buttons
    are; the register when they answer for several Parties."""
    ids = permissions.own_parties(signed_in(request))
    parties = list(Country.objects.filter(pk__in=ids).values_list("code", flat=True))
    if len(parties) == 1:
        return redirect("nodes:country", code=parties[0])
    return redirect("nodes:register")


@require_safe
def country(request: HttpRequest, code: str) -> HttpResponse:
    party = _party(code)
    page = country_pages.gather(party)
    return render(
        request, "nodes/country.html", {"page": page, "party": party, "keeps": _keeps(request, party)}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def chm_form(request: HttpRequest, code: str) -> HttpResponse:
    """Enter the Party's national CHM in the register, or change what the register says of it."""
    party = _party(code)
    _keeper(request, party)
    chm = NationalCHM.objects.filter(party=party).first()
    form: CHMForm
    if chm is None:
        form = RegisterForm(request.POST or None)
    else:
        initial = {name: getattr(chm, name) for name in CHMForm.base_fields}
        form = CHMForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if chm is None:
                services.register(
                    party,
                    actor=signed_in(request),
                    status=Status(data["status"]),
                    since=data["status_since"],
                    values=data,
                )
            else:
                services.update(chm, actor=signed_in(request), values=data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The register is up to date."))
            return redirect("nodes:country", code=party.code)
    return render(
        request, "nodes/chm_form.html", {"party": party, "chm": chm, "form": form}, status=form_status(form)
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def status_form(request: HttpRequest, code: str) -> HttpResponse:
    party = _party(code)
    _keeper(request, party)
    chm = get_object_or_404(NationalCHM, party=party)
    form = StatusForm(request.POST or None, initial={"status": chm.status})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_status(
                chm,
                actor=signed_in(request),
                status=Status(data["status"]),
                since=data["since"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Status recorded."))
            return redirect("nodes:country", code=party.code)
    history = chm.history.order_by("-since")
    return render(
        request,
        "nodes/status_form.html",
        {"party": party, "chm": chm, "form": form, "history": history},
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def support_form(request: HttpRequest, code: str) -> HttpResponse:
    """Ask for support to build or improve the national CHM: a need of the Party, submitted for
    review, then searched and matched like any need."""
    party = _party(code)
    _keeper(request, party)
    chm = get_object_or_404(NationalCHM, party=party)
    form = SupportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            asked = services.request_support(
                chm,
                actor=signed_in(request),
                language=data["language"],
                title=data["title"],
                description=data["description"],
                support_types=list(data["support_types"]),
                priority=data["priority"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your request is need %(identifier)s, submitted for review: "
                    "once published, partners can find it and offer support."
                )
                % {"identifier": asked.need.identifier},
            )
            return redirect("nodes:country", code=party.code)
    return render(
        request,
        "nodes/support_form.html",
        {"party": party, "chm": chm, "form": form},
        status=form_status(form),
    )
