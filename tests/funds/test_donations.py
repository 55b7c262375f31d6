"""Donations, their receipts and the distributions that spend them: the rules."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from fpa.audit.models import LogEntry
from fpa.core.errors import DomainError
from fpa.funds import donations
from fpa.funds.models import Distribution, Donation, DonationReceipt, Donor, Draw, Project
from tests.conftest import actor_of

from .donation_helpers import ON, gift, give, medic

COUNTY = "430121000000"


@pytest.fixture
def campaign(users, tree):
    return donations.create_campaign(
        tree["430000000000"],
        "抗疫募捐",
        datetime.date(2026, 1, 25),
        actor=actor_of(users["province"]),
    )


def test_a_named_donor_has_one_row_that_lists_every_gift(users, tree):
    county = tree[COUNTY]
    first = gift(users, county, "10000")
    second = gift(users, county, "2500.005")
    assert first.donor == second.donor and Donor.unscoped_objects.count() == 1
    assert second.amount == Decimal("2500.01")  # half up to the fen
    assert (first.year, first.source, first.restricted) == (2026, "donation", False)
    anonymous = gift(users, county, "50", donor_kind="anonymous", channel="cash")
    assert anonymous.donor is None and str(anonymous).startswith("匿名")
    assert list(first.donor.donations.order_by("pk")) == [first, second]


def test_goods_name_their_item_quantity_and_valuation(users, tree):
    with pytest.raises(DomainError, match="估值方式"):
        gift(users, tree[COUNTY], "3000", kind="in_kind", item="口罩", quantity=Decimal("1000"))
    goods = gift(
        users,
        tree[COUNTY],
        "3000",
        kind="in_kind",
        item="医用口罩",
        quantity=Decimal("1000"),
        unit="只",
        valuation="invoice",
        channel="handover",
    )
    assert (goods.item, goods.quantity, goods.valuation) == (
        "医用口罩",
        Decimal("1000.00"),
        "invoice",
    )


def test_a_distribution_past_what_the_gifts_have_left_is_refused_and_changes_nothing(users, tree):
    county = tree[COUNTY]
    donation = gift(users, county, "6000")
    person = medic(users, tree)
    give(users, county, person, "4500", [(donation.pk, "4500")])
    with pytest.raises(DomainError, match="结余 1500.00 元，不足以动用 4500.00 元"):
        give(users, county, person, "4500", [(donation.pk, "4500")])
    donation.refresh_from_db()
    assert donation.distributed == Decimal("4500.00")
    assert Distribution.unscoped_objects.count() == 1 and Draw.objects.count() == 1
    # The draws must add up to the distribution.
    with pytest.raises(DomainError, match="与发放金额 1000.00 元不符"):
        give(users, county, person, "1000", [(donation.pk, "900")])
    # Planned oldest first when the importer names no gift.
    with pytest.raises(DomainError, match="还差 500.00 元"):
        give(users, county, person, "2000", None)


def test_the_database_refuses_a_donation_overdrawn(users, tree):
    donation = gift(users, tree[COUNTY], "100")
    with pytest.raises(IntegrityError), transaction.atomic():
        Donation.unscoped_objects.filter(pk=donation.pk).update(distributed=Decimal("100.01"))


def test_restricted_money_never_crosses_purposes(users, tree, campaign):
    county = tree[COUNTY]
    person = medic(users, tree)
    for_campaign = gift(users, county, "5000", campaign=campaign)
    project = Project.unscoped_objects.create(
        code="XM1", name="暖心家园", kind="warm_home", year=2026, org=county
    )
    for_project = gift(users, county, "5000", project=project)
    free = gift(users, county, "5000")
    assert for_campaign.restricted and for_project.restricted and not free.restricted
    # Campaign money is not spent on an unrestricted purpose, nor on the project.
    with pytest.raises(DomainError, match="定向：抗疫募捐，不能用于其他用途"):
        give(users, county, person, "100", [(for_campaign.pk, "100")])
    with pytest.raises(DomainError, match="不能用于其他用途"):
        give(users, county, person, "100", [(for_campaign.pk, "100")], project=project)
    # Unrestricted money may serve the campaign, and the campaign's own money does.
    made = give(
        users,
        county,
        person,
        "6000",
        [(for_campaign.pk, "5000"), (free.pk, "1000")],
        campaign=campaign,
    )
    assert sorted(made.draws.values_list("amount", flat=True)) == [
        Decimal("1000.00"),
        Decimal("5000.00"),
    ]
    # What a distribution for nothing in particular may draw on: the unrestricted gift only.
    usable = donations.eligible(county, actor_of(users["county"]), kind="cash")
    assert list(usable) == [free]
    with pytest.raises(IntegrityError), transaction.atomic():
        Donation.unscoped_objects.filter(pk=free.pk).update(restricted=True)
    if connection.vendor == "postgresql":
        # The database refuses a draw of campaign money for the project whatever the code does.
        other = give(users, county, person, "100", [(free.pk, "100")], project=project)
        with pytest.raises(DatabaseError), transaction.atomic():
            Draw.objects.create(distribution=other, donation=for_campaign, amount=Decimal("1"))


def test_the_receipt_log_keeps_a_void_and_its_reissue(users, tree):
    donation = gift(users, tree[COUNTY], "10000")
    actor = actor_of(users["county"])
    first = donations.issue_receipt(donation, "4300012026 0000101", ON, actor=actor)
    assert first.number == "43000120260000101"
    donation.refresh_from_db()
    assert donation.receipt == first
    with pytest.raises(DomainError, match="已有有效票据 43000120260000101"):
        donations.issue_receipt(donation, "X2", ON, actor=actor)
    with pytest.raises(DomainError, match="尚未作废"):
        donations.reissue_receipt(first, "X2", ON, actor=actor)
    with pytest.raises(DomainError, match="请填写作废原因"):
        donations.void_receipt(first, " ", ON, actor=actor)
    donations.void_receipt(first, "抬头写错", ON, actor=actor)
    donation.refresh_from_db()
    assert donation.receipt is None
    with pytest.raises(DomainError, match="已登记过"):
        donations.reissue_receipt(first, "43000120260000101", ON, actor=actor)
    second = donations.reissue_receipt(first, "43000120260000102", ON, actor=actor)
    donation.refresh_from_db()
    assert (donation.receipt, second.replaces, first.reissued_as) == (second, first, second)
    first.refresh_from_db()
    assert (first.status, first.void_reason) == ("voided", "抬头写错")
    with pytest.raises(DomainError, match="已于"):
        donations.void_receipt(first, "再作废", ON, actor=actor)
    actions = list(
        LogEntry.unscoped_objects.filter(action__startswith="fpa.funds.receipt_")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "fpa.funds.receipt_issued",
        "fpa.funds.receipt_voided",
        "fpa.funds.receipt_reissued",
    ]


def test_a_receipt_is_never_deleted(users, tree):
    donation = gift(users, tree[COUNTY], "10000")
    receipt = donations.issue_receipt(donation, "R1", ON, actor=actor_of(users["county"]))
    with pytest.raises(PermissionError):
        receipt.delete()
    with pytest.raises(PermissionError):
        DonationReceipt.unscoped_objects.all().delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        donation.delete()  # PROTECT: the receipt holds its gift
    if connection.vendor == "postgresql":
        # The database itself refuses, whatever the code does.
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM funds_donationreceipt")
    assert DonationReceipt.unscoped_objects.count() == 1


def test_another_countys_clerk_can_neither_spend_nor_receipt_a_gift(users, tree):
    donation = gift(users, tree[COUNTY], "1000")
    outsider = users["outsider"]
    with pytest.raises(DomainError, match="找不到该捐赠"):
        donations.issue_receipt(donation, "R9", ON, actor=actor_of(outsider))
    other = medic(users, tree, seq=77, name="外县人")
    with pytest.raises(DomainError):
        give(users, tree["430181001000"], other, "10", [(donation.pk, "10")], who="outsider")
    assert not Distribution.unscoped_objects.exists()


def test_a_lower_org_spends_its_county_gift_but_not_the_other_way(users, tree):
    county, village = tree[COUNTY], tree["430121001001"]
    up = gift(users, county, "1000")
    down = gift(users, village, "1000", who="village")
    person = medic(users, tree)
    give(users, village, person, "10", [(up.pk, "10")])
    with pytest.raises(DomainError, match="由湖湾村村民委员会接收，长沙县不能动用"):
        give(users, county, person, "10", [(down.pk, "10")])


def test_each_call_writes_one_audit_entry(users, tree, campaign):
    person = medic(users, tree)
    before = LogEntry.unscoped_objects.count()
    donation = gift(users, tree[COUNTY], "1000", campaign=campaign)
    give(users, tree[COUNTY], person, "400", [(donation.pk, "400")], campaign=campaign)
    entries = list(LogEntry.unscoped_objects.order_by("pk"))[before:]
    assert [e.action for e in entries] == ["fpa.funds.donation_recorded", "fpa.funds.distributed"]
    assert entries[-1].changes["draws"] == {str(donation.pk): "400.00"}
