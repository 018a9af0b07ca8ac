from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "clearinghouse.core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from django.conf import settings
        from django.db.backends.signals import connection_created
        from huey.contrib.djhuey import HUEY

        from clearinghouse.core import backups, jobs
        from clearinghouse.core.navigation import register_place
        from clearinghouse.core.receivers import keep_database_private

        connection_created.connect(keep_database_private, dispatch_uid="core-private-database")
        jobs.connect(HUEY)
        # The job ledger is kept in the admin ("Run again"): its staff find it in the header.
        register_place(_("Background jobs"), "admin:core_job_changelist", jobs.may_open_ledger, order=95)

        backups.register_files(
            backups.Files(
                "media",
                lambda: Path(settings.MEDIA_ROOT),
                "uploaded files (MEDIA_ROOT): documents, attachments, logos, pictures and their renditions",
            )
        )
        backups.register_files(
            backups.Files(
                "secret-key",
                lambda: Path(settings.VAR_DIR),
                "the SECRET_KEY generated into VAR_DIR when none is set: sessions and signed links",
                only=("secret_key",),
            )
        )
        backups.register_derived(
            backups.Derived(
                "job-queue",
                "jobs waiting in the queue (VAR_DIR/jobs.sqlite3 or Redis): not kept; nightly jobs run again",
            )
        )
