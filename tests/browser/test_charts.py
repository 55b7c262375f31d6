"""Charts say their unit, keep long names whole on hover, and many bars become a sorted
horizontal bar chart (issue 13 point 11); large sums of money read in 万元 on the axis with the
exact yuan on hover (point 6)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from fpa.kernel.scope import Actor
from fpa.orgs import services
from fpa.orgs.models import Kind
from fpa.programs import setup
from tests.conftest import actor_of
from tests.factories import UserFactory
from tests.families.conftest import make_family
from tests.programs.conftest import approve_all, file, make_program, person_payee

from .conftest import login

OPTION = """() => {
    const option = echarts.getInstanceByDom(document.querySelector('[data-chart=chart-sites]'))
        .getOption();
    return {x: option.xAxis[0], y: option.yAxis[0]};
}"""


@pytest.fixture
def county_with_many_children(transactional_db, users, tree):
    county = tree["430121000000"]
    for i in range(20):
        services.add_child(
            county,
            {
                "kind": Kind.SCHOOL,
                "name": f"湘西土家族苗族自治州第{i}中学计生协",
                "established_on": datetime.date(2020, 1, 1),
            },
            actor=Actor.system(county),
        )
    return users


def test_many_bars_are_a_horizontal_chart_with_whole_names_and_a_unit(
    page, county_with_many_children, shoot
):
    login(page, "county")
    page.wait_for_selector("[data-chart=chart-sites] canvas")
    shoot("chart-many")
    axes = page.evaluate(OPTION)
    assert axes["y"]["type"] == "category" and len(axes["y"]["data"]) == 22
    assert "湘西土家族苗族自治州第0中学计生协" in axes["y"]["data"]  # whole on hover
    assert axes["x"]["type"] == "value" and axes["x"]["name"] == "个"


def test_a_few_bars_stand_upright_with_the_unit_on_the_value_axis(page, users, tree):
    login(page, "sheng")
    page.wait_for_selector("[data-chart=chart-sites] canvas")
    axes = page.evaluate(OPTION)
    assert axes["x"]["type"] == "category" and axes["x"]["data"] == ["长沙市", "株洲市"]
    assert axes["y"]["name"] == "个"


MONEY = """() => {
    const chart = echarts.getInstanceByDom(document.querySelector('[data-chart=chart-program]'));
    const axis = chart.getOption().yAxis[0];
    chart.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0});
    const format = axis.axisLabel && axis.axisLabel.formatter;
    return {name: axis.name, labels: format ? [500000, 2500000, 15000].map(format) : null};
}"""


@pytest.fixture
def program_of_large_sums(transactional_db, users, tree):
    """A program whose one approved stay (10 days at 20,000 yuan) puts 200,000 yuan on 星沙街道."""
    staff = {
        **users,
        "reviewer": UserFactory(username="shencha", org=tree["430121001000"], roles=["reviewer"]),
        "approver": UserFactory(username="shenpi", org=tree["430121000000"], roles=["approver"]),
    }
    program = make_program(
        staff, rate={"per_day": "20000", "annual_cap": "300000"}, budget=Decimal("1000000.00")
    )
    province = actor_of(staff["province"])
    setup.split_budget(program, program.funding_org, "equal", actor=province)
    setup.split_budget(program, tree["430100000000"], "equal", actor=province)
    mother = make_family(staff, tree).parents.get().person
    approve_all(file(program, mother, person_payee(mother), staff), staff)
    return program


def test_large_sums_of_money_read_in_wan_yuan_with_the_exact_yuan_on_hover(
    page, program_of_large_sums, shoot
):
    login(page, "county")
    page.goto(f"{page.base_url}/programs/{program_of_large_sums.pk}/")
    page.wait_for_selector("[data-chart=chart-program] canvas")
    axis = page.evaluate(MONEY)
    assert axis["name"] == "万元"
    assert axis["labels"] == ["50", "250", "1.5"]
    tip = page.locator("[data-chart=chart-program]")
    page.wait_for_function(
        "() => document.querySelector('[data-chart=chart-program]').innerText.includes('元')"
    )
    text = tip.inner_text()
    assert "星沙街道" in text and "已批准：200,000.00 元" in text
    shoot("chart-money")
