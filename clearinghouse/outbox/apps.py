from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "clearinghouse.outbox"
    verbose_name = _("Outbox")

    def ready(self) -> None:
        from clearinghouse.outbox import tasks  # noqa: F401  (the worker prunes old receipts)
