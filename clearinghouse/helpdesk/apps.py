from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "clearinghouse.helpdesk"
    verbose_name = _("Help desk")
