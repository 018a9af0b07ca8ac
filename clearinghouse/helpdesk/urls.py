from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.helpdesk import faq_views, statistics_views

app_name = "helpdesk"

urlpatterns: list[URLPattern] = []

# FAQ entries and statistics.
urlpatterns += [
    path("faq/", faq_views.faq_list, name="faq"),
    path("faq/<str:identifier>/", faq_views.faq_entry, name="faq_entry"),
    path("faq/<str:identifier>/edit/", faq_views.faq_edit, name="faq_edit"),
    path("faq/<str:identifier>/translate/<str:language>/", faq_views.faq_translate, name="faq_translate"),
    path("tickets/<str:reference>/keep-as-faq/", faq_views.faq_from_ticket, name="faq_from_ticket"),
    path("statistics/", statistics_views.statistics_page, name="statistics"),
    path("statistics/csv/", statistics_views.statistics_csv, name="statistics_csv"),
]
