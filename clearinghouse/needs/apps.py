from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "clearinghouse.needs"
    verbose_name = _("Needs and requests")

    def ready(self) -> None:
        from clearinghouse.needs import records  # noqa: F401  (registers the record types)
        from clearinghouse.needs.models import Need
        from clearinghouse.needs.receivers import first_status
        from clearinghouse.publishing.signals import record_published

        record_published.connect(first_status, sender=Need, dispatch_uid="needs-first-status")

        from clearinghouse.needs.offline.jobs import register_imports

        register_imports()

        from clearinghouse.core.navigation import register_place
        from clearinghouse.publishing.owners import registers_records

        register_place(_("My needs and requests"), "needs:mine", registers_records, order=40)
