from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "clearinghouse.events"
    verbose_name = _("Events and trainings")

    def ready(self) -> None:
        from clearinghouse.core.navigation import register_place
        from clearinghouse.events import (
            indexing,  # noqa: F401  (the worker finds its nightly job)
            measures,  # noqa: F401  (declares what monitoring counts)
            records,  # noqa: F401  (registers the record type)
            roundtable_tasks,  # noqa: F401  (requests expire: a periodic job)
            schedule_tasks,  # noqa: F401  (the worker finds the scheduler's job)
        )
        from clearinghouse.publishing.owners import registers_records
        from clearinghouse.vocabularies.signals import loading_reference

        register_place(_("My events"), "events:mine", registers_records, order=55)

        from clearinghouse.events.registration import has_registrations

        register_place(_("My registrations"), "events:registration_mine", has_registrations, order=45)
        loading_reference.connect(_load_survey_templates, dispatch_uid="events.survey_templates")


def _load_survey_templates(sender: Any, **kwargs: Any) -> tuple[str, int, int]:
    """``loadreference`` loads the shared evaluation survey templates too."""
    from django.core.management.base import CommandError

    from clearinghouse.events.surveys import SurveyDataError, load_templates

    try:
        loaded = load_templates()
    except SurveyDataError as error:
        raise CommandError(f"{error} (nothing was changed)") from error
    return "survey_templates", loaded.templates, loaded.changed
