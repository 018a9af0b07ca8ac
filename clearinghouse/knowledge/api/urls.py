from rest_framework.routers import SimpleRouter

from clearinghouse.knowledge.api import views

router = SimpleRouter()
router.register("knowledge", views.KnowledgeViewSet, basename="knowledge")
urlpatterns = router.urls
