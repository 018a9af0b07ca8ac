"""The community area's sub-navigation: the places of the area this person may use, the page
they are on marked. Asked from the roles already read for the request (no query of its own)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from clearinghouse.community.follow_up import sees_all
from clearinghouse.community.statistics_views import may_see_statistics

register = template.Library()

PUBLIC = ((_("Communities"), "community:communities"),)
SIGNED_IN = (
    (_("Alumni directory"), "community:directory"),
    (_("My alumni profile"), "community:profile"),
    (_("Mentoring"), "community:mentoring"),
    (_("Messages"), "community:messages"),
    (_("Digests"), "community:digest_settings"),
)


@register.inclusion_tag("community/_subnav.html", takes_context=True)
def community_subnav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    links = list(PUBLIC)
    if getattr(user, "is_authenticated", False):
        links += SIGNED_IN
        if may_see_statistics(user):
            links.append((_("Statistics"), "community:statistics"))
        if sees_all(user):
            links.append((_("Follow-up of the alumni"), "community:follow_up_list"))
    match = getattr(request, "resolver_match", None)
    return {"links": links, "current": match.view_name if match else ""}
