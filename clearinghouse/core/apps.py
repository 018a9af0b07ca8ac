from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "clearinghouse.core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from huey.contrib.djhuey import HUEY

        from clearinghouse.core import jobs
        from clearinghouse.core.receivers import keep_database_private

        connection_created.connect(keep_database_private, dispatch_uid="core-private-database")
        jobs.connect(HUEY)
