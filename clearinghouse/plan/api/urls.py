from rest_framework.routers import SimpleRouter

from clearinghouse.plan.api.views import ActivityViewSet

router = SimpleRouter()
router.register("activities", ActivityViewSet, basename="plan-activity")
urlpatterns = router.urls
