"""The student's DDD screens, mounted at /leerling/ddd/ (namespace "ddd_student")."""

from django.urls import path

from . import views_student as views

app_name = "ddd_student"

urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("nieuw/", views.dossier_start, name="start"),
    path("<int:dossier_id>/", views.dossier_detail, name="detail"),
    path("<int:dossier_id>/deel-a/", views.deel_a, name="deel_a"),
    path("<int:dossier_id>/deel-a/<slug:step_key>/", views.deel_a, name="deel_a_step"),
    path(
        "<int:dossier_id>/deel-a/<slug:step_key>/voortgang/",
        views.deel_a_progress,
        name="deel_a_progress",
    ),
    path("<int:dossier_id>/opsturen/", views.deel_a_send, name="send"),
    path("<int:dossier_id>/akkoordverklaring/", views.consent, name="consent"),
    path("<int:dossier_id>/wijzigen/", views.dossier_change, name="change"),
    path("<int:dossier_id>/heractiveren/", views.dossier_reactivate, name="reactivate"),
    path("<int:dossier_id>/aanmelding/", views.aanmelding, name="aanmelding"),
    path("<int:dossier_id>/pdf/<slug:which>/", views.pdf, name="pdf"),
]
