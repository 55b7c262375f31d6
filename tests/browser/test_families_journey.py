from __future__ import annotations

import datetime

import pytest

from fpa.families.models import Festival
from tests.families.conftest import make_family

from .conftest import login


@pytest.fixture
def current_festival(transactional_db):
    today = datetime.date.today()
    return Festival.objects.create(
        code="campaign",
        name="慰问月",
        year=today.year,
        date=today,
        window_start=today - datetime.timedelta(days=5),
        window_end=today + datetime.timedelta(days=5),
    )


def test_township_clerk_records_a_festival_visit_for_several_families_and_the_gap_closes(
    page, transactional_db, users, tree, current_festival, shoot
):
    for seq, village in ((600, "430121001001"), (610, "430121001002")):
        make_family(users, tree, village=village, seq=seq)
    login(page, "county")
    page.goto(page.base_url + f"/families/coverage/?festival={current_festival.pk}")
    cells = page.locator("[data-testid=coverage] tfoot td")
    assert cells.nth(1).inner_text() == "2"
    page.click("text=特殊家庭")
    shoot("families-worklist")
    page.goto(page.base_url + f"/families/batch/?festival={current_festival.pk}")
    assert page.locator("[data-testid=owed] input[type=checkbox]").count() == 2
    page.select_option("#id_festival", str(current_festival.pk))
    page.fill("#id_what", "慰问月上门走访，送米油")
    page.fill("#id_amount", "300")
    page.click("[data-testid=batch-save]")
    page.wait_for_selector("text=已为 2 户记录")
    page.goto(page.base_url + f"/families/coverage/?festival={current_festival.pk}")
    shoot("families-coverage")
    header = page.locator("[data-testid=coverage] thead th").all_inner_texts()
    column = header.index("慰问月未慰问")
    assert page.locator("[data-testid=coverage] tfoot td").nth(column).inner_text() == "0"
