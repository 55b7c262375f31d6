"""The site's URLs plus a test-only API viewset over persons: no shipped endpoint returns
personal data yet, so the audited-read mechanism is exercised here."""

from __future__ import annotations

from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter

from fpa.audit.api import AuditedReadMixin
from fpa.kernel.scope import Actor
from fpa.people.models import Person
from fpa.urls import urlpatterns as site


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "name"]


class PersonViewSet(AuditedReadMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PersonSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Person.objects.for_actor(Actor.from_request(self.request)).order_by("id")


router = DefaultRouter()
router.register("persons", PersonViewSet, basename="test-person")

urlpatterns = [path("api/test/", include(router.urls)), *site]
