from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "clearinghouse.events"
    verbose_name = _("Events and trainings")

    def ready(self) -> None:
        # The worker finds jobs in modules it imports: the scheduler's job is not in tasks.py.
        from clearinghouse.events import schedule_tasks  # noqa: F401
