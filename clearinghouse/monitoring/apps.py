from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def everyone(user: Any) -> bool:
    return True


class MonitoringConfig(AppConfig):
    name = "clearinghouse.monitoring"
    verbose_name = _("Monitoring and evaluation")

    def ready(self) -> None:
        from clearinghouse.core.navigation import register_place
        from clearinghouse.monitoring import permissions  # noqa: F401  (the console's rules)

        # The statistics are public; the header lists places for signed-in people only.
        register_place(_("Statistics"), "monitoring:index", everyone, order=85)
