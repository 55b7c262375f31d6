from __future__ import annotations

import datetime

import pytest

from fpa.core.errors import DomainError
from fpa.people import positions_services as roles
from fpa.people import services
from tests.conftest import actor_of
from tests.people.conftest import id_for

D = datetime.date
TERM_START, TERM_END = D(2021, 1, 1), D(2026, 1, 1)


def _officer(person, org, actor, position="president", start=TERM_START, end=TERM_END, **extra):
    return roles.add_position(
        "officer",
        person,
        {"org": org, "position": position, "term_start": start, "term_end": end, **extra},
        actor=actor,
    )


def test_an_org_has_one_president_at_a_time(person, users, tree):
    actor = actor_of(users["county"])
    township = tree["430121001000"]
    _officer(person, township, actor)
    other = services.register_person(
        {"name": "陈二", "id_number": id_for("430121", seq=44), "org": tree["430121001001"]},
        actor=actor,
    )
    with pytest.raises(DomainError, match="已有会长"):
        _officer(other, township, actor, start=D(2025, 1, 1), end=D(2030, 1, 1))
    _officer(other, township, actor, start=D(2026, 1, 1), end=D(2031, 1, 1))
    _officer(other, township, actor, position="vice_president", filed_on=D(2021, 2, 1))


def test_terms_must_end_after_they_start_and_filing_is_for_township_and_village(
    person, users, tree
):
    actor = actor_of(users["province"])
    with pytest.raises(DomainError, match="晚于开始"):
        _officer(person, tree["430121001000"], actor, start=D(2022, 1, 1), end=D(2021, 1, 1))
    with pytest.raises(DomainError, match="备案"):
        _officer(
            person,
            tree["430100000000"],
            actor,
            position="secretary_general",
            filed_on=D(2021, 3, 1),
        )


def test_org_panel_shows_officers_the_election_from_terms_and_the_staff_count(
    person, users, tree, client_for
):
    actor = actor_of(users["county"])
    village = tree["430121001001"]
    _officer(person, village, actor, end=D(2027, 3, 1))
    roles.add_position(
        "staff",
        person,
        {"org": village, "post": "专干", "full_time": True, "establishment": "none"},
        actor=actor,
    )
    with pytest.raises(DomainError, match="在岗"):
        roles.add_position(
            "staff",
            person,
            {"org": village, "post": "专干", "full_time": True, "establishment": "none"},
            actor=actor,
        )
    body = client_for(users["county"]).get(f"/people/org/{village.pk}/panel/").content.decode()
    assert "张桂兰" in body and 'data-testid="election-from-terms">2027-03-01' in body
    assert 'data-testid="staff-count">1<' in body
    assert client_for(users["outsider"]).get(f"/people/org/{village.pk}/panel/").status_code == 404


def test_role_lists_are_scoped(person, users, tree, client_for):
    roles.add_position(
        "volunteer",
        person,
        {"org": tree["430121001001"], "since": D(2021, 1, 1), "skills": "心理疏导"},
        actor=actor_of(users["county"]),
    )
    assert "张桂兰" in client_for(users["county"]).get("/people/roles/volunteer/").content.decode()
    assert (
        "张桂兰"
        not in client_for(users["outsider"]).get("/people/roles/volunteer/").content.decode()
    )
    assert client_for(users["county"]).get("/people/roles/nonsense/").status_code == 404


def test_role_form_page_adds_a_council_member(person, users, client_for):
    client = client_for(users["county"])
    response = client.post(
        f"/people/{person.pk}/roles/council/add/",
        {
            "org": "430121000000",
            "standing": "on",
            "term_start": "2021-01-01",
            "term_end": "2026-01-01",
        },
    )
    assert response.status_code == 302
    assert "常务理事" in client.get(f"/people/{person.pk}/").content.decode()
