"""The tree through the API: the same scoping as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from fpa.core.exporters import file_format
from fpa.core.forms import CONTROL_LINE, CONTROL_MESSAGE, ascii_int
from fpa.core.permissions import DeclaredPermission
from fpa.kernel.scope import Actor, get_in_reach_or_404

from .exports import OrgDirectory
from .models import Org


class CleanInputMixin(APIView):
    """The API's share of the forms' cleaning step: a query parameter holding a control
    character is refused with a 400 naming it, before any view code reads it."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        for name, value in request.query_params.lists():
            if CONTROL_LINE.search(name) or any(CONTROL_LINE.search(v) for v in value):
                raise exceptions.ValidationError({name: [CONTROL_MESSAGE]})
        super().initial(request, *args, **kwargs)


class OrgSerializer(serializers.ModelSerializer):
    class Meta:
        model = Org
        fields = [
            "id",
            "parent",
            "code",
            "name",
            "level",
            "kind",
            "status",
            "established_on",
            "next_election_due",
        ]


@extend_schema_view(
    retrieve=extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)])
)
class OrgViewSet(CleanInputMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OrgSerializer
    required_permission = "orgs.view"
    permission_classes = [IsAuthenticated, DeclaredPermission]

    def get_queryset(self) -> QuerySet[Org]:
        actor = Actor.from_request(self.request)
        if self.action != "retrieve":
            actor.require("orgs.view")
        qs = Org.objects.for_actor(actor).order_by("path")
        if parent := self.request.query_params.get("parent"):
            parent_id = ascii_int(parent)
            qs = qs.filter(parent_id=parent_id) if parent_id is not None else qs.none()
        return qs

    def get_object(self) -> Org:
        # As on the pages: 404 outside the reach first, then 403 without the permission.
        obj = super().get_object()
        Actor.from_request(self.request).require("orgs.view")
        return obj


class OrgExportViewSet(CleanInputMixin, viewsets.ViewSet):
    """An org's directory (the org and every org under it) as a file at once: the org page's
    export job, served from the same declaration (`exports.OrgDirectory`: permission, columns,
    audit entry). A POST, as on the pages (the audit entry is written), `format=csv` or .xlsx."""

    required_permission = "orgs.export"
    permission_writes = True
    permission_classes = [IsAuthenticated, DeclaredPermission]

    @extend_schema(
        request=None,
        responses={(200, "application/octet-stream"): bytes},
        parameters=[OpenApiParameter("org_id", int, OpenApiParameter.PATH)],
    )
    def export(self, request: Request, org_id: int) -> HttpResponse:
        actor = Actor.from_request(request)
        org = get_in_reach_or_404(Org.objects, actor, pk=org_id)
        return OrgDirectory().response(actor, {"org_id": org.pk}, file_format(request.data))
