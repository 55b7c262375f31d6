"""The API carries no personal number (M6): no serializer behind any /api/ URL has a field for an
ID, phone or bank number, so a full one cannot leave by the API without the reveal."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

NUMBER_WORDS = ("id_number", "phone", "account", "mobile", "_enc")


def _serializers(resolver: URLResolver, prefix: str = "") -> set[type]:
    found: set[type] = set()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found |= _serializers(pattern, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/"):
            view = getattr(pattern.callback, "cls", None)
            if getattr(view, "serializer_class", None) is not None:
                found.add(view.serializer_class)
    return found


def test_no_api_serializer_has_a_number_field():
    serializers = _serializers(get_resolver())
    assert serializers, "no API endpoint found"
    for serializer in serializers:
        fields = serializer().fields
        assert not [f for f in fields if any(w in f for w in NUMBER_WORDS)], serializer
