from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfflineConfig(AppConfig):
    name = "clearinghouse.offline"
    verbose_name = _("Offline reading")

    def ready(self) -> None:
        from clearinghouse.core.navigation import EVERY_RECORD_TYPE, register_record_panel
        from clearinghouse.offline import panels

        # Every record's page, a course's and an event's: each can be kept for reading offline.
        register_record_panel((EVERY_RECORD_TYPE,), "offline/_keep.html", panels.keep_offline, order=1)
