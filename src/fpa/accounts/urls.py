from __future__ import annotations

from django.urls import path

from . import security_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("logins/", views.my_logins, name="my_logins"),
    path("otp/", views.otp_verify, name="otp_verify"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("token/", views.api_token, name="api_token"),
    path("users/", views.user_list, name="users"),
    path("users/add/", views.user_create, name="user_add"),
    path("users/export/", views.user_export, name="user_export"),
    path("users/<int:user_id>/", views.user_detail, name="user"),
    path("users/<int:user_id>/active/", views.user_active, name="user_active"),
    path("users/<int:user_id>/password/", views.user_reset_password, name="user_password"),
    path("users/<int:user_id>/unlock/", views.user_unlock, name="user_unlock"),
    path("security/", security_views.overview, name="security"),
    path(
        "security/resets/<int:reset_id>/confirm/",
        security_views.reset_decide,
        {"decision": "confirm"},
        name="reset_confirm",
    ),
    path(
        "security/resets/<int:reset_id>/refuse/",
        security_views.reset_decide,
        {"decision": "refuse"},
        name="reset_refuse",
    ),
    path("tokens/", security_views.token_list, name="tokens"),
    path("tokens/<int:user_id>/revoke/", security_views.token_revoke, name="token_revoke"),
]
