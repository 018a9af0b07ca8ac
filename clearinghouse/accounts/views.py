from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts import mfa_policy, roles, services, tokens
from clearinghouse.accounts.auth import signed_in
from clearinghouse.accounts.forms import AccessRequestForm, ApiTokenForm, InvitationForm, ProfileForm
from clearinghouse.accounts.models import (
    AccessRequest,
    ApiToken,
    Appointment,
    AppointmentLog,
    Invitation,
    Role,
    User,
)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=signed_in(request))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    user = signed_in(request)
    context = {
        "form": form,
        "requires_second_factor": mfa_policy.requires_second_factor(user),
        "has_second_factor": mfa_policy.has_second_factor(user),
    }
    return render(request, "accounts/profile.html", context)


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Where people whose role needs a second factor are sent until they turn one on."""
    user = signed_in(request)
    if not mfa_policy.needs_second_factor(user):
        return redirect("mfa_index")
    held = sorted(
        {
            str(Role(a.role).label)
            for a in roles.active_appointments(user)
            if a.role in mfa_policy.SECOND_FACTOR_ROLES
        }
    )
    return render(request, "accounts/second_factor.html", {"roles": held})


def _managed_scope(user: User) -> Q | None:
    """Appointments this person may see and manage: all for the Secretariat, their Parties'
    authorised users for a focal point, none otherwise."""
    if roles.is_secretariat(user):
        return Q()
    parties = roles.countries_for(user, Role.FOCAL_POINT)
    if parties:
        return Q(country__in=parties, role=Role.AUTHORISED_USER)
    return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def appointments(request: HttpRequest) -> HttpResponse:
    """One's own roles; for focal points and the Secretariat also the people they appoint."""
    user = signed_in(request)
    scope = _managed_scope(user)
    form = InvitationForm(request.POST or None, actor=user) if scope is not None else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                invitation = services.invite(
                    actor=user,
                    email=form.cleaned_data["email"],
                    role=Role(form.cleaned_data["role"]),
                    country=form.cleaned_data.get("country"),
                    organisation=form.cleaned_data.get("organisation"),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
                return redirect("accounts:appointments")
    context: dict[str, object] = {
        "own": Appointment.objects.filter(user=user, ended_at__isnull=True).select_related(
            "country", "organisation"
        ),
        "form": form,
    }
    if scope is not None:
        context |= {
            "managed": Appointment.objects.filter(scope, ended_at__isnull=True)
            .select_related("user", "country", "organisation")
            .order_by("role", "country__code", "user__email"),
            "pending": [
                invitation
                for invitation in Invitation.objects.filter(
                    scope, accepted_at__isnull=True, revoked_at__isnull=True
                ).select_related("country", "organisation")
                if invitation.is_pending
            ],
            "log": AppointmentLog.objects.filter(scope).select_related("actor", "country", "organisation")[
                :50
            ],
        }
    return render(request, "accounts/appointments.html", context)


@login_required
@require_POST
def remove_appointment(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(Appointment, pk=pk)
    try:
        services.remove(actor=signed_in(request), appointment=appointment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(person)s no longer holds this role.") % {"person": appointment.user})
    return redirect("accounts:appointments")


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        services.revoke_invitation(actor=signed_in(request), invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
        )
    return redirect("accounts:appointments")


@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation link opens: sign in (or up) with the invited address, then accept."""
    found = (
        Invitation.objects.filter(token=token).select_related("country", "organisation", "invited_by").first()
    )
    error = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return HttpResponseRedirect(f"{reverse('account_login')}?next={request.path}")
        try:
            appointment = services.accept_invitation(user=signed_in(request), token=token)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, _("You are now %(role)s.") % {"role": appointment.get_role_display()})
            return redirect("accounts:appointments")
    elif found is None:
        error = _("This invitation link is not valid.")
    elif found.accepted_at is not None:
        error = _("This invitation has already been used.")
    elif found.revoked_at is not None:
        error = _("This invitation was withdrawn.")
    elif not found.is_pending:
        error = _("This invitation has expired. Ask for a new one.")
    status = 400 if error else 200
    context = {
        "invitation": found,
        "error": error,
        "second_factor_required": found is not None and mfa_policy.role_requires_second_factor(found.role),
    }
    return render(request, "accounts/invitation.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """One's own API tokens, and a form to create one; a new token's key is shown on the page
    that answers the form, once (never_cache: no copy of it stays in a cache)."""
    user = signed_in(request)
    form = ApiTokenForm(request.POST or None)
    created = key = None
    if request.method == "POST" and form.is_valid():
        try:
            created, key = tokens.issue(user=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = ApiTokenForm()
    context = {
        "form": form,
        "created": created,
        "key": key,
        "tokens": tokens.active_for(user),
        "can_manage_all": user.has_perm("accounts.manage_api_tokens"),
    }
    return render(request, "accounts/api_tokens.html", context, status=400 if form.errors else 200)


@login_required
@require_safe
def all_api_tokens(request: HttpRequest) -> HttpResponse:
    """Everyone's API tokens, for the Secretariat to see who can use the API and revoke."""
    if not signed_in(request).has_perm("accounts.manage_api_tokens"):
        raise PermissionDenied
    return render(request, "accounts/all_api_tokens.html", {"tokens": tokens.active_for()})


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, digest: str) -> HttpResponse:
    user = signed_in(request)
    token = get_object_or_404(ApiToken.objects.select_related("user"), digest=digest)
    if not tokens.can_manage(user, token):
        # Someone else's token: as if it did not exist.
        raise Http404
    tokens.revoke(actor=user, token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:tokens" if token.user_id == user.pk else "accounts:all_tokens")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_access(request: HttpRequest) -> HttpResponse:
    """Ask a Party's focal point or an organisation's editor for a role (the dashboard shows the
    same form to people without one); the person's own requests below it."""
    user = signed_in(request)
    form = AccessRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.request_access(
                requester=user, scope=form.scope, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your request to be %(role)s was sent. You will get an e-mail when it is decided.")
                % {"role": sent.get_role_display()},
            )
            return redirect("workspace:dashboard")
    context = {
        "form": form,
        "requests": AccessRequest.objects.filter(requester=user).select_related("country", "organisation")[
            :20
        ],
    }
    return render(request, "accounts/request_access.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def decide_access(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """Grant or decline a request in one click, from the dashboard."""
    if decision not in {"grant", "decline"}:
        raise Http404
    user = signed_in(request)
    access_request = get_object_or_404(AccessRequest.objects.select_related("requester"), pk=pk)
    if not services.may_decide(user, access_request):
        # Someone else's request to decide: as if it did not exist.
        raise Http404
    try:
        if decision == "grant":
            appointment = services.grant_access(actor=user, access_request=access_request)
            messages.success(
                request,
                _("%(person)s is now %(role)s.")
                % {"person": access_request.requester, "role": appointment.get_role_display()},
            )
        else:
            services.decline_access(actor=user, access_request=access_request)
            messages.success(
                request, _("The request of %(person)s was declined.") % {"person": access_request.requester}
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("workspace:dashboard")
