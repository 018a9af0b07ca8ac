"""``{% picture organisation.logo "logo" "list" alt %}``: a <picture> at the size shown, nothing
in save-data mode or when there is no picture, nor when the picture's file cannot be read (lost,
or on storage this host does not see): the page is shown without it, and the log says why."""

from __future__ import annotations

import logging
from typing import Any

from django import template
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string

from clearinghouse.core import pictures

logger = logging.getLogger(__name__)
register = template.Library()

KINDS = {"logo": pictures.LOGO, "event": pictures.EVENT_PICTURE}


@register.simple_tag(takes_context=True)
def picture(context: dict[str, Any], source: FieldFile | None, kind: str, size: str, alt: str = "") -> str:
    request = context.get("request")
    if not source or getattr(request, "save_data", False):
        return ""
    try:
        shown = pictures.picture(source, KINDS[kind], size)
    except OSError as error:
        logger.warning("picture %s not shown: %s", source.name, error)
        return ""
    return render_to_string("core/_picture.html", {"picture": shown, "alt": alt, "size": size})
