"""``{% record_actions record as actions %}``: the links other apps registered for a record's
page (core/navigation.py ``register_record_action``), each as ``{"label", "url"}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from clearinghouse.core.navigation import record_actions_for

register = template.Library()


@register.simple_tag(takes_context=True)
def record_actions(context: template.Context, record: Any) -> list[dict[str, Any]]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return [
        {"label": action.label, "url": reverse(action.url_name, args=[record.identifier])}
        for action in record_actions_for(user, record)
    ]
