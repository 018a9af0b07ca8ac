from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "clearinghouse.learning"
    verbose_name = _("E-learning")

    def ready(self) -> None:
        from clearinghouse.core.navigation import register_place
        from clearinghouse.learning import records  # noqa: F401  (registers the record type)
        from clearinghouse.learning.permissions import authors_courses

        register_place(_("Courses I write"), "learning:mine", authors_courses, order=56)
