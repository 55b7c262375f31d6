"""The world's donation objects (tests/urlwalk.py `build_world`): in 长沙县 a campaign, a gift
restricted to it with its receipt and donor, and a distribution with signed-for evidence to the
world's person; their twins in 浏阳市, entered by that county's clerk."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from fpa.funds import donations
from fpa.funds.donations import DistributionData, DonationData
from tests.conftest import actor_of
from tests.core.uploads_helpers import png

ON = datetime.date(2026, 2, 10)


def donation_objects(org: Any, user: Any, person: Any, tag: str) -> dict[str, Any]:
    actor = actor_of(user)
    campaign = donations.create_campaign(org, f"抗疫募捐{tag}", ON, actor=actor)
    gift = donations.record_donation(
        org,
        DonationData(
            kind="cash",
            amount=Decimal("10000"),
            received_on=ON,
            channel="bank",
            donor_kind="organisation",
            donor_name=f"爱心企业{tag}",
            campaign=campaign,
        ),
        actor=actor,
    )
    receipt = donations.issue_receipt(gift, f"R-WALK-{tag}", ON, actor=actor)
    made = donations.distribute(
        org,
        DistributionData(
            kind="cash",
            amount=Decimal("4500"),
            on=ON,
            purpose="一线医务人员慰问金",
            person=person,
            campaign=campaign,
        ),
        [(gift.pk, Decimal("4500"))],
        evidence=SimpleUploadedFile("sign.png", png()),
        actor=actor,
    )
    return {
        "campaign_id": campaign.pk,
        "donation_id": gift.pk,
        "donor_id": gift.donor_id,
        "receipt_id": receipt.pk,
        "distribution_id": made.pk,
    }


SCOPED = {"campaign_id", "donation_id", "donor_id", "receipt_id", "distribution_id"}
