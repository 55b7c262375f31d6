from __future__ import annotations

from django.urls import path

from . import imports, payment_views, program_views, views

app_name = "programs"

urlpatterns = [
    path("", program_views.program_list, name="list"),
    path("add/", program_views.program_add, name="add"),
    path("<int:program_id>/", program_views.program_detail, name="detail"),
    path("<int:program_id>/rate/", program_views.program_rate, name="rate"),
    path("<int:program_id>/split/", program_views.program_split, name="split"),
    path("<int:program_id>/status/", program_views.program_status, name="status"),
    path("<int:program_id>/apply/", views.apply, name="apply"),
    *imports.APPLICATIONS_FLOW.urls(),
    path("applications/", views.application_list, name="applications"),
    path("applications/<int:application_id>/", views.application_detail, name="application"),
    path("applications/<int:application_id>/decide/", views.application_decide, name="decide"),
    path(
        "applications/<int:application_id>/resubmit/",
        views.application_resubmit,
        name="resubmit",
    ),
    path(
        "applications/<int:application_id>/withdraw/",
        views.application_withdraw,
        name="withdraw",
    ),
    path(
        "applications/<int:application_id>/attachments/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
    path(
        "applications/<int:application_id>/policies/<int:policy_id>/claims/",
        views.record_claim,
        name="claim",
    ),
    path("worklist/", views.worklist, name="worklist"),
    path("worklist/decide/", views.worklist_decide, name="worklist_decide"),
    path("export/", program_views.export, name="export"),
    path("batches/", payment_views.batch_list, name="batches"),
    path("batches/<int:batch_id>/", payment_views.batch_detail, name="batch"),
    path("batches/<int:batch_id>/export/", payment_views.batch_export, name="batch_export"),
    path("batches/<int:batch_id>/file/", payment_views.batch_file, name="batch_file"),
    path("batches/<int:batch_id>/reissue/", payment_views.batch_reissue, name="reissue"),
    path(
        "batches/<int:batch_id>/payees/<int:payee_id>/account/",
        payment_views.payee_account,
        name="payee_account",
    ),
    *imports.RETURN_FLOW.urls(),
    path("banks/<str:code>/sample/", payment_views.bank_sample, name="bank_sample"),
]
