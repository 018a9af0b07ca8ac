from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "clearinghouse.publishing"
    verbose_name = _("Publishing")

    def ready(self) -> None:
        from clearinghouse.core.navigation import register_place
        from clearinghouse.publishing.waiting import may_review

        register_place(_("Review queue"), "publishing:queue", may_review, order=10)
