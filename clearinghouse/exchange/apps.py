from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "clearinghouse.exchange"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from clearinghouse.core.navigation import register_place
        from clearinghouse.exchange.services import may_import

        register_place(_("My imports"), "exchange:mine", may_import, order=60)
