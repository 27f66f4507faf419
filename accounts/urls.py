from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import second_factor_views, unsubscribe_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("register/sent/", views.register_sent, name="register-sent"),
    path("register/activate/<uidb64>/<token>/", views.register_activate, name="register-activate"),
    path("second-factor/", second_factor_views.verify, name="second-factor"),
    path("second-factor/setup/", second_factor_views.setup, name="second-factor-setup"),
    path("profile/", views.profile, name="profile"),
    path("messages/stop/<str:token>/", views.opt_out, name="opt-out"),
    path("unsubscribe/<str:token>/", unsubscribe_views.unsubscribe, name="unsubscribe"),
    path("connections/add/", views.link_connection, name="link"),
    path("connections/<int:connection_id>/remove/", views.unlink_connection, name="unlink"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password-reset-complete",
    ),
]
