from rest_framework.routers import SimpleRouter

from clearinghouse.support.api import views

router = SimpleRouter()
router.register("offers", views.OfferViewSet, basename="offer")
router.register("opportunities", views.OpportunityViewSet, basename="opportunity")
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("resources", views.ResourceViewSet, basename="resource")
router.register("providers", views.ProviderViewSet, basename="provider")
router.register("partnerships", views.PartnershipViewSet, basename="partnership")
router.register("experts", views.ExpertViewSet, basename="expert")
urlpatterns = router.urls
