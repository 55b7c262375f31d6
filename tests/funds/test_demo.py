"""The funds demo on the mini tree: the report's budget, its growth, and money passed down."""

from __future__ import annotations

import datetime
from decimal import Decimal

from fpa import figures
from fpa.funds import demo as funds_demo
from fpa.funds.models import BudgetLine, Project, ProjectState, Transfer
from fpa.programs import demo as programs_demo
from tests.programs.test_demo import demo_tree  # noqa: F401  (the programs demo's fixture)


def test_the_demo_has_the_reports_budget_and_passes_money_down(demo_tree):  # noqa: F811
    assert programs_demo.load() is True
    assert funds_demo.load() is True
    year = programs_demo.demo_year(datetime.date.today())
    province = demo_tree["430000000000"]
    got = figures.many(
        ["funds.budget", "funds.budget_growth", "funds.passed_share"], province, year
    )
    assert got["funds.budget"] == Decimal("57500000.00")
    assert got["funds.budget_growth"] == Decimal("1560000.00")
    assert got["funds.passed_share"] > 90  # the report: more than 90% passed down
    county = demo_tree["430121000000"]
    assert Transfer.unscoped_objects.filter(org=county, sender=demo_tree["430100000000"]).exists()
    assert BudgetLine.unscoped_objects.filter(org=county, source="cfpa").count() == 0
    assert figures.figure("funds.received", county, year) > 0
    # The library holds a project in every state, the pilot evaluated 优 with its money passed down.
    assert set(Project.unscoped_objects.values_list("state", flat=True)) == set(ProjectState.values)
    pilot = Project.unscoped_objects.get(kind="cfpa_pilot")
    assert pilot.grade == "优" and pilot.budget_lines.get(org=county).received == 500000
    assert funds_demo.load() is False  # idempotent


def test_the_pilots_money_counts_once_on_its_page(demo_tree, client_for):  # noqa: F811
    from fpa.accounts.models import User

    programs_demo.load()
    funds_demo.load()
    pilot = Project.unscoped_objects.get(kind="cfpa_pilot")
    client = client_for(User.objects.get(username="sheng"))
    page = client.get(f"/funds/projects/{pilot.pk}/").content.decode()
    # The province's line passed its 500,000 to the county: the project has 500,000, not a million.
    assert 'data-testid="money-total">500,000.00<' in page
