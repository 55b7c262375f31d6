from __future__ import annotations

from rest_framework.routers import DefaultRouter

from .api import OrgViewSet

router = DefaultRouter()
router.register("orgs", OrgViewSet, basename="org")

urlpatterns = router.urls
