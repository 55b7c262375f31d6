"""The tree through the API: the same scoping as the pages."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from fpa.core.scope import Actor

from .models import Org


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
class OrgViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrgSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        actor = Actor.from_request(self.request)
        if self.action != "retrieve":
            actor.require("orgs.view")
        qs = Org.objects.for_actor(actor).order_by("path")
        if parent := self.request.query_params.get("parent"):
            qs = qs.filter(parent_id=parent) if parent.isdigit() else qs.none()
        return qs

    def get_object(self):  # type: ignore[no-untyped-def]
        # As on the pages: 404 outside the reach first, then 403 without the permission.
        obj = super().get_object()
        Actor.from_request(self.request).require("orgs.view")
        return obj
