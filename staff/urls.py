"""URLs of the staff app: signing in (under accounts/) and managing staff (under staff/)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from staff.views import members, sign_in, two_factor

#: Included by the shell at accounts/.
account_urlpatterns = [
    path("login/", sign_in.SignInView.as_view(), name="login"),
    path("login/code/", sign_in.sign_in_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", sign_in.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        sign_in.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("two-factor/", two_factor.two_factor_setup, name="two_factor_setup"),
]

#: Included by the shell at staff/.
urlpatterns = [
    path("users/", members.member_list, name="staff_member_list"),
    path("users/new/", members.member_create, name="staff_member_create"),
    path("users/<int:pk>/role/", members.member_role, name="staff_member_role"),
    path("users/<int:pk>/active/", members.member_active, name="staff_member_active"),
    path(
        "users/<int:pk>/password-mail/",
        members.member_password_mail,
        name="staff_member_password_mail",
    ),
    path(
        "users/<int:pk>/two-factor-reset/",
        members.member_two_factor_reset,
        name="staff_member_two_factor_reset",
    ),
]
