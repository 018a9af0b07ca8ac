from rest_framework.routers import SimpleRouter

from clearinghouse.events.api import views

router = SimpleRouter()
router.register("events", views.EventViewSet, basename="event")
urlpatterns = router.urls
