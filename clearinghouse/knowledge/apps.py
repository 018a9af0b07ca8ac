from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "clearinghouse.knowledge"
    verbose_name = _("Knowledge products")

    def ready(self) -> None:
        from clearinghouse.knowledge import records  # noqa: F401  (registers the record type)
        from clearinghouse.knowledge.wiring import connect

        connect()
