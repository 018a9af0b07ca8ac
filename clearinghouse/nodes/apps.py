from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NodesConfig(AppConfig):
    name = "clearinghouse.nodes"
    verbose_name = _("Country pages and national clearing-house mechanisms")

    def ready(self) -> None:
        from clearinghouse.nodes import (  # noqa: F401
            measures,  # declares indicator 72.1's count of functional national CHMs
            permissions,  # registers who keeps a Party's national CHM
        )
