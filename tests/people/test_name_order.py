"""Names in pinyin order (issue 13 point 4): lists of persons, members and position holders
follow the stored pinyin initials, then the name — 安 冯 何 余 张, not the code points' order
(何 余 冯 …). A search by the start of a name keeps the name order its index walks."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from fpa.people import positions_services, selectors, services
from tests.conftest import actor_of
from tests.people.conftest import id_for

NAMES = ["何", "余", "冯", "安", "张"]  # as registered, which is also code-point order's 何 余 冯
PINYIN = ["安", "冯", "何", "余", "张"]


@pytest.fixture
def five(users, tree):
    """Five persons of 湖湾村, each a member and a volunteer, registered in code-point order."""
    actor = actor_of(users["county"])
    village = tree["430121001001"]
    people = []
    for seq, name in enumerate(NAMES, start=2):
        person = services.register_person(
            {"name": name, "id_number": id_for("430121", seq=seq * 10), "org": village}, actor=actor
        )
        services.join(person, village, datetime.date(2021, 1, 1), actor=actor)
        positions_services.add_position(
            "volunteer", person, {"org": village, "since": datetime.date(2021, 1, 1)}, actor=actor
        )
        people.append(person)
    return people


def test_persons_members_and_volunteers_come_in_pinyin_order(five, users):
    county = actor_of(users["county"])
    assert [p.name for p in selectors.persons(county, {})] == PINYIN
    assert [m.person.name for m in selectors.members(county, {})] == PINYIN
    assert [v.person.name for v in selectors.positions(county, "volunteer", {})] == PINYIN


@pytest.mark.parametrize(
    "url", [reverse("people:persons"), reverse("people:members"), "/people/positions/volunteer/"]
)
def test_the_list_pages_show_names_in_pinyin_order(five, users, client_for, url):
    page = client_for(users["county"]).get(url).content.decode()
    shown = re.findall(r">(安|冯|何|余|张)</a>", page)
    assert shown == PINYIN, shown


def test_an_initials_search_lists_in_pinyin_order_too(five, users, tree):
    county = actor_of(users["county"])
    for name in ("王一", "王安"):  # 一 (wy) comes before 安 (wa) by code point
        services.register_person(
            {"name": name, "id_type": "none", "org": tree["430121001001"]}, actor=county
        )
    assert [p.name for p in selectors.persons(county, {"q": "w"})] == ["王安", "王一"]


def test_a_search_by_the_start_of_a_name_keeps_the_name_order_its_index_walks(five, users, tree):
    county = actor_of(users["county"])
    for name in ("王一", "王安"):
        services.register_person(
            {"name": name, "id_type": "none", "org": tree["430121001001"]}, actor=county
        )
    assert selectors.name_order({"q": "王"}) == ("name", "id")
    assert [p.name for p in selectors.persons(county, {"q": "王"})] == ["王一", "王安"]
    assert selectors.name_order({"q": "wa"}) == ("initials", "name", "id")
    assert selectors.name_order({"q": "0129"}) == ("initials", "name", "id")  # last four
