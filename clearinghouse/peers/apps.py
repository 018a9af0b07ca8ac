from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeersConfig(AppConfig):
    """Parties with similar needs, and those that addressed one: South–South cooperation."""

    name = "clearinghouse.peers"
    label = "peers"
    verbose_name = _("Peers and South–South cooperation")
