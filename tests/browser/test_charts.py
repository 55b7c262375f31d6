"""Charts say their unit, keep long names whole on hover, and many bars become a sorted
horizontal bar chart (issue 13 point 11)."""

from __future__ import annotations

import datetime

import pytest

from fpa.kernel.scope import Actor
from fpa.orgs import services
from fpa.orgs.models import Kind

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
