from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "clearinghouse.exchange"
    verbose_name = _("Imports")
