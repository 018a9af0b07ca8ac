"""Syndication addresses outside the language prefixes (clearinghouse/urls.py includes them):
records are named in every language inside each answer."""

from django.urls import path

from clearinghouse.syndication import views

urlpatterns = [
    path("oai", views.oai_pmh, name="oai"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap-section"),
    path("feeds/search/", views.search_feed, name="search-feed"),
    path("feeds/search.jsonld", views.search_jsonld, name="search-jsonld"),
]
