from __future__ import annotations

from django.urls import path

from . import views

app_name = "funds"

urlpatterns = [
    path("", views.home, name="home"),
    path("export/", views.home_export, name="home_export"),
    path("lines/add/", views.line_add, name="line_add"),
    path("lines/<int:line_id>/", views.line_page, name="line"),
    path("lines/<int:line_id>/revise/", views.line_revise, name="line_revise"),
    path("lines/<int:line_id>/transfer/", views.line_transfer, name="line_transfer"),
    path("transfers/", views.transfer_list, name="transfers"),
    path("transfers/export/", views.transfer_export, name="transfers_export"),
]
