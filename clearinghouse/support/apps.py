from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "clearinghouse.support"
    verbose_name = _("Support registry")

    def ready(self) -> None:
        from clearinghouse.publishing import registry
        from clearinghouse.support.models import RECORD_MODELS

        for model in RECORD_MODELS:
            registry.register(model)

        from clearinghouse.support.exchange_jobs import register_imports

        register_imports()
