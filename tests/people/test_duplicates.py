from __future__ import annotations

import datetime

import pytest

from fpa.audit.models import LogEntry
from fpa.core.errors import DomainError
from fpa.core.models import Job
from fpa.people import services
from fpa.people.duplicates import last_search, likely_duplicates, merge_persons
from fpa.people.models import Membership, Person
from tests.conftest import actor_of
from tests.people.conftest import id_for


@pytest.fixture
def twin(person, users, tree):
    """The same woman entered again in the neighbour village, without a document."""
    return services.register_person(
        {
            "name": "张桂兰",
            "id_type": "none",
            "birth_date": datetime.date(1968, 3, 9),
            "org": tree["430121001002"],
        },
        actor=actor_of(users["county"]),
    )


def test_same_name_and_birth_date_is_reported_within_reach_only(twin, person, users):
    groups = likely_duplicates(actor_of(users["county"]))
    assert {p.pk for p in groups[0]["persons"]} == {person.pk, twin.pk}
    assert likely_duplicates(actor_of(users["village"])) == []


def test_same_phone_is_reported(person, users, tree):
    services.register_person(
        {
            "name": "张三",
            "id_number": id_for("430121", seq=66, gender="male"),
            "phone": "13812345678",
            "org": tree["430121001002"],
        },
        actor=actor_of(users["county"]),
    )
    reasons = [g["reason"] for g in likely_duplicates(actor_of(users["county"]))]
    assert "联系电话相同" in reasons


def test_merge_keeps_history_moves_memberships_and_the_document(twin, person, users, tree):
    actor = actor_of(users["county"])
    services.join(person, tree["430121001001"], datetime.date(2020, 1, 1), actor=actor)
    services.join(twin, tree["430121001002"], datetime.date(2021, 1, 1), actor=actor)
    kept = merge_persons(twin, person, actor=actor)
    assert kept.id_number_last4 == id_for("430121")[-4:]
    dropped = Person.unscoped_objects.get(pk=person.pk)
    assert dropped.status == "merged" and dropped.merged_into_id == twin.pk
    statuses = sorted(
        Membership.unscoped_objects.filter(person=twin).values_list("status", flat=True)
    )
    assert statuses == ["active", "lapsed"]
    assert LogEntry.unscoped_objects.filter(action="fpa.person.merged").count() == 1
    with pytest.raises(DomainError, match="已合并"):
        merge_persons(twin, dropped, actor=actor)


def test_two_different_documents_are_two_people(person, users, tree):
    other = services.register_person(
        {"name": "张桂兰", "id_number": id_for("430121", seq=88), "org": tree["430121001002"]},
        actor=actor_of(users["county"]),
    )
    with pytest.raises(DomainError, match="是两个人"):
        merge_persons(person, other, actor=actor_of(users["county"]))


def test_merge_page_confirms_first_and_refuses_outsiders(twin, person, users, client_for):
    client = client_for(users["county"])
    report = client.get("/people/duplicates/").content.decode()
    assert report.count('data-testid="duplicate-group"') == 1
    page = client.get("/people/merge/", {"keep": twin.pk, "drop": person.pk}).content.decode()
    assert "确认合并" in page and Person.unscoped_objects.get(pk=person.pk).status == "active"
    client.post("/people/merge/", {"keep": twin.pk, "drop": person.pk, "confirm": "yes"})
    assert Person.unscoped_objects.get(pk=person.pk).status == "merged"
    outsider = client_for(users["outsider"])
    assert outsider.get("/people/merge/", {"keep": twin.pk, "drop": person.pk}).status_code == 404
    assert outsider.get("/people/merge/", {"keep": "x", "drop": "y"}).status_code == 404


def test_province_search_runs_in_the_background_and_hides_records_merged_since(
    twin, person, users, client_for
):
    client = client_for(users["province"])
    first = client.get("/people/duplicates/").content.decode()
    assert "开始查找" in first and 'data-testid="duplicate-group"' not in first
    response = client.post("/people/duplicates/")
    job = Job.unscoped_objects.get(kind="people.duplicates")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == "done" and "1 组" in job.message
    report = client.get("/people/duplicates/").content.decode()
    assert report.count('data-testid="duplicate-group"') == 1 and "重新查找" in report
    merge_persons(twin, person, actor=actor_of(users["county"]))
    after = client.get("/people/duplicates/").content.decode()
    assert 'data-testid="duplicate-group"' not in after and "没有发现" in after


def test_a_county_sees_its_duplicates_at_once(twin, person, users, client_for):
    client = client_for(users["county"])
    page = client.get("/people/duplicates/").content.decode()
    assert page.count('data-testid="duplicate-group"') == 1
    assert 'data-testid="duplicate-search"' not in page
    client.post("/people/duplicates/")
    assert not Job.unscoped_objects.filter(kind="people.duplicates").exists()


def test_another_users_search_is_not_shown(twin, person, users, client_for):
    client_for(users["province"]).post("/people/duplicates/")
    other = users["province"].__class__.objects.create(username="sheng2", org=users["province"].org)
    assert last_search(actor_of(other)) is None
