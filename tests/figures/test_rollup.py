"""Every figure rolls up the tree: a parent's row for a child is the child's own page, an additive
figure is the org's own records plus its children's, a distinct one lies between the largest child
and the sum — on the demo data of one county, for the running year, a past year and all years."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from fpa import figures
from fpa.figures import compute
from fpa.figures.registry import Period
from fpa.orgs.models import Org
from fpa.programs.models import Program

YEARS = [None, datetime.date.today().year, 2020]


def own(fig: figures.Figure, org: Org, year: int | None, **where) -> figures.Value:
    """The figure over the records held by `org` itself, counted straight from the records."""
    qs = fig.records(Period.of(year), **{k: v for k, v in where.items() if k in fig.params})
    row = qs.filter(**{compute._path(fig): org.path}).aggregate(v=fig.measure())
    return row["v"] or fig.zero


def orgs_with_children() -> list[Org]:
    return [o for o in Org.unscoped_objects.order_by("path") if o.children.exists()]


@pytest.mark.parametrize("year", YEARS)
def test_every_figure_rolls_up_from_the_children(demo_county, year):
    checked = 0
    for org in orgs_with_children():
        totals = dict((f.name, v) for f, v in figures.figures(org, year))
        per_child = figures.by_child_many(list(totals), org, year)
        kids = list(org.children.all())
        for name, total in totals.items():
            fig = figures.get(name)
            values = [per_child[name][k.pk] for k in kids]
            for kid, value in zip(kids, values, strict=True):
                assert value == figures.figure(name, kid, year), (name, org.name, kid.name)
            if fig.own:
                continue  # the org's own money: its children's are theirs, not part of it
            if fig.computed is not None:
                # Its own records are not a query of ours: the children can only be part of it.
                assert total >= sum(values), (name, org.name, year)
                checked += bool(total)
                continue
            mine = own(fig, org, year)
            if fig.additive:
                assert total == mine + sum(values), (name, org.name, year)
            else:
                assert max([mine, *values]) <= total <= mine + sum(values), (name, org.name)
            checked += bool(total)
    # The demo leaves something to count in most figures (not a test of empty tables).
    assert checked > 100


def test_coverage_figures_are_the_coverage_pages_counts(demo_county):
    from fpa.families.coverage import by_child_org
    from fpa.kernel.scope import Actor

    for org in orgs_with_children():
        rows, totals = by_child_org(Actor.system(org), org, datetime.date.today(), None)
        assert figures.figure("families.coverage.families", org, None) == totals["families"]
        per_child = figures.by_child("families.coverage.visit", org, None)
        assert per_child == {r["org"].pk: r.get("gap_visit", 0) for r in rows}


def test_program_figures_roll_up_for_one_program(demo_county):
    for program in Program.unscoped_objects.all():
        for org in orgs_with_children():
            per_child = figures.by_child_many(
                [n for n in figures.all_figures() if n.startswith("programs.")],
                org,
                None,
                program=program,
            )
            for name, by_pk in per_child.items():
                fig = figures.get(name)
                total = figures.figure(name, org, None, program=program)
                mine = own(fig, org, None, program=program)
                if fig.additive:
                    assert total == mine + sum(by_pk.values()), (name, program.name, org.name)


def test_distinct_figures_count_a_person_once_across_children(demo_county):
    """A volunteer at two associations of different townships is one person at the county."""
    from fpa.people.positions import Volunteer

    county = Org.unscoped_objects.get(code="430121000000")
    before = figures.figure("people.volunteer_persons", county, None)
    posts = figures.figure("people.volunteers", county, None)
    one = Volunteer.unscoped_objects.filter(county=county).order_by("pk").first()
    other = (
        Org.unscoped_objects.filter(parent__parent=county, level="village")
        .exclude(township_id=one.township_id)
        .first()
    )
    again = Volunteer(person=one.person, since=one.since)
    again.place_in(other)
    again.save()
    assert figures.figure("people.volunteers", county, None) == posts + 1
    assert figures.figure("people.volunteer_persons", county, None) == before


def test_a_current_counter_agrees_with_the_records(demo_county):
    for name in ("people.persons", "people.members"):
        fig = figures.get(name)
        counted = dataclasses.replace(fig, counter=None)
        for org in Org.unscoped_objects.all():
            period = Period.of(datetime.date.today().year)
            assert compute.values([fig], org, period, {}) == {
                name: compute.values([counted], org, period, {})[name]
            }, (name, org.name)


def test_an_orgs_program_page_shows_what_its_parents_row_for_it_shows(demo_county, client_for):
    """Issue 13 point 7: a village's program page said 0 where its township's row said 200.00."""
    from fpa.programs.selectors import dashboard

    compared = 0
    for program in Program.unscoped_objects.all():
        for parent in orgs_with_children():
            _, rows = dashboard(program, parent)
            for row in rows:
                own_total, _ = dashboard(program, row.org)
                for field in ("committed", "paid", "reached", "pending"):
                    assert getattr(own_total, field) == getattr(row, field), (
                        program.name,
                        row.org.name,
                        field,
                    )
                compared += row.org.level == "village" and bool(row.committed or row.pending)
    assert compared > 0  # the demo has money at some village


def test_a_village_without_a_budget_line_says_so_instead_of_a_zero_budget(demo_county, client_for):
    from fpa.accounts.models import User
    from fpa.funds.models import BudgetLine
    from fpa.programs.models import Application
    from fpa.programs.selectors import dashboard

    application = Application.unscoped_objects.filter(org__level="village").first()
    village, program = application.org, application.program
    assert not BudgetLine.unscoped_objects.filter(program=program, org=village).exists()
    total, _ = dashboard(program, village)
    assert total.budget is None and total.remaining is None
    client = client_for(User.objects.get(username="changshaxian"))
    page = client.get(f"/programs/{program.pk}/", {"org": village.pk}).content.decode()
    assert 'data-testid="budget"><span class="text-secondary"' in page and "未分配" in page
