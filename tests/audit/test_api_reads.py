"""API reads of personal data are audited like page views (point 11)."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from fpa.audit.api import AuditedReadMixin, is_personal
from fpa.audit.models import LogEntry
from fpa.families.models import CareRecord, SpecialFamily
from fpa.orgs.models import Org
from fpa.people import services as people
from fpa.people.models import Person
from fpa.programs.models import Payee
from tests.conftest import actor_of
from tests.people.conftest import id_for

pytestmark = pytest.mark.urls("tests.audit.api_urls")


@pytest.fixture
def persons(users, tree):
    return [
        people.register_person(
            {"name": name, "id_number": id_for("430121", seq=seq), "org": tree["430121001001"]},
            actor=actor_of(users["county"]),
        )
        for seq, name in ((12, "张桂兰"), (14, "李秀英"))
    ]


def _reads():
    return LogEntry.unscoped_objects.filter(action="fpa.person.viewed")


def test_retrieving_a_person_writes_one_read_entry(persons, users, client_for):
    client = client_for(users["county"])
    response = client.get(f"/api/test/persons/{persons[0].pk}/")
    assert response.status_code == 200 and response.json()["name"] == "张桂兰"
    (entry,) = _reads()
    assert entry.object_id == str(persons[0].pk) and entry.object_type == "people.person"
    assert entry.actor == users["county"] and entry.changes == {"via": "api"}


def test_listing_persons_writes_one_entry_with_the_ids_returned(persons, users, client_for):
    response = client_for(users["county"]).get("/api/test/persons/", {"page": "1"})
    assert response.status_code == 200 and response.json()["count"] == 2
    (entry,) = _reads()
    assert entry.rows == [{"id": p.pk} for p in persons]
    assert entry.changes["count"] == 2 and entry.changes["query"] == {"page": ["1"]}


def test_a_read_outside_the_reach_writes_nothing(persons, users, client_for):
    response = client_for(users["outsider"]).get(f"/api/test/persons/{persons[0].pk}/")
    assert response.status_code == 404 and not _reads().exists()


def test_reading_orgs_is_not_personal_data(users, client_for):
    assert client_for(users["county"]).get("/api/orgs/").status_code == 200
    assert not LogEntry.unscoped_objects.filter(action__endswith=".viewed").exists()


def test_personal_models_are_recognised():
    assert is_personal(Person) and is_personal(SpecialFamily) and is_personal(Payee)
    assert is_personal(CareRecord) and not is_personal(Org)


def _api_views(resolver: URLResolver, prefix: str = "") -> list[tuple[str, type]]:
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _api_views(pattern, route)
        elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
            found.append((route, pattern.callback.cls))
    return found


@pytest.mark.urls("fpa.urls")
def test_every_shipped_api_view_serving_personal_data_audits_its_reads():
    views = _api_views(get_resolver("fpa.urls"))
    assert any(route.startswith("api/") for route, _ in views)
    for route, cls in views:
        serializer = getattr(cls, "serializer_class", None)
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if model is not None and is_personal(model):
            assert issubclass(cls, AuditedReadMixin), f"{route} serves {model} unaudited"
