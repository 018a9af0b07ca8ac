from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "clearinghouse.learning"
    verbose_name = _("E-learning")

    def ready(self) -> None:
        from clearinghouse.learning import certificates, progress

        # A completion that earns a certificate issues it in the same transaction.
        progress.course_completed.connect(
            certificates.on_course_completed, dispatch_uid="learning.certificates.on_course_completed"
        )
