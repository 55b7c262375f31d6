"""The registry's counters always equal a count of the records, at every node of the tree."""

from __future__ import annotations

import datetime

from fpa.kernel import counters
from fpa.orgs.models import Org, Status
from fpa.orgs.services import merge_org
from fpa.people import relocation_services, services
from fpa.people.counting import recount_people
from fpa.people.duplicates import merge_persons
from fpa.people.models import Membership, Person
from tests.conftest import actor_of
from tests.people.conftest import id_for


def assert_counters_match(tree):
    for code, org in tree.items():
        org = Org.unscoped_objects.get(pk=org.pk)
        persons = (
            Person.unscoped_objects.exclude(status="merged")
            .filter(org__path__startswith=org.path)
            .count()
        )
        members = Membership.unscoped_objects.filter(
            status="active", org__path__startswith=org.path
        ).count()
        assert counters.value(org, services.PERSONS) == persons, code
        assert counters.value(org, services.MEMBERS) == members, code


def test_counters_follow_every_change_and_recount_agrees(person, users, tree):
    actor = actor_of(users["county"])
    d = datetime.date(2021, 1, 1)
    services.join(person, tree["430121001001"], d, actor=actor)
    b = services.register_person(
        {"name": "二", "id_number": id_for("430121", seq=210), "org": tree["430121001002"]},
        actor=actor,
    )
    m = services.join(b, tree["430121001002"], d, actor=actor)
    services.set_membership_status(m, "lapsed", d, "", actor=actor)
    services.set_membership_status(m, "active", d, "", actor=actor)
    c = services.register_person(
        {"name": "三", "id_number": id_for("430121", seq=220), "org": tree["430121002001"]},
        actor=actor,
    )
    services.update_person(c, {"org": tree["430121001001"]}, actor=actor)
    relocation = relocation_services.request_relocation(
        person.pk, tree["430181001001"], "", actor=actor_of(users["outsider"])
    )
    relocation_services.decide_relocation(relocation, True, actor=actor)
    twin = services.register_person(
        {"name": "二", "id_type": "none", "org": tree["430121001002"]}, actor=actor
    )
    merge_persons(b, twin, actor=actor)
    assert_counters_match(tree)
    old = tree["430121001002"]
    Org.unscoped_objects.filter(pk=old.pk).update(status=Status.ABOLISHED)
    old.refresh_from_db()
    merge_org(old, tree["430121001001"], actor=actor)
    assert_counters_match(tree)
    before = {o.pk: counters.value(o, services.PERSONS) for o in tree.values()}
    recount_people()
    assert before == {o.pk: counters.value(o, services.PERSONS) for o in tree.values()}
    assert counters.value(tree["430000000000"], services.PERSONS) == 3


def test_import_bumps_the_counters(users, client_for, tmp_path, tree):
    from tests.people.test_import import workbook

    path = workbook(
        [
            ["甲", id_for("430121", seq=230), "", "湖湾村", "2021-05-29"],
            ["乙", id_for("430121", seq=240), "", "黄花村", ""],
        ],
        tmp_path / "a.xlsx",
    )
    client = client_for(users["county"])
    with open(path, "rb") as fh:
        client.post("/people/import/", {"file": fh})
    from fpa.core.models import Job

    job = Job.unscoped_objects.get(kind="people.import.preview")
    client.post(f"/people/import/{job.pk}/commit/", {"mode": "skip"})
    assert_counters_match(tree)
    body = client.get("/people/").content.decode()
    assert "共 2 条" in body
