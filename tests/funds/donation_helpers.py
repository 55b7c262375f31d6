"""Shared steps of the donation tests: a gift, a medic, a campaign."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from fpa.funds import donations
from fpa.funds.donations import DistributionData, DonationData
from fpa.people import services as people
from tests.conftest import actor_of
from tests.people.conftest import id_for

ON = datetime.date(2026, 2, 10)


def gift(
    users: dict[str, Any],
    org: Any,
    amount: str = "10000",
    who: str = "county",
    **extra: Any,
) -> Any:
    data = DonationData(
        kind=extra.pop("kind", "cash"),
        amount=Decimal(amount),
        received_on=extra.pop("received_on", ON),
        channel=extra.pop("channel", "bank"),
        donor_kind=extra.pop("donor_kind", "organisation"),
        donor_name=extra.pop("donor_name", "长沙某某科技有限公司"),
        **extra,
    )
    return donations.record_donation(org, data, actor=actor_of(users[who]))


def medic(users: dict[str, Any], tree: dict[str, Any], seq: int = 31, name: str = "李医生") -> Any:
    return people.register_person(
        {"name": name, "id_number": id_for("430121", seq=seq), "org": tree["430121001001"]},
        actor=actor_of(users["county"]),
    )


def give(
    users: dict[str, Any],
    org: Any,
    person: Any,
    amount: str,
    draws: list[tuple[int, str]] | None,
    who: str = "county",
    **extra: Any,
) -> Any:
    data = DistributionData(
        kind=extra.pop("kind", "cash"),
        amount=Decimal(amount),
        on=extra.pop("on", datetime.date(2026, 3, 1)),
        purpose=extra.pop("purpose", "一线医务人员慰问金"),
        person=person,
        **extra,
    )
    planned = None if draws is None else [(pk, Decimal(a)) for pk, a in draws]
    return donations.distribute(org, data, planned, actor=actor_of(users[who]))
