"""The one reach check: an org or a row holding one, the subtree, and 本级-only actors."""

from __future__ import annotations

import pytest
from django.http import Http404

from fpa.kernel.scope import Actor, in_reach, require_in_reach
from fpa.people.models import Person


def test_an_actor_reaches_its_subtree_and_nothing_beside_it(tree):
    county = Actor.system(tree["430121000000"])
    assert in_reach(tree["430121001001"], county)
    assert in_reach(tree["430121000000"], county)
    assert not in_reach(tree["430181001000"], county)
    assert not in_reach(tree["430100000000"], county)


def test_a_self_only_actor_reaches_its_own_org_alone(tree):
    county = Actor(user=None, org=tree["430121000000"], self_only=True)
    assert in_reach(tree["430121000000"], county)
    assert not in_reach(tree["430121001001"], county)
    with pytest.raises(Http404):
        require_in_reach(tree["430121001001"], county)


def test_a_row_is_in_reach_through_its_org(tree):
    person = Person(name="张三")
    person.place_in(tree["430121001001"])
    require_in_reach(person, Actor.system(tree["430121001000"]))
    with pytest.raises(Http404):
        require_in_reach(person, Actor.system(tree["430181000000"]))
