from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "clearinghouse.learning"
    verbose_name = _("E-learning")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from clearinghouse.learning import xapi_tasks
        from clearinghouse.learning.models import Activity

        # Learning activity goes to the learning record store right after it is recorded.
        post_save.connect(xapi_tasks.activity_recorded, sender=Activity, dispatch_uid="learning-xapi-send")
