from __future__ import annotations

import pytest

from fpa.core.errors import DomainError
from fpa.kernel import upkeep
from fpa.orgs import tree as org_tree
from fpa.orgs.models import Level, Org
from fpa.people.villages import VillageIndex
from tests.conftest import actor_of


@pytest.mark.parametrize(
    "written",
    [
        "430121001001",
        "湖湾村",
        "湖湾村委会",
        "湖湾村村民委员会",
        "星沙街道湖湾村",
        "星沙湖湾村",
        "湖湾",
    ],
)
def test_a_village_is_found_however_the_clerk_wrote_it(users, tree, written):
    assert VillageIndex(actor_of(users["county"])).resolve(written) == tree["430121001001"]


def test_a_village_outside_the_importing_subtree_is_not_found(users, tree):
    index = VillageIndex(actor_of(users["county"]))
    with pytest.raises(DomainError, match="找不到"):
        index.resolve("北正社区")
    with pytest.raises(DomainError, match="不在本辖区"):
        index.resolve("430181001001")


def test_an_ambiguous_name_lists_the_candidates_and_the_township_settles_it(users, tree):
    township = tree["430121002000"]
    twin = Org(
        parent=township,
        path=org_tree.next_child_path(township),
        depth=township.depth + 1,
        level=Level.VILLAGE,
        name="湖湾社区居委会",
        code="430121002002",
    )
    upkeep.fill_ancestors(twin, township)
    twin.save()
    index = VillageIndex(actor_of(users["county"]))
    with pytest.raises(DomainError, match="多个同名") as exc:
        index.resolve("湖湾村")
    assert "430121001001" in exc.value.message and "430121002002" in exc.value.message
    assert index.resolve("黄花镇湖湾社区") == twin
    assert index.resolve("星沙街道湖湾村") == tree["430121001001"]
