"""The quality app's pages: each area keeps its routes in its own module."""

from __future__ import annotations

from clearinghouse.quality import checklist_urls, dashboard_urls, rating_urls, review_urls, standard_urls

app_name = "quality"

urlpatterns = [
    *standard_urls.urlpatterns,
    *checklist_urls.urlpatterns,
    *review_urls.urlpatterns,
    *rating_urls.urlpatterns,
    *dashboard_urls.urlpatterns,
]
