from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from clearinghouse.api import views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("auth/token/", views.password_exchange_gone, name="token"),
    path("languages/", views.LanguageList.as_view(), name="languages"),
    path("", include("clearinghouse.geo.api.urls")),
    path("", include("clearinghouse.vocabularies.api.urls")),
    path("", include("clearinghouse.organisations.api.urls")),
    path("search/", include("clearinghouse.search.api_urls")),
    path("plan/", include("clearinghouse.plan.api.urls")),
    path("national/", include("clearinghouse.national.api.urls")),
    # The register of national clearing-house mechanisms.
    path("", include("clearinghouse.nodes.api.urls")),
    path("", include("clearinghouse.publishing.api.urls")),
    path("", include("clearinghouse.needs.api.urls")),
    path("", include("clearinghouse.support.api.urls")),
    path("", include("clearinghouse.matchmaking.api.urls")),
    # Peers of a need: the Parties with similar needs and those that addressed one.
    path("", include("clearinghouse.peers.api.urls")),
    path("", include("clearinghouse.events.api.urls")),
    path("", include("clearinghouse.learning.api.urls")),
    # Help desk: FAQ entries and statistics.
    path("", include("clearinghouse.helpdesk.api.urls")),
    # Alumni and communities: statistics.
    path("", include("clearinghouse.community.api.urls")),
    path("", include("clearinghouse.quality.api.urls")),
    # Knowledge products: case studies, success stories, good practices, lessons learnt.
    path("", include("clearinghouse.knowledge.api.urls")),
    # Translation: requests and the coverage by language.
    path("", include("clearinghouse.translation.api.urls")),
    # Monitoring: the indicators and their values.
    path("", include("clearinghouse.monitoring.api.urls")),
    # Monitoring: the gap analysis.
    path("", include("clearinghouse.monitoring.api.gaps_urls")),
]
