"""The donation pages as a clerk uses them: entering a gift and its receipt, voiding and
reissuing it, a campaign and a distribution from its gifts, the person's page, the lists and
their files; another county's gift is a 404 and every file is audited."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from fpa.audit.models import LogEntry
from fpa.core.models import Job
from fpa.funds import donations
from fpa.funds.models import Distribution, Donation, DonationReceipt
from fpa.orgs.picker import label_of
from tests.conftest import actor_of
from tests.people.conftest import id_for

from .donation_helpers import ON, gift, give, medic

COUNTY = "430121000000"


def test_a_clerk_enters_a_gift_and_its_receipt_then_voids_and_reissues_it(users, tree, client_for):
    client = client_for(users["county"])
    response = client.post(
        "/funds/donations/add/",
        {
            "org": label_of(tree[COUNTY]),
            "donor_kind": "organisation",
            "donor_name": "湘江爱心基金",
            "kind": "cash",
            "amount": "20000",
            "received_on": "2026-02-10",
            "channel": "bank",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    donation = Donation.unscoped_objects.get()
    url = f"/funds/donations/{donation.pk}/"
    page = client.get(url).content.decode()
    assert "20,000.00" in page and "未开票据" in page and "湘江爱心基金" in page
    client.post(f"{url}receipt/", {"number": "43012026000001", "issued_on": "2026-02-11"})
    receipt = DonationReceipt.unscoped_objects.get()
    page = client.get(url).content.decode()
    assert "data-confirm" in page and "43012026000001（2026-02-11）" in page
    # Void without a reason: refused on the page, nothing changed.
    page = client.post(f"/funds/receipts/{receipt.pk}/void/", {"reason": "", "on": "2026-02-12"})
    assert page.status_code == 200
    receipt.refresh_from_db()
    assert receipt.status == "issued"
    client.post(f"/funds/receipts/{receipt.pk}/void/", {"reason": "抬头有误", "on": "2026-02-12"})
    client.post(
        f"/funds/receipts/{receipt.pk}/reissue/",
        {"number": "43012026000002", "issued_on": "2026-02-12"},
    )
    donation.refresh_from_db()
    assert donation.receipt.number == "43012026000002"
    log = client.get("/funds/receipts/").content.decode()
    assert "补开（原票据 43012026000001）" in log and "作废：抬头有误" in log
    # The to-do of gifts lacking a receipt is empty again.
    assert "尚未登记票据的捐赠" not in client.get("/").content.decode()


def test_the_todo_lists_gifts_lacking_a_receipt(users, tree, client_for):
    gift(users, tree[COUNTY], "100")
    gift(users, tree[COUNTY], "100", donor_kind="anonymous")  # nobody to issue one to
    page = client_for(users["county"]).get("/funds/donations/", {"lacking": "on"}).content.decode()
    assert page.count('bg-warning-lt">未开票据') == 1
    from fpa.funds.todo import todos

    assert [(t.label, t.count) for t in todos(actor_of(users["county"]))] == [
        ("尚未登记票据的捐赠", 1)
    ]


def test_a_distribution_from_the_campaign_page_reaches_the_persons_page(users, tree, client_for):
    county = tree[COUNTY]
    actor = actor_of(users["county"])
    campaign = donations.create_campaign(county, "抗疫募捐", ON, actor=actor)
    donation = gift(users, county, "9000", campaign=campaign)
    gift(users, tree["430121001001"], "1000", who="village", campaign=campaign)
    person = medic(users, tree)
    client = client_for(users["county"])
    form = client.get(f"/funds/distributions/add/?campaign={campaign.pk}").content.decode()
    assert f'name="draw_{donation.pk}"' in form and "9,000.00" in form
    response = client.post(
        f"/funds/distributions/add/?campaign={campaign.pk}",
        {
            "org": label_of(county),
            "kind": "cash",
            "recipient_kind": "person",
            "id_number": id_for("430121", seq=31),
            "campaign": campaign.pk,
            "amount": "4500",
            "on": "2026-03-01",
            "purpose": "一线医务人员慰问金",
            f"draw_{donation.pk}": "4500",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    made = Distribution.unscoped_objects.get()
    assert made.person == person and made.campaign == campaign
    page = client.get(f"/funds/campaigns/{campaign.pk}/").content.decode()
    assert "湖湾村村民委员会" in page or "星沙街道" in page
    assert "5,500.00" in page  # 10,000 raised − 4,500 given, in the own row
    # The list of campaigns totals each one: 1 万元 raised, 0.45 given, 0.55 left.
    listed = client.get("/funds/campaigns/").content.decode()
    assert 'data-testid="campaign-left"><span' in listed and "0.55 万元" in listed
    person_page = client.get(f"/people/{person.pk}/").content.decode()
    assert 'data-testid="donations-received"' in person_page and "4,500.00" in person_page


def test_a_distribution_past_the_balance_is_refused_on_the_page(users, tree, client_for):
    donation = gift(users, tree[COUNTY], "1000")
    medic(users, tree)
    page = (
        client_for(users["county"])
        .post(
            "/funds/distributions/add/",
            {
                "org": label_of(tree[COUNTY]),
                "kind": "cash",
                "recipient_kind": "person",
                "id_number": id_for("430121", seq=31),
                "amount": "1500",
                "on": "2026-03-01",
                "purpose": "慰问",
                f"draw_{donation.pk}": "1500",
            },
        )
        .content.decode()
    )
    assert "结余 1000.00 元，不足以动用 1500.00 元" in page
    assert not Distribution.unscoped_objects.exists()


@pytest.mark.parametrize(
    "url", ["/funds/donations/{d}/", "/funds/donors/{donor}/", "/funds/distributions/{m}/"]
)
def test_another_countys_gift_is_not_found(users, tree, client_for, url):
    donation = gift(users, tree[COUNTY], "1000")
    made = give(users, tree[COUNTY], medic(users, tree), "10", [(donation.pk, "10")])
    client = client_for(users["outsider"])
    target = url.format(d=donation.pk, donor=donation.donor_id, m=made.pk)
    assert client.get(target).status_code == 404
    assert client_for(users["county"]).get(target).status_code == 200


@pytest.mark.parametrize(
    ("url", "action"),
    [
        ("/funds/donations/export/", "fpa.funds.donations_exported"),
        ("/funds/receipts/export/", "fpa.funds.receipts_exported"),
        ("/funds/campaigns/export/", "fpa.funds.campaigns_exported"),
        ("/funds/distributions/export/", "fpa.funds.distributions_exported"),
    ],
)
def test_every_list_exports_what_is_in_reach_and_is_audited(users, tree, client_for, url, action):
    donation = gift(users, tree[COUNTY], "1000")
    donations.issue_receipt(donation, "R1", ON, actor=actor_of(users["county"]))
    give(users, tree[COUNTY], medic(users, tree), "10", [(donation.pk, "10")])
    donations.create_campaign(tree[COUNTY], "助学", ON, actor=actor_of(users["county"]))
    client = client_for(users["county"])
    assert client.post(url, {}).status_code == 302
    entry = LogEntry.unscoped_objects.filter(action=action).get()
    assert entry.actor == users["county"]
    assert len(rows(client)) == 2  # the header and the one row


def rows(client) -> list[tuple]:
    job = Job.unscoped_objects.latest("pk")
    data = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_an_outsiders_export_holds_none_of_the_countys_gifts(users, tree, client_for):
    gift(users, tree[COUNTY], "1000")
    client = client_for(users["outsider"])
    client.post("/funds/donations/export/", {})
    assert len(rows(client)) == 1  # the header only
