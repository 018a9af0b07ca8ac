from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "clearinghouse.support"
    verbose_name = _("Support registry")

    def ready(self) -> None:
        from clearinghouse.support import records  # noqa: F401  (registers the record types)
