from __future__ import annotations

from django.urls import path
from rest_framework.routers import DefaultRouter

from .api import OrgExportViewSet, OrgViewSet

router = DefaultRouter()
router.register("orgs", OrgViewSet, basename="org")

urlpatterns = [
    *router.urls,
    path(
        "orgs/<int:org_id>/export/",
        OrgExportViewSet.as_view({"post": "export"}),
        name="org-export",
    ),
]
