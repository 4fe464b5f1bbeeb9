from django.urls import path

from . import views

app_name = "youth"

urlpatterns = [
    path("", views.youth_list, name="list"),
    path("export/", views.youth_export, name="export"),
    path("zoeken-op-bsn/", views.youth_bsn_search, name="bsn_search"),
    path("toevoegen/", views.youth_add, name="add"),
    path("<int:youth_id>/", views.youth_detail, name="detail"),
    path("<int:youth_id>/bewerken/", views.youth_edit, name="edit"),
]
