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

# Donations (issue 14 points 4–5): donation_views.py.
from . import donation_imports  # noqa: E402
from . import donation_views as dv  # noqa: E402

urlpatterns += [
    path("donations/", dv.donation_list, name="donations"),
    path("donations/add/", dv.donation_add, name="donation_add"),
    path("donations/export/", dv.donation_export, name="donations_export"),
    path("donations/<int:donation_id>/", dv.donation_page, name="donation"),
    path("donations/<int:donation_id>/receipt/", dv.receipt_issue, name="receipt_issue"),
    path("donors/<int:donor_id>/", dv.donor_page, name="donor"),
    path("receipts/", dv.receipt_list, name="receipts"),
    path("receipts/export/", dv.receipt_export, name="receipts_export"),
    path("receipts/<int:receipt_id>/void/", dv.receipt_void, name="receipt_void"),
    path("receipts/<int:receipt_id>/reissue/", dv.receipt_reissue, name="receipt_reissue"),
    path("campaigns/", dv.campaign_list, name="campaigns"),
    path("campaigns/add/", dv.campaign_add, name="campaign_add"),
    path("campaigns/export/", dv.campaign_export, name="campaigns_export"),
    path("campaigns/<int:campaign_id>/", dv.campaign_page, name="campaign"),
    path("distributions/", dv.distribution_list, name="distributions"),
    path("distributions/add/", dv.distribution_add, name="distribution_add"),
    path("distributions/export/", dv.distribution_export, name="distributions_export"),
    path("distributions/<int:distribution_id>/", dv.distribution_page, name="distribution"),
    path(
        "distributions/<int:distribution_id>/evidence/",
        dv.distribution_evidence,
        name="distribution_evidence",
    ),
]
urlpatterns += [*donation_imports.DONATIONS.urls(), *donation_imports.DISTRIBUTIONS.urls()]
