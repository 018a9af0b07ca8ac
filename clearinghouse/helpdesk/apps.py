from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "clearinghouse.helpdesk"
    verbose_name = _("Help desk")

    def ready(self) -> None:
        # Desk management and canned answers.
        from clearinghouse.core.navigation import register_place

        register_place(_("Help desks"), "helpdesk:desks", _works_the_help_desk, order=65)
        register_place(_("Canned answers"), "helpdesk:canned", _works_the_help_desk, order=66)


def _works_the_help_desk(user: Any) -> bool:
    """Agents and the Secretariat; read from the appointments the request already holds."""
    from clearinghouse.accounts.models import Role
    from clearinghouse.accounts.roles import has_role, is_secretariat

    return is_secretariat(user) or has_role(user, Role.HELPDESK_AGENT)
