"""The school's lists (§3 Schoolgaand, §6 Entree, §7 Uitgeschreven) and their exports."""

from django.urls import path

from . import views_lists

urlpatterns = [
    path("schoolgaand/", views_lists.schoolgaand, name="schoolgaand"),
    path("schoolgaand/export/", views_lists.schoolgaand_export, name="schoolgaand_export"),
    path("schoolgaand/bulk/", views_lists.schoolgaand_bulk, name="schoolgaand_bulk"),
    path("entree/", views_lists.entree, name="entree"),
    path("entree/export/", views_lists.entree_export, name="entree_export"),
    path("uitgeschreven/", views_lists.uitgeschreven, name="uitgeschreven"),
    path("uitgeschreven/export/", views_lists.uitgeschreven_export, name="uitgeschreven_export"),
]
