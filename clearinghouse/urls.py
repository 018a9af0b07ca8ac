from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, re_path

from clearinghouse.accounts import errors as accounts_errors
from clearinghouse.accounts import identity
from clearinghouse.api import views as api_views
from clearinghouse.core import errors as core_errors
from clearinghouse.core import pages as core_pages
from clearinghouse.core import views as core_views
from clearinghouse.i18n import language_patterns
from clearinghouse.learning import lti_views, scorm_views
from clearinghouse.offline import views as offline_views
from clearinghouse.outbox import views as outbox_views
from clearinghouse.publishing import views as publishing_views

# The admin signs in through the site's own sign-in (allauth), with its second factor: its own
# password form would let a password alone in.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
handler400 = core_views.bad_request
handler403 = accounts_errors.permission_denied
handler404 = core_errors.page_not_found
handler500 = core_errors.server_error

urlpatterns = [
    path("", core_views.root, name="root"),
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", core_views.metrics, name="metrics"),
    path("favicon.ico", core_pages.favicon, name="favicon"),
    # At the root: a service worker's scope is its own folder and below, and the app is one.
    path("sw.js", offline_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline_views.manifest, name="manifest"),
    path(".well-known/security.txt", core_views.security_txt, name="security_txt"),
    # Logos' and events' pictures at the sizes shown (core/pictures.py); other media stay private.
    path("media/pictures/renditions/<path:path>", core_views.picture_file, name="picture_file"),
    path("api/v1/", include("clearinghouse.api.urls")),
    re_path(r"^api/(?P<path>[\s\S]*)$", api_views.not_found),
    path("i18n/", include("django.conf.urls.i18n")),
    # Identity providers send people back here: one address to register with them, in no
    # language (the sign-in's own language is carried in the session; docs/sign-in.md).
    path(
        "accounts/oidc/<str:provider_id>/login/callback/",
        identity.callback,
        name="openid_connect_callback",
    ),
    # In no language: the service worker asks it too, and knows no page.
    path("outbox/token", outbox_views.token, name="outbox_token"),
    # Stable public identifiers resolve here, to the record's page in the reader's language.
    path("r/<str:identifier>", publishing_views.resolve, name="resolve"),
    # OAI-PMH, the sitemap and the feed of a search (before the feeds of the record types).
    path("", include("clearinghouse.syndication.urls")),
    # Every record type's feed (publishing.registry), e.g. /feeds/opportunities/, /feeds/needs/.
    path("feeds/<slug:name>/", publishing_views.feed, name="feed"),
    # What national websites embed (an iframe page, JSON), in the language their `lang` names.
    path("widgets/", include("clearinghouse.widgets.embed_urls")),
    # A SCORM package's files, in no language: the package links them relatively.
    re_path(
        r"^learning/scorm/(?P<token>[A-Za-z0-9_-]{1,32})/(?P<path>.*)$",
        scorm_views.package_file,
        name="scorm_file",
    ),
    # LTI 1.3 endpoints other platforms and tools call: one address in every language.
    path("learning/lti/", include((lti_views.endpoint_patterns, "lti"))),
    *language_patterns(
        path("", include("clearinghouse.core.urls")),
        # allauth's pages, named one by one: its identity provider addresses are our own
        # (the start below, the callback above, with the ID token's signature always checked).
        path("accounts/", include("allauth.account.urls")),
        path("accounts/2fa/", include("allauth.mfa.urls")),
        path("accounts/3rdparty/", include("allauth.socialaccount.urls")),
        path("accounts/oidc/<str:provider_id>/login/", identity.login, name="openid_connect_login"),
        path("offline/", include("clearinghouse.offline.urls")),
        path("people/", include("clearinghouse.accounts.urls")),
        path("organisations/", include("clearinghouse.organisations.urls")),
        path("search/", include("clearinghouse.search.urls")),
        path("plan/", include("clearinghouse.plan.urls")),
        path("national/", include("clearinghouse.national.urls")),
        path("countries/", include("clearinghouse.nodes.urls")),
        # Before any statistics/<area>/ pattern, which would take statistics/gaps/.
        path("statistics/gaps/", include("clearinghouse.monitoring.gaps_urls")),
        # Before needs/: the needs app's needs/<identifier>/ would take needs/offline/.
        path("needs/offline/", include("clearinghouse.needs.offline.urls")),
        path("needs/", include("clearinghouse.needs.urls")),
        path("support/", include("clearinghouse.support.urls")),
        path("imports/", include("clearinghouse.exchange.urls")),
        path("matchmaking/", include("clearinghouse.matchmaking.urls")),
        path("harvest/", include("clearinghouse.harvest.urls")),
        path("peers/", include("clearinghouse.peers.urls")),
        path("events/", include("clearinghouse.events.urls")),
        path("learning/", include("clearinghouse.learning.urls", namespace="learning")),
        path("helpdesk/", include("clearinghouse.helpdesk.urls", namespace="helpdesk")),
        path("community/", include("clearinghouse.community.urls", namespace="community")),
        path("quality/", include("clearinghouse.quality.urls", namespace="quality")),
        path("knowledge/", include("clearinghouse.knowledge.urls", namespace="knowledge")),
        path("translation/", include("clearinghouse.translation.urls", namespace="translation")),
        path("statistics/", include("clearinghouse.monitoring.urls")),
        path("work/", include("clearinghouse.workspace.urls")),
        path("widgets/", include("clearinghouse.widgets.urls")),
        path(
            "monitoring/reports/",
            include("clearinghouse.monitoring.report_urls", namespace="monitoring_reports"),
        ),
        path("monitoring/", include("clearinghouse.monitoring.console_urls", namespace="monitoring_console")),
        path("outbox/", include("clearinghouse.outbox.urls")),
        path("", include("clearinghouse.publishing.urls")),
        path("admin/", admin.site.urls),
    ),
]
