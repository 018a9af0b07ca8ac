"""The community app's pages: each area keeps its routes in its own module."""

from __future__ import annotations

from clearinghouse.community import (
    alumni_urls,
    digest_urls,
    discussion_urls,
    follow_up_urls,
    mentoring_urls,
    statistics_urls,
)

app_name = "community"

urlpatterns = [
    *alumni_urls.urlpatterns,
    *discussion_urls.urlpatterns,
    *digest_urls.urlpatterns,
    *mentoring_urls.urlpatterns,
    *follow_up_urls.urlpatterns,
    *statistics_urls.urlpatterns,
]
