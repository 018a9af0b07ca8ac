from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "clearinghouse.monitoring"
    verbose_name = _("Monitoring and evaluation")

    def ready(self) -> None:
        from clearinghouse.monitoring import permissions  # noqa: F401
