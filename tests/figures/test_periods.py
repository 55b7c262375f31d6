"""A stock is what the records hold on the year's last day; a flow counts what happened in it."""

from __future__ import annotations

import datetime

from fpa import figures
from fpa.accounts.models import User
from fpa.families import services as family_services
from fpa.families.models import CareKind, SpecialFamily
from fpa.kernel.scope import Actor
from fpa.people import services as people_services
from fpa.people.models import Membership

TODAY = datetime.date.today()


def clerk() -> Actor:
    return Actor.for_user(User.objects.get(username="changshaxian"), "127.0.0.1")


def test_a_lapsed_member_counts_in_the_years_before_and_not_after(demo_county):
    county = demo_county["430121000000"]
    member = Membership.unscoped_objects.filter(county=county, status="active").first()
    member.joined_on = datetime.date(2015, 7, 1)
    member.save(update_fields=["joined_on"])
    before = {y: figures.figure("people.members", county, y) for y in (2020, 2021, None)}
    people_services.set_membership_status(
        member, "lapsed", datetime.date(2021, 3, 1), "逾期未缴", actor=clerk()
    )
    assert figures.figure("people.members", county, 2020) == before[2020]
    assert figures.figure("people.members", county, 2021) == before[2021] - 1
    # The running year reads the counter the service bumped.
    assert figures.figure("people.members", county, None) == before[None] - 1
    assert figures.figure("people.members", county, TODAY.year) == before[None] - 1


def test_care_counts_in_the_year_it_was_given(demo_county):
    county = demo_county["430121000000"]
    family = SpecialFamily.unscoped_objects.filter(county=county, status="active").first()
    before = {y: figures.figure("families.care", county, y) for y in (TODAY.year - 1, TODAY.year)}
    amount = figures.figure("families.care_amount", county, TODAY.year)
    data = {"kind": CareKind.VISIT, "on": TODAY, "what": "走访慰问", "amount": 200}
    family_services.record_care(family, data, actor=clerk())
    assert figures.figure("families.care", county, TODAY.year) == before[TODAY.year] + 1
    assert figures.figure("families.care", county, TODAY.year - 1) == before[TODAY.year - 1]
    assert figures.figure("families.care_amount", county, TODAY.year) == amount + 200
    assert figures.figure("families.care.visit", county.parent, TODAY.year) >= 1
