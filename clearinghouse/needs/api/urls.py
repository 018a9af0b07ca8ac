from rest_framework.routers import SimpleRouter

from clearinghouse.needs.api.views import NeedsAssessmentViewSet, NeedViewSet, RequestViewSet

router = SimpleRouter()
router.register("needs", NeedViewSet, basename="need")
router.register("needs-assessments", NeedsAssessmentViewSet, basename="needs-assessment")
router.register("requests", RequestViewSet, basename="request")
urlpatterns = router.urls
