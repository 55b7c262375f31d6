from __future__ import annotations

from django.urls import path

from . import household_views, imports, legacy_urls, position_views, views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="persons"),
    path("members/", views.member_list, name="members"),
    path("add/", views.person_create, name="person_add"),
    path("check/", views.check_document, name="check"),
    path("<int:person_id>/", views.person_detail, name="person"),
    path("<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("<int:person_id>/reveal/<str:field>/", views.person_reveal, name="reveal"),
    path("<int:person_id>/join/", views.person_join, name="join"),
    path("relocations/", views.relocations, name="relocations"),
    path("relocations/request/", views.relocation_request, name="relocation_request"),
    path(
        "relocations/<int:relocation_id>/decide/", views.relocation_decide, name="relocation_decide"
    ),
    path("members/<int:membership_id>/card/", views.member_card, name="card"),
    path("members/roster/", views.roster, name="roster"),
    path("export/<str:kind>/", views.export, name="export"),
    path("<int:person_id>/positions/<str:kind>/add/", position_views.add, name="position_add"),
    path("positions/<str:kind>/", position_views.position_list, name="positions"),
    path("duplicates/", position_views.duplicates, name="duplicates"),
    path("<int:person_id>/household/found/", household_views.found, name="household_found"),
    path("<int:person_id>/household/add/", household_views.add_member, name="household_add"),
    path("org/<int:org_id>/groups/add/", household_views.create_group, name="group_add"),
    path(
        "org/<int:org_id>/group-members/add/",
        household_views.add_group_member,
        name="group_member_add",
    ),
    path("members/<int:membership_id>/group/", household_views.assign_group, name="assign_group"),
    path("merge/", position_views.merge, name="merge"),
    path("org/<int:org_id>/panel/", position_views.org_panel, name="org_panel"),
    *imports.FLOW.urls(),
]

urlpatterns += legacy_urls.urlpatterns
