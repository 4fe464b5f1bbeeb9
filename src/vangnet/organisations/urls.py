from django.urls import path

from . import views, views_manage

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

# Master data of platform management (regions, gemeenten, organisations, locations).
urlpatterns += [
    path("beheer/", views_manage.manage, name="manage"),
    path("beheer/<slug:kind>/toevoegen/", views_manage.manage_form, name="manage_add"),
    path("beheer/<slug:kind>/<int:pk>/", views_manage.manage_form, name="manage_edit"),
    path(
        "beheer/organisatie/<int:organisation_id>/gebruiker/",
        views_manage.manage_user_add,
        name="manage_user_add",
    ),
]
