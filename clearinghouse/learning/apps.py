from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "clearinghouse.learning"
    verbose_name = _("E-learning")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from clearinghouse.accounts.permissions import is_secretariat
        from clearinghouse.core.navigation import register_place
        from clearinghouse.learning import (
            certificates,
            enrolment_tasks,  # noqa: F401  (the worker finds its nightly job)
            measures,  # noqa: F401  (declares what monitoring counts)
            progress,
            records,  # noqa: F401  (registers the record type)
            scorm,
            xapi_tasks,
        )
        from clearinghouse.learning.enrolment import has_enrolments
        from clearinghouse.learning.models import Activity, ScormPackage
        from clearinghouse.learning.permissions import authors_courses

        register_place(_("My learning"), "learning:mine", has_enrolments, order=47)
        register_place(_("Courses I write"), "learning:writing", authors_courses, order=56)
        register_place(_("Learning statements (xAPI)"), "learning:statements", is_secretariat, order=92)
        register_place(_("LTI tools and platforms"), "learning:lti_tools", is_secretariat, order=93)

        # A completion that earns a certificate issues it in the same transaction.
        progress.course_completed.connect(
            certificates.on_course_completed, dispatch_uid="learning.certificates.on_course_completed"
        )
        # A SCORM package's unpacked files are deleted with it.
        post_delete.connect(scorm.remove_files, sender=ScormPackage, dispatch_uid="learning-scorm-files")
        # Learning activity goes to the learning record store right after it is recorded.
        post_save.connect(xapi_tasks.activity_recorded, sender=Activity, dispatch_uid="learning-xapi-send")

        self._declare_backups()

    def _declare_backups(self) -> None:
        from pathlib import Path

        from django.conf import settings

        from clearinghouse.core import backups
        from clearinghouse.learning.badges import KEY_FILE

        backups.register_files(
            backups.Files(
                "scorm",
                lambda: Path(settings.SCORM_ROOT),
                "SCORM packages as unpacked (SCORM_ROOT); the uploaded zips are not kept",
            )
        )
        backups.register_files(
            backups.Files(
                "badge-key",
                lambda: Path(settings.VAR_DIR),
                "the key generated into VAR_DIR when LEARNING_BADGE_KEY is not set: it signs the "
                "Open Badges credentials of certificates",
                only=(KEY_FILE,),
            )
        )
        backups.register_derived(
            backups.Derived(
                "offline-packages",
                "built offline course packages (LEARNING_PACKAGE_ROOT): built again on first download",
            )
        )
