from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "clearinghouse.plan"
    verbose_name = _("Action plan")

    def ready(self) -> None:
        # Registers the permission rules of the action plan.
        from clearinghouse.plan import permissions  # noqa: F401
