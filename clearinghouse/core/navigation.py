"""The platform's areas as shown in the header. Each area is added here once it exists."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Area:
    label: str | Promise
    url_name: str


AREAS: tuple[Area, ...] = (
    Area(_("Home"), "core:home"),
    Area(_("Search"), "search:index"),
    Area(_("Needs"), "needs:index"),
    Area(_("Support"), "support:index"),
    Area(_("Organisations"), "organisations:list"),
    Area(_("Action plan"), "plan:index"),
    Area(_("API"), "api:docs"),
)
