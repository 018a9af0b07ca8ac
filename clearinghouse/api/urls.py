from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from clearinghouse.api import views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("auth/token/", views.ObtainToken.as_view(), name="token"),
    path("languages/", views.LanguageList.as_view(), name="languages"),
]
