from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "clearinghouse.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from clearinghouse.matching import receivers
        from clearinghouse.needs.models import NeedStatusChange
        from clearinghouse.publishing.signals import record_published, record_withdrawn

        record_published.connect(receivers.record_changed, dispatch_uid="matching-published")
        record_withdrawn.connect(receivers.record_changed, dispatch_uid="matching-withdrawn")
        post_save.connect(
            receivers.need_status_changed, sender=NeedStatusChange, dispatch_uid="matching-need-status"
        )
