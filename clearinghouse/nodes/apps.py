from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NodesConfig(AppConfig):
    name = "clearinghouse.nodes"
    verbose_name = _("Country pages and national clearing-house mechanisms")

    def ready(self) -> None:
        from clearinghouse.core.navigation import register_place
        from clearinghouse.nodes import (
            measures,  # noqa: F401  (declares indicator 72.1's count of functional national CHMs)
            permissions,  # registers who keeps a Party's national CHM
        )

        register_place(_("Our national CHM"), "nodes:mine", permissions.keeps_own_party, order=43)
