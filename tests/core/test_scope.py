from __future__ import annotations

import re
from pathlib import Path

import pytest

from fpa.orgs.kernel.scope import ScopeError
from fpa.orgs.models import Org, OrgYear, ServiceSite
from tests.conftest import actor_of

SRC = Path(__file__).resolve().parents[2] / "src" / "fpa"


@pytest.mark.parametrize("model", [Org, OrgYear, ServiceSite])
def test_query_without_an_actor_is_refused(db, model):
    with pytest.raises(ScopeError):
        list(model.objects.all())
    with pytest.raises(ScopeError):
        model.objects.filter(pk=1).exists()


def test_township_user_sees_exactly_their_township_subtree(users, tree):
    outsider = actor_of(users["outsider"])
    seen = set(Org.objects.for_actor(outsider).values_list("code", flat=True))
    assert seen == {"430181001000", "430181001001"}


def test_village_user_cannot_see_neighbour_village(users, tree):
    village = actor_of(users["village"])
    assert not Org.objects.for_actor(village).filter(code="430121001002").exists()
    assert Org.objects.for_actor(village).filter(code="430121001001").exists()


def test_pages_and_api_never_use_the_unscoped_manager():
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name in ("views.py", "api.py") and re.search(r"unscoped_objects", path.read_text())
    ]
    assert offenders == []
