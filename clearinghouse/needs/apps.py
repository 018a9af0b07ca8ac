from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class NeedsConfig(AppConfig):
    name = "clearinghouse.needs"
    verbose_name = _("Needs and requests")

    def ready(self) -> None:
        from clearinghouse.needs import (
            measures,  # noqa: F401  (declares what monitoring counts)
            records,  # noqa: F401  (registers the record types)
        )
        from clearinghouse.needs.models import Need
        from clearinghouse.needs.receivers import first_status
        from clearinghouse.publishing.signals import record_published

        record_published.connect(first_status, sender=Need, dispatch_uid="needs-first-status")

        from clearinghouse.needs.offline.jobs import register_imports

        register_imports()

        from clearinghouse.core import showcase

        showcase.register_figure(
            showcase.Figure(
                key="needs",
                order=10,
                count=lambda: Need.objects.filter(live=True).count(),
                label=lambda count: (
                    ngettext("%(count)s published need", "%(count)s published needs", count)
                    % {"count": showcase.number(count)}
                ),
                url_name="needs:index",
            )
        )

        from clearinghouse.core.navigation import register_place
        from clearinghouse.publishing.owners import registers_records

        register_place(_("My needs and requests"), "needs:mine", registers_records, order=40)
