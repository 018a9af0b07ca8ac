from django.contrib import admin
from django.urls import include, path

from clearinghouse.core import views as core_views
from clearinghouse.i18n import language_patterns

urlpatterns = [
    path("", core_views.root, name="root"),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", include("clearinghouse.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    *language_patterns(
        path("", include("clearinghouse.core.urls")),
        path("accounts/", include("clearinghouse.accounts.urls")),
        path("admin/", admin.site.urls),
    ),
]
