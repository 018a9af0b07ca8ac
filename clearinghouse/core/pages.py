"""The platform's own pages that are not about records: its icon, and About, Contact and Privacy."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the icon's static
    file, whose hashed name may change with each release (hence a day's cache, not a year's)."""
    return HttpResponseRedirect(static("core/favicon.ico"))
