"""Demo donations: the province's foundation (省人口健康福利基金会) as an org of its own under the
province (kind 其他, like the demo's school and hospital associations under 长沙县), an epidemic
relief campaign it ran, gifts in cash and in kind from companies, a resident and an anonymous
giver, their receipts (one voided and reissued), medics paid 4,000–5,000 yuan each, and masks
delivered to a hospital association.

Through the services with the demo province clerk as actor, so the receipts log, the draws and
the audit log are what the pages would have written. Idempotent: nothing is done when the
foundation has its campaign. Called from `fpa.funds.demo.load`.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from fpa.accounts.models import User
from fpa.kernel.scope import Actor
from fpa.kernel.upkeep import fill_ancestors
from fpa.orgs.models import Kind, Org, Status
from fpa.orgs.tree import initials, next_child_path
from fpa.people.models import Person
from fpa.programs.demo import demo_year

from . import donations
from .donations import DistributionData, DonationData
from .models import Campaign

FOUNDATION = "湖南省人口健康福利基金会"
CAMPAIGN = "抗击新冠肺炎疫情募捐"
#: companies' cash gifts to the campaign (yuan); with the rest, over 5 million as in the report
COMPANIES = [
    ("湖南某工程机械股份有限公司", "2000000"),
    ("长沙某银行股份有限公司", "1200000"),
    ("湖南某医药集团有限公司", "800000"),
    ("某烟草公司湖南分公司", "600000"),
    ("湖南某食品有限公司", "300000"),
    ("长沙某科技有限公司", "150000"),
]
#: goods for the campaign: (donor, item, quantity, unit, valuation, yuan) — nearly 3 million
GOODS = [
    ("湖南某医药集团有限公司", "医用外科口罩", "500000", "只", "invoice", "1250000"),
    ("某纺织有限公司", "医用防护服", "6000", "套", "invoice", "1020000"),
    ("某商贸有限公司", "消毒液", "30000", "瓶", "market", "600000"),
]
MEDICS = 30


def _foundation(province: Org) -> Org:
    found = Org.unscoped_objects.filter(parent=province, name=FOUNDATION).first()
    if found is not None:
        return found
    org = Org(
        parent=province,
        path=next_child_path(province),
        depth=province.depth + 1,
        level=province.level,
        kind=Kind.OTHER,
        name=FOUNDATION,
        initials=initials(FOUNDATION),
        status=Status.ESTABLISHED,
        established_on=datetime.date(1996, 6, 1),
    )
    fill_ancestors(org, province)
    org.save()
    return org


def load(today: datetime.date | None = None) -> bool:
    today = today or datetime.date.today()
    year = demo_year(today)
    province = Org.unscoped_objects.filter(code="430000000000").first()
    user = User.objects.filter(username="sheng").first()
    county = Org.unscoped_objects.filter(code="430121000000").first()
    if province is None or user is None or county is None:
        return False  # not a demo database
    if Campaign.unscoped_objects.filter(name=CAMPAIGN, org__parent=province).exists():
        return False
    actor = Actor.for_user(user, "127.0.0.1")
    foundation = _foundation(province)
    start = datetime.date(year, 1, 25)
    campaign = donations.create_campaign(
        foundation,
        CAMPAIGN,
        start,
        ends_on=datetime.date(year, 4, 30),
        note="募集资金与防疫物资，慰问一线医务人员",
        actor=actor,
    )
    rng = random.Random(2020)
    gifts = []
    for i, (name, amount) in enumerate(COMPANIES):
        gifts.append(
            donations.record_donation(
                foundation,
                DonationData(
                    kind="cash",
                    amount=Decimal(amount),
                    received_on=start + datetime.timedelta(days=i),
                    channel="bank",
                    donor_kind="organisation",
                    donor_name=name,
                    campaign=campaign,
                ),
                actor=actor,
            )
        )
    for name, item, quantity, unit, valuation, amount in GOODS:
        donations.record_donation(
            foundation,
            DonationData(
                kind="in_kind",
                amount=Decimal(amount),
                received_on=start + datetime.timedelta(days=3),
                channel="handover",
                donor_kind="organisation",
                donor_name=name,
                item=item,
                quantity=Decimal(quantity),
                unit=unit,
                valuation=valuation,
                campaign=campaign,
            ),
            actor=actor,
        )
    resident = Person.unscoped_objects.filter(county=county).order_by("pk").first()
    if resident is not None:
        donations.record_donation(
            foundation,
            DonationData(
                kind="cash",
                amount=Decimal("2000"),
                received_on=start + datetime.timedelta(days=5),
                channel="wechat",
                donor_kind="person",
                person=resident,
                campaign=campaign,
            ),
            actor=actor,
        )
    donations.record_donation(
        foundation,
        DonationData(
            kind="cash",
            amount=Decimal("500"),
            received_on=start + datetime.timedelta(days=6),
            channel="cash",
            note="匿名捐赠，现金交付",
        ),
        actor=actor,
    )
    # Receipts from the finance bureau's system: numbers recorded, the last company's one still
    # to come (the to-do shows it); the first was made out wrongly, voided and reissued.
    for i, gift in enumerate(gifts[:-1]):
        donations.issue_receipt(
            gift,
            f"43{year}0{i + 1:07d}",
            gift.received_on + datetime.timedelta(days=7),
            actor=actor,
        )
    first = gifts[0].receipts.get()
    later = first.issued_on + datetime.timedelta(days=2)
    donations.void_receipt(first, "捐赠单位名称写错", later, actor=actor)
    donations.reissue_receipt(first, f"43{year}0{len(gifts) + 1:07d}", later, actor=actor)
    # Medics of 长沙县 paid 4,000–5,000 yuan each from the campaign's money.
    medics = Person.unscoped_objects.filter(county=county).order_by("pk")[1 : MEDICS + 1]
    for i, medic in enumerate(medics):
        donations.distribute(
            foundation,
            DistributionData(
                kind="cash",
                amount=Decimal(rng.choice([4000, 4500, 5000])),
                on=datetime.date(year, 3, 1) + datetime.timedelta(days=i % 10),
                purpose="一线医务人员慰问金",
                person=medic,
                campaign=campaign,
                signed_by=medic.name,
            ),
            actor=actor,
        )
    hospital = Org.unscoped_objects.filter(parent=county, kind=Kind.HOSPITAL).first()
    if hospital is not None:
        donations.distribute(
            foundation,
            DistributionData(
                kind="in_kind",
                amount=Decimal("250000"),
                on=datetime.date(year, 2, 10),
                purpose="防疫物资",
                recipient_kind="org",
                recipient_org=hospital,
                campaign=campaign,
                item="医用外科口罩",
                quantity=Decimal("100000"),
                unit="只",
                signed_by="医院后勤科",
            ),
            actor=actor,
        )
    return True
