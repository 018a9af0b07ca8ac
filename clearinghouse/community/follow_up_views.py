"""Pages of the follow-up: the organiser sets it and reads the answers; the alumnus answers
through the link in the e-mail (no account needed); the Secretariat lists every follow-up."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.community import follow_up
from clearinghouse.community.follow_up_forms import AnswerForm, FollowUpSetForm
from clearinghouse.needs import services as need_services


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def follow_up_set(request: HttpRequest, identifier: str) -> HttpResponse:
    """Set (or change) the months after which the alumni are asked, and read their answers."""
    try:
        activity = follow_up.activity_for(identifier)
    except LookupError:
        raise Http404 from None
    if not follow_up.manages(request.user, activity):
        raise PermissionDenied
    current = follow_up.follow_up_of(activity)
    form = FollowUpSetForm(
        request.POST or None, initial={"months_after": current.months_after} if current else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            follow_up.set_follow_up(
                activity, actor=signed_in(request), months=form.cleaned_data["months_after"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Follow-up saved."))
            return redirect("community:follow_up_set", identifier=activity.identifier)
    context: dict[str, Any] = {
        "activity": activity,
        "title": follow_up.title_of(activity),
        "follow_up": current,
        "form": form,
        "summary": follow_up.summary(current) if current else None,
    }
    return render(request, "community/follow_up/set.html", context)


@login_required
@require_safe
def follow_up_list(request: HttpRequest) -> HttpResponse:
    """Every follow-up with its counts, for the Secretariat."""
    rows = []
    for item in follow_up.follow_ups_for(request.user):
        activity = follow_up.activity_of(item)
        rows.append((item, activity, follow_up.title_of(activity), follow_up.summary(item)))
    return render(request, "community/follow_up/list.html", {"rows": rows})


@require_http_methods(["GET", "HEAD", "POST"])
def follow_up_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The alumnus's answer, through their own link: signed in or not, bound to that request."""
    try:
        item = follow_up.request_from_token(token)
    except ValidationError as error:
        return render(
            request, "community/follow_up/invalid.html", {"reason": " ".join(error.messages)}, status=404
        )
    activity = follow_up.activity_of(item.follow_up)
    offers_need = follow_up.need_owner(item) is not None
    form = AnswerForm(request.POST or None, offers_need=offers_need)
    reason = follow_up.refusal(item)
    status = 200
    if request.method == "POST" and reason:
        status = 409
    elif request.method == "POST" and form.is_valid():
        try:
            saved = follow_up.answer(token, form.answer(), language=get_language() or "en")
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
                status = 400
            else:
                reason = " ".join(error.messages)
                status = 409
        else:
            if saved.need is not None:
                messages.success(
                    request,
                    _("Thank you. Your need %(identifier)s is a draft: complete it and submit it.")
                    % {"identifier": saved.need.identifier},
                )
                first = need_services.form_of(saved.need).steps[0].name
                return redirect("needs:step", identifier=saved.need.identifier, step=first)
            item = saved
            reason = follow_up.refusal(item)
    elif request.method == "POST":
        status = 400
    context = {
        "item": item,
        "activity": activity,
        "title": follow_up.title_of(activity),
        "form": form,
        "reason": reason,
        "offers_need": offers_need,
    }
    return render(request, "community/follow_up/answer.html", context, status=status)
