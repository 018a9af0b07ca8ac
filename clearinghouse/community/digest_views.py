"""The digest's pages: the one-click unsubscribe link of each digest (no sign-in; RFC 8058) and
the member's choice of how often each community's digest reaches them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from clearinghouse.accounts.auth import signed_in
from clearinghouse.community import digests
from clearinghouse.community.models import DigestFrequency, Membership, MemberStatus
from clearinghouse.core.multilingual import show
from clearinghouse.core.redirects import back_to


class DigestForm(forms.Form):
    digest = forms.ChoiceField(label=gettext_lazy("E-mail digest"), choices=DigestFrequency.choices)


def community_name(membership: Membership) -> str:
    community = membership.community
    return show(community.name, community.original_language).text or community.identifier


# Mail providers send the one-click POST without our cookies: no CSRF token can come with it.
# The signed token in the address is what proves the request comes from the digest.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in each digest. A GET only asks to confirm (mail scanners follow links); a POST,
    from the button or from the mail program's one-click unsubscribe, stops the digest."""
    membership = digests.membership_of_token(token)
    if membership is None:
        return render(request, "community/digest/unsubscribe.html", {"membership": None}, status=404)
    done = request.method == "POST"
    if done:
        digests.set_frequency(membership, DigestFrequency.NEVER)
    context = {"membership": membership, "name": community_name(membership), "done": done}
    return render(request, "community/digest/unsubscribe.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def digest_settings(request: HttpRequest) -> HttpResponse:
    """The person's communities, each with how often its digest comes; a POST (from here or from
    a community's page, which includes community/digest/_form.html) changes one."""
    if request.method == "POST":
        membership = _own(request, request.POST.get("membership", ""))
        form = DigestForm(request.POST)
        if form.is_valid():
            digests.set_frequency(membership, form.cleaned_data["digest"])
            messages.success(
                request,
                _("Digest of “%(community)s”: %(frequency)s.")
                % {"community": community_name(membership), "frequency": membership.get_digest_display()},
            )
        return redirect(back_to(request, reverse("community:digest_settings")))
    memberships = (
        Membership.objects.filter(person=signed_in(request), status=MemberStatus.ACTIVE)
        .select_related("community")
        .order_by("pk")
    )
    rows = [{"membership": item, "name": community_name(item)} for item in memberships]
    return render(request, "community/digest/settings.html", {"rows": rows})


def _own(request: HttpRequest, pk: Any) -> Membership:
    membership = (
        Membership.objects.filter(person=signed_in(request), status=MemberStatus.ACTIVE, pk=pk)
        .select_related("community")
        .first()
        if str(pk).isdigit()
        else None
    )
    if membership is None:
        raise Http404
    return membership
