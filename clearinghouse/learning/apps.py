from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "clearinghouse.learning"
    verbose_name = _("E-learning")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from clearinghouse.core.navigation import register_place
        from clearinghouse.learning import (
            certificates,
            enrolment_tasks,  # noqa: F401  (the worker finds its nightly job)
            progress,
            scorm,
        )
        from clearinghouse.learning.enrolment import has_enrolments
        from clearinghouse.learning.models import ScormPackage

        # A completion that earns a certificate issues it in the same transaction.
        progress.course_completed.connect(
            certificates.on_course_completed, dispatch_uid="learning.certificates.on_course_completed"
        )
        # A SCORM package's unpacked files are deleted with it.
        post_delete.connect(scorm.remove_files, sender=ScormPackage, dispatch_uid="learning-scorm-files")
        register_place(_("My learning"), "learning:mine", has_enrolments, order=47)
