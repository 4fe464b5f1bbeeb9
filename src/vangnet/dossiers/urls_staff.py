from django.urls import path

from . import views_staff as views

app_name = "ddd"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dossiers/", views.dossier_list, name="dossiers"),
    path("dossiers/<int:dossier_id>/", views.dossier_detail, name="dossier"),
    path("dossiers/<int:dossier_id>/start-deel-b/", views.deel_b_start, name="start_b"),
    path("dossiers/<int:dossier_id>/opsturen/", views.send_to_student, name="send_to_student"),
    path("dossiers/<int:dossier_id>/terugzetten/", views.send_back, name="send_back"),
    path("dossiers/<int:dossier_id>/archiveren/", views.archive, name="archive"),
    path("dossiers/<int:dossier_id>/verloop/", views.history, name="history"),
    path("dossiers/<int:dossier_id>/pdf/<str:which>/", views.pdf, name="pdf"),
    path("leerlingen/", views.students, name="students"),
    path("leerlingen/<int:youth_id>/start-deel-b/", views.early_start, name="early_start"),
    path("mentoren/", views.class_mentors, name="class_mentors"),
    path("instellingen/", views.school_settings, name="school_settings"),
    path(
        "mentoren/<int:link_id>/verwijderen/", views.class_mentor_remove, name="class_mentor_remove"
    ),
]
