from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import forms, views

app_name = "accounts"

urlpatterns = [
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "wachtwoord/vergeten/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            form_class=forms.OutboxPasswordResetForm,
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "wachtwoord/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "wachtwoord/nieuw/<uidb64>/<token>/",
        views.ResetSetPasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord/gewijzigd/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("welkom/<uidb64>/<token>/", views.WelcomeSetPasswordView.as_view(), name="welcome"),
    path("beveiliging/wachtwoord/", views.PasswordChangeView.as_view(), name="password_change"),
    path("gebruikers/", views.user_list, name="user_list"),
    path("gebruikers/export/", views.user_export, name="user_export"),
    path("gebruikers/toevoegen/", views.user_add, name="user_add"),
    path("gebruikers/<int:user_id>/bewerken/", views.user_edit, name="user_edit"),
    path(
        "gebruikers/<int:user_id>/deactiveren/",
        views.user_set_active,
        {"active": False},
        name="user_deactivate",
    ),
    path(
        "gebruikers/<int:user_id>/activeren/",
        views.user_set_active,
        {"active": True},
        name="user_reactivate",
    ),
    path(
        "gebruikers/<int:user_id>/tweestapsverificatie/",
        views.user_two_factor_reset,
        name="user_two_factor_reset",
    ),
]
