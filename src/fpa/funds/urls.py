from __future__ import annotations

from django.urls import path

from . import imports, views
from . import project_views as pv

app_name = "funds"

urlpatterns = [
    path("", views.home, name="home"),
    path("export/", views.home_export, name="home_export"),
    path("lines/add/", views.line_add, name="line_add"),
    path("lines/<int:line_id>/", views.line_page, name="line"),
    path("lines/<int:line_id>/revise/", views.line_revise, name="line_revise"),
    path("lines/<int:line_id>/transfer/", views.line_transfer, name="line_transfer"),
    path("lines/<int:line_id>/spend/", views.line_spend, name="line_spend"),
    path("transfers/", views.transfer_list, name="transfers"),
    path("transfers/export/", views.transfer_export, name="transfers_export"),
    path("projects/", pv.project_list, name="projects"),
    path("projects/board/", pv.project_board, name="project_board"),
    path("projects/export/", pv.project_export, name="projects_export"),
    path("projects/add/", pv.project_add, name="project_add"),
    path("projects/<int:project_id>/", pv.project_page, name="project"),
    path("projects/<int:project_id>/advance/", pv.project_advance, name="project_advance"),
    path("projects/<int:project_id>/targets/", pv.project_target, name="project_target"),
    path("projects/<int:project_id>/milestones/", pv.project_milestone, name="project_milestone"),
    path(
        "projects/<int:project_id>/milestones/<int:milestone_id>/done/",
        pv.project_milestone_done,
        name="project_milestone_done",
    ),
    path("projects/<int:project_id>/evidence/", pv.project_attach, name="project_attach"),
    path(
        "projects/<int:project_id>/evidence/<int:evidence_id>/",
        pv.project_evidence,
        name="project_evidence",
    ),
    path("projects/<int:project_id>/evaluate/", pv.project_evaluate, name="project_evaluate"),
    path("projects/<int:project_id>/report/", pv.project_report, name="project_report"),
    *imports.LINES_FLOW.urls(),
    *imports.TRANSFERS_FLOW.urls(),
]
