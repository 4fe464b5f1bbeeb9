from django.urls import URLPattern

app_name = "ddd_student"

urlpatterns: list[URLPattern] = []
