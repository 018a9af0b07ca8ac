from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "clearinghouse.publishing"
    verbose_name = _("Publishing")

    def ready(self) -> None:
        from clearinghouse.publishing import showcase

        showcase.register()
