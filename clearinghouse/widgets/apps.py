from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WidgetsConfig(AppConfig):
    name = "clearinghouse.widgets"
    verbose_name = _("Widgets for national websites")
