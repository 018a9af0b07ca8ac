from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "clearinghouse.learning"
    verbose_name = _("E-learning")

    def ready(self) -> None:
        from clearinghouse.core.navigation import register_place
        from clearinghouse.learning import enrolment_tasks  # noqa: F401  (the worker finds its nightly job)
        from clearinghouse.learning.enrolment import has_enrolments

        register_place(_("My learning"), "learning:mine", has_enrolments, order=47)
