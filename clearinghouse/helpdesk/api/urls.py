from django.urls import path
from rest_framework.routers import SimpleRouter

from clearinghouse.helpdesk.api import views

router = SimpleRouter()
router.register("faq", views.FaqEntryViewSet, basename="faq")
urlpatterns = [
    path("helpdesk/statistics/", views.HelpdeskStatistics.as_view(), name="helpdesk-statistics"),
    *router.urls,
]
