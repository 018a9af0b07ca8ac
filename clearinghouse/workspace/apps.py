from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "clearinghouse.workspace"
    verbose_name = _("My work")

    def ready(self) -> None:
        from clearinghouse.core.navigation import register_place

        register_place(_("My work"), "workspace:dashboard", order=0)
