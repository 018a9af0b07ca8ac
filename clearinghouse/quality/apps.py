from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "clearinghouse.quality"
    verbose_name = _("Quality assurance")

    def ready(self) -> None:
        # Each area connects what it needs here: its receivers, panels on record pages, places
        # in the header, measures for monitoring and personal data.
        from clearinghouse.quality import wiring

        wiring.connect()
