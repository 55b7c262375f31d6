from __future__ import annotations

import datetime

import pytest

from fpa.audit.models import LogEntry
from fpa.core.errors import DomainError
from fpa.core.fields import reveal
from fpa.people import relocation_services, services
from fpa.people.models import Membership, MembershipStatus, Person, Relocation
from tests.conftest import actor_of
from tests.people.conftest import id_for


def test_registration_derives_birth_and_gender_and_encrypts_the_numbers(person):
    assert person.birth_date == datetime.date(1968, 3, 9) and person.gender == "female"
    assert person.id_number_last4 == id_for("430121")[-4:]
    assert reveal(person.id_number_enc) == id_for("430121")
    assert reveal(person.phone_enc) == "13812345678" and person.phone_last4 == "5678"
    assert person.county_id == person.org.county_id and person.initials == "zgl"
    entry = LogEntry.unscoped_objects.get(action="fpa.person.registered")
    assert id_for("430121") not in str(entry.changes)


def test_same_document_twice_in_reach_is_a_duplicate(person, users, tree):
    with pytest.raises(DomainError, match="已登记（张桂兰）"):
        services.register_person(
            {"name": "张桂兰", "id_number": id_for("430121"), "org": tree["430121001002"]},
            actor=actor_of(users["county"]),
        )


def test_document_registered_elsewhere_reveals_nothing_and_offers_a_relocation(person, users, tree):
    with pytest.raises(services.RegisteredElsewhere) as exc:
        services.register_person(
            {"name": "某某", "id_number": id_for("430121").lower(), "org": tree["430181001001"]},
            actor=actor_of(users["outsider"]),
        )
    assert exc.value.message == "已在其他单位登记，请发起转入" and "张" not in exc.value.message
    relocation = relocation_services.request_relocation(
        exc.value.person_id, tree["430181001001"], "随子女居住", actor=actor_of(users["outsider"])
    )
    with pytest.raises(DomainError, match="转出单位"):
        relocation_services.decide_relocation(relocation, True, actor=actor_of(users["outsider"]))
    relocation_services.decide_relocation(relocation, True, actor=actor_of(users["county"]))
    person.refresh_from_db()
    assert person.org_id == tree["430181001001"].pk and person.county_id == tree["430181000000"].pk
    assert Relocation.objects.get().status == "accepted"


def test_gender_that_contradicts_the_number_is_refused(users, tree):
    with pytest.raises(DomainError, match="性别与身份证号码不符"):
        services.register_person(
            {
                "name": "李四",
                "id_number": id_for("430121", gender="female"),
                "gender": "male",
                "org": tree["430121001001"],
            },
            actor=actor_of(users["county"]),
        )


@pytest.mark.parametrize(
    "number,message",
    [
        ("43012119680309001", "18位"),
        ("430121196802300012", "出生日期"),
    ],
)
def test_bad_id_numbers_are_refused_with_the_reason(users, tree, number, message):
    with pytest.raises(DomainError, match=message):
        services.register_person(
            {"name": "王五", "id_number": number, "org": tree["430121001001"]},
            actor=actor_of(users["county"]),
        )
    assert not Person.unscoped_objects.exists()


def test_wrong_check_digit_is_refused(users, tree):
    good = id_for("430121")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(DomainError, match="校验位"):
        services.register_person(
            {"name": "王五", "id_number": bad, "org": tree["430121001001"]},
            actor=actor_of(users["county"]),
        )


def test_person_without_a_document_may_be_registered(users, tree):
    p = services.register_person(
        {"name": "无证人员", "id_type": "none", "org": tree["430121001001"]},
        actor=actor_of(users["county"]),
    )
    assert p.id_number_index is None
    services.register_person(
        {"name": "无证人员二", "id_type": "none", "org": tree["430121001001"]},
        actor=actor_of(users["county"]),
    )


def test_village_clerk_cannot_register_in_the_neighbour_village(users, tree):
    with pytest.raises(DomainError, match="管辖范围"):
        services.register_person(
            {"name": "赵六", "id_number": id_for("430121", seq=77), "org": tree["430121001002"]},
            actor=actor_of(users["village"]),
        )


def test_membership_card_number_names_the_county_and_year(person, users, tree):
    m = services.join(
        person, tree["430121001001"], datetime.date(2021, 5, 29), actor=actor_of(users["county"])
    )
    assert m.card_number == "43012121000001"
    other = services.register_person(
        {"name": "刘七", "id_number": id_for("430121", seq=20), "org": tree["430121001002"]},
        actor=actor_of(users["county"]),
    )
    m2 = services.join(
        other, tree["430121001002"], datetime.date(2021, 6, 1), actor=actor_of(users["county"])
    )
    assert m2.card_number == "43012121000002"
    with pytest.raises(DomainError, match="已是会员"):
        services.join(
            person, tree["430121001001"], datetime.date(2021, 6, 1), actor=actor_of(users["county"])
        )
    assert [e.note for e in m.events.all()] == ["入会"]


def test_relocation_moves_the_active_membership_with_a_new_card(person, users, tree):
    m = services.join(
        person, tree["430121001001"], datetime.date(2020, 1, 2), actor=actor_of(users["county"])
    )
    relocation = relocation_services.request_relocation(
        person.pk, tree["430181001001"], "", actor=actor_of(users["outsider"])
    )
    relocation_services.decide_relocation(relocation, True, actor=actor_of(users["county"]))
    m.refresh_from_db()
    assert m.status == MembershipStatus.RELOCATED
    new = Membership.unscoped_objects.get(person=person, status="active")
    assert new.card_number.startswith("430181") and new.org_id == tree["430181001001"].pk


def test_update_checks_a_changed_document_and_audits_the_change(person, users, tree):
    actor = actor_of(users["county"])
    services.update_person(person, {"name": "张桂兰", "phone": "0731-84123456"}, actor=actor)
    assert reveal(Person.unscoped_objects.get(pk=person.pk).phone_enc) == "0731-84123456"
    newer = id_for("430121", seq=99)
    services.update_person(person, {"id_number": newer}, actor=actor)
    person.refresh_from_db()
    assert reveal(person.id_number_enc) == newer
    entry = LogEntry.unscoped_objects.filter(action="fpa.person.changed").last()
    assert newer not in str(entry.changes) and newer[-4:] in str(entry.changes)


def test_org_merge_moves_residents_and_active_memberships(person, users, tree):
    from fpa.orgs.models import Org, Status
    from fpa.orgs.services import merge_org

    services.join(
        person, tree["430121001001"], datetime.date(2021, 1, 1), actor=actor_of(users["county"])
    )
    old = tree["430121001001"]
    Org.unscoped_objects.filter(pk=old.pk).update(status=Status.ABOLISHED)
    old.refresh_from_db()
    moved = merge_org(old, tree["430121001002"], actor=actor_of(users["county"]))
    assert moved["persons"] == 1 and moved["memberships"] == 1
    person.refresh_from_db()
    assert person.org_id == tree["430121001002"].pk
