from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from fpa.core.views import healthz
from fpa.orgs.views import dashboard

urlpatterns = [
    path("", dashboard, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("fpa.accounts.urls")),
    path("orgs/", include("fpa.orgs.urls")),
    path("audit/", include("fpa.audit.urls")),
    path("people/", include("fpa.people.urls")),
    path("families/", include("fpa.families.urls")),
    path("programs/", include("fpa.programs.urls")),
    path("funds/", include("fpa.funds.urls")),
    path("", include("fpa.core.urls")),
    path("api/", include("fpa.orgs.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
