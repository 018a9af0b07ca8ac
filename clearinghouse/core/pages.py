"""The platform's own pages that are not about records: its icon, and About, Contact and Privacy."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the icon's static
    file, whose hashed name may change with each release (hence a day's cache, not a year's)."""
    return HttpResponseRedirect(static("core/favicon.ico"))


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


@require_safe
def contact(request: HttpRequest) -> HttpResponse:
    context = {
        "contact_email": settings.CONTACT_EMAIL,
        "helpdesk_email": settings.HELPDESK_EMAIL,
        "contact_address": settings.CONTACT_ADDRESS,
    }
    return render(request, "core/contact.html", context)


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    context = {
        "contact_email": settings.CONTACT_EMAIL,
        "session_days": settings.SESSION_COOKIE_AGE // 86400,
        "sign_in_days": settings.SIGN_IN_RECORDS_DAYS,
        "import_hours": settings.IMPORT_RETENTION_HOURS,
    }
    return render(request, "core/privacy.html", context)
