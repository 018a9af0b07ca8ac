from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "clearinghouse.monitoring"
    verbose_name = _("Monitoring and evaluation")

    def ready(self) -> None:
        # The statistics pages are a public area of the header (core.navigation.AREAS); the
        # console is reached from the Secretariat's dashboard.
        from pathlib import Path

        from django.conf import settings

        from clearinghouse.core import backups
        from clearinghouse.monitoring import permissions  # noqa: F401  (the console's rules)

        backups.register_files(
            backups.Files(
                "reports",
                lambda: Path(settings.REPORTS_ROOT),
                "progress reports' documents as published (PDF, DOCX; REPORTS_ROOT)",
            )
        )
