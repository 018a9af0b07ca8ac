from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "clearinghouse.helpdesk"
    verbose_name = _("Help desk")

    def ready(self) -> None:
        from clearinghouse.core.navigation import register_place

        # The requester's side: their questions, once they have asked one.
        from clearinghouse.helpdesk.public_views import has_tickets

        register_place(_("My questions"), "helpdesk:mine", has_tickets, order=48)
