from __future__ import annotations

from django.urls import path

from . import picker_views, views

app_name = "orgs"

urlpatterns = [
    path("", views.tree_page, name="tree"),
    path("search/", views.search, name="search"),
    path("pick/", picker_views.pick, name="pick"),
    path("pick/browse/", picker_views.browse, name="browse"),
    path("<int:org_id>/", views.detail, name="detail"),
    path("<int:org_id>/children/", views.children, name="children"),
    path("<int:org_id>/edit/", views.edit_profile, name="edit"),
    path("<int:org_id>/years/<int:year>/", views.edit_year, name="year"),
    path("<int:org_id>/sites/add/", views.edit_site, name="site_add"),
    path("<int:org_id>/sites/<int:site_id>/", views.edit_site, name="site_edit"),
    path("<int:org_id>/add/", views.add_child, name="add_child"),
    path("<int:org_id>/merge/", views.merge, name="merge"),
    path("<int:org_id>/export/", views.export, name="export"),
]
