from django.urls import URLPattern

app_name = "ddd"

urlpatterns: list[URLPattern] = []
