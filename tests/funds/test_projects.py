"""The project library: states with explicit transitions, targets, evaluation by bands kept as
data, and its pages, files and scoping."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from fpa import figures
from fpa.audit.models import LogEntry
from fpa.core.errors import DomainError
from fpa.funds import projects
from fpa.funds.models import GradeBand, Project
from tests.conftest import actor_of

from .conftest import YEAR

ON = datetime.date(YEAR, 11, 20)


@pytest.fixture
def project(users, tree) -> Project:
    return projects.apply(
        tree["430121000000"],
        {
            "code": "NXJY2026",
            "name": "暖心家园建设试点",
            "kind": "cfpa_pilot",
            "year": YEAR,
            "budget": Decimal("500000"),
        },
        actor=actor_of(users["county"]),
    )


def targets(project, users) -> None:
    for kind, name, target, unit, weight in [
        ("output", "建成暖心家园", "5", "个", "40"),
        ("effect", "受益家庭", "200", "户", "40"),
        ("satisfaction", "满意度", "90", "%", "20"),
    ]:
        projects.add_target(
            project,
            {
                "kind": kind,
                "name": name,
                "target": Decimal(target),
                "unit": unit,
                "weight": Decimal(weight),
            },
            actor=actor_of(users["county"]),
        )


def walk_to(project, state, users):
    actor = actor_of(users["county"])
    while project.state != state:
        project = projects.advance(project, projects.TRANSITIONS[project.state], actor=actor)
    return project


def test_a_project_moves_one_state_at_a_time_and_an_illegal_move_names_the_state(project, users):
    actor = actor_of(users["county"])
    with pytest.raises(DomainError, match="项目当前为“申报”，不能转为“实施”，下一步只能是“入库”"):
        projects.advance(project, "running", actor=actor)
    project = projects.advance(project, "listed", actor=actor)
    with pytest.raises(DomainError, match="立项前请先设置绩效目标"):
        projects.advance(project, "approved", actor=actor)
    targets(project, users)
    project = walk_to(project, "accepted", users)
    with pytest.raises(DomainError, match="下一步请填写绩效评价"):
        projects.advance(project, "evaluated", actor=actor)
    assert [(s.from_state, s.to_state) for s in project.steps.all()] == [
        ("applied", "listed"),
        ("listed", "approved"),
        ("approved", "running"),
        ("running", "accepted"),
    ]


def test_the_evaluation_scores_each_target_and_the_band_gives_the_grade(project, users):
    targets(project, users)
    project = walk_to(project, "accepted", users)
    scores = {"建成暖心家园": "40", "受益家庭": "35", "满意度": "14"}
    results = {t.pk: (t.target, Decimal(scores[t.name])) for t in project.targets.all()}
    project = projects.evaluate(
        project, results, evaluator="省财政厅", on=ON, actor=actor_of(users["county"])
    )
    assert (project.state, project.score, project.grade) == ("evaluated", Decimal("89.0"), "良")
    entry = LogEntry.unscoped_objects.filter(action="fpa.project.evaluated").latest("id")
    assert entry.changes["grade"] == "良"
    # The bands are data: the finance department moves 良 to 85, and a new evaluation reads it.
    GradeBand.objects.filter(grade="良").update(min_score=Decimal("85.0"))
    assert projects.grade_for(Decimal("84.9")) == "中"


def test_a_score_past_its_weight_or_a_missing_target_is_refused(project, users):
    targets(project, users)
    project = walk_to(project, "accepted", users)
    actor = actor_of(users["county"])
    first, *rest = project.targets.all()
    with pytest.raises(DomainError, match="请填写每项指标"):
        projects.evaluate(
            project, {first.pk: (Decimal("1"), Decimal("1"))}, evaluator="甲", on=ON, actor=actor
        )
    too_much = {t.pk: (t.target, t.weight + 1) for t in project.targets.all()}
    with pytest.raises(DomainError, match="得分应在 0 至"):
        projects.evaluate(project, too_much, evaluator="甲", on=ON, actor=actor)
    project.refresh_from_db()
    assert project.state == "accepted" and project.score is None


def test_weights_add_up_to_at_most_100(project, users):
    targets(project, users)
    with pytest.raises(DomainError, match="各指标分值合计不能超过 100 分（已设 100.0 分）"):
        projects.add_target(
            project,
            {"kind": "output", "name": "多余", "target": 1, "unit": "个", "weight": Decimal("1")},
            actor=actor_of(users["county"]),
        )


def test_the_project_pages_walk_the_library_and_the_report_leaves_as_a_file(
    project, users, client_for
):
    client = client_for(users["county"])
    url = f"/funds/projects/{project.pk}/"
    client.post(
        f"{url}targets/",
        {
            "t-kind": "output",
            "t-name": "建成暖心家园",
            "t-target": "5",
            "t-unit": "个",
            "t-weight": "100",
        },
    )
    for state in ("listed", "approved", "running", "accepted"):
        assert client.post(f"{url}advance/", {"to": state}).status_code == 302
    project.refresh_from_db()
    assert project.state == "accepted"
    target = project.targets.get()
    client.post(
        f"{url}evaluate/",
        {
            "e-evaluator": "省财政厅",
            "e-on": "2026-11-20",
            f"e-actual_{target.pk}": "6",
            f"e-score_{target.pk}": "95",
        },
    )
    project.refresh_from_db()
    assert (project.grade, project.score) == ("优", Decimal("95.0"))
    page = client.get(url).content.decode()
    assert "95.0 分，优" in page and "6 个" in page
    response = client.post(f"{url}report/", {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][1] == "建成暖心家园" and rows[-1][0] == "评价日期"
    board = client.get("/funds/projects/board/").content.decode()
    assert 'data-testid="count-evaluated">1<' in board
    assert (
        "暖心家园建设试点"
        in client.get("/funds/projects/", {"state": "evaluated"}).content.decode()
    )


def test_another_countys_project_is_a_404(project, users, client_for):
    outsider = client_for(users["outsider"])
    url = f"/funds/projects/{project.pk}/"
    assert outsider.get(url).status_code == 404
    assert outsider.post(f"{url}advance/", {"to": "listed"}).status_code == 404
    assert outsider.post(f"{url}report/", {}).status_code == 404
    project.refresh_from_db()
    assert project.state == "applied"


def test_projects_by_state_and_grade_are_figures_of_the_subtree(project, users, tree):
    targets(project, users)
    project = walk_to(project, "accepted", users)
    results = {t.pk: (t.target, t.weight) for t in project.targets.all()}
    projects.evaluate(project, results, evaluator="甲", on=ON, actor=actor_of(users["county"]))
    got = figures.many(
        [
            "funds.projects",
            "funds.projects.evaluated",
            "funds.projects.excellent",
            "funds.cfpa_pilots",
        ],
        tree["430000000000"],
        YEAR,
    )
    assert got == {
        "funds.projects": 1,
        "funds.projects.evaluated": 1,
        "funds.projects.excellent": 1,
        "funds.cfpa_pilots": 1,
    }
