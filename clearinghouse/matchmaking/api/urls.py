from rest_framework.routers import SimpleRouter

from clearinghouse.matchmaking.api.views import MatchViewSet

router = SimpleRouter()
router.register("matches", MatchViewSet, basename="match")
urlpatterns = router.urls
