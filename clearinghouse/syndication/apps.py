from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyndicationConfig(AppConfig):
    name = "clearinghouse.syndication"
    verbose_name = _("Syndication")
