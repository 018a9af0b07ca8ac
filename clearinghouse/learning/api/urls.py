from rest_framework.routers import SimpleRouter

from clearinghouse.learning.api import views

router = SimpleRouter()
router.register("courses", views.CourseViewSet, basename="course")
urlpatterns = router.urls
