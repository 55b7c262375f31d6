"""The member card fits the longest association name of the province (issue 13 point 11): the
name wraps inside the border, on the single card and on the 8-a-sheet layout."""

from __future__ import annotations

import datetime

import pytest

from fpa.orgs.models import Org
from fpa.people import services
from tests.conftest import actor_of
from tests.people.conftest import id_for

from .conftest import login

#: the longest village name of Hunan's 2023 code table (18 characters, 24 with 计划生育协会)
LONGEST = "长沙雨花经济开发区管理委员会虚拟社区"


@pytest.fixture
def member(transactional_db, users, tree):
    village = tree["430121001001"]
    Org.unscoped_objects.filter(pk=village.pk).update(name=LONGEST)
    village.refresh_from_db()
    person = services.register_person(
        {"name": "欧阳桂兰", "id_number": id_for("430121"), "org": village},
        actor=actor_of(users["county"]),
    )
    return services.join(
        person, village, datetime.date(2021, 7, 1), actor=actor_of(users["county"])
    )


FITS = """() => [...document.querySelectorAll('[data-testid=card]')].map(card => {
    const box = card.getBoundingClientRect();
    const inside = [...card.querySelectorAll('*')].every(el => {
        const r = el.getBoundingClientRect();
        return r.right <= box.right + 0.5 && r.bottom <= box.bottom + 0.5;
    });
    // scroll sizes round up: a sub-pixel line box is not an overflow
    return inside && card.scrollHeight <= card.clientHeight + 1
        && card.scrollWidth <= card.clientWidth + 1;
})"""


@pytest.mark.parametrize("layout", ["single", "sheet"])
def test_the_longest_association_name_stays_inside_the_card(page, member, shoot, layout):
    login(page, "county")
    url = f"/people/members/{member.pk}/card/"
    if layout == "sheet":
        url = "/people/members/roster/?layout=sheet"
    page.goto(page.base_url + url)
    assert f"{LONGEST}计划生育协会" in page.inner_text("[data-testid=card-org]")
    shoot(f"member-card-{layout}")
    assert page.evaluate(FITS) == [True] * page.locator("[data-testid=card]").count()
