"""Every app's figures are found through the app registry and declared completely."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fpa import figures
from fpa.figures.registry import Figure


def test_every_app_with_records_declares_its_figures_in_one_module():
    apps = {fig.app for fig in figures.all_figures().values()}
    assert apps == {"orgs", "people", "families", "programs", "funds"}


@pytest.mark.parametrize("name", list(figures.all_figures()))
def test_a_figure_has_a_dotted_name_a_chinese_label_and_a_unit(name):
    fig = figures.get(name)
    assert re.fullmatch(r"[a-z]+(\.[a-z_]+)+", name)
    assert re.search(r"[\u4e00-\u9fff]", fig.label)
    assert fig.unit in figures.UNITS
    assert not fig.counter or (fig.stock and fig.additive)


def test_the_annual_report_figures_the_apps_can_compute_are_declared():
    # The 2021 work report counts associations, members, volunteers, special families and their
    # care, program money and the people it reached (shared/seed/work-report-2021.txt).
    for name in (
        "orgs.village.established",
        "orgs.sites.youth_health_base",
        "people.members",
        "people.volunteers",
        "families.special_families",
        "families.care",
        "programs.paid",
        "programs.reached",
    ):
        assert figures.get(name)


def test_an_unknown_figure_or_unit_is_refused():
    with pytest.raises(KeyError, match="no figure named"):
        figures.get("people.nobody")
    with pytest.raises(ValueError, match="unit"):
        Figure("x.y", "某数", "kg", lambda period: None)
    with pytest.raises(ValueError, match="counter"):
        Figure("x.y", "某数", "人", lambda period: None, stock=False, counter="x")
    with pytest.raises(ValueError, match="own figure"):
        Figure("x.y", "某数", "元", lambda period: None, additive=False, own=True)


def test_the_documentation_lists_every_figure():
    doc = (Path(__file__).parents[2] / "docs" / "figures.md").read_text(encoding="utf-8")
    missing = [name for name in figures.all_figures() if f"`{name}`" not in doc]
    assert missing == []
