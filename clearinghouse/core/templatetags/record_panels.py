"""``{% record_panels record %}``: the parts other apps registered for a record's page
(core/navigation.py ``register_record_panel``), each rendered with its own template;
``{% record_panels object kind="COOPERATION" %}`` for a page of something that is not a
registered record."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from clearinghouse.core.navigation import record_panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def record_panels(context: template.Context, record: Any, kind: str | None = None) -> SafeString:
    request = context.get("request")
    parts = [
        render_to_string(panel.template_name, {"record": record, **panel_context}, request=request)
        for panel, panel_context in record_panels_for(request, record, kind)
    ]
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703  # rendered templates, escaped by them
