from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class SupportConfig(AppConfig):
    name = "clearinghouse.support"
    verbose_name = _("Support registry")

    def ready(self) -> None:
        from clearinghouse.core import showcase
        from clearinghouse.core.navigation import register_place
        from clearinghouse.support import records  # noqa: F401  (registers the record types)
        from clearinghouse.support.models import RECORD_MODELS

        showcase.register_figure(
            showcase.Figure(
                key="support",
                order=20,
                count=lambda: sum(model.objects.filter(live=True).count() for model in RECORD_MODELS),
                label=lambda count: (
                    ngettext(
                        "%(count)s published support record", "%(count)s published support records", count
                    )
                    % {"count": showcase.number(count)}
                ),
                url_name="support:index",
            )
        )

        # Its part of a person's data, for their download and the closing of their account.
        from clearinghouse.support.personal_data import register as register_personal_data

        register_personal_data()

        from clearinghouse.support.permissions import keeps_support_records

        register_place(_("My support records"), "support:mine", keeps_support_records, order=50)
