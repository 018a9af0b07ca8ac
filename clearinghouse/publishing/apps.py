from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "clearinghouse.publishing"
    verbose_name = _("Publishing")

    def ready(self) -> None:
        from clearinghouse.publishing import (
            measures,  # noqa: F401  (declares the measures of records' use)
            showcase,
        )

        showcase.register()

        # Its part of a person's data, for their download and the closing of their account.
        from clearinghouse.publishing.personal_data import register as register_personal_data

        register_personal_data()

        from clearinghouse.core.navigation import register_place
        from clearinghouse.publishing.waiting import may_review

        register_place(_("Review queue"), "publishing:queue", may_review, order=10)

        # Every public record's page carries its schema.org description (JSON-LD).
        from clearinghouse.core.navigation import EVERY_RECORD_TYPE, register_record_panel
        from clearinghouse.publishing.linked_data import page_panel

        register_record_panel(
            (EVERY_RECORD_TYPE,), "publishing/includes/linked_data.html", page_panel, order=0
        )
