from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "clearinghouse.plan"
    verbose_name = _("Action plan")

    def ready(self) -> None:
        from clearinghouse.plan import (
            measures,  # noqa: F401  (declares what monitoring counts of the plan's progress)
            permissions,  # noqa: F401  (registers the permission rules of the action plan)
        )
