from __future__ import annotations

import datetime

import pytest

from fpa.core.errors import DomainError
from fpa.people import household_services as hs
from fpa.people import services
from fpa.people.models import HouseholdMember, MemberGroup
from fpa.people.positions import GroupMember
from tests.conftest import actor_of
from tests.people.conftest import id_for


def test_household_with_head_and_members_one_household_a_person(person, users, tree, client_for):
    actor = actor_of(users["county"])
    son = services.register_person(
        {
            "name": "张小军",
            "id_number": id_for("430121", datetime.date(1992, 8, 8), 5, "male"),
            "org": tree["430121001001"],
        },
        actor=actor,
    )
    client = client_for(users["county"])
    client.post(f"/people/{person.pk}/household/found/")
    client.post(
        f"/people/{person.pk}/household/add/",
        {"id_number": id_for("430121", datetime.date(1992, 8, 8), 5, "male"), "relation": "child"},
    )
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "张小军" in page and "子女" in page and "户主" in page
    household = HouseholdMember.objects.get(person=person).household
    with pytest.raises(DomainError, match="已在一个家庭户"):
        hs.add_to_household(household, son, "spouse", actor=actor)
    with pytest.raises(DomainError, match="户主只有一位"):
        hs.add_to_household(household, son, "head", actor=actor)


def test_members_small_groups_belong_to_a_village(person, users, tree, client_for):
    actor = actor_of(users["county"])
    with pytest.raises(DomainError, match="村"):
        hs.create_group(tree["430121001000"], "第一小组", actor=actor)
    client = client_for(users["county"])
    village = tree["430121001001"]
    client.post(f"/people/org/{village.pk}/groups/add/", {"name": "第一会员小组"})
    group = MemberGroup.unscoped_objects.get()
    m = services.join(person, village, datetime.date(2021, 1, 1), actor=actor)
    client.post(f"/people/members/{m.pk}/group/", {"group": group.pk})
    m.refresh_from_db()
    assert m.group == group
    panel = client.get(f"/people/org/{village.pk}/panel/").content.decode()
    assert "第一会员小组 · 1 名会员" in panel
    other = hs.create_group(tree["430121001002"], "邻村小组", actor=actor)
    with pytest.raises(DomainError, match="本村"):
        hs.assign_group(m, other, actor=actor)


def test_group_members_are_organizations_counted_apart(users, tree, client_for):
    client = client_for(users["county"])
    county = tree["430121000000"]
    bad = client.post(
        f"/people/org/{county.pk}/group-members/add/",
        {"name": "某公司", "credit_code": "123", "joined_on": "2021-05-29"},
        follow=True,
    )
    assert "18位" in bad.content.decode()
    client.post(
        f"/people/org/{county.pk}/group-members/add/",
        {
            "name": "长沙某机械有限公司",
            "credit_code": "91430121MA4L000000",
            "joined_on": "2021-05-29",
        },
    )
    assert GroupMember.unscoped_objects.get().name == "长沙某机械有限公司"
    missing = client.post(f"/people/org/{county.pk}/group-members/add/", {"name": "x"}, follow=True)
    assert "入会日期" in missing.content.decode()
    assert (
        client_for(users["outsider"])
        .post(f"/people/org/{county.pk}/group-members/add/", {"name": "x"})
        .status_code
        == 404
    )
