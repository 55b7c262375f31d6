from __future__ import annotations

import datetime

import pytest

from fpa.families import services
from fpa.families.models import Festival
from fpa.people import services as people
from tests.conftest import actor_of
from tests.people.conftest import id_for

RECOGNIZED = datetime.date(2020, 3, 1)


@pytest.fixture
def festival(db):
    """A festival of the past with its window (transactional tests flush the shipped table)."""
    return Festival.objects.update_or_create(
        code="double_ninth",
        year=2021,
        defaults={
            "name": "重阳节",
            "date": datetime.date(2021, 10, 14),
            "window_start": datetime.date(2021, 10, 7),
            "window_end": datetime.date(2021, 10, 21),
        },
    )[0]


def make_family(users, tree, village="430121001001", seq=300, **extra):
    actor = actor_of(users["county"])
    mother = people.register_person(
        {
            "name": f"母亲{seq}",
            "id_number": id_for(village, datetime.date(1955, 1, 1), seq),
            "org": tree[village],
        },
        actor=actor,
    )
    data = {
        "kind": "bereaved",
        "parents": [mother],
        "recognized_on": RECOGNIZED,
        "child_name": "小明",
        "child_died_on": datetime.date(2019, 6, 1),
        "child_cause": "车祸",
        "health": "chronic",
        **extra,
    }
    return services.recognize(data, actor=actor)


@pytest.fixture
def family(users, tree):
    return make_family(users, tree)
