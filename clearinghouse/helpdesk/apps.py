from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "clearinghouse.helpdesk"
    verbose_name = _("Help desk")

    def ready(self) -> None:
        # The agents' place in the header: for the agents of a desk and the Secretariat.
        from clearinghouse.accounts.permissions import is_secretariat
        from clearinghouse.core.navigation import register_place
        from clearinghouse.helpdesk.models import Desk

        def works_a_desk(user: object) -> bool:
            if is_secretariat(user):
                return True
            pk = getattr(user, "pk", None)
            return pk is not None and Desk.objects.filter(active=True, agents__pk=pk).exists()

        register_place(_("Help desk"), "helpdesk:home", works_a_desk, order=15)
