from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "clearinghouse.events"
    verbose_name = _("Events and trainings")

    def ready(self) -> None:
        # The job queue's consumer finds periodic jobs among the modules imported at start.
        from clearinghouse.events import roundtable_tasks  # noqa: F401
