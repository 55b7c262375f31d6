from __future__ import annotations

from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job"),
    path("jobs/<uuid:job_id>/download/", views.job_download, name="job_download"),
]
