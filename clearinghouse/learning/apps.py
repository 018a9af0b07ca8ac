from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "clearinghouse.learning"
    verbose_name = _("E-learning")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from clearinghouse.accounts.permissions import is_secretariat
        from clearinghouse.core.navigation import register_place
        from clearinghouse.learning import xapi_tasks
        from clearinghouse.learning.models import Activity

        register_place(_("Learning statements (xAPI)"), "learning:statements", is_secretariat, order=92)
        register_place(_("LTI tools and platforms"), "learning:lti_tools", is_secretariat, order=93)

        # Learning activity goes to the learning record store right after it is recorded.
        post_save.connect(xapi_tasks.activity_recorded, sender=Activity, dispatch_uid="learning-xapi-send")
