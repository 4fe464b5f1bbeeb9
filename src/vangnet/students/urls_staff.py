from django.urls import path

from . import views_staff as views

app_name = "student_accounts"

urlpatterns = [
    path("", views.instructions, name="instructions"),
    path("leerlingen-zoeken/", views.suggest, name="suggest"),
    path("<int:enrolment_id>/opnieuw-versturen/", views.resend, name="resend"),
]
