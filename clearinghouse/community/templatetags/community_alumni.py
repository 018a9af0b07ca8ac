"""The alumni prompt a page can show: "give or refuse your consent" to an alumnus who has not
answered yet. One small query, only where a template asks for it (the dashboard), never on every
page."""

from __future__ import annotations

from typing import Any

from django import template

from clearinghouse.community.models import Alumnus, Consent

register = template.Library()


@register.inclusion_tag("community/alumni/_consent_prompt.html")
def alumni_consent_prompt(user: Any) -> dict[str, Any]:
    asked = bool(
        getattr(user, "is_authenticated", False)
        and Alumnus.objects.filter(person=user, consent=Consent.ASKED).exists()
    )
    return {"asked": asked}
