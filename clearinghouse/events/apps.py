from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "clearinghouse.events"
    verbose_name = _("Events and trainings")

    def ready(self) -> None:
        from clearinghouse.core.navigation import register_place
        from clearinghouse.events.registration import has_registrations

        register_place(_("My registrations"), "events:registration_mine", has_registrations, order=45)
