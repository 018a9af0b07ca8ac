from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "clearinghouse.events"
    verbose_name = _("Events and trainings")

    def ready(self) -> None:
        from clearinghouse.core.navigation import register_place
        from clearinghouse.events import (
            indexing,  # noqa: F401  (the worker finds its nightly job)
            records,  # noqa: F401  (registers the record type)
            roundtable_tasks,  # noqa: F401  (requests expire: a periodic job)
            schedule_tasks,  # noqa: F401  (the worker finds the scheduler's job)
        )
        from clearinghouse.publishing.owners import registers_records

        register_place(_("My events"), "events:mine", registers_records, order=55)
