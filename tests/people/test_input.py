"""Odd ids on the people pages are a refusal, never a 500."""

from __future__ import annotations

from fpa.people import services


def test_a_member_group_that_is_not_an_ascii_number_is_not_found(person, users, tree, client_for):
    membership = services.join(
        person, tree["430121001001"], person.birth_date.replace(year=2020), actor=_actor(users)
    )
    client = client_for(users["county"])
    for group in ("²", "9" * 30, "9" * 5000):
        response = client.post(f"/people/members/{membership.pk}/group/", {"group": group})
        assert response.status_code == 404


def test_list_pages_take_odd_page_numbers(person, users, client_for):
    client = client_for(users["county"])
    for page in ("²", "9" * 5000, "9" * 30, "-1"):
        assert client.get("/people/", {"page": page}).status_code == 200
        assert client.get("/people/members/", {"page": page}).status_code == 200


def _actor(users):
    from tests.conftest import actor_of

    return actor_of(users["county"])


def test_a_member_group_name_with_a_nul_byte_is_refused(person, users, tree, client_for):
    from fpa.people.models import MemberGroup

    village = tree["430121001001"]
    client = client_for(users["county"])
    response = client.post(
        f"/people/org/{village.pk}/groups/add/", {"name": "第一\x00小组"}, follow=True
    )
    assert "控制字符" in response.content.decode()
    assert not MemberGroup.unscoped_objects.exists()
