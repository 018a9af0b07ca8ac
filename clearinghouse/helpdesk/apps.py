from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "clearinghouse.helpdesk"
    verbose_name = _("Help desk")

    def ready(self) -> None:
        # FAQ entries and statistics.
        from clearinghouse.core.navigation import register_place
        from clearinghouse.helpdesk import records  # noqa: F401  (registers the record type)
        from clearinghouse.helpdesk.statistics_views import offers_statistics

        register_place(_("Help desk statistics"), "helpdesk:statistics", offers_statistics, order=86)
