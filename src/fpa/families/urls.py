from __future__ import annotations

from django.urls import path

from . import imports, views

app_name = "families"

urlpatterns = [
    path("", views.family_list, name="list"),
    path("add/", views.recognize, name="add"),
    path("batch/", views.batch, name="batch"),
    path("coverage/", views.coverage_page, name="coverage"),
    path("coverage/refresh/", views.coverage_refresh, name="coverage_refresh"),
    path("worklist/", views.worklist, name="worklist"),
    path("<int:family_id>/", views.family_page, name="family"),
    path("<int:family_id>/care/", views.add_care, name="care"),
    path("<int:family_id>/contact/", views.set_contact, name="contact"),
    path("<int:family_id>/green/", views.set_green, name="green"),
    path("<int:family_id>/doctor/", views.set_doctor, name="doctor"),
    path("<int:family_id>/end/", views.end, name="end"),
    path("<int:family_id>/care/<int:record_id>/attach/", views.attach, name="attach"),
    path("<int:family_id>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("export/", views.export, name="export"),
    *imports.FLOW.urls(),
]
