"""A person's own data: download it, or close the account (see personal_data and closure)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from clearinghouse.accounts import closure, personal_data
from clearinghouse.accounts.auth import signed_in


class CloseAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


@login_required
@require_safe
def your_data(request: HttpRequest) -> HttpResponse:
    """What the download holds, part by part, and the link to it."""
    return render(request, "accounts/your_data.html")


@never_cache
@login_required
@require_safe
def download(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    body = json.dumps(personal_data.gather(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"clearinghouse-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def close_account(request: HttpRequest) -> HttpResponse:
    form = CloseAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closure.close_account(user=signed_in(request), password=form.cleaned_data["password"])
        except ValidationError as error:
            form.add_error("password", error)
        else:
            logout(request)
            messages.success(
                request, _("Your account is closed. Thank you for your work on the clearing-house.")
            )
            return redirect("core:home")
    return render(request, "accounts/close_account.html", {"form": form}, status=400 if form.errors else 200)
