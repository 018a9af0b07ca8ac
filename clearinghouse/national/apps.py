from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalConfig(AppConfig):
    name = "clearinghouse.national"
    verbose_name = _("National targets and reports")

    def ready(self) -> None:
        from clearinghouse.national import (
            measures,  # noqa: F401  (declares what monitoring counts of national targets)
            permissions,  # noqa: F401  (registers who keeps a Party's targets and reports)
        )
