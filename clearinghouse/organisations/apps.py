from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class OrganisationsConfig(AppConfig):
    name = "clearinghouse.organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from clearinghouse.core import showcase
        from clearinghouse.organisations.models import Organisation

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
