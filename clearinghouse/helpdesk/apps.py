from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "clearinghouse.helpdesk"
    verbose_name = _("Help desk")

    def ready(self) -> None:
        # The agents' place in the header, for the Secretariat and the help-desk agents. Asked
        # from the roles already read for the request, so the header costs no query: desks'
        # agents hold the help-desk role (it also asks them for a second factor). Desk
        # management, canned answers and the statistics are reached from the help desk's home.
        from clearinghouse.accounts.permissions import is_helpdesk_agent, is_secretariat
        from clearinghouse.core.navigation import register_place
        from clearinghouse.helpdesk import (
            mail_tasks,  # noqa: F401  (the worker reads the mailbox)
            measures,  # noqa: F401  (declares what monitoring counts)
            records,  # noqa: F401  (registers the FAQ record type)
        )

        register_place(_("Help desk"), "helpdesk:home", is_secretariat | is_helpdesk_agent, order=15)
