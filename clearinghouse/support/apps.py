from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "clearinghouse.support"
    verbose_name = _("Support registry")

    def ready(self) -> None:
        from clearinghouse.core.navigation import register_place
        from clearinghouse.support import records  # noqa: F401  (registers the record types)

        # Its part of a person's data, for their download and the closing of their account.
        from clearinghouse.support.personal_data import register as register_personal_data

        register_personal_data()

        from clearinghouse.support.permissions import keeps_support_records

        register_place(_("My support records"), "support:mine", keeps_support_records, order=50)
