from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "clearinghouse.publishing"
    verbose_name = _("Publishing")

    def ready(self) -> None:
        from clearinghouse.publishing import receivers
        from clearinghouse.publishing.signals import record_published, record_withdrawn

        record_published.connect(receivers.index_published, dispatch_uid="publishing-index")
        record_withdrawn.connect(receivers.unindex_withdrawn, dispatch_uid="publishing-unindex")
