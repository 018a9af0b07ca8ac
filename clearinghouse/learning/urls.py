from clearinghouse.learning import certificate_views, statistics_views

app_name = "learning"
# First: fixed paths (verify/, statistics/) before any <identifier>/ pattern would take them.
urlpatterns = [*certificate_views.urlpatterns, *statistics_views.urlpatterns]
