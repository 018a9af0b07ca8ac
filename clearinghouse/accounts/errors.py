"""The 403 page: why a person may not use a page, in plain words, and how to get access. It lives
here, not in core, because the answer depends on the person's roles."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from clearinghouse.accounts import roles
from clearinghouse.core.errors import api_error, is_api, render_error


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return api_error("permission_denied", str(exception) or _("You may not do this."), 403)
    user = getattr(request, "user", None)
    context = {
        "signed_in": bool(user and user.is_authenticated),
        "has_role": bool(roles.active_appointments(user)) or bool(getattr(user, "is_superuser", False)),
        # Services explain their refusals in a sentence already in the reader's language.
        "reason": str(exception),
    }
    return render_error(request, "403.html", 403, context)
