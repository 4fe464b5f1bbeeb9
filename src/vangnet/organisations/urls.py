from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("instellingen/", views.settings_view, name="settings"),
    path("contactpersonen/", views.designations, name="designations"),
    path(
        "contactpersonen/<int:designation_id>/verwijderen/",
        views.designation_delete,
        name="designation_delete",
    ),
]
