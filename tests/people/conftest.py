from __future__ import annotations

import datetime

import pytest

from fpa.core import idnumber
from fpa.people import services
from tests.conftest import actor_of


def id_for(
    code: str,
    birth: datetime.date = datetime.date(1968, 3, 9),
    seq: int = 12,
    gender: str = "female",
) -> str:
    return idnumber.synthesize(code[:6], birth, seq, gender)


@pytest.fixture
def person(users, tree):
    """A woman registered in 湖湾村 by the county clerk."""
    return services.register_person(
        {
            "name": "张桂兰",
            "id_number": id_for("430121"),
            "phone": "13812345678",
            "org": tree["430121001001"],
        },
        actor=actor_of(users["county"]),
    )
