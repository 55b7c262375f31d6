"""The donation import's commit: donors made once each and reused, all rows or none."""

from __future__ import annotations

from openpyxl import Workbook

from fpa.core.imports import accepted, preview
from fpa.funds.donation_imports import Context, DonationSchema, commit_donations
from fpa.funds.models import Donation, Donor
from tests.conftest import actor_of
from tests.people.conftest import id_for

from .donation_helpers import gift, medic


def test_a_file_reuses_known_donors_and_makes_each_new_one_once(users, tree, tmp_path):
    county = tree["430121000000"]
    gift(users, county, "100", donor_name="老朋友公司")
    medic(users, tree, seq=41, name="王捐赠")
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["接收日期", "捐赠人类别", "捐赠人", "捐赠人身份证号码", "捐赠类别", "金额", "接收方式"]
    )
    sheet.append(["2026-02-01", "单位", "老朋友公司", None, "资金", 500, "银行转账"])
    sheet.append(["2026-02-02", "单位", "新朋友公司", None, "资金", 600, "微信"])
    sheet.append(["2026-02-03", "单位", "新朋友公司", None, "资金", 700, "微信"])
    sheet.append(["2026-02-04", "个人", None, id_for("430121", seq=41), "资金", 800, "现金"])
    sheet.append(["2026-02-05", "匿名", None, None, "资金", 900, "现金"])
    path = tmp_path / "捐赠.xlsx"
    book.save(path)
    actor = actor_of(users["county"])
    checked = preview(path, DonationSchema(), Context(actor), filename=path.name)
    assert checked.counts["new"] == 5, checked.errors
    assert commit_donations(accepted(checked, "skip"), actor=actor, filename=path.name) == 5
    assert Donor.unscoped_objects.count() == 3  # 老朋友, 新朋友, 王捐赠
    assert Donation.unscoped_objects.filter(donor__name="新朋友公司").count() == 2
    assert Donation.unscoped_objects.filter(donor__name="老朋友公司").count() == 2
    assert Donation.unscoped_objects.filter(donor__isnull=True).count() == 1
