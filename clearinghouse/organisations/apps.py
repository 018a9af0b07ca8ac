from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class OrganisationsConfig(AppConfig):
    name = "clearinghouse.organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from clearinghouse.core import showcase
        from clearinghouse.organisations import signals
        from clearinghouse.organisations.models import Organisation

        post_save.connect(signals.saved_or_deleted, sender=Organisation, dispatch_uid="organisation-saved")
        post_delete.connect(
            signals.saved_or_deleted, sender=Organisation, dispatch_uid="organisation-deleted"
        )

        showcase.register_figure(
            showcase.Figure(
                key="organisations",
                order=30,
                count=Organisation.objects.count,
                label=lambda count: (
                    ngettext(
                        "%(count)s organisation in the directory",
                        "%(count)s organisations in the directory",
                        count,
                    )
                    % {"count": showcase.number(count)}
                ),
                url_name="organisations:list",
            )
        )
