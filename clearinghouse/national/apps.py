from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalConfig(AppConfig):
    name = "clearinghouse.national"
    verbose_name = _("National targets and reports")

    def ready(self) -> None:
        from clearinghouse.core.navigation import register_place
        from clearinghouse.national import (
            measures,  # noqa: F401  (declares what monitoring counts of national targets)
            permissions,  # registers who keeps a Party's targets and reports
        )

        register_place(
            _("My Party's targets and reports"), "national:mine", permissions.keeps_own_party, order=42
        )
