from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("instellingen/", views.settings_view, name="settings"),
]
